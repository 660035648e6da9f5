import CloudFormation
import YAML

/// Yes, no, or cannot tell: the answer of every check that looks through intrinsics.
///
/// Rules report only on `.no`: a value that depends on a parameter, an import or anything
/// else menort cannot see is `.unknown`, and unknown never becomes a finding.
enum Tri: Sendable, Equatable {
    case yes
    case no
    case unknown

    /// Both must hold.
    func and(_ other: Tri) -> Tri {
        if self == .no || other == .no { return .no }
        if self == .yes && other == .yes { return .yes }
        return .unknown
    }

    /// Either may hold.
    func or(_ other: Tri) -> Tri {
        if self == .yes || other == .yes { return .yes }
        if self == .no && other == .no { return .no }
        return .unknown
    }

    /// `.yes` for true, `.no` for false.
    init(_ value: Bool) { self = value ? .yes : .no }
}

/// One piece of a string value as CloudFormation would assemble it.
enum Piece: Sendable, Hashable {
    /// Literal text.
    case text(String)
    /// `Ref X` or `${X}` (X may be a pseudo parameter such as `AWS::Region`).
    case ref(String)
    /// `Fn::GetAtt X.Y` or `${X.Y}`.
    case att(String, String)
    /// Any other function (`Fn::If`, `Fn::ImportValue`, `Fn::Select`, …): its value is unknown.
    case unknown
}

/// A string value seen structurally: `!Sub`, `!Join`, `!Ref` and `!GetAtt` flattened into
/// literal text and named references, so rules can take ARNs and targets apart by their
/// separators without evaluating anything.
struct Symbolic: Sendable, Hashable, CustomStringConvertible {
    /// The pieces, adjacent texts merged.
    let pieces: [Piece]

    /// A value made of these pieces.
    init(_ pieces: [Piece]) {
        var merged: [Piece] = []
        for piece in pieces {
            if case .text(let next) = piece {
                if next.isEmpty { continue }
                if case .text(let previous)? = merged.last {
                    merged[merged.count - 1] = .text(previous + next)
                    continue
                }
            }
            merged.append(piece)
        }
        self.pieces = merged
    }

    /// The value of `node`; `nil` when the node cannot be a string (a list, a plain mapping).
    init?(_ node: Node) {
        guard let pieces = Symbolic.pieces(of: node, depth: 0) else { return nil }
        self.init(pieces)
    }

    private static func pieces(of node: Node, depth: Int) -> [Piece]? {
        // Sub variable maps may nest; the parser already bounds depth, this bounds work.
        guard depth < 16 else { return [.unknown] }
        guard let call = Intrinsic(node) else {
            return node.scalar.map { [.text($0)] }
        }
        switch call.name {
        case "Ref":
            guard let name = call.argument.scalar, Intrinsic(call.argument) == nil else { return [.unknown] }
            return [.ref(name)]
        case "Fn::GetAtt":
            guard let target = call.getAttTarget, let attribute = target.attribute else { return [.unknown] }
            return [.att(target.resource, attribute)]
        case "Fn::Sub":
            if let text = call.argument.scalar, Intrinsic(call.argument) == nil {
                return substitute(text, variables: [:], depth: depth)
            }
            guard let items = call.argument.items, items.count == 2, let text = items[0].scalar,
                  Intrinsic(items[0]) == nil, let pairs = items[1].pairs, Intrinsic(items[1]) == nil
            else { return [.unknown] }
            var variables: [String: Node] = [:]
            for pair in pairs {
                if let key = pair.key.scalar { variables[key] = pair.value }
            }
            return substitute(text, variables: variables, depth: depth)
        case "Fn::Join":
            guard let items = call.argument.items, items.count == 2, let delimiter = items[0].scalar,
                  Intrinsic(items[0]) == nil, let list = items[1].items, Intrinsic(items[1]) == nil
            else { return [.unknown] }
            var result: [Piece] = []
            for (index, item) in list.enumerated() {
                if index > 0 { result.append(.text(delimiter)) }
                result += pieces(of: item, depth: depth + 1) ?? [.unknown]
            }
            return result
        default:
            return [.unknown]
        }
    }

