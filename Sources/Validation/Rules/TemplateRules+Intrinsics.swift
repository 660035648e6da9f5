import CloudFormation
import YAML

// The shapes of intrinsic calls, and the attributes Fn::GetAtt (and ${A.B} in Fn::Sub) reads.
extension TemplateRules {
    static func checkIntrinsics(_ scope: Scope, into report: inout Report) {
        scope.template.root.walk(path: "") { visit in
            guard let call = Intrinsic(visit.node) else { return }
            let path = String(visit.path.dropFirst())
            let logicalId = entryID(path)
            if let problem = shapeProblem(call, scope) {
                report.add(intrinsicShape, problem, at: call.node, logicalId: logicalId, path: path)
                return  // a malformed call's arguments cannot be read further
            }
            switch call.name {
            case "Fn::GetAtt":
                checkGetAtt(call, scope, logicalId: logicalId, path: path, into: &report)
            case "Fn::Sub":
                checkSubAttributes(call, scope, logicalId: logicalId, path: path, into: &report)
            default:
                break
            }
        }
    }

    /// The entry a path is under: `Resources/Api/Properties/Name` → `Api`.
    static func entryID(_ path: String) -> String? {
        let segments = path.split(separator: "/", maxSplits: 2)
        guard segments.count >= 2, ["Resources", "Parameters", "Outputs", "Conditions", "Rules"].contains(segments[0]) else {
            return nil
        }
        return String(segments[1])
    }

    /// What is wrong with the arguments of `call`, as a message, or `nil` when the shape is right.
    static func shapeProblem(_ call: Intrinsic, _ scope: Scope) -> String? {
        let argument = call.argument
        // An Fn::Transform argument is replaced by the macro's output before anything is read.
        if Intrinsic(argument)?.name == "Fn::Transform" { return nil }
        let items = argument.items
        let given = describe(argument)
        // Under AWS::LanguageExtensions (Fn::ForEach) names may be computed: `!Ref` of a `!Sub`.
        func isName(_ node: Node) -> Bool { isLiteral(node) || (scope.hasLanguageExtensions && Intrinsic(node) != nil) }
        func isListOrCall(_ node: Node) -> Bool { node.items != nil || Intrinsic(node) != nil }

        switch call.name {
        case "Ref":
            return isName(argument) ? nil
                : "Ref takes the name of a resource or parameter as a string, not \(given)"
        case "Fn::Sub":
            if isLiteral(argument) { return nil }
            if let items, items.count == 2, isLiteral(items[0]), items[1].pairs != nil { return nil }
            if let items, items.count == 2, items[0].pairs != nil, isLiteral(items[1]) {
                return "Fn::Sub's arguments are swapped: write the string first, then the mapping of variables"
            }
            return "Fn::Sub takes a string or [string, {Name: value}], not \(given)"
        case "Fn::Join":
            if let items, items.count == 2, isLiteral(items[0]), isListOrCall(items[1]) { return nil }
            if let items, items.count == 2, !isLiteral(items[0]) {
                return "Fn::Join's delimiter must be a literal string, not \(describe(items[0]))"
            }
            return "Fn::Join takes [delimiter, [values]], not \(given)"
        case "Fn::GetAtt":
            if let text = argument.scalar, Intrinsic(argument) == nil {
                let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
                if parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty { return nil }
                return "Fn::GetAtt takes Resource.Attribute or [Resource, Attribute], not \(given)"
            }
            if let items, items.count == 2, isName(items[0]), items[1].scalar != nil || Intrinsic(items[1]) != nil { return nil }
            return "Fn::GetAtt takes Resource.Attribute or [Resource, Attribute], not \(given)"
        case "Fn::Select":
            guard let items, items.count == 2 else { return "Fn::Select takes [index, list], not \(given)" }
            if let index = items[0].scalar, Intrinsic(items[0]) == nil, Int(index.trimmingSpaces()) == nil {
                return "Fn::Select's index must be a whole number, not \(describe(items[0]))"
            }
            if items[0].scalar == nil && Intrinsic(items[0]) == nil {
                return "Fn::Select's index must be a whole number, not \(describe(items[0]))"
            }
            return isListOrCall(items[1]) ? nil : "Fn::Select's second item must be a list or a function returning one, not \(describe(items[1]))"
        case "Fn::If":
            if let items, items.count == 3, isLiteral(items[0]) { return nil }
            return "Fn::If takes [condition name, value if true, value if false], not \(given)"
        case "Fn::Equals":
            if let items, items.count == 2 { return nil }
            return "Fn::Equals takes a list of two values to compare, not \(given)"
        case "Fn::And", "Fn::Or":
            if let items, (2...10).contains(items.count) { return nil }
            return "\(call.name) takes a list of 2 to 10 conditions, not \(given)"
        case "Fn::Not":
            if let items, items.count == 1 { return nil }
            return "Fn::Not takes a list of exactly one condition, not \(given)"
        case "Fn::FindInMap":
            // The fourth item, {DefaultValue: …}, comes with AWS::LanguageExtensions.
            if let items, items.count == 3 || (items.count == 4 && scope.hasLanguageExtensions) { return nil }
            return "Fn::FindInMap takes [map name, top-level key, second-level key], not \(given)"
        case "Fn::Split":
            if let items, items.count == 2, isLiteral(items[0]) { return nil }
            return "Fn::Split takes [delimiter, string], not \(given)"
        case "Fn::GetAZs", "Fn::ImportValue", "Fn::Base64":
            if argument.scalar != nil || Intrinsic(argument) != nil { return nil }
            return "\(call.name) takes one value (a string or a function), not \(given)"
        case "Fn::Cidr":
            if let items, items.count == 3 { return nil }
            return "Fn::Cidr takes [IP block, count, bits per subnet], not \(given)"
        default:
            return nil
        }
    }

