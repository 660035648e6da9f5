import YAML

/// The template family.
public struct TemplateRules: RuleFamily {
    public static let family = Family.template

    public static let rules: [Rule] = []

    public init() {}

    public func check(_ context: ValidationContext, into report: inout Report) {}
}
