import YAML

/// What the AWS SAM transform refuses before CloudFormation sees a resource: policy templates
/// (names, parameters), `Globals` sections and their keys, `IgnoreGlobals`, the properties of
/// AWS::Serverless resources and of their event sources.
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
        "SAM reads each entry of Policies as a managed policy (a name or ARN string, or an intrinsic function), an inline policy document (a mapping with Statement), or a policy template (a mapping with exactly one key, the template's name). A mapping with several keys and no Statement, an empty mapping, a number, a boolean, a list or an empty entry is none of these, and the transform refuses the template; so is an Fn::If whose branches are of two kinds. Split a mapping that holds two templates into two list entries (each with its own '-'), and an Fn::If over two kinds into two.")
    static let policyTemplateValue = Rule(
        "sam-policy-template-value", .sam, .error, "A policy template given something other than a mapping of parameters",
        "A policy template takes its parameters as a mapping, `DynamoDBCrudPolicy: {TableName: chat}`; a template without parameters takes an empty one, `AMIDescribePolicy: {}`. The transform refuses an empty value, a string or a list ('Must specify valid parameter values for policy template'). Write the parameters as a mapping.")
    static let policyTemplateParameter = Rule(
        "sam-policy-template-parameter", .sam, .error, "A policy template without a parameter it needs",
        "Each policy template declares the parameters its statements use (DynamoDBCrudPolicy: TableName; SQSPollerPolicy: QueueName; …), and the transform refuses the template when one is missing ('Following required parameters of template ... don't have values'). An intrinsic function in place of the mapping (`DynamoDBCrudPolicy: !Ref Table`) is read as a mapping whose only key is the function's name, so it lacks them too. Add the parameter: `DynamoDBCrudPolicy: {TableName: !Ref Table}`.")
    static let policyTemplateUnknownParameter = Rule(
        "sam-policy-template-unknown-parameter", .sam, .warning, "A policy template parameter the template does not have",
        "The transform silently drops parameters a policy template does not declare, so the policy is built without them: a misspelled `TabelName` next to a right `TableName` is ignored, and an `IndexName` does not narrow DynamoDBCrudPolicy (it already grants on the table's indexes). Remove the key, or fix its spelling (the message suggests the closest parameter).")

    static let policiesIgnored = Rule(
        "sam-policies-ignored", .sam, .warning, "Policies on a function that names its own Role",
        "SAM builds an execution role from a function's Policies only when the function has no Role. With a Role (an ARN, a Ref or a GetAtt) the transform accepts the template and drops the role it would have built: the Policies grant nothing, and the function runs with whatever the named role allows. Attach the statements to that role, or remove Role and let SAM build one. (A Role chosen with Fn::If is not reported: SAM builds its role for the branch that needs one.)")
    static let stateMachineRoleAndPolicies = Rule(
        "sam-state-machine-role-policies", .sam, .error, "A state machine with both Role and Policies",
        "An AWS::Serverless::StateMachine takes either a Role or Policies from which SAM builds one, not both: the transform refuses the template ('Specify either Role or Policies (but not both at the same time) or neither of them'). Remove one: attach the statements to the role, or drop Role.")

    // MARK: Resources and events

    static let resourceProperty = Rule(
        "sam-resource-property", .sam, .error, "A property an AWS::Serverless resource does not have",
        "The SAM transform reads each AWS::Serverless type's properties from a fixed list and refuses the template on any other ('property Runtme not defined for resource of type AWS::Serverless::Function'), before CloudFormation sees anything. Names are case sensitive; the message suggests the closest property. A setting of the generated resources that SAM does not expose goes on the resource through a Connector, an Fn::Transform, or a plain CloudFormation resource instead.")
    static let resourceRequired = Rule(
        "sam-resource-required", .sam, .error, "An AWS::Serverless resource without a property SAM requires",
        "Some AWS::Serverless types cannot be built without certain properties (an Api's StageName, a LayerVersion's ContentUri, a Connector's Source, Destination and Permissions, a WebSocketApi's Routes and RouteSelectionExpression, …), and the transform refuses the template without them ('Missing required property'). A property the Globals section sets for the type counts as given. Add the property.")
    static let eventType = Rule(
        "sam-event-type", .sam, .error, "An event source type SAM does not know",
        "Each entry of a function's or state machine's Events has a Type naming the event source: Api, HttpApi, SQS, SNS, S3, Schedule, ScheduleV2, DynamoDB, Kinesis, EventBridgeRule, … for functions; Api, Schedule, ScheduleV2, CloudWatchEvent, EventBridgeRule for state machines. The transform refuses any other value, a missing Type, or one given by an intrinsic function ('Event Type is: Apii'). Names are case sensitive; the message suggests the closest one.")
    static let eventProperty = Rule(
        "sam-event-property", .sam, .error, "A property an event source does not have",
        "Each event source type reads its Properties from a fixed list (an SQS event: Queue, BatchSize, Enabled, FilterCriteria, …) and the transform refuses the template on any other ('property Queu not defined for resource of type SQS'). Names are case sensitive; the message suggests the closest property.")

    static let eventRequired = Rule(
        "sam-event-required", .sam, .error, "An event source without a property SAM requires",
        "Some event sources cannot be built without certain properties (an SQS event's Queue; a Kinesis or DynamoDB event's Stream and StartingPosition; an MQ event's Broker; an Api event's Path and Method; an S3 event's Bucket and Events; a Schedule's Schedule; …), and the transform refuses the template without them ('Missing required property'). An Api event without RestApiId is not reported: SAM then attaches it to the implicit ServerlessRestApi. Add the property.")

    static let functionRuntime = Rule(
        "sam-function-runtime", .sam, .error, "A zip function without Runtime or Handler",
        "An AWS::Serverless::Function packaged as a zip (PackageType Zip, the default, including InlineCode) needs a Runtime and a Handler, set on the function or in Globals.Function (and not dropped by its IgnoreGlobals); the transform refuses the template otherwise ('Runtime and Handler needs to be present when PackageType is of type Zip'). An empty value counts as none. Add the missing one, or set PackageType: Image for a container image.")

    static let deploymentPreference = Rule(
        "sam-deployment-preference", .sam, .error, "A DeploymentPreference SAM cannot build",
        "A function's DeploymentPreference (its own, merged over Globals.Function's) makes SAM create a CodeDeploy deployment group that shifts traffic between versions of an alias: unless it says Enabled: false, it needs an AutoPublishAlias on the function (or in Globals), a Type (AllAtOnce, Canary10Percent5Minutes, Linear10PercentEvery1Minute, …), and Hooks, when given, as a mapping. The transform refuses the template otherwise ('DeploymentPreference' requires AutoPublishAlias property to be specified; 'DeploymentPreference' is missing required Property 'Type'; 'Hooks' property of 'DeploymentPreference' must be a dictionary). Add AutoPublishAlias: live and the Type, or remove DeploymentPreference.")

    public static let rules: [Rule] = [
        globalsSection, globalsKey, ignoreGlobals,
        policyTemplate, policyEntry, policyTemplateValue, policyTemplateParameter, policyTemplateUnknownParameter,
        policiesIgnored, stateMachineRoleAndPolicies,
        resourceProperty, resourceRequired, eventType, eventProperty, eventRequired, functionRuntime, deploymentPreference,
    ]

    public init() {}

    public func check(_ context: ValidationContext, into report: inout Report) {
        let template = context.template
        // A template that declares AWS::Serverless resources is read as SAM would read it even
        // without the transform (whose absence is the template family's error); another macro
        // may rewrite what SAM will see.
        guard SAMImplicit.applies(to: template), !template.hasUnknownMacro else { return }
        let (globals, globalsRead) = checkGlobals(template, into: &report)
        for resource in template.resources {
            guard let type = resource.resourceType, type.hasPrefix("AWS::Serverless::") else { continue }
            let section = String(type.dropFirst("AWS::Serverless::".count))
            if let keys = globals[section], let pair = resource.value.pairs?.first(where: { $0.key.scalar == "IgnoreGlobals" }) {
                checkIgnoreGlobals(pair, section: section, keys: keys, resource, into: &report)
            }
            // What a Globals section SAM refuses was meant to give is not known: what a resource
            // lacks is then not reported (the Globals finding says what to fix first).
            let applied = globalsRead ? Self.appliedGlobals(globals[section] ?? [], to: resource) : nil
            if let shape = SAMCatalog.shape(of: type) {
                checkProperties(resource, type: type, shape: shape, globals: applied, into: &report)
            }
            if type == "AWS::Serverless::Function", let applied {
                checkRuntimeAndHandler(resource, globals: applied, into: &report)
                checkDeploymentPreference(resource, globals: applied, template, into: &report)
            }
            if let events = SAMCatalog.events(of: section), let node = resource.properties?["Events"] {
                checkEvents(node, owner: section, types: events, resource, into: &report)
            }
            if type == "AWS::Serverless::Function" || type == "AWS::Serverless::StateMachine",
               let policies = resource.properties?["Policies"] {
                checkPolicies(policies, resource, into: &report)
                checkRoleAndPolicies(resource, isFunction: type == "AWS::Serverless::Function", into: &report)
            }
        }
    }
}

