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

/// The properties the SAM translator reads on one AWS::Serverless:: type or event source.
struct SAMResourceShape: Sendable {
    /// Every property it reads, sorted.
    let properties: [String]
    /// Those it refuses to do without.
    let required: [String]
    /// Whether any other property is refused (a few types accept anything).
    let closed: Bool
}

extension SAMCatalog {
    /// The shape of an AWS::Serverless:: type; `nil` when the translator has no such type.
    static func shape(of type: String) -> SAMResourceShape? {
        resourceTypes[type]
    }

    /// The event types an AWS::Serverless::Function or StateMachine (`owner`, without the
    /// prefix) takes, each with its properties; `nil` for other types.
    static func events(of owner: String) -> [String: SAMResourceShape]? {
        eventTypes[owner]
    }
}
