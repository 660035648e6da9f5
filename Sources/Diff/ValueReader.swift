import Validation
import YAML

/// Reads a template's values as `DiffValue`s, with the deploy's parameter values put in and
/// the conditions they decide taken: the value each property will really have.
struct ValueReader {
    let template: SourceTemplate
    /// Effective parameter values (the template's `Default`, overridden by what is supplied),
    /// and `AWS::Region` when the region is known.
    let parameters: [String: String]
    /// Parameters whose values are lists (`CommaDelimitedList`, `List<…>`).
    let listParameters: Set<String>
    /// `NoEcho` parameters: their values are shown as CloudFormation shows them, `****`.
    let noEchoParameters: Set<String>
    /// `NoEcho` parameters whose value was supplied (not the template's `Default`): a secret
    /// that must not reach the report, so a `Ref` or `${}` of one is left as written.
    let hiddenParameters: Set<String>
    private var decided: [String: Bool?] = [:]
    private var deciding: Set<String> = []

    /// `region`, when given, is `AWS::Region`'s value: conditions on the region are decided.
    init(template: SourceTemplate, supplied: [SuppliedParameter], region: String? = nil) {
        self.template = template
        let definitions = ParameterDefinition.definitions(in: template)
        let (values, _) = ParameterValues.resolve(definitions, supplied: supplied)
        var lists = Set<String>()
        for definition in definitions {
            switch definition.kind {
            case .numberList, .commaDelimitedList, .awsSpecificList: lists.insert(definition.name)
            default: break
            }
        }
        listParameters = lists
        var known: [String: String] = [:]
        var hidden = Set<String>()
        for value in values {
            // CloudFormation trims each member of a list: `a, b` is `a,b`.
            known[value.name] = lists.contains(value.name)
                ? value.value.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }.joined(separator: ",")
                : value.value
            if value.noEcho, value.origin != nil { hidden.insert(value.name) }
        }
        if let region { known["AWS::Region"] = region }
        parameters = known
        hiddenParameters = hidden
        noEchoParameters = Set(definitions.filter(\.parameter.noEcho).map(\.name))
    }

    /// A parameter's value as a report may show it: `****` for a `NoEcho` one.
    func shown(_ name: String) -> DiffValue? {
        parameters[name].map { noEchoParameters.contains(name) ? .scalar("****") : .scalar($0) }
    }

    /// The value of `node`, or `nil` when it is `AWS::NoValue` (the property is absent).
    mutating func value(_ node: Node) -> DiffValue? {
        if let call = Intrinsic(node) { return self.call(call) }
        if let items = node.items { return .list(items.compactMap { value($0) }) }
        if let pairs = node.pairs {
            var members: [String: DiffValue] = [:]
            for pair in pairs {
                guard let key = pair.key.scalar, members[key] == nil else { continue }
                if let item = value(pair.value) { members[key] = item }
            }
            return .map(members)
        }
        return node.isNull ? .null : .scalar(node.scalar ?? "")
    }

    private mutating func call(_ call: Intrinsic) -> DiffValue? {
        let argument = call.argument
        switch call.name {
        case "Ref":
            guard let name = argument.scalar else { break }
            if name == "AWS::NoValue" { return nil }
            if !hiddenParameters.contains(name), let known = parameters[name] {
                if listParameters.contains(name) {
                    return .list(known.split(separator: ",", omittingEmptySubsequences: false).map { .scalar(String($0).trimmingSpaces()) })
                }
                return .scalar(known)
            }
            return .call("Ref", .scalar(name))
        case "Fn::GetAtt":
            if let target = call.getAttTarget, let attribute = target.attribute {
                return .call("Fn::GetAtt", .list([.scalar(target.resource), .scalar(attribute)]))
            }
        case "Fn::Sub":
            if let text = argument.scalar {
                return substituted(text, shadowed: [])
            }
            if let items = argument.items, items.count == 2, let text = items[0].scalar, let pairs = items[1].pairs {
                // `[text, {}]` is the one-string form.
                if pairs.isEmpty { return substituted(text, shadowed: []) }
                // Variables given as text, `Ref` or `Fn::GetAtt` are written into the string:
                // `!Sub ['${Api}/x', {Api: !Ref WebSocketApi}]` is `!Sub '${WebSocketApi}/x'`.
                var inlined: [String: String] = [:]
                for pair in pairs {
                    guard let name = pair.key.scalar, let item = value(pair.value), let piece = Self.subText(item) else { break }
                    inlined[name] = piece
                }
                if inlined.count == pairs.count {
                    let written = SubPart.scan(text).map { part -> String in
                        switch part {
                        case .text(let literal): return literal.replacingText("${", with: "${!")
                        case .variable(let variable): return inlined[variable.name] ?? "${\(variable.name)}"
                        }
                    }
                    return substituted(written.joined(), shadowed: [])
                }
                let names = Set(pairs.compactMap { $0.key.scalar })
                let partial: String
                switch substituted(text, shadowed: names) {
                case .scalar(let done): partial = done
                case .call(_, .scalar(let open)): partial = open
                default: partial = text
                }
                return .call("Fn::Sub", .list([.scalar(partial), value(items[1]) ?? .map([:])]))
            }
        case "Fn::If":
            if let items = argument.items, items.count == 3, let condition = items[0].scalar {
                switch decide(condition) {
                case true?: return value(items[1])
                case false?: return value(items[2])
                case nil:
                    let noValue = DiffValue.call("Ref", .scalar("AWS::NoValue"))
                    return .call("Fn::If", .list([.scalar(condition), value(items[1]) ?? noValue, value(items[2]) ?? noValue]))
                }
            }
        case "Fn::Join":
            if let items = argument.items, items.count == 2, let separator = items[0].scalar, let parts = items[1].items {
                let values = parts.compactMap { value($0) }
                let texts = values.compactMap { if case .scalar(let text) = $0 { return text } else { return nil } }
                if texts.count == values.count { return .scalar(texts.joined(separator: separator)) }
                // Text, `Ref`s and `Fn::GetAtt`s joined are the `Fn::Sub` that spells them out,
                // so rewriting one as the other is no change.
                let pieces = values.compactMap(Self.subText)
                if pieces.count == values.count {
                    return substituted(pieces.joined(separator: separator.replacingText("${", with: "${!")), shadowed: [])
                }
                return .call("Fn::Join", .list([.scalar(separator), .list(values)]))
            }
        default:
            break
        }
        return .call(call.name, value(argument) ?? .null)
    }

    /// `value` as a piece of `Fn::Sub` text, when it can be one: text (its `${` escaped), a
    /// `Ref`, an `Fn::GetAtt` of a named attribute, or a `Fn::Sub` string still open.
    private static func subText(_ value: DiffValue) -> String? {
        switch value {
        case .scalar(let text):
            return text.replacingText("${", with: "${!")
        case .call("Ref", .scalar(let name)):
            return "${\(name)}"
        case .call("Fn::GetAtt", .list(let parts)):
            guard parts.count == 2, case .scalar(let resource) = parts[0], case .scalar(let attribute) = parts[1] else { return nil }
            return "${\(resource).\(attribute)}"
        case .call("Fn::Sub", .scalar(let text)):
            return text
        default:
            return nil
        }
    }

    /// `text` with every `${Parameter}` whose value is known written in; a scalar when no
    /// variable is left.
    private func substituted(_ text: String, shadowed: Set<String>) -> DiffValue {
        var output = ""
        var open = false
        for part in SubPart.scan(text) {
            switch part {
            case .text(let literal):
                // Literal `${` (written `${!…}`) is kept escaped so the result still reads as Sub.
                output += literal.replacingText("${", with: "${!")
            case .variable(let variable):
                if !shadowed.contains(variable.name), !listParameters.contains(variable.name), !hiddenParameters.contains(variable.name),
                   let known = parameters[variable.name] {
                    output += known.replacingText("${", with: "${!")
                } else {
                    output += "${\(variable.name)}"
                    open = true
                }
            }
        }
        if open { return .call("Fn::Sub", .scalar(output)) }
        return .scalar(output.replacingText("${!", with: "${"))
    }

    /// Whether a condition holds with these parameters, `nil` when that cannot be known here.
    mutating func decide(_ name: String) -> Bool? {
        if let known = decided[name] { return known }
        guard !deciding.contains(name), let entry = template.condition(name) else { return nil }
        deciding.insert(name)
        let result = evaluate(entry.value)
        deciding.remove(name)
        decided[name] = result
        return result
    }

    private mutating func evaluate(_ node: Node) -> Bool? {
        guard let call = Intrinsic(node) else { return nil }
        let items = call.argument.items ?? []
        switch call.name {
        case "Condition":
            return call.argument.scalar.flatMap { decide($0) }
        case "Fn::Equals":
            guard items.count == 2, case .scalar(let left)? = compared(items[0]), case .scalar(let right)? = compared(items[1]) else { return nil }
            return left == right
        case "Fn::Not":
            return items.count == 1 ? evaluate(items[0]).map { !$0 } : nil
        case "Fn::And":
            let results = items.map { evaluate($0) }
            if results.contains(false) { return false }
            return results.contains(nil) ? nil : true
        case "Fn::Or":
            let results = items.map { evaluate($0) }
            if results.contains(true) { return true }
            return results.contains(nil) ? nil : false
        default:
            return nil
        }
    }

    /// A side of `Fn::Equals`: a hidden parameter's value counts here, since only the
    /// condition's answer reaches the report.
    private mutating func compared(_ node: Node) -> DiffValue? {
        if let call = Intrinsic(node), call.name == "Ref", let name = call.argument.scalar, hiddenParameters.contains(name),
           !listParameters.contains(name), let known = parameters[name] {
            return .scalar(known)
        }
        return value(node)
    }
}
