/// A position in YAML source text, 1-based as editors show it.
public struct Mark: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The 1-based line.
    public var line: Int
    /// The 1-based column, counted in characters (libyaml counts code points, not bytes).
    public var column: Int

    /// Creates a mark from 1-based line and column.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: Mark, rhs: Mark) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    /// `line:column`, the form compilers and editors print.
    public var description: String { "\(line):\(column)" }
}

/// A node of a YAML document: a scalar, a sequence or a mapping, with its tag and source mark.
///
/// The tree is a value: the emitter writes it, the parser builds it, and nothing in it owns
/// C state. Equality compares tag and content and ignores `mark`, so a parsed tree can be
/// compared with a built one.
public struct Node: Sendable, CustomStringConvertible {
    /// What the node holds.
    public enum Kind: Sendable, Equatable {
        /// A scalar's text and how it is (or is to be) written.
        case scalar(String, ScalarStyle)
        /// Items in order, and whether they are written in block or flow style.
        case sequence([Node], CollectionStyle)
        /// Key/value pairs in the order given; the YAML layer never reorders them.
        case mapping([Pair], CollectionStyle)
    }

    /// One entry of a mapping.
    public struct Pair: Sendable, Equatable {
        /// The key node (a scalar in every CloudFormation template).
        public var key: Node
        /// The value node.
        public var value: Node

        /// Creates a pair.
        public init(_ key: Node, _ value: Node) {
            self.key = key
            self.value = value
        }
    }

    /// The content.
    public var kind: Kind
    /// The tag as written after resolving handles, e.g. `!Ref`, or `nil` for none.
    public var tag: String?
    /// Where the node starts in its source text; `nil` for nodes built in code.
    public var mark: Mark?

    /// Creates a node.
    public init(_ kind: Kind, tag: String? = nil, mark: Mark? = nil) {
        self.kind = kind
        self.tag = tag
        self.mark = mark
    }

    /// A string scalar: the emitter writes it plain when a YAML 1.1 reader would read the
    /// same string back, and quotes it otherwise.
    public static func string(_ value: String, tag: String? = nil) -> Node {
        Node(.scalar(value, .any), tag: tag)
    }

    /// A scalar written exactly as given, unquoted: numbers and booleans meant as such.
    public static func plain(_ value: String) -> Node {
        Node(.scalar(value, .plain))
    }

    /// A block sequence.
    public static func sequence(_ items: [Node], style: CollectionStyle = .block, tag: String? = nil) -> Node {
        Node(.sequence(items, style), tag: tag)
    }

    /// A block mapping with its pairs in the order given.
    public static func mapping(_ pairs: [(String, Node)], tag: String? = nil) -> Node {
        Node(.mapping(pairs.map { Pair(.string($0.0), $0.1) }, .block), tag: tag)
    }

    /// The scalar text, or `nil` when the node is a sequence or mapping.
    public var scalar: String? {
        if case .scalar(let value, _) = kind { return value }
        return nil
    }

    /// The items, or `nil` when the node is not a sequence.
    public var items: [Node]? {
        if case .sequence(let items, _) = kind { return items }
        return nil
    }

    /// The pairs, or `nil` when the node is not a mapping.
    public var pairs: [Pair]? {
        if case .mapping(let pairs, _) = kind { return pairs }
        return nil
    }

    /// The value of the first pair whose key is the scalar `key`, if this is a mapping.
    public subscript(key: String) -> Node? {
        pairs?.first { $0.key.scalar == key }?.value
    }

    /// A compact, flow-like rendering for messages and test failures.
    public var description: String {
        let prefix = tag.map { "\($0) " } ?? ""
        switch kind {
        case .scalar(let value, _):
            return prefix + value
        case .sequence(let items, _):
            return prefix + "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .mapping(let pairs, _):
            return prefix + "{" + pairs.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        }
    }
}

extension Node: Equatable {
    /// Tag and content; marks are where a node was read, not what it is.
    public static func == (lhs: Node, rhs: Node) -> Bool {
        lhs.tag == rhs.tag && lhs.kind == rhs.kind
    }
}

/// How a scalar is written.
public enum ScalarStyle: Sendable, Equatable {
    /// A string; the emitter picks plain or quoted so that it reads back as the same string.
    case any
    /// Unquoted, exactly as given (numbers, booleans, and whatever a parser read unquoted).
    case plain
    /// `'single quoted'`.
    case singleQuoted
    /// `"double quoted"` with escapes.
    case doubleQuoted
    /// `|` literal block.
    case literal
    /// `>` folded block.
    case folded
}

/// How a sequence or mapping is written.
public enum CollectionStyle: Sendable, Equatable {
    /// Indented, one entry per line.
    case block
    /// `[a, b]` / `{a: b}` on one line.
    case flow
}
