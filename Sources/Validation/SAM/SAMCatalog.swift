/// What the AWS SAM transform accepts, as generated from the translator that aws-sam-cli pins
/// (`scripts/gen-sam-catalog.py` writes `SAMCatalog+Data.swift`): policy templates with their
/// parameters, and the keys each `Globals` section allows.
enum SAMCatalog {
    /// The parameters policy template `name` needs; `nil` when SAM has no such template.
    static func parameters(ofPolicyTemplate name: String) -> [String]? {
        policyTemplates[name]
    }

    /// The keys `Globals.<section>` allows; `nil` when SAM has no such section.
    static func globalsKeys(_ section: String) -> [String]? {
        globalsSections[section]
    }

    /// The policy template names, sorted, for suggestions.
    static let policyTemplateNames: [String] = policyTemplates.keys.sorted()

    /// The Globals section names, sorted, for suggestions and messages.
    static let globalsSectionNames: [String] = globalsSections.keys.sorted()
}