    /// The pieces of a `Fn::Sub` string: `${X}`, `${X.Y}`, `${!Literal}`, and variables
    /// given in the map replaced by their own pieces.
    private static func substitute(_ text: String, variables: [String: Node], depth: Int) -> [Piece] {
        SubPart.scan(text).flatMap { part -> [Piece] in
            let name: String
            switch part {
            case .text(let literal): return [.text(literal)]
            case .variable(let variable): name = variable.name
            }
            if let value = variables[name] { return pieces(of: value, depth: depth + 1) ?? [.unknown] }
            if name.hasPrefix("AWS::") { return [.ref(name)] }
            if let dot = name.firstIndex(of: ".") {
                return [.att(String(name[..<dot]), String(name[name.index(after: dot)...]))]
            }
            return [.ref(name)]
        }
    }

    /// The text, when every piece is literal.
    var literal: String? {
        var text = ""
        for piece in pieces {
            guard case .text(let value) = piece else { return nil }
            text += value
        }
        return text
    }

    /// Whether some literal piece contains `text`.
    func mentions(_ text: String) -> Bool {
        pieces.contains { if case .text(let value) = $0 { return value.containsText(text) } else { return false } }
    }

    /// The single reference this value is, when it is exactly one (`!Ref X`, `${X}`).
    var singleRef: String? {
        if pieces.count == 1, case .ref(let name) = pieces[0] { return name }
        return nil
    }

    /// The single attribute this value is, when it is exactly one (`!GetAtt X.Y`, `${X.Y}`).
    var singleAtt: (resource: String, attribute: String)? {
        if pieces.count == 1, case .att(let resource, let attribute) = pieces[0] { return (resource, attribute) }
        return nil
    }

    /// Splits at every `separator` found in literal pieces (empty parts kept).
    func split(_ separator: Character) -> [Symbolic] {
        var parts: [[Piece]] = [[]]
        for piece in pieces {
            guard case .text(let value) = piece else {
                parts[parts.count - 1].append(piece)
                continue
            }
            let chunks = value.split(separator: separator, omittingEmptySubsequences: false)
            for (index, chunk) in chunks.enumerated() {
                if index > 0 { parts.append([]) }
                parts[parts.count - 1].append(.text(String(chunk)))
            }
        }
        return parts.map(Symbolic.init)
    }

    /// `parts` joined with a literal separator.
    static func join(_ parts: some Sequence<Symbolic>, separator: String) -> Symbolic {
        var pieces: [Piece] = []
        for (index, part) in parts.enumerated() {
            if index > 0 { pieces.append(.text(separator)) }
            pieces += part.pieces
        }
        return Symbolic(pieces)
    }

    /// Written back in `Fn::Sub` syntax, for messages.
    var description: String {
        pieces.map { piece in
            switch piece {
            case .text(let value): return value
            case .ref(let name): return "${\(name)}"
            case .att(let resource, let attribute): return "${\(resource).\(attribute)}"
            case .unknown: return "${…}"
            }
        }.joined()
    }
}

/// IAM/ArnLike wildcard matching: `*` is any run of characters, `?` one character.
func wildcardMatch(_ pattern: String, _ text: String, ignoringCase: Bool = false) -> Bool {
    Wildcard.matches(pattern, text, questionMark: true, ignoringCase: ignoringCase)
}

/// The literal text of a node that is not an intrinsic call.
func literalText(_ node: Node?) -> String? {
    guard let node, Intrinsic(node) == nil else { return nil }
    return node.scalar
}

/// The branches a value may take: both sides of `Fn::If`, with `AWS::NoValue` dropped.
func alternatives(_ node: Node) -> [Node] {
    guard let call = Intrinsic(node), call.name == "Fn::If" else { return [node] }
    guard let items = call.argument.items, items.count == 3 else { return [node] }
    return [items[1], items[2]].flatMap { branch -> [Node] in
        if let inner = Intrinsic(branch), inner.name == "Ref", inner.argument.scalar == "AWS::NoValue" { return [] }
        return alternatives(branch)
    }
}

/// The items of a list, or the node itself when it is a single value.
func listOrSingle(_ node: Node?) -> [Node] {
    guard let node else { return [] }
    if Intrinsic(node) == nil, let items = node.items { return items }
    return [node]
}

extension SourceTemplate.Entry {
    /// `Type` when it is a literal string (`entry.type` also reads a tagged scalar such as
    /// `!Ref X` as `X`): a resource whose type is anything else is the template family's
    /// finding, and no resource of any kind here.
    var resourceType: String? { literalText(value["Type"]) }
}