// MARK: - Globals

extension SAMRules {
    /// Reports the Globals section; returns the keys each readable section sets, and whether
    /// every section could be read (SAM refuses the template otherwise).
    func checkGlobals(_ template: SourceTemplate, into report: inout Report) -> (sections: [String: [String]], read: Bool) {
        guard let key = template.root.pairs?.first(where: { $0.key.scalar == "Globals" })?.key,
              let globals = template.root["Globals"] else { return ([:], true) }
        if globals.isNull {
            report.add(Self.globalsSection, "Globals is empty; the SAM transform needs a mapping of sections (Function, Api, …): remove the key or add a section",
                       at: key, path: "Globals")
            return ([:], false)
        }
        // Globals as a list or a value is template-section-not-mapping.
        guard let sections = globals.pairs else { return ([:], false) }
        var set: [String: [String]] = [:]
        var read = true
        for section in sections {
            guard let name = section.key.scalar else { continue }
            let path = "Globals/\(name)"
            guard let allowed = SAMCatalog.globalsKeys(name) else {
                let hint = TemplateRules.Suggestion.closest(to: name, in: SAMCatalog.globalsSectionNames).map { "did you mean '\($0)'?" }
                    ?? "SAM has \(SAMCatalog.globalsSectionNames.joined(separator: ", "))"
                report.add(Self.globalsSection, "'\(name)' is not a Globals section; \(hint)", at: section.key, path: path)
                read = false
                continue
            }
            guard let pairs = section.value.pairs else {
                let what = section.value.isNull ? "empty" : TemplateRules.describe(section.value)
                report.add(Self.globalsSection, "Globals section '\(name)' is \(what); SAM needs a mapping of \(name) properties",
                           at: section.value.isNull ? section.key : section.value, path: path)
                read = false
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
        return (set, read)
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
            for branch in [1, 2] where !Intrinsic.isNoValue(branches[branch]) {
                checkPolicy(branches[branch], index: index, path: "\(path)/Fn::If/\(branch)", resource, into: &report)
            }
            // The translator gives the whole Fn::If one kind and refuses two different ones.
            if let first = Self.policyKind(branches[1]), let second = Self.policyKind(branches[2]), first != second {
                report.add(Self.policyEntry, "policy \(index) of '\(resource.id)' chooses between \(first) and \(second); SAM takes one kind of policy per Fn::If, so split it into two Fn::If entries",
                           at: entry, logicalId: resource.id, path: path)
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
                let message = pairs.isEmpty
                    ? "\(owner) is an empty mapping; write a policy template (`DynamoDBCrudPolicy: {TableName: …}`) or a policy document with a Statement"
                    : keys.isEmpty
                    ? "\(owner) is keyed by something other than a name; write a policy template (`DynamoDBCrudPolicy: {TableName: …}`) or a policy document with a Statement"
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

    /// Policies beside a Role: dropped on a function, refused on a state machine.
    func checkRoleAndPolicies(_ resource: SourceTemplate.Entry, isFunction: Bool, into report: inout Report) {
        guard let properties = resource.properties?.pairs,
              let role = properties.first(where: { $0.key.scalar == "Role" })?.value,
              let policies = properties.first(where: { $0.key.scalar == "Policies" }) else { return }
        // What the translator counts as given: a non-empty value (a list with items).
        func empty(_ node: Node) -> Bool { node.isNull || literalText(node) == "" || (Intrinsic(node) == nil && node.items?.isEmpty == true) }
        guard !empty(role), !empty(policies.value) else { return }
        let path = "Resources/\(resource.id)/Properties/Policies"
        if isFunction {
            // With Fn::If SAM builds its role for the branch that has none.
            if Intrinsic(role)?.name == "Fn::If" { return }
            report.add(Self.policiesIgnored, "function '\(resource.id)' names its Role, so SAM builds no role from these Policies and they grant nothing; attach them to the role, or remove Role",
                       at: policies.key, logicalId: resource.id, path: path)
        } else {
            report.add(Self.stateMachineRoleAndPolicies, "state machine '\(resource.id)' has both Role and Policies; SAM takes one or the other, so attach the statements to the role or remove Role",
                       at: policies.key, logicalId: resource.id, path: path)
        }
    }

    /// What the translator reads a policy entry as, for an Fn::If branch: `nil` for
    /// AWS::NoValue, a nested Fn::If, and entries of no kind (reported on their own).
    static func policyKind(_ node: Node) -> String? {
        if let call = Intrinsic(node) {
            return call.name == "Fn::If" || Intrinsic.isNoValue(node) ? nil : "a managed policy"
        }
        if literalText(node) != nil && !node.isNull { return "a managed policy" }
        guard let pairs = node.pairs else { return nil }
        if node["Statement"] != nil { return "a policy document" }
        guard pairs.count == 1, let name = pairs[0].key.scalar, SAMCatalog.parameters(ofPolicyTemplate: name) != nil else { return nil }
        return "a policy template"
    }

}

// MARK: - Resource properties and events

extension SAMRules {
    /// `globals`: the keys the type's Globals section gives the resource; `nil` when Globals
    /// could not be read, so that what the resource lacks is unknown.
    func checkProperties(_ resource: SourceTemplate.Entry, type: String, shape: SAMResourceShape, globals: [String]?,
                         into report: inout Report) {
        let base = "Resources/\(resource.id)/Properties"
        let properties = resource.properties
        // Properties that are not a mapping (an empty one included) are refused as a whole; what an
        // intrinsic yields is unknown.
        if let properties, properties.pairs == nil { return }
        let pairs = properties?.pairs ?? []
        // An AWS::Include snippet (Fn::Transform) may bring any property, required ones included.
        if pairs.contains(where: { $0.key.scalar == "Fn::Transform" }) { return }
        if shape.closed {
            for pair in pairs {
                guard let name = pair.key.scalar, !shape.properties.contains(name) else { continue }
                let hint = TemplateRules.Suggestion.closest(to: name, in: shape.properties).map { "did you mean '\($0)'?" }
                    ?? (TemplateRules.resourceAttributes.contains(name) ? "\(name) is a resource attribute, write it beside Properties"
                        : "SAM reads only the properties it documents for \(type)")
                report.add(Self.resourceProperty, "'\(name)' is not a property of \(type) '\(resource.id)'; \(hint)",
                           at: pair.key, logicalId: resource.id, path: "\(base)/\(name)")
            }
        }
        guard let globals else { return }
        let given = Set(pairs.compactMap { pair in pair.value.isNull ? nil : pair.key.scalar })
        let missing = shape.required.filter { !given.contains($0) && !globals.contains($0) }
        if !missing.isEmpty {
            let at = resource.value.pairs?.first { $0.key.scalar == "Properties" }?.key ?? resource.key
            let names = missing.map { "'\($0)'" }.joined(separator: ", ")
            report.add(Self.resourceRequired, "\(type) '\(resource.id)' has no \(names); SAM cannot build it without \(missing.count == 1 ? "it" : "them")",
                       at: at, logicalId: resource.id, path: properties == nil ? "Resources/\(resource.id)" : base)
        }
    }

    func checkEvents(_ events: Node, owner: String, types: [String: SAMResourceShape], _ resource: SourceTemplate.Entry,
                     into report: inout Report) {
        guard let entries = events.pairs, Intrinsic(events) == nil else { return }
        let names = types.keys.sorted()
        for entry in entries {
            guard let id = entry.key.scalar, entry.value.pairs != nil, Intrinsic(entry.value) == nil else { continue }
            let path = "Resources/\(resource.id)/Properties/Events/\(id)"
            guard let typeNode = entry.value["Type"], let type = literalText(typeNode) else {
                let problem = entry.value["Type"].map { "its Type is \(TemplateRules.describe($0)); write the event source's name" }
                    ?? "it has no Type; add one such as `Type: SQS`"
                report.add(Self.eventType, "event '\(id)' of '\(resource.id)': \(problem)",
                           at: entry.value["Type"] ?? entry.key, logicalId: resource.id, path: "\(path)/Type")
                continue
            }
            guard let shape = types[type] else {
                let hint = TemplateRules.Suggestion.closest(to: type, in: names).map { "did you mean '\($0)'?" }
                    ?? "a \(owner == "StateMachine" ? "state machine" : "function") takes \(names.joined(separator: ", "))"
                report.add(Self.eventType, "'\(type)' is not an event source type of AWS::Serverless::\(owner) '\(resource.id)'; \(hint)",
                           at: typeNode, logicalId: resource.id, path: "\(path)/Type")
                continue
            }
            let propertiesKey = entry.value.pairs?.first { $0.key.scalar == "Properties" }
            // Properties that are not a mapping are refused as a whole (another message), and what
            // an intrinsic yields is unknown.
            if let node = propertiesKey?.value, !node.isNull, node.pairs == nil || Intrinsic(node) != nil { continue }
            let given = propertiesKey?.value.pairs ?? []
            if given.contains(where: { $0.key.scalar == "Fn::Transform" }) { continue }  // an AWS::Include snippet
            if shape.closed {
                for pair in given {
                    guard let name = pair.key.scalar, !shape.properties.contains(name) else { continue }
                    let hint = TemplateRules.Suggestion.closest(to: name, in: shape.properties).map { "did you mean '\($0)'?" }
                        ?? "a \(type) event takes \(shape.properties.joined(separator: ", "))"
                    report.add(Self.eventProperty, "'\(name)' is not a property of \(type) event '\(id)' of '\(resource.id)'; \(hint)",
                               at: pair.key, logicalId: resource.id, path: "\(path)/Properties/\(name)")
                }
            }
            let present = Set(given.compactMap { pair in pair.value.isNull ? nil : pair.key.scalar })
            // SAM's implicit API plugin gives an Api event without RestApiId the ServerlessRestApi.
            let missing = shape.required.filter { !present.contains($0) && !(type == "Api" && $0 == "RestApiId") }
            if !missing.isEmpty {
                let names = missing.map { "'\($0)'" }.joined(separator: ", ")
                report.add(Self.eventRequired, "\(type) event '\(id)' of '\(resource.id)' has no \(names); SAM cannot build it without \(missing.count == 1 ? "it" : "them")",
                           at: propertiesKey?.key ?? entry.key, logicalId: resource.id, path: "\(path)/Properties")
            }
        }
    }
}

// MARK: - What Globals gives a resource, and zip functions

extension SAMRules {
    /// The keys of the resource type's Globals section that reach `resource`: all of them but
    /// those its IgnoreGlobals drops ('*' drops every one).
    static func appliedGlobals(_ keys: [String], to resource: SourceTemplate.Entry) -> [String] {
        guard let ignore = resource.value["IgnoreGlobals"], !ignore.isNull, Intrinsic(ignore) == nil else { return keys }
        if ignore.scalar == "*" { return [] }
        let dropped = Set((ignore.items ?? []).compactMap(literalText))
        return keys.filter { !dropped.contains($0) }
    }

    func checkRuntimeAndHandler(_ resource: SourceTemplate.Entry, globals: [String], into report: inout Report) {
        let properties = resource.properties
        // Properties that are not a mapping (an empty one included) are refused as a whole.
        if let properties, properties.pairs == nil { return }
        // A PackageType written as an intrinsic is not known here; Image needs neither.
        if let packageType = properties?["PackageType"], !packageType.isNull, literalText(packageType) != "Zip" { return }
        // An ImageUri without PackageType is an image meant; the translator refuses it for that
        // (with a message about code), not for a missing Runtime, so this rule says nothing.
        if properties?["PackageType"] == nil, properties?["ImageUri"] != nil || properties?["ImageConfig"] != nil { return }
        if properties?["Fn::Transform"] != nil { return }  // an AWS::Include snippet may bring both
        func given(_ key: String) -> Bool {
            guard let node = properties?[key] else { return globals.contains(key) }
            return !(node.isNull || literalText(node) == "")
        }
        let missing = ["Runtime", "Handler"].filter { !given($0) }
        guard !missing.isEmpty else { return }
        let at = resource.value.pairs?.first { $0.key.scalar == "Properties" }?.key ?? resource.key
        report.add(Self.functionRuntime, "function '\(resource.id)' has no \(missing.joined(separator: " and ")); a zip function needs Runtime and Handler, on the function or in Globals.Function",
                   at: at, logicalId: resource.id, path: properties == nil ? "Resources/\(resource.id)" : "Resources/\(resource.id)/Properties")
    }
}

// MARK: - Deployment preferences

extension SAMRules {
    /// A DeploymentPreference that is enabled needs an AutoPublishAlias and a Type, read the
    /// way the translator reads them: the function's keys over Globals.Function's.
    func checkDeploymentPreference(_ resource: SourceTemplate.Entry, globals: [String], _ template: SourceTemplate,
                                   into report: inout Report) {
        let properties = resource.properties
        let global = template.root["Globals"]?["Function"]
        let own = properties?["DeploymentPreference"]
        let inherited = globals.contains("DeploymentPreference") ? global?["DeploymentPreference"] : nil
        guard let site = own ?? inherited else { return }
        // An intrinsic (or anything but a mapping) is resolved by the translator against
        // parameter values this check does not know.
        for part in [own, inherited].compactMap({ $0 }) where part.pairs == nil || Intrinsic(part) != nil { return }
        func value(_ key: String) -> Node? { own?[key] ?? inherited?[key] }
        // The translator treats the preference as disabled for a false Enabled (the bool, or
        // the strings "false"/"False"): only a literal true, or no Enabled at all, is certain.
        if let enabled = value("Enabled") {
            guard enabled.tag == nil, case .scalar(let text, .plain) = enabled.kind,
                  ["true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"].contains(text) else { return }
        }
        func given(_ node: Node?) -> Bool { node.map { !($0.isNull || literalText($0) == "") } ?? false }
        let alias = given(properties?["AutoPublishAlias"])
            || (properties?["AutoPublishAlias"] == nil && globals.contains("AutoPublishAlias") && given(global?["AutoPublishAlias"]))
        let path = own == nil ? "Globals/Function/DeploymentPreference" : "Resources/\(resource.id)/Properties/DeploymentPreference"
        let key = (own == nil ? global : properties)?.pairs?.first { $0.key.scalar == "DeploymentPreference" }?.key ?? site
        // The translator reads the preference itself first (Type, then Hooks), then looks for
        // the alias: each is its own refusal, so each is reported.
        if value("Type") == nil {
            report.add(Self.deploymentPreference,
                       "function '\(resource.id)' has a DeploymentPreference without Type; add one (AllAtOnce, Canary10Percent5Minutes, Linear10PercentEvery1Minute, …)",
                       at: key, logicalId: resource.id, path: path)
        } else if let hooks = value("Hooks"), !hooks.isNull, hooks.pairs == nil, Intrinsic(hooks) == nil {
            report.add(Self.deploymentPreference,
                       "the Hooks of function '\(resource.id)''s DeploymentPreference is \(TemplateRules.describe(hooks)), not a mapping; write `Hooks: {PreTraffic: …, PostTraffic: …}`",
                       at: hooks, logicalId: resource.id, path: path + "/Hooks")
        }
        if !alias {
            report.add(Self.deploymentPreference,
                       "function '\(resource.id)' has a DeploymentPreference but no AutoPublishAlias, so SAM has no alias to shift traffic on; add AutoPublishAlias (e.g. live) or remove the preference",
                       at: key, logicalId: resource.id, path: path)
        }
    }
}
