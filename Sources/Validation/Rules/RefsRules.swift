import YAML

/// Every name a template uses is declared (SAM's implicit resources count as declared in SAM
/// templates); no circular dependencies; nothing declared goes unused.
public struct RefsRules: RuleFamily {
    public static let family = Family.refs

    static let undefinedRef = Rule(
        "refs-undefined-ref", .refs, .error, "A Ref names no parameter, resource or pseudo parameter",
        "CloudFormation rejects the template (\"Unresolved resource dependencies … in the Resources block\") when a Ref names something the template does not declare. A Ref may name a parameter, a resource, or a pseudo parameter (AWS::AccountId, AWS::NotificationARNs, AWS::NoValue, AWS::Partition, AWS::Region, AWS::StackId, AWS::StackName, AWS::URLSuffix); in a SAM template also the resources SAM creates (a function's Role, ServerlessRestApi, …) and the forms SAM resolves (F.Alias, F.Version, Api.Stage, …). A Ref cannot read an attribute: use !GetAtt Resource.Attribute. Fix the spelling, or declare what is missing.")
    static let undefinedGetAtt = Rule(
        "refs-undefined-getatt", .refs, .error, "Fn::GetAtt reads a resource that is not declared",
        "Fn::GetAtt reads an attribute of a resource of this template; naming anything else fails the deploy (\"Template error: instance of Fn::GetAtt references undefined resource\"). Parameters have no attributes: use !Ref for their value. In a SAM template the resources SAM creates (FRole, ServerlessRestApi, …) may be read too. Whether the attribute exists is checked by the template family.")
    static let undefinedSub = Rule(
        "refs-undefined-sub", .refs, .error, "A ${Name} in Fn::Sub names nothing declared",
        "Every ${Name} in an Fn::Sub string must be a key of the Sub's own variable map, a parameter, a resource, a pseudo parameter (${AWS::Region}), or ${Resource.Attribute} of a declared resource; otherwise CloudFormation rejects the template. Text meant literally is written ${!Text}. Fix the name, declare it, or add it to the variable map.")
    static let undefinedDependsOn = Rule(
        "refs-undefined-depends-on", .refs, .error, "DependsOn names a resource that is not declared",
        "DependsOn may only name resources of the same template; an unknown name fails the deploy (\"Template format error: Unresolved resource dependencies\"). In a SAM template the resources SAM creates may be named too. Fix the spelling or remove the entry.")
    static let dependsOnSelf = Rule(
        "refs-depends-on-self", .refs, .error, "A resource depends on itself",
        "A resource that lists itself in DependsOn can never be created: CloudFormation reports a circular dependency. Remove its own id from DependsOn.")
    static let undefinedCondition = Rule(
        "refs-undefined-condition", .refs, .error, "A condition name that is not declared",
        "A resource's or output's Condition, the first argument of Fn::If, and a Condition inside another condition must name an entry of the Conditions section; CloudFormation rejects the template otherwise. Fix the spelling or declare the condition.")
    static let undefinedMapping = Rule(
        "refs-undefined-mapping", .refs, .error, "Fn::FindInMap names a mapping that is not declared",
        "The first argument of Fn::FindInMap must name an entry of the Mappings section; CloudFormation rejects the template otherwise. Fix the spelling or declare the mapping.")
    static let undefinedMappingKey = Rule(
        "refs-undefined-mapping-key", .refs, .error, "Fn::FindInMap looks up a key its mapping does not have",
        "When the keys of Fn::FindInMap are written literally, CloudFormation looks them up when it processes the template and fails when the mapping has no such top-level or second-level key. Add the key to the mapping, fix the spelling, or (with the AWS::LanguageExtensions transform) give a DefaultValue.")
    static let conditionResource = Rule(
        "refs-condition-resource", .refs, .error, "A condition or rule refers to a resource",
        "Conditions (and Rules) are evaluated before any resource exists, so they may refer to parameters and pseudo parameters only; a Ref or ${} to a resource fails the deploy. Compare a parameter instead, or move the logic into the resource with Fn::If.")
    static let cycle = Rule(
        "refs-cycle", .refs, .error, "Resources (or conditions) depend on each other in a circle",
        "CloudFormation creates a resource after everything it refers to (Ref, Fn::GetAtt, Fn::Sub, DependsOn); when the references go round in a circle nothing can be created first and the deploy fails with \"Circular dependency between resources\". In SAM templates this includes the role SAM creates for a function or state machine (its Policies) and the implicit API (its integrations with functions). Break the circle: build an ARN with Fn::Sub from names instead of referring to the resource, or move the reference into a separate resource (an AWS::IAM::Policy, an AWS::Lambda::Permission).")
    static let unusedParameter = Rule(
        "refs-unused-parameter", .refs, .warning, "A parameter is never used",
        "Nothing refers to this parameter (no Ref, no ${} in Fn::Sub, in Resources, Outputs, Conditions, Rules or SAM Globals; the AWS::CloudFormation::Interface metadata does not count). A deploy still asks for its value, and a value given for it changes nothing, which usually means a reference was forgotten. Use it or remove it. cfn-lint stays silent on SAM templates; menort does not.")
    static let unusedCondition = Rule(
        "refs-unused-condition", .refs, .warning, "A condition is never used",
        "No resource, output, Fn::If or other condition uses this condition, so it decides nothing. Use it or remove it.")
    static let unusedMapping = Rule(
        "refs-unused-mapping", .refs, .warning, "A mapping is never used",
        "No Fn::FindInMap reads this mapping. It is dead weight in a template whose size is limited; use it or remove it.")

