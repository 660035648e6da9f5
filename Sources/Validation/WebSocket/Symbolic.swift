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
package enum Piece: Sendable, Hashable {
    /// Literal text.
    case text(String)
    /// `Ref X` or `${X}` (X may be a pseudo parameter such as `AWS::Region`).
    case ref(String)
    /// `Fn::GetAtt X.Y` or `${X.Y}`.
    case att(String, String)
    /// Any other function (`Fn::ImportValue`, `Fn::Select`, an `Fn::If` seen as one value, …):
    /// its value is unknown. `written` is the call as written, for messages only: two unknown
    /// values are never told apart, so it takes no part in equality.
    case unknown(written: String)

    package static func == (lhs: Piece, rhs: Piece) -> Bool {
        switch (lhs, rhs) {
        case (.text(let a), .text(let b)), (.ref(let a), .ref(let b)): return a == b
        case (.att(let a, let x), .att(let b, let y)): return a == b && x == y
        case (.unknown, .unknown): return true
        default: return false
        }
    }

    package func hash(into hasher: inout Hasher) {
        switch self {
        case .text(let text): hasher.combine(0); hasher.combine(text)
        case .ref(let name): hasher.combine(1); hasher.combine(name)
        case .att(let resource, let attribute): hasher.combine(2); hasher.combine(resource); hasher.combine(attribute)
        case .unknown: hasher.combine(3)
        }
    }
}

