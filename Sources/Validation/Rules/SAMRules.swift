import YAML

/// What the AWS SAM transform refuses before CloudFormation sees a resource: policy templates
/// (names, parameters), `Globals` sections and their keys, and `IgnoreGlobals`.
///
/// The data is the translator's own (`SAMCatalog`, generated from the aws-sam-translator that
/// aws-sam-cli pins), and each rule's findings are the cases the translator refuses
/// (`scripts/sam-translator-check.py` runs it over the test table). Policy documents
/// (`Statement`) are IAM's business, not this family's.
public struct SAMRules: RuleFamily {
    public static let family = Family.sam

    // MARK: Globals

    static let globalsSection = Rule(
        "sam-globals-section", .sam, .error, "A Globals section SAM does not know, or one that is not a mapping",
        "Globals holds one mapping per kind of SAM resource: Api, CapacityProvider, Function, HttpApi, LayerVersion, MicrovmImage, NetworkConnector, SimpleTable, StateMachine, WebSocketApi (aws-sam-translator \(SAMCatalog.translatorVersion)). The transform refuses the whole template on any other name ('Functions' is not supported), on a section that is empty or not a mapping, and on an empty Globals. Names are case sensitive: fix the spelling, or remove the section.")
    static let globalsKey = Rule(
        "sam-globals-key", .sam, .error, "A key a Globals section does not allow",
        "Each Globals section accepts only some of its resource type's properties: Globals.Function takes Runtime, Handler, Timeout, MemorySize, Environment, … but not Role, Policies, FunctionName or Events; Globals.Api does not take StageName. The transform refuses the template on any other key ('X is not a supported property of Function'), and keys are case sensitive. Fix the spelling, or set the property on each resource instead.")
    static let ignoreGlobals = Rule(
        "sam-ignore-globals", .sam, .error, "An IgnoreGlobals that names nothing the Globals section sets",
        "IgnoreGlobals on an AWS::Serverless resource is '*' (ignore every global) or a list of keys that the Globals section of its type sets; each key once. When the section exists, the transform refuses any other value ('invalid resource attribute IgnoreGlobals'): a key the section does not set, a key listed twice, or a single name not written as a list. Remove the key, or write it as the Globals section spells it.")

    // MARK: Policy templates

    static let policyTemplate = Rule(
        "sam-policy-template", .sam, .error, "A Policies entry names no SAM policy template",
        "A one-key mapping in the Policies of an AWS::Serverless::Function or StateMachine is a policy template: `- DynamoDBCrudPolicy: {TableName: !Ref Table}`. When the key is none of the \(SAMCatalog.policyTemplates.count) templates of aws-sam-translator \(SAMCatalog.translatorVersion), the transform refuses the template ('Policy at index 0 in the Policies property is not valid'). Names are case sensitive; the message suggests the closest one. An inline policy is a mapping with a Statement; a managed policy is a name or ARN string.")
    static let policyEntry = Rule(
        "sam-policy-entry", .sam, .error, "A Policies entry that is no policy SAM knows how to read",
        "SAM reads each entry of Policies as a managed policy (a name or ARN string, or an intrinsic function), an inline policy document (a mapping with Statement), or a policy template (a mapping with exactly one key, the template's name). A mapping with several keys and no Statement, an empty mapping, a number, a boolean, a list or an empty entry is none of these, and the transform refuses the template. Split a mapping that holds two templates into two list entries (each with its own '-').")
    static let policyTemplateValue = Rule(
        "sam-policy-template-value", .sam, .error, "A policy template given something other than a mapping of parameters",
        "A policy template takes its parameters as a mapping, `DynamoDBCrudPolicy: {TableName: chat}`; a template without parameters takes an empty one, `AMIDescribePolicy: {}`. The transform refuses an empty value, a string or a list ('Must specify valid parameter values for policy template'). Write the parameters as a mapping.")
    static let policyTemplateParameter = Rule(
        "sam-policy-template-parameter", .sam, .error, "A policy template without a parameter it needs",
        "Each policy template declares the parameters its statements use (DynamoDBCrudPolicy: TableName; SQSPollerPolicy: QueueName; …), and the transform refuses the template when one is missing ('Following required parameters of template ... don't have values'). An intrinsic function in place of the mapping (`DynamoDBCrudPolicy: !Ref Table`) is read as a mapping whose only key is the function's name, so it lacks them too. Add the parameter: `DynamoDBCrudPolicy: {TableName: !Ref Table}`.")
    static let policyTemplateUnknownParameter = Rule(
        "sam-policy-template-unknown-parameter", .sam, .warning, "A policy template parameter the template does not have",
        "The transform silently drops parameters a policy template does not declare, so the policy is built without them: a misspelled `TabelName` next to a right `TableName` is ignored, and an `IndexName` does not narrow DynamoDBCrudPolicy (it already grants on the table's indexes). Remove the key, or fix its spelling (the message suggests the closest parameter).")

