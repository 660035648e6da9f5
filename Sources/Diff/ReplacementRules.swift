import CloudFormation

/// Whether a changed property replaces its resource: the provider schema's createOnly and
/// conditionalCreateOnly properties with CloudFormation's documented corrections
/// (`ResourceSchema.replacement`), SAM functions judged through the Lambda function (and
/// role) they become (`SAMFunctionMapping`). What is not known is `conditional`, never a
/// false `never`.
enum ReplacementRules {
    struct Answer {
        var replacement: TemplateDiff.Replacement
        var reason: String?
        /// For a SAM function: what the change does to the role SAM makes for it (when it has
        /// no `Role` of its own), judged on `AWS::IAM::Role`; `nil` when it does not reach it.
        var role: RoleAnswer?
    }

    /// A change's verdict on the role SAM makes for a function.
    struct RoleAnswer {
        var replacement: TemplateDiff.Replacement
        var reason: String?
    }

    /// The type of the role SAM makes for a function without one.
    static let samRoleType = "AWS::IAM::Role"

    static func answer(type: String, path: [String]) -> Answer {
        let changed = ResourceSchema.PropertyPath(path)
        if type == "AWS::Serverless::Function" {
            let verdicts = SAMFunctionMapping.replacements(forChangeAt: changed)
            func strongest(_ verdicts: [(target: SAMFunctionMapping.Target, verdict: ResourceSchema.ReplacementVerdict)]) -> Answer? {
                guard let strongest = verdicts.max(by: { rank($0.verdict.replacement) < rank($1.verdict.replacement) }) else { return nil }
                let answer = answer(strongest.verdict)
                return Answer(replacement: answer.replacement, reason: answer.reason.map { "SAM writes it to \(strongest.target.type): \($0)" })
            }
            // The role is a resource of its own: what replaces it does not replace the function,
            // whose Role then changes to the new role's ARN, in place.
            let role = strongest(verdicts.filter { $0.target.type == samRoleType }).map { RoleAnswer(replacement: $0.replacement, reason: $0.reason) }
            if var onFunction = strongest(verdicts.filter { $0.target.type != samRoleType }) {
                onFunction.role = role
                return onFunction
            }
            if let mapping = SAMFunctionMapping.property(path.first ?? "") {
                // The role, events, versions, aliases, deployment groups: resources of their
                // own, which this property changes or replaces; the function itself is updated.
                return Answer(replacement: .never, reason: mapping.note, role: role)
            }
            return Answer(replacement: .conditional, reason: "AWS::Serverless::Function has no property '\(changed)' menort knows: what it changes is unknown")
        }
        if type == "AWS::Serverless::SimpleTable" {
            // SimpleTable becomes an AWS::DynamoDB::Table: PrimaryKey is its KeySchema, TableName its name.
            switch path.first {
            case "PrimaryKey": return answer(type: "AWS::DynamoDB::Table", path: ["KeySchema"])
            case "TableName": return answer(type: "AWS::DynamoDB::Table", path: ["TableName"])
            default: return answer(type: "AWS::DynamoDB::Table", path: path)
            }
        }
        guard let verdict = ResourceSchema.replacement(for: type, changedAt: changed) else {
            return Answer(replacement: .conditional, reason: "menort has no provider schema for \(type): whether changing '\(changed)' replaces it is unknown")
        }
        return answer(verdict)
    }

    static func answer(_ verdict: ResourceSchema.ReplacementVerdict) -> Answer {
        switch verdict.replacement {
        case .always: return Answer(replacement: .always, reason: verdict.reason)
        case .conditional: return Answer(replacement: .conditional, reason: verdict.reason)
        case .never: return Answer(replacement: .never, reason: nil)
        case .unknown: return Answer(replacement: .conditional, reason: verdict.reason + ": whether changing it replaces the resource is unknown")
        }
    }

    static func rank(_ replacement: ResourceSchema.Replacement) -> Int {
        switch replacement {
        case .never: return 0
        case .unknown: return 1
        case .conditional: return 2
        case .always: return 3
        }
    }
}
