import YAML

// A `${…}` written in a plain string (or a piece of Fn::Join) instead of inside Fn::Sub:
// CloudFormation substitutes variables only in Fn::Sub, so the text stays as written. This is
// cfn-lint's E1029 (SubNeeded), with the same limits: a variable counts only when it names
// something the template could substitute (a parameter, a resource, `Resource.Attribute`, a
// pseudo parameter), and text in another language's `${}` syntax is left alone.
extension TemplateRules {
    static let subNeeded = Rule(
        "template-sub-needed", .template, .warning, "A ${…} variable outside Fn::Sub, which is never substituted",
        "CloudFormation replaces ${Name} only inside Fn::Sub. In a plain string, or in a piece of Fn::Join, the text stays as written: an output such as wss://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/prod publishes the literal ${AWS::URLSuffix}. The deploy succeeds, so this is a warning. Write the string with !Sub (for a Join piece, the piece or the whole value), or use !Ref / !GetAtt. Like cfn-lint's E1029, only variables that name a parameter, a resource (or Resource.Attribute) or a pseudo parameter are reported, ${!Literal} is text, and these are not read: Metadata, Parameters, strings inside Fn::Sub, Fn::Transform and Fn::ForEach, properties whose text is another language with its own ${} (UserData, ZipFile, InlineCode, BuildSpec, TemplateBody, VTL mapping templates and RequestTemplates/ResponseTemplates, AppSync resolver Code, SSM document Content, CloudWatchAlarmDefinition, TopicRulePayload), Step Functions variables named in DefinitionSubstitutions, and templates with a macro Transform that may substitute them itself.")

    /// Property names whose text is another language (shell, JavaScript, VTL, buildspec,
    /// a nested template, IoT SQL), where `${…}` is that language's own syntax.
    static let foreignTextKeys: Set<String> = [
        "UserData", "ZipFile", "InlineCode", "BuildSpec", "TemplateBody", "RequestMappingTemplate", "ResponseMappingTemplate",
        "RequestTemplates", "ResponseTemplates", "CloudWatchAlarmDefinition", "TopicRulePayload",
    ]

    /// Properties that are another language only on some resource types.
    static let foreignTextByType: [String: Set<String>] = [
        "AWS::AppSync::Resolver": ["Code"],
        "AWS::AppSync::FunctionConfiguration": ["Code"],
        "AWS::SSM::Document": ["Content"],
    ]

    /// State machines whose definition takes `DefinitionSubstitutions`.
    static let stateMachineTypes: Set<String> = ["AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine"]

    static func checkSubNeeded(_ scope: Scope, into report: inout Report) {
        // A macro may substitute `${}` itself (as the tools cfn-lint's custom excludes exist for).
        if scope.hasMacro { return }
        let template = scope.template
        var names = Set(template.parameters.map(\.id))
        let resources = Set(template.resources.map(\.id))
        names.formUnion(resources)
        names.formUnion(RefsRules.pseudoParameters)
        func substitutable(_ variable: String) -> Bool {
            if names.contains(variable) { return true }
            guard let dot = variable.firstIndex(of: ".") else { return false }
            return resources.contains(String(variable[..<dot])) && variable.index(after: dot) < variable.endIndex
        }
        var scan = SubNeededScan(substitutable: substitutable, report: report)
        for site in resourceSites(scope) where !site.path.containsText("Fn::ForEach::") {
            let type = site.type
            var foreign = foreignTextKeys
            if let type, let extra = foreignTextByType[type] { foreign.formUnion(extra) }
            guard let properties = site.value["Properties"] else { continue }
            var substituted: Set<String> = []
            if let type, stateMachineTypes.contains(type) {
                substituted = Set((properties["DefinitionSubstitutions"]?.pairs ?? []).compactMap(\.key.scalar))
            }
            for pair in properties.pairs ?? [] {
                guard let key = pair.key.scalar, !foreign.contains(key) else { continue }
                let skipped = key == "Definition" || key == "DefinitionString" ? substituted : []
                scan.walk(pair.value, path: "\(site.path)/Properties/\(key)", logicalId: site.id, foreign: foreign, skipped: skipped)
            }
        }
        for output in template.outputs where !output.id.hasPrefix("Fn::ForEach::") {
            scan.walk(output.value, path: "Outputs/\(output.id)", logicalId: output.id, foreign: foreignTextKeys, skipped: [])
        }
        if scope.isSAM, let globals = template.root["Globals"] {
            scan.walk(globals, path: "Globals", logicalId: nil, foreign: foreignTextKeys, skipped: [])
        }
        report = scan.report
    }
}

/// The walk of `template-sub-needed` over one resource's properties, an output or Globals.
private struct SubNeededScan {
    let substitutable: (String) -> Bool
    var report: Report

    mutating func walk(_ node: Node, path: String, logicalId: String?, foreign: Set<String>, skipped: Set<String>) {
        if let call = Intrinsic(node) {
            switch call.name {
            // Sub substitutes; Transform hands its argument to a macro; the rest take names.
            case "Fn::Sub", "Fn::Transform", "Ref", "Fn::GetAtt", "Condition", "Fn::ForEach":
                return
            default:
                walk(call.argument, path: "\(path)/\(call.name)", logicalId: logicalId, foreign: foreign, skipped: skipped)
                return
            }
        }
        switch node.kind {
        case .scalar(let text, _):
            guard node.tag == nil || node.tag == "tag:yaml.org,2002:str" || node.tag == "!!str" else { return }
            check(text, node, path: path, logicalId: logicalId, skipped: skipped)
        case .sequence(let items, _):
            for (index, item) in items.enumerated() {
                walk(item, path: "\(path)/\(index)", logicalId: logicalId, foreign: foreign, skipped: skipped)
            }
        case .mapping(let pairs, _):
            for pair in pairs {
                guard let key = pair.key.scalar else { continue }
                if foreign.contains(key) || key == "Metadata" || key.hasPrefix("Fn::ForEach::") { continue }
                walk(pair.value, path: "\(path)/\(key)", logicalId: logicalId, foreign: foreign, skipped: skipped)
            }
        }
    }

    mutating func check(_ text: String, _ node: Node, path: String, logicalId: String?, skipped: Set<String>) {
        guard text.containsText("${") else { return }
        var seen: [String] = []
        for variable in SubVariable.parse(text) where substitutable(variable.name) && !skipped.contains(variable.name) {
            if !seen.contains(variable.name) { seen.append(variable.name) }
        }
        guard !seen.isEmpty else { return }
        let written = seen.map { "'${\($0)}'" }
        let list = written.count == 1 ? written[0] : written.dropLast().joined(separator: ", ") + " and " + written[written.count - 1]
        let verb = written.count == 1 ? "is" : "are"
        let pronoun = written.count == 1 ? "it" : "them"
        report.add(TemplateRules.subNeeded,
                   "\(list) \(verb) outside Fn::Sub, so CloudFormation never substitutes \(pronoun): the value will contain \(pronoun) literally; write the string with !Sub",
                   at: node, logicalId: logicalId, path: path)
    }
}
