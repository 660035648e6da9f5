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
    }

    static func answer(type: String, path: [String]) -> Answer {
        let changed = ResourceSchema.PropertyPath(path)
        if type == "AWS::Serverless::Function" {
            let verdicts = SAMFunctionMapping.replacements(forChangeAt: changed)
            if let strongest = verdicts.max(by: { rank($0.verdict.replacement) < rank($1.verdict.replacement) }) {
                let answer = answer(strongest.verdict)
                let reason = answer.reason.map { "SAM writes it to \(strongest.target.type): \($0)" }
                return Answer(replacement: answer.replacement, reason: reason)
            }
            if let mapping = SAMFunctionMapping.property(path.first ?? "") {
                // Events, versions, aliases, deployment groups: resources of their own, which
                // this property changes or replaces; the function itself is updated.
                return Answer(replacement: .never, reason: mapping.note)
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
