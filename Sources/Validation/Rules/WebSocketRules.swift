import YAML

/// The websocket family.
public struct WebSocketRules: RuleFamily {
    public static let family = Family.websocket

    public static let rules: [Rule] = []

    public init() {}

    public func check(_ context: ValidationContext, into report: inout Report) {}
}
