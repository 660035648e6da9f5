import Validation
import YAML

/// A template value in the form two templates are compared in: short and long intrinsic
/// forms made one (`!Ref X` is `{Ref: X}`, `!GetAtt A.B` is `{Fn::GetAtt: [A, B]}`), scalars
/// as their text (CloudFormation hands `5`, `'5'` and `"5"` to a resource alike), mapping
/// keys unordered, parameters replaced by the values the deploy gives them, and conditions
/// decided where the parameters decide them.
public indirect enum DiffValue: Sendable, Hashable {
    case scalar(String)
    case null
    case list([DiffValue])
    /// A mapping, keys sorted (their order means nothing to CloudFormation).
    case map([String: DiffValue])
    /// An intrinsic that stays a call: `Ref` of a resource, `Fn::GetAtt`, an undecided `Fn::If`, …
    case call(String, DiffValue)

    /// Whether the value holds an `Fn::If` menort could not decide: a difference under it is
    /// possible, not certain.
    public var hasUndecidedCondition: Bool {
        switch self {
        case .call(let name, let argument): return name == "Fn::If" || argument.hasUndecidedCondition
        case .list(let items): return items.contains { $0.hasUndecidedCondition }
        case .map(let members): return members.values.contains { $0.hasUndecidedCondition }
        case .scalar, .null: return false
        }
    }

    /// The resources the value names (`Ref`, `Fn::GetAtt`, `${X}` and `${X.Attr}` in `Fn::Sub`),
    /// with the attribute when one is named.
    public func references(into names: inout Set<String>) {
        switch self {
        case .call(let name, let argument):
            switch (name, argument) {
            case ("Ref", .scalar(let target)):
                names.insert(target)
            case ("Fn::GetAtt", .list(let parts)):
                if case .scalar(let target)? = parts.first { names.insert(target) }
            case ("Fn::Sub", _):
                let template: String?
                switch argument {
                case .scalar(let text): template = text
                case .list(let parts): if case .scalar(let text)? = parts.first { template = text } else { template = nil }
                default: template = nil
                }
                for variable in SubVariable.parse(template ?? "") {
                    names.insert(String(variable.name.split(separator: ".", maxSplits: 1)[0]))
                }
                if case .list(let parts) = argument, parts.count > 1 { parts[1].references(into: &names) }
            default:
                argument.references(into: &names)
            }
        case .list(let items):
            for item in items { item.references(into: &names) }
        case .map(let members):
            for value in members.values { value.references(into: &names) }
        case .scalar, .null:
            break
        }
    }

    /// The value as JSON for output: calls in their long form.
    public var json: JSONValue {
        switch self {
        case .scalar(let text): return .string(text)
        case .null: return .null
        case .list(let items): return .array(items.map(\.json))
        case .map(let members): return .object(members.keys.sorted().map { ($0, members[$0]!.json) })
        case .call(let name, let argument): return .object([(name, argument.json)])
        }
    }

    /// A short one-line rendering for text and Markdown output (long values are cut).
    public var brief: String {
        let text: String
        switch self {
        case .scalar(let value): text = value
        case .null: text = "null"
        case .call(let name, let argument):
            switch (name, argument) {
            case ("Ref", .scalar(let target)): text = "!Ref \(target)"
            case ("Fn::GetAtt", .list(let parts)): text = "!GetAtt " + parts.map(\.brief).joined(separator: ".")
            case ("Fn::Sub", .scalar(let template)): text = "!Sub \(template)"
            default: text = "{\(name): \(argument.brief)}"
            }
        case .list(let items): text = "[" + items.map(\.brief).joined(separator: ", ") + "]"
        case .map(let members): text = "{" + members.keys.sorted().map { "\($0): \(members[$0]!.brief)" }.joined(separator: ", ") + "}"
        }
        return text.count > 80 ? String(text.prefix(77)) + "…" : text
    }
}