    public static let rules = [
        undefinedRef, undefinedGetAtt, undefinedSub, undefinedDependsOn, dependsOnSelf, undefinedCondition,
        undefinedMapping, undefinedMappingKey, conditionResource, cycle, unusedParameter, unusedCondition, unusedMapping,
    ]

    public init() {}

    public func check(_ context: ValidationContext, into report: inout Report) {
        guard var checker = RefsChecker(context.template, report: report) else { return }
        checker.run()
        report = checker.report
    }
}

extension RefsRules {
    /// The pseudo parameters CloudFormation defines.
    static let pseudoParameters: [String] = [
        "AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId",
        "AWS::StackName", "AWS::URLSuffix",
    ]
}

/// What a template declares, by kind, including what `Fn::ForEach` generates.
struct RefsNames {
    var parameters: [String] = []
    var resources: [String] = []
    var conditions: [String] = []
    var mappings: [String: Node] = [:]
    var mappingOrder: [String] = []
    /// Resource and condition names `Fn::ForEach` generates from collections not known in advance.
    var resourcePatterns: [String] = []
    var conditionPatterns: [String] = []
    /// SAM: implicit ids, dotted names, embedded connectors.
    var implicit: Set<String> = []

    var parameterSet: Set<String> = []
    var resourceSet: Set<String> = []
    var conditionSet: Set<String> = []

    func isResource(_ name: String) -> Bool {
        resourceSet.contains(name) || implicit.contains(name) || resourcePatterns.contains { RefsWildcard.matches($0, name) }
    }

    func isCondition(_ name: String) -> Bool {
        conditionSet.contains(name) || conditionPatterns.contains { RefsWildcard.matches($0, name) }
    }
}

/// Where a node is: which section, which entry, and the `Fn::ForEach` identifiers in scope.
struct RefsScope {
    enum Section { case resources, outputs, conditions, rules, globals, other }
    var section: Section
    var logicalId: String?
    var loopIdentifiers: Set<String> = []
}

/// One run of the refs family over one template.
struct RefsChecker {
    private(set) var report: Report
    private let template: SourceTemplate
    private let sam: Bool
    private var names = RefsNames()
    private var dotted: [String: String] = [:]
    private var model: SAMImplicit.Model?
    /// Resource names for hints: declared in source order, then SAM's.
    private var resourceCandidates: [String] = []
    /// Hints already worked out, by candidate set and name: a misspelling repeated a hundred
    /// times costs one search.
    private var hints: [String: String] = [:]

    private var usedParameters: Set<String> = []
    private var usedConditions: Set<String> = []
    private var usedMappings: Set<String> = []
    /// Names used through placeholders (`!Ref {Fn::Sub: "Param${Id}"}`): anything matching is used.
    private var usedPatterns: [String] = []
    private var everyMappingUsed = false
    /// An `Fn::Transform` (macro) call somewhere: its output may use any parameter, condition or
    /// mapping, so nothing can be called unused.
    private var macroCall = false
    /// Condition → conditions it names, for circles among conditions.
    private var conditionEdges: [String: [String]] = [:]

