import YAML

/// The params family.
public struct ParamsRules: RuleFamily {
    public static let family = Family.params

    public static let rules: [Rule] = []

    public init() {}

    public func check(_ context: ValidationContext, into report: inout Report) {}
}
