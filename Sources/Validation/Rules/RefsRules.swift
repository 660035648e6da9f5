import YAML

/// The refs family.
public struct RefsRules: RuleFamily {
    public static let family = Family.refs

    public static let rules: [Rule] = []

    public init() {}

    public func check(_ context: ValidationContext, into report: inout Report) {}
}