    public static let rules: [Rule] = [
        globalsSection, globalsKey, ignoreGlobals,
        policyTemplate, policyEntry, policyTemplateValue, policyTemplateParameter, policyTemplateUnknownParameter,
    ]

    public init() {}

    public func check(_ context: ValidationContext, into report: inout Report) {
        let template = context.template
        // A template that declares AWS::Serverless resources is read as SAM would read it even
        // without the transform (whose absence is the template family's error); another macro
        // may rewrite what SAM will see.
        guard SAMImplicit.applies(to: template), !template.hasUnknownMacro else { return }
        let globals = checkGlobals(template, into: &report)
        for resource in template.resources {
            guard let type = resource.resourceType, type.hasPrefix("AWS::Serverless::") else { continue }
            let section = String(type.dropFirst("AWS::Serverless::".count))
            if let keys = globals[section], let pair = resource.value.pairs?.first(where: { $0.key.scalar == "IgnoreGlobals" }) {
                checkIgnoreGlobals(pair, section: section, keys: keys, resource, into: &report)
            }
            if type == "AWS::Serverless::Function" || type == "AWS::Serverless::StateMachine",
               let policies = resource.properties?["Policies"] {
                checkPolicies(policies, resource, into: &report)
            }
        }
    }
}

// MARK: - Globals

extension SAMRules {
    /// Reports the Globals section; returns the keys each readable section sets.
    func checkGlobals(_ template: SourceTemplate, into report: inout Report) -> [String: [String]] {
        guard let key = template.root.pairs?.first(where: { $0.key.scalar == "Globals" })?.key,
              let globals = template.root["Globals"] else { return [:] }
        if globals.isNull {
            report.add(Self.globalsSection, "Globals is empty; the SAM transform needs a mapping of sections (Function, Api, …): remove the key or add a section",
                       at: key, path: "Globals")
            return [:]
        }
        // Globals as a list or a value is template-section-not-mapping.
        guard let sections = globals.pairs else { return [:] }
        var set: [String: [String]] = [:]
        for section in sections {
            guard let name = section.key.scalar else { continue }
            let path = "Globals/\(name)"
            guard let allowed = SAMCatalog.globalsKeys(name) else {
                let hint = TemplateRules.Suggestion.closest(to: name, in: SAMCatalog.globalsSectionNames).map { "did you mean '\($0)'?" }
                    ?? "SAM has \(SAMCatalog.globalsSectionNames.joined(separator: ", "))"
                report.add(Self.globalsSection, "'\(name)' is not a Globals section; \(hint)", at: section.key, path: path)
                continue
            }
            guard let pairs = section.value.pairs else {
                let what = section.value.isNull ? "empty" : TemplateRules.describe(section.value)
                report.add(Self.globalsSection, "Globals section '\(name)' is \(what); SAM needs a mapping of \(name) properties",
                           at: section.value.isNull ? section.key : section.value, path: path)
                continue
            }
            var keys: [String] = []
            for pair in pairs {
                guard let property = pair.key.scalar else { continue }
                keys.append(property)
                if allowed.contains(property) { continue }
                report.add(Self.globalsKey, "'\(property)' is not a key Globals.\(name) allows; \(Self.globalsHint(property, section: name, allowed: allowed))",
                           at: pair.key, path: "\(path)/\(property)")
            }
            set[name] = keys
        }
        return set
    }

