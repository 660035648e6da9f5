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

    /// The conditions of the `Fn::If`s menort could not decide in the value: a difference
    /// under them may hold only one way (`deciding` tries each).
    public var undecidedConditions: Set<String> {
        switch self {
        case .call("Fn::If", .list(let parts)):
            var names: Set<String> = []
            if case .scalar(let condition)? = parts.first { names.insert(condition) }
            for branch in parts.dropFirst() { names.formUnion(branch.undecidedConditions) }
            return names
        case .call(_, let argument): return argument.undecidedConditions
        case .list(let items): return items.reduce(into: []) { $0.formUnion($1.undecidedConditions) }
        case .map(let members): return members.values.reduce(into: []) { $0.formUnion($1.undecidedConditions) }
        case .scalar, .null: return []
        }
    }

    /// The value with each undecided `Fn::If` taking the branch `holds` gives its condition;
    /// `nil` where that branch is `AWS::NoValue` (an item or key CloudFormation then drops).
    public func deciding(_ holds: [String: Bool]) -> DiffValue? {
        switch self {
        case .call("Fn::If", .list(let parts)):
            guard parts.count == 3, case .scalar(let condition) = parts[0], let taken = holds[condition] else { return self }
            let branch = taken ? parts[1] : parts[2]
            if branch == .call("Ref", .scalar("AWS::NoValue")) { return nil }
            return branch.deciding(holds)
        case .call(let name, let argument): return .call(name, argument.deciding(holds) ?? .null)
        case .list(let items): return .list(items.compactMap { $0.deciding(holds) })
        case .map(let members): return .map(members.compactMapValues { $0.deciding(holds) })
        case .scalar, .null: return self
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