    /// What SAM turns each of its types into, under the same logical id: Fn::GetAtt on the
    /// SAM resource reads the generated resource's attributes.
    static let samGenerated: [String: String] = [
        "AWS::Serverless::Function": "AWS::Lambda::Function",
        "AWS::Serverless::Api": "AWS::ApiGateway::RestApi",
        "AWS::Serverless::HttpApi": "AWS::ApiGatewayV2::Api",
        "AWS::Serverless::WebSocketApi": "AWS::ApiGatewayV2::Api",
        "AWS::Serverless::SimpleTable": "AWS::DynamoDB::Table",
        "AWS::Serverless::StateMachine": "AWS::StepFunctions::StateMachine",
        "AWS::Serverless::LayerVersion": "AWS::Lambda::LayerVersion",
        "AWS::Serverless::Application": "AWS::CloudFormation::Stack",
        "AWS::Serverless::GraphQLApi": "AWS::AppSync::GraphQLApi",
        "AWS::Serverless::CapacityProvider": "AWS::Lambda::CapacityProvider",
    ]

    /// SAM's "referable properties" (`${Function.Alias}`, `!GetAtt Api.Stage.StageName`):
    /// names of resources SAM generates, resolved by the transform.
    static let samReferableProperties: Set<String> = [
        "Alias", "Version", "DestinationTopic", "DestinationQueue", "Stage", "Deployment", "DomainName",
    ]

    /// Whether `attribute` of a resource of `type` is known to be wrong: `nil` when the
    /// type's attributes are not known (an unknown type, a SAM type whose output we do not
    /// know, a SAM property reference such as `Function.Alias.Name`), else the catalog
    /// entry to suggest from.
    static func missingAttribute(_ attribute: String, of type: String) -> [String]? {
        guard let entry = ResourceCatalog.entry(for: type), !entry.hasAttribute(attribute) else { return nil }
        guard type.hasPrefix("AWS::Serverless::") else { return entry.allAttributes }
        // SAM resolves `Resource.Property.Attribute` to a resource it generates (Alias,
        // Version, Stage, DomainName, …) before CloudFormation sees it.
        guard !attribute.contains("."), !samReferableProperties.contains(attribute), let generated = samGenerated[type].flatMap(ResourceCatalog.entry(for:)),
              !generated.hasAttribute(attribute) else { return nil }
        return Set(entry.allAttributes + generated.allAttributes).sorted()
    }

    static func checkGetAtt(_ call: Intrinsic, _ scope: Scope, logicalId: String?, path: String, into report: inout Report) {
        // `getAttTarget` reads a short-form call's text as a name (`[Queue, !Ref Name]` gives
        // the attribute "Name"), so computed parts are set aside here.
        if let items = call.argument.items, items.contains(where: { Intrinsic($0) != nil }) { return }
        guard let target = call.getAttTarget, let attribute = target.attribute,
              let type = scope.template.resource(target.resource)?.type,
              let known = missingAttribute(attribute, of: type) else { return }
        let node = call.argument.items?.dropFirst().first ?? call.node
        report.add(getAttAttribute, attributeMessage(target.resource, type, attribute, known),
                   at: node, logicalId: logicalId, path: path)
    }

    static func checkSubAttributes(_ call: Intrinsic, _ scope: Scope, logicalId: String?, path: String, into report: inout Report) {
        let stringNode = call.argument.items?.first ?? call.argument
        guard let text = stringNode.scalar else { return }
        let local = Set((call.argument.items?.dropFirst().first?.pairs ?? []).compactMap(\.key.scalar))
        for variable in SubVariable.parse(text) {
            guard !local.contains(variable.name), !variable.name.hasPrefix("AWS::"),
                  let dot = variable.name.firstIndex(of: ".") else { continue }
            let resource = String(variable.name[..<dot])
            let attribute = String(variable.name[variable.name.index(after: dot)...])
            guard !local.contains(resource), !attribute.isEmpty, let type = scope.template.resource(resource)?.type,
                  let known = missingAttribute(attribute, of: type) else { continue }
            report.add(getAttAttribute, attributeMessage(resource, type, attribute, known) + " (in ${\(variable.name)})",
                       at: call.node, logicalId: logicalId, path: path)
        }
    }

    static func attributeMessage(_ resource: String, _ type: String, _ attribute: String, _ known: [String]) -> String {
        let fix: String
        let exact = known.filter { !$0.contains("*") }
        // `Arn` for `TopicArn`: a short generic name is often the suffix of the real one.
        let suffixed = exact.filter { $0.count > attribute.count && $0.lowercased().hasSuffix(attribute.lowercased()) }
        if let close = Suggestion.closest(to: attribute, in: exact) ?? (suffixed.count == 1 ? suffixed.first : nil) {
            fix = "did you mean '\(close)'?"
        } else if known.isEmpty {
            fix = "\(type) has no attributes; use Ref"
        } else if known.count <= 8 {
            fix = "it has \(known.joined(separator: ", "))"
        } else {
            fix = "see its documented return values"
        }
        return "'\(resource)' (\(type)) has no attribute '\(attribute)'; \(fix)"
    }
}