    /// What to do with a key a Globals section refuses.
    static func globalsHint(_ key: String, section: String, allowed: [String]) -> String {
        if section == "Function", ["Role", "Policies", "FunctionName", "Events"].contains(key) {
            return "SAM never applies \(key) globally, set it on each function"
        }
        if section == "Api", key == "StageName" {
            return "SAM never applies StageName globally, set it on each API"
        }
        if Intrinsic.knownNames.contains(key) {
            return "a Globals section is written out, SAM resolves no intrinsic function there"
        }
        if let close = TemplateRules.Suggestion.closest(to: key, in: allowed) { return "did you mean '\(close)'?" }
        return "set it on each resource instead"
    }

    func checkIgnoreGlobals(_ pair: Node.Pair, section: String, keys: [String], _ resource: SourceTemplate.Entry,
                            into report: inout Report) {
        let path = "Resources/\(resource.id)/IgnoreGlobals"
        let value = pair.value
        // '*', an empty string, nothing and an empty list all leave the translator content.
        if value.isNull || (Intrinsic(value) == nil && (value.scalar == "*" || value.scalar == "" || value.items?.isEmpty == true)) {
            return
        }
        guard let items = value.items, Intrinsic(value) == nil else {
            let hint = value.scalar.map { "; write `IgnoreGlobals: [\($0)]`" } ?? ""
            report.add(Self.ignoreGlobals, "IgnoreGlobals of '\(resource.id)' is \(TemplateRules.describe(value)); SAM takes '*' or a list of Globals.\(section) keys\(hint)",
                       at: value, logicalId: resource.id, path: path)
            return
        }
        var seen: Set<String> = []
        for (index, item) in items.enumerated() {
            let name = literalText(item)
            guard let name, keys.contains(name), seen.insert(name).inserted else {
                let what = name.map { "'\($0)'" } ?? TemplateRules.describe(item)
                let problem: String
                if let name, seen.contains(name) {
                    problem = "is listed twice; list each key once"
                } else {
                    let close = name.flatMap { TemplateRules.Suggestion.closest(to: $0, in: keys) }.map { "; did you mean '\($0)'?" } ?? ""
                    let set = keys.isEmpty ? "sets nothing" : "sets only \(keys.joined(separator: ", "))"
                    problem = "is not a key Globals.\(section) sets (it \(set))\(close)"
                }
                report.add(Self.ignoreGlobals, "\(what) in IgnoreGlobals of '\(resource.id)' \(problem)",
                           at: item, logicalId: resource.id, path: "\(path)/\(index)")
                continue
            }
        }
    }
}

// MARK: - Policies

extension SAMRules {
    func checkPolicies(_ policies: Node, _ resource: SourceTemplate.Entry, into report: inout Report) {
        let base = "Resources/\(resource.id)/Properties/Policies"
        if let items = policies.items, Intrinsic(policies) == nil {
            for (index, item) in items.enumerated() {
                checkPolicy(item, index: index, path: "\(base)/\(index)", resource, into: &report)
            }
        } else if policies.pairs != nil, Intrinsic(policies) == nil {
            // A single mapping stands for a one-item list.
            checkPolicy(policies, index: 0, path: base, resource, into: &report)
        }
    }

