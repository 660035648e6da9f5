import YAML

/// The stack family.
public struct StackRules: RuleFamily {
    public static let family = Family.stack

    public static let rules: [Rule] = []

    public init() {}

    public func check(_ context: ValidationContext, into report: inout Report) {}
}