    /// `nil` when names cannot be judged: a macro (any other transform, or `Fn::Transform` in
    /// place of a section's entries) may add or rename anything.
    init?(_ template: SourceTemplate, report: Report) {
        if template.hasUnknownMacro { return nil }
        for section in ["Parameters", "Resources", "Outputs", "Conditions", "Mappings"] {
            if template.root[section]?.pairs?.contains(where: { $0.key.scalar == "Fn::Transform" }) == true { return nil }
        }
        self.template = template
        self.report = report
        sam = SAMImplicit.applies(to: template)
        names.parameters = template.parameters.map(\.id)
        for entry in template.mappings {
            names.mappings[entry.id] = entry.value
            names.mappingOrder.append(entry.id)
        }
        (names.resources, names.resourcePatterns) = RefsChecker.entryNames(template.root["Resources"])
        (names.conditions, names.conditionPatterns) = RefsChecker.entryNames(template.root["Conditions"])
        // A CloudFormation module (`Type: Org::Service::Thing::MODULE`) adds resources named
        // after it: `Module` declares `ModuleBucket`, `ModuleRole`, …
        for entry in template.resources where entry.type?.hasSuffix("::MODULE") == true {
            names.resourcePatterns.append(entry.id + "*")
        }
        names.parameterSet = Set(names.parameters)
        names.resourceSet = Set(names.resources)
        names.conditionSet = Set(names.conditions)
        if sam {
            let model = SAMImplicit.Model(template)
            names.implicit = model.referenceableNames
            dotted = model.dotted
            self.model = model
        }
        resourceCandidates = names.resources + names.implicit.sorted()
    }