    /// One entry of Policies, as the translator classifies it; an `Fn::If` is both of its
    /// branches (an `AWS::NoValue` branch dropped).
    func checkPolicy(_ entry: Node, index: Int, path: String, _ resource: SourceTemplate.Entry, into report: inout Report) {
        if let call = Intrinsic(entry) {
            guard call.name == "Fn::If", let branches = call.argument.items, branches.count == 3 else { return }
            for branch in [1, 2] where !Self.isNoValue(branches[branch]) {
                checkPolicy(branches[branch], index: index, path: "\(path)/Fn::If/\(branch)", resource, into: &report)
            }
            return
        }
        let owner = "policy \(index) of '\(resource.id)'"
        switch entry.kind {
        case .scalar(let text, let style):
            // A string is a managed policy name or ARN; what else SAM's type check refuses:
            // an empty entry, and a number or boolean that every YAML reader reads as one.
            let isNumber = !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber }
            let isBoolean = ["true", "false"].contains(text.lowercased())
            if entry.isNull || (entry.tag == nil && style == .plain && (isNumber || isBoolean)) {
                let what = entry.isNull ? "empty" : "'\(text)', not a string"
                report.add(Self.policyEntry, "\(owner) is \(what); write a managed policy name or ARN, a policy template or a policy document",
                           at: entry, logicalId: resource.id, path: path)
            }
        case .sequence:
            report.add(Self.policyEntry, "\(owner) is a list inside the list of Policies; write its entries one level up",
                       at: entry, logicalId: resource.id, path: path)
        case .mapping(let pairs, _):
            if entry["Statement"] != nil { return }  // an inline policy document: the iam family's
            guard pairs.count == 1, let name = pairs[0].key.scalar else {
                let keys = pairs.compactMap(\.key.scalar)
                let fix = keys.contains("PolicyDocument")
                    ? "SAM takes the document itself, write its Version and Statement here without PolicyName and PolicyDocument"
                    : "give each template its own '-' entry"
                let message = keys.isEmpty
                    ? "\(owner) is an empty mapping; write a policy template (`DynamoDBCrudPolicy: {TableName: …}`) or a policy document with a Statement"
                    : "\(owner) holds \(keys.map { "'\($0)'" }.joined(separator: ", ")) but no Statement: it is neither a policy document nor a policy template (one key); \(fix)"
                report.add(Self.policyEntry, message, at: entry, logicalId: resource.id, path: path)
                return
            }
            // The translator treats a one-key mapping of Ref, Condition or Fn::… as a function.
            if name == "Ref" || name == "Condition" || name.hasPrefix("Fn::") { return }
            checkTemplate(name, key: pairs[0].key, value: pairs[0].value, owner: owner, path: "\(path)/\(name)", resource, into: &report)
        }
    }

    func checkTemplate(_ name: String, key: Node, value: Node, owner: String, path: String, _ resource: SourceTemplate.Entry,
                       into report: inout Report) {
        guard let required = SAMCatalog.parameters(ofPolicyTemplate: name) else {
            let hint = TemplateRules.Suggestion.closest(to: name, in: SAMCatalog.policyTemplateNames).map { "; did you mean \($0)?" }
                ?? "; an inline policy needs a Statement, a managed policy is a name or ARN string"
            report.add(Self.policyTemplate, "'\(name)' is not a SAM policy template\(hint)", at: key, logicalId: resource.id, path: path)
            return
        }
        // An intrinsic function in place of the parameters is a mapping to the translator,
        // whose one key is the function's name.
        let given: [(name: String, key: Node)]
        if let call = Intrinsic(value) {
            given = [(call.name, value)]
        } else if let pairs = value.pairs {
            given = pairs.compactMap { pair in pair.key.scalar.map { ($0, pair.key) } }
        } else {
            let what = value.isNull ? "no parameters" : TemplateRules.describe(value)
            let example = required.isEmpty ? "`\(name): {}`" : "`\(name): {\(required.map { "\($0): …" }.joined(separator: ", "))}`"
            report.add(Self.policyTemplateValue, "policy template \(name) is given \(what); write its parameters as a mapping, \(example)",
                       at: value.isNull ? key : value, logicalId: resource.id, path: path)
            return
        }
        let names = Set(given.map(\.name))
        let missing = required.filter { !names.contains($0) }
        if !missing.isEmpty {
            var message = "policy template \(name) needs \(missing.joined(separator: ", ")), which \(owner) does not give"
            if let call = Intrinsic(value) {
                message += "; SAM reads the \(call.name) here as a parameter named \(call.name), write `\(name): {\(missing[0]): …}`"
            }
            report.add(Self.policyTemplateParameter, message, at: key, logicalId: resource.id, path: path)
        }
        if Intrinsic(value) != nil { return }
        for parameter in given where !required.contains(parameter.name) {
            let close = TemplateRules.Suggestion.closest(to: parameter.name, in: required).map { "did you mean \($0)?" }
            let takes = required.isEmpty ? "it takes none" : "it takes \(required.joined(separator: ", "))"
            report.add(Self.policyTemplateUnknownParameter,
                       "\(name) has no parameter '\(parameter.name)', SAM drops it; \(close ?? takes)",
                       at: parameter.key, logicalId: resource.id, path: "\(path)/\(parameter.name)")
        }
    }

    /// `!Ref AWS::NoValue`.
    static func isNoValue(_ node: Node) -> Bool {
        guard let call = Intrinsic(node) else { return false }
        return call.name == "Ref" && call.argument.scalar == "AWS::NoValue"
    }
}