/// A string value seen structurally: `!Sub`, `!Join`, `!Ref` and `!GetAtt` flattened into
/// literal text and named references, so rules can take ARNs and targets apart by their
/// separators without evaluating anything.
///
/// This is the one value resolver of the `Validation` target. Its `Fn::If` policy: an `If`
/// is a choice of both branches (an `AWS::NoValue` branch dropped). `possibilities(of:)`
/// expands every choice into the values the node may take (the params family checks each);
/// `init(_:)` is the one value they all share, so a choice whose branches differ is an
/// `.unknown` piece (the websocket family reports only what holds whatever the condition).
package struct Symbolic: Sendable, Hashable, CustomStringConvertible {
    /// The pieces, adjacent texts merged.
    package let pieces: [Piece]

    /// More possibilities than this (nested or repeated `Fn::If`s) are not followed.
    static let maxPossibilities = 16

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

    /// The value `node` has whichever branch each `Fn::If` takes; `nil` when the node cannot
    /// be a string (a list, a plain mapping).
    package init?(_ node: Node) {
        guard let parts = Resolved.parts(of: node, depth: 0) else { return nil }
        self.init(Resolved.common(parts))
    }

    /// Every value `node` may take, each `Fn::If` taking either branch, at most
    /// `maxPossibilities` of them; `nil` when the node cannot be a string.
    package static func possibilities(of node: Node) -> [Symbolic]? {
        guard let parts = Resolved.parts(of: node, depth: 0) else { return nil }
        return Resolved.expand(parts).map(Symbolic.init)
    }

    /// The text, when every piece is literal.
    package var literal: String? {
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
    package var description: String {
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

/// A node read once into pieces and choices: the resolver behind both views of `Symbolic`.
private enum Resolved {
    /// A piece of the value.
    case piece(Piece)
    /// An `Fn::If`: one of these values (each a list of parts), and the call as written.
    indirect case choice([[Resolved]], written: String)

    /// The parts of `node`; `nil` when it cannot be a string.
    static func parts(of node: Node, depth: Int) -> [Resolved]? {
        // Sub variable maps may nest; the parser already bounds depth, this bounds work.
        guard depth < 16 else { return [.piece(.unknown(written: node.description))] }
        guard let call = Intrinsic(node) else {
            return node.scalar.map { [.piece(.text($0))] }
        }
        let unknown: [Resolved] = [.piece(.unknown(written: node.description))]
        switch call.name {
        case "Ref":
            guard let name = call.argument.scalar, Intrinsic(call.argument) == nil else { return unknown }
            return [.piece(.ref(name))]
        case "Fn::GetAtt":
            guard let target = call.getAttTarget, let attribute = target.attribute else { return unknown }
            return [.piece(.att(target.resource, attribute))]
        case "Fn::Sub":
            if let text = call.argument.scalar, Intrinsic(call.argument) == nil {
                return substitute(text, variables: [:], depth: depth)
            }
            guard let items = call.argument.items, items.count == 2, let text = items[0].scalar,
                  Intrinsic(items[0]) == nil, let pairs = items[1].pairs, Intrinsic(items[1]) == nil
            else { return unknown }
            var variables: [String: Node] = [:]
            for pair in pairs {
                if let key = pair.key.scalar { variables[key] = pair.value }
            }
            return substitute(text, variables: variables, depth: depth)
        case "Fn::Join":
            guard let items = call.argument.items, items.count == 2, let delimiter = items[0].scalar,
                  Intrinsic(items[0]) == nil, let list = items[1].items, Intrinsic(items[1]) == nil
            else { return unknown }
            var result: [Resolved] = []
            for (index, item) in list.enumerated() {
                if index > 0 { result.append(.piece(.text(delimiter))) }
                result += parts(of: item, depth: depth + 1) ?? [.piece(.unknown(written: item.description))]
            }
            return result
        case "Fn::If":
            guard let items = call.argument.items, items.count == 3 else { return unknown }
            // Both branches, nested Ifs expanded, `AWS::NoValue` dropped: the same policy as
            // `alternatives` applies to values that are not strings (policy documents).
            let branches = alternatives(node).prefix(Symbolic.maxPossibilities)
            return [.choice(branches.compactMap { parts(of: $0, depth: depth + 1) }, written: node.description)]
        default:
            return unknown
        }
    }

    /// The parts of a `Fn::Sub` string: `${X}`, `${X.Y}`, `${!Literal}`, and variables
    /// given in the map replaced by their own parts.
    private static func substitute(_ text: String, variables: [String: Node], depth: Int) -> [Resolved] {
        SubPart.scan(text).flatMap { part -> [Resolved] in
            let name: String
            switch part {
            case .text(let literal): return [.piece(.text(literal))]
            case .variable(let variable): name = variable.name
            }
            if let value = variables[name] {
                return parts(of: value, depth: depth + 1) ?? [.piece(.unknown(written: "${\(name)}"))]
            }
            if name.hasPrefix("AWS::") { return [.piece(.ref(name))] }
            if let dot = name.firstIndex(of: ".") {
                return [.piece(.att(String(name[..<dot]), String(name[name.index(after: dot)...])))]
            }
            return [.piece(.ref(name))]
        }
    }

    /// The pieces every possibility shares: a choice whose branches all read the same is
    /// that value, any other choice is unknown.
    static func common(_ parts: [Resolved]) -> [Piece] {
        parts.flatMap { part -> [Piece] in
            switch part {
            case .piece(let piece):
                return [piece]
            case .choice(let options, let written):
                let values = options.map { Symbolic(common($0)) }
                guard let first = values.first, values.allSatisfy({ $0 == first }) else { return [.unknown(written: written)] }
                return first.pieces
            }
        }
    }

    /// Every way of taking one branch per choice, at most `Symbolic.maxPossibilities`; a
    /// choice with no branch that can be a string is unknown.
    static func expand(_ parts: [Resolved]) -> [[Piece]] {
        var results: [[Piece]] = [[]]
        for part in parts {
            let options: [[Piece]]
            switch part {
            case .piece(let piece):
                options = [[piece]]
            case .choice(let branches, let written):
                let expanded = branches.flatMap(expand).prefix(Symbolic.maxPossibilities)
                options = expanded.isEmpty ? [[.unknown(written: written)]] : Array(expanded)
            }
            var next: [[Piece]] = []
            for prefix in results {
                for option in options where next.count < Symbolic.maxPossibilities { next.append(prefix + option) }
            }
            results = next
        }
        return results
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
        if Intrinsic.isNoValue(branch) { return [] }
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