    /// The entry names of a section, expanding `Fn::ForEach` over literal collections and
    /// turning the others into patterns.
    static func entryNames(_ section: Node?) -> (names: [String], patterns: [String]) {
        var names: [String] = []
        var patterns: [String] = []
        func collect(_ pairs: [Node.Pair], _ bindings: [(identifier: String, values: [String]?)]) {
            for pair in pairs {
                guard let key = pair.key.scalar else { continue }
                if key.hasPrefix("Fn::ForEach::") {
                    guard let items = pair.value.items, items.count == 3, let identifier = items[0].scalar,
                          let body = items[2].pairs else { continue }
                    var values: [String]?
                    if let list = items[1].items, items[1].tag == nil, list.allSatisfy({ $0.tag == nil && $0.scalar != nil }) {
                        values = list.compactMap(\.scalar)
                    }
                    collect(body, bindings + [(identifier, values)])
                    continue
                }
                var expanded = [key]
                for binding in bindings {
                    // Nested loops multiply; past a bound, a pattern stands for the names.
                    guard let values = binding.values, expanded.count * values.count <= 10_000 else {
                        expanded = expanded.map { $0.replacingAll(placeholderOf: binding.identifier) { _ in "*" } }
                        continue
                    }
                    expanded = expanded.flatMap { name in
                        values.map { value in
                            name.replacingAll(placeholderOf: binding.identifier) { alphanumericOnly in
                                alphanumericOnly ? String(value.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }.map(Character.init)) : value
                            }
                        }
                    }
                }
                for name in expanded {
                    if RefsWildcard.isTemplated(name) || name.contains("*") {
                        patterns.append(RefsWildcard.pattern(name))
                    } else {
                        names.append(name)
                    }
                }
            }
        }
        collect(section?.pairs ?? [], [])
        return (names, patterns)
    }

    // MARK: - The walk

    mutating func run() {
        for pair in template.root.pairs ?? [] {
            guard let key = pair.key.scalar else { continue }
            switch key {
            case "Parameters", "Mappings", "Metadata", "AWSTemplateFormatVersion", "Description":
                // No intrinsics there; top-level Metadata (AWS::CloudFormation::Interface) is not a use.
                continue
            case "Resources": entries(pair.value, "Resources", .resources, [])
            case "Outputs": entries(pair.value, "Outputs", .outputs, [])
            case "Conditions": entries(pair.value, "Conditions", .conditions, [])
            case "Rules": entries(pair.value, "Rules", .rules, [])
            case "Globals": visit(pair.value, "Globals", RefsScope(section: .globals))
            default: visit(pair.value, key, RefsScope(section: .other))
            }
        }
        unused()
        conditionCycles()
        resourceCycles()
    }

    private mutating func entries(_ section: Node, _ path: String, _ kind: RefsScope.Section, _ loop: Set<String>) {
        for pair in section.pairs ?? [] {
            guard let id = pair.key.scalar else { continue }
            let entryPath = path + "/" + id
            if id.hasPrefix("Fn::ForEach::") {
                guard let items = pair.value.items, items.count == 3 else { continue }
                visit(items[1], entryPath + "/1", RefsScope(section: kind, loopIdentifiers: loop))
                var inner = loop
                if let identifier = items[0].scalar { inner.insert(identifier) }
                entries(items[2], entryPath + "/2", kind, inner)
                continue
            }
            let scope = RefsScope(section: kind, logicalId: id, loopIdentifiers: loop)
            visit(pair.value, entryPath, scope)
            guard kind == .resources || kind == .outputs else { continue }
            if let condition = pair.value["Condition"], let name = RefsChecker.conditionLiteral(condition) {
                conditionName(name, at: condition, entryPath + "/Condition", scope)
            }
            guard kind == .resources else { continue }
            dependsOn(pair.value["DependsOn"], of: id, entryPath, scope)
            // SAM connectors embedded in a resource carry resource attributes of their own.
            for connector in pair.value["Connectors"]?.pairs ?? [] {
                guard let name = connector.key.scalar else { continue }
                let connectorPath = entryPath + "/Connectors/" + name
                if let condition = connector.value["Condition"], let conditionName = RefsChecker.conditionLiteral(condition) {
                    self.conditionName(conditionName, at: condition, connectorPath + "/Condition", scope)
                }
                dependsOn(connector.value["DependsOn"], of: id + name, connectorPath, scope)
            }
        }
    }

    private mutating func dependsOn(_ node: Node?, of id: String, _ entryPath: String, _ scope: RefsScope) {
        guard let node else { return }
        for (index, item) in (node.items ?? [node]).enumerated() {
            guard item.tag == nil, let name = item.scalar else { continue }
            dependency(name, of: id, at: item, entryPath + "/DependsOn" + (node.items == nil ? "" : "/\(index)"), scope)
        }
    }

    private mutating func visit(_ node: Node, _ path: String, _ scope: RefsScope) {
        if let call = Intrinsic(node) {
            intrinsic(call, path, scope)
            // The argument may itself be a call (`!Base64 {Fn::Sub: …}`, `Fn::ImportValue: {Fn::Sub: …}`).
            visit(call.argument, call.node.tag == nil ? path + "/" + call.name : path, scope)
            return
        }
        switch node.kind {
        case .scalar:
            return
        case .sequence(let items, _):
            for (index, item) in items.enumerated() { visit(item, path + "/\(index)", scope) }
        case .mapping(let pairs, _):
            for pair in pairs {
                let key = pair.key.scalar ?? "?"
                if key.hasPrefix("Fn::ForEach::"), let items = pair.value.items, items.count == 3 {
                    visit(items[1], path + "/" + key + "/1", scope)
                    var inner = scope
                    if let identifier = items[0].scalar { inner.loopIdentifiers.insert(identifier) }
                    visit(items[2], path + "/" + key + "/2", inner)
                } else {
                    visit(pair.value, path + "/" + key, scope)
                }
            }
        }
    }

    /// A literal name: an untagged scalar that is not itself an intrinsic.
    private static func name(_ node: Node?) -> String? {
        guard let node, node.tag == nil else { return nil }
        return node.scalar
    }

    /// A condition name as written; a plain boolean or null (`Condition: false`) is not a name
    /// at all but a shape error, the template family's.
    private static func conditionLiteral(_ node: Node) -> String? {
        if node.isNull { return nil }
        if node.tag == nil, case .scalar(let text, .plain) = node.kind, ImplicitType.of(text) == .bool { return nil }
        return name(node)
    }

    /// The string of an `Fn::Sub` used as a name (`!Ref {Fn::Sub: "Param${Id}"}`), as a pattern.
    private static func subPattern(_ node: Node?) -> String? {
        guard let node, let call = Intrinsic(node), call.name == "Fn::Sub" else { return nil }
        guard let text = call.argument.scalar ?? call.argument.items?.first?.scalar else { return nil }
        return RefsWildcard.pattern(text)
    }

    private mutating func intrinsic(_ call: Intrinsic, _ path: String, _ scope: RefsScope) {
        switch call.name {
        case "Ref":
            if let name = RefsChecker.name(call.argument) {
                ref(name, at: call.argument, path, scope)
            } else if let pattern = RefsChecker.subPattern(call.argument) {
                usedPatterns.append(pattern)
            }
        case "Fn::GetAtt":
            let targetNode = call.argument.items?.first ?? call.argument
            if targetNode.tag == nil, Intrinsic(targetNode) == nil, let target = call.getAttTarget {
                getAtt(target.resource, attribute: target.attribute, at: targetNode, path, scope)
            }
        case "Fn::Sub":
            sub(call, path, scope)
        case "Fn::If":
            // Only a well-formed `[condition, then, else]`; other shapes are the template family's.
            if let items = call.argument.items, items.count == 3, let first = items.first {
                if let name = RefsChecker.conditionLiteral(first) {
                    conditionName(name, at: first, path, scope)
                } else if let pattern = RefsChecker.subPattern(first) {
                    usedPatterns.append(pattern)
                }
            }
        case "Condition":
            guard scope.section == .conditions || scope.section == .rules else { return }
            if let name = RefsChecker.name(call.argument) { conditionName(name, at: call.argument, path, scope) }
        case "Fn::FindInMap":
            findInMap(call, path, scope)
        case "Fn::Transform":
            macroCall = true
        case "Fn::ValueOf", "Fn::ValueOfAll":
            // Rules read a parameter's attribute by the parameter's name.
            if let name = RefsChecker.name(call.argument.items?.first) { usedParameters.insert(name) }
        default:
            break
        }
    }

    // MARK: - Names

    private mutating func ref(_ name: String, at node: Node, _ path: String, _ scope: RefsScope) {
        if scope.loopIdentifiers.contains(name) { return }
        if RefsWildcard.isTemplated(name) {
            usedPatterns.append(RefsWildcard.pattern(name))
            return
        }
        if RefsRules.pseudoParameters.contains(name) { return }
        if names.parameterSet.contains(name) {
            usedParameters.insert(name)
            return
        }
        let onlyParameters = scope.section == .conditions || scope.section == .rules
        if names.isResource(name) {
            if onlyParameters { conditionResource(name, at: node, path, scope) }
            return
        }
        var message = "ref to '\(name)' names no parameter, resource or pseudo parameter"
        if name.hasPrefix("AWS::") {
            message = "ref to '\(name)' names no pseudo parameter"
            message += hint(name, among: RefsRules.pseudoParameters, otherwise: "the pseudo parameters are " + RefsRules.pseudoParameters.joined(separator: ", "))
        } else if let dot = name.firstIndex(of: "."), names.isResource(String(name[..<dot])) {
            let base = String(name[..<dot])
            let resolvable = dotted.filter { $0.value == base }.keys.sorted()
            if sam, template.resource(base)?.type?.hasPrefix("AWS::Serverless::") == true {
                message += resolvable.isEmpty
                    ? "; SAM resolves no '\(base).Property' form for \(base) as declared, use !GetAtt \(name) to read an attribute"
                    : "; SAM resolves only \(resolvable.joined(separator: ", ")) for \(base) as declared"
            } else {
                message += "; a Ref cannot read an attribute, use !GetAtt \(name)"
            }
        } else {
            let candidates = onlyParameters ? names.parameters : names.parameters + resourceCandidates
            message += hint(name, among: candidates, otherwise: onlyParameters
                ? "conditions may only refer to parameters, declare it under Parameters"
                : "declare it under Parameters or Resources, or fix the name")
        }
        report.add(RefsRules.undefinedRef, message, at: node, logicalId: scope.logicalId, path: path)
    }

    private mutating func getAtt(_ resource: String, attribute: String?, at node: Node, _ path: String, _ scope: RefsScope) {
        if scope.loopIdentifiers.contains(resource) || RefsWildcard.isTemplated(resource) || names.isResource(resource) { return }
        let attributeText = attribute.map { ".\($0)" } ?? ""
        let message: String
        if names.parameterSet.contains(resource) {
            usedParameters.insert(resource)
            message = "Fn::GetAtt \(resource)\(attributeText) reads parameter '\(resource)', which has no attributes; use !Ref \(resource) for its value"
        } else {
            message = "Fn::GetAtt \(resource)\(attributeText) reads '\(resource)', which is not a resource of this template"
                + hint(resource, among: resourceCandidates, otherwise: "declare it under Resources or fix the name")
        }
        report.add(RefsRules.undefinedGetAtt, message, at: node, logicalId: scope.logicalId, path: path)
    }

    private mutating func sub(_ call: Intrinsic, _ path: String, _ scope: RefsScope) {
        let stringNode: Node
        var locals: Set<String> = []
        var localsKnown = true
        if call.argument.scalar != nil {
            stringNode = call.argument
        } else if let items = call.argument.items, let first = items.first, first.scalar != nil, Intrinsic(first) == nil {
            stringNode = first
            if items.count > 1 {
                if let pairs = items[1].pairs, Intrinsic(items[1]) == nil {
                    locals = Set(pairs.compactMap(\.key.scalar))
                } else {
                    localsKnown = false
                }
            }
        } else {
            return
        }
        guard let text = stringNode.scalar else { return }
        var reported: Set<String> = []
        for variable in SubVariable.parse(text) {
            let name = variable.name
            if name.isEmpty || locals.contains(name) || scope.loopIdentifiers.contains(name) || RefsRules.pseudoParameters.contains(name) { continue }
            if names.parameterSet.contains(name) {
                usedParameters.insert(name)
                continue
            }
            let base = name.firstIndex(of: ".").map { String(name[..<$0]) }
            if RefsWildcard.isTemplated(name) || !localsKnown { continue }
            let onlyParameters = scope.section == .conditions || scope.section == .rules
            if names.isResource(name) || base.map({ names.isResource($0) }) == true {
                if onlyParameters { conditionResource(base ?? name, at: stringNode, path, scope) }
                continue
            }
            guard reported.insert(name).inserted else { continue }
            var message = "${\(name)} in Fn::Sub "
            if let base {
                if names.parameterSet.contains(base) {
                    usedParameters.insert(base)
                    message += "reads an attribute of parameter '\(base)', which has none; use ${\(base)} for its value"
                } else if base.hasPrefix("AWS::") || name.hasPrefix("AWS::") {
                    message += "names no pseudo parameter" + hint(name, among: RefsRules.pseudoParameters, otherwise: "the pseudo parameters are " + RefsRules.pseudoParameters.joined(separator: ", "))
                } else {
                    message += "reads an attribute of '\(base)', which is not a resource of this template"
                        + hint(base, among: resourceCandidates,
                               otherwise: "declare it, or write ${!\(name)} for the literal text")
                }
            } else if name.hasPrefix("AWS::") {
                message += "names no pseudo parameter" + hint(name, among: RefsRules.pseudoParameters, otherwise: "the pseudo parameters are " + RefsRules.pseudoParameters.joined(separator: ", "))
            } else {
                let candidates = Array(locals).sorted() + names.parameters + (onlyParameters ? [] : resourceCandidates)
                message += "names no parameter, resource, pseudo parameter or Sub variable"
                    + hint(name, among: candidates, otherwise: "declare it, add it to the Sub's variable map, or write ${!\(name)} for the literal text")
            }
            report.add(RefsRules.undefinedSub, message, at: stringNode, logicalId: scope.logicalId, path: path)
        }
    }

    private mutating func conditionName(_ name: String, at node: Node, _ path: String, _ scope: RefsScope) {
        if RefsWildcard.isTemplated(name) {
            usedPatterns.append(RefsWildcard.pattern(name))
            return
        }
        if scope.section == .conditions, let from = scope.logicalId { conditionEdges[from, default: []].append(name) }
        if names.isCondition(name) {
            usedConditions.insert(name)
            return
        }
        let message = "condition '\(name)' is not declared under Conditions"
            + hint(name, among: names.conditions, otherwise: names.conditions.isEmpty ? "the template declares no conditions" : "declare it or fix the name")
        report.add(RefsRules.undefinedCondition, message, at: node, logicalId: scope.logicalId, path: path)
    }

    private mutating func dependency(_ name: String, of id: String, at node: Node, _ path: String, _ scope: RefsScope) {
        if RefsWildcard.isTemplated(name) || RefsWildcard.isTemplated(id) { return }
        if name == id {
            report.add(RefsRules.dependsOnSelf, "'\(id)' lists itself in DependsOn, a circular dependency; remove it",
                       at: node, logicalId: id, path: path)
            return
        }
        if names.isResource(name) { return }
        let message = "DependsOn names '\(name)', which is not a resource of this template"
            + hint(name, among: resourceCandidates, otherwise: "remove it or fix the name")
        report.add(RefsRules.undefinedDependsOn, message, at: node, logicalId: id, path: path)
    }

    private mutating func conditionResource(_ name: String, at node: Node, _ path: String, _ scope: RefsScope) {
        let what = scope.section == .rules ? "rule" : "condition"
        report.add(RefsRules.conditionResource,
                   "\(what) '\(scope.logicalId ?? "?")' refers to resource '\(name)'; \(what)s are evaluated before resources exist and may only refer to parameters",
                   at: node, logicalId: scope.logicalId, path: path)
    }

    private mutating func findInMap(_ call: Intrinsic, _ path: String, _ scope: RefsScope) {
        guard let items = call.argument.items, items.count >= 3 else { return }
        guard let mapName = RefsChecker.name(items[0]) else {
            everyMappingUsed = true
            return
        }
        if scope.loopIdentifiers.contains(mapName) || RefsWildcard.isTemplated(mapName) {
            everyMappingUsed = true
            return
        }
        guard let mapping = names.mappings[mapName] else {
            report.add(RefsRules.undefinedMapping,
                       "mapping '\(mapName)' is not declared under Mappings"
                        + hint(mapName, among: names.mappingOrder, otherwise: names.mappingOrder.isEmpty ? "the template declares no mappings" : "declare it or fix the name"),
                       at: items[0], logicalId: scope.logicalId, path: path)
            return
        }
        usedMappings.insert(mapName)
        // With AWS::LanguageExtensions a DefaultValue answers for missing keys.
        if items.count > 3, items[3]["DefaultValue"] != nil { return }
        let topKey = RefsChecker.name(items[1]).flatMap { scope.loopIdentifiers.contains($0) || RefsWildcard.isTemplated($0) ? nil : $0 }
        let secondKey = RefsChecker.name(items[2]).flatMap { scope.loopIdentifiers.contains($0) || RefsWildcard.isTemplated($0) ? nil : $0 }
        let topKeys = (mapping.pairs ?? []).compactMap(\.key.scalar)
        if let topKey {
            guard let entry = mapping[topKey] else {
                report.add(RefsRules.undefinedMappingKey,
                           "mapping '\(mapName)' has no key '\(topKey)'" + hint(topKey, among: topKeys, otherwise: "add it to the mapping"),
                           at: items[1], logicalId: scope.logicalId, path: path)
                return
            }
            if let secondKey, let pairs = entry.pairs, entry[secondKey] == nil {
                let keys = pairs.compactMap(\.key.scalar)
                report.add(RefsRules.undefinedMappingKey,
                           "mapping '\(mapName)' has no key '\(secondKey)' under '\(topKey)'" + hint(secondKey, among: keys, otherwise: "its keys there are " + keys.joined(separator: ", ")),
                           at: items[2], logicalId: scope.logicalId, path: path)
            }
        } else if let secondKey, !(mapping.pairs ?? []).isEmpty,
                  !(mapping.pairs ?? []).contains(where: { $0.value.pairs == nil || $0.value[secondKey] != nil }) {
            report.add(RefsRules.undefinedMappingKey,
                       "no entry of mapping '\(mapName)' has the key '\(secondKey)'; add it to every entry the lookup may select",
                       at: items[2], logicalId: scope.logicalId, path: path)
        }
    }

    /// `; did you mean 'X'?` for a near name, else `; <otherwise>`.
    private mutating func hint(_ name: String, among candidates: [String], otherwise: String) -> String {
        let key = "\(candidates.count) \(candidates.first ?? "") \(candidates.last ?? "") \(name)"
        let near = hints[key] ?? RefsSpelling.closest(to: name, among: candidates) ?? ""
        hints[key] = near
        return near.isEmpty ? "; " + otherwise : "; did you mean '\(near)'?"
    }

    // MARK: - Unused

    private mutating func unused() {
        guard !macroCall else { return }
        let patterns = usedPatterns
        func patternUsed(_ name: String) -> Bool { patterns.contains { RefsWildcard.matches($0, name) } }
        for entry in template.parameters where !usedParameters.contains(entry.id) && !patternUsed(entry.id) {
            report.add(RefsRules.unusedParameter,
                       "parameter '\(entry.id)' is never referenced; use it with !Ref \(entry.id) or ${\(entry.id)}, or remove it",
                       at: entry.key, logicalId: entry.id, path: "Parameters/\(entry.id)")
        }
        for entry in template.conditions where !entry.id.hasPrefix("Fn::ForEach::") {
            guard !usedConditions.contains(entry.id), !patternUsed(entry.id) else { continue }
            report.add(RefsRules.unusedCondition,
                       "condition '\(entry.id)' is never used; use it in a Condition or !If, or remove it",
                       at: entry.key, logicalId: entry.id, path: "Conditions/\(entry.id)")
        }
        guard !everyMappingUsed else { return }
        for entry in template.mappings where !usedMappings.contains(entry.id) && !patternUsed(entry.id) {
            report.add(RefsRules.unusedMapping,
                       "mapping '\(entry.id)' is never read by Fn::FindInMap; remove it",
                       at: entry.key, logicalId: entry.id, path: "Mappings/\(entry.id)")
        }
    }

    // MARK: - Cycles

    private mutating func conditionCycles() {
        let ids = template.conditions.map(\.id).filter { !$0.hasPrefix("Fn::ForEach::") }
        var index: [String: Int] = [:]
        for (offset, id) in ids.enumerated() where index[id] == nil { index[id] = offset }
        var graph = RefsDependencyGraph(nodeCount: ids.count)
        for (from, targets) in conditionEdges {
            guard let source = index[from] else { continue }
            for target in targets { if let destination = index[target] { graph.addEdge(source, destination) } }
        }
        for component in graph.components() {
            let members = Set(component)
            guard let start = members.min(), members.count > 1 || graph.edges[start].contains(start),
                  let path = graph.cycle(through: start, within: members),
                  let entry = template.condition(ids[start]) else { continue }
            report.add(RefsRules.cycle,
                       "circular condition dependency: \(path.map { ids[$0] }.joined(separator: " → ")); a condition cannot depend on itself",
                       at: entry.key, logicalId: entry.id, path: "Conditions/\(entry.id)")
        }
    }

    private mutating func resourceCycles() {
        let graph = RefsResourceGraph(template: template, model: model)
        for knot in graph.cycles() {
            guard let first = knot.circle.first, let entry = template.resource(first) else { continue }
            let others = knot.others.isEmpty ? "" : ", with \(knot.others.joined(separator: ", ")) in the same knot"
            report.add(RefsRules.cycle,
                       "circular dependency: \(knot.circle.joined(separator: " → "))\(others); CloudFormation cannot create any of them first, remove one of these references",
                       at: entry.key, logicalId: entry.id, path: "Resources/\(entry.id)")
        }
    }
}

extension String {
    /// Replaces `${identifier}` and `&{identifier}` (the alphanumeric-only form of
    /// `Fn::ForEach`) with what `value` gives for each.
    func replacingAll(placeholderOf identifier: String, _ value: (_ alphanumericOnly: Bool) -> String) -> String {
        var result = self
        for (marker, alphanumericOnly) in [("${" + identifier + "}", false), ("&{" + identifier + "}", true)] {
            var output = ""
            var rest = Substring(result)
            while let range = rest.firstTextRange(of: marker) {
                output += rest[..<range.lowerBound]
                output += value(alphanumericOnly)
                rest = rest[range.upperBound...]
            }
            result = output + rest
        }
        return result
    }
}
