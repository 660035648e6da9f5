import CYAML

/// Bounds that keep hostile input from exhausting memory or stack.
///
/// Templates come from users and from the network, and YAML has two cheap ways to make a
/// small file expensive: deep nesting (which recursive consumers turn into stack overflows)
/// and aliases (which multiply nodes, as in "billion laughs"). Every limit is checked while
/// events arrive, before the work it guards is done.
public struct ParserLimits: Sendable, Equatable {
    /// The largest input accepted, in bytes; checked before libyaml sees anything.
    public var maxBytes: Int
    /// The deepest nesting of sequences and mappings, counting the nesting an alias brings
    /// with it, so that every consumer of the tree may recurse over it safely.
    public var maxDepth: Int
    /// The most nodes in the whole stream, counting every node an alias expands to.
    public var maxNodes: Int
    /// The most documents in one stream.
    public var maxDocuments: Int

    /// Creates limits; the defaults are far above any real CloudFormation template.
    public init(maxBytes: Int = 64 << 20, maxDepth: Int = 256, maxNodes: Int = 1_000_000, maxDocuments: Int = 64) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
        self.maxDocuments = maxDocuments
    }

    /// 64 MiB, 256 levels, 1,000,000 nodes, 64 documents.
    public static let `default` = ParserLimits()
}

/// Reads YAML text into `Node` trees with libyaml's event parser.
///
/// libyaml only tokenises and checks the grammar; this layer builds the tree, expands
/// aliases, refuses duplicate keys and enforces `ParserLimits`, none of which libyaml does.
public enum Parser {
    /// Every document of the stream, each a Node with 1-based marks on every node.
    ///
    /// An empty stream (no bytes, or only comments and blank lines) has no documents.
    public static func parseDocuments(_ bytes: [UInt8], limits: ParserLimits = .default) throws(YAMLError) -> [Node] {
        try readStream(bytes, limits: limits).map(\.root)
    }

    /// Exactly one document, or `nil` for an empty stream (nothing, or only comments).
    ///
    /// Several documents are an error (kind `.syntax`, "expected one document, found N",
    /// marked at the start of the second), because a template is one document and silently
    /// reading only the first would hide the rest.
    public static func parse(_ text: String, limits: ParserLimits = .default) throws(YAMLError) -> Node? {
        try parse(bytes: Array(text.utf8), limits: limits)
    }

    /// Exactly one document of raw bytes, or `nil` for an empty stream; see `parse(_:limits:)`.
    ///
    /// Takes bytes rather than a String so that invalid UTF-8 reaches libyaml and is
    /// reported with its position instead of being repaired on the way in.
    public static func parse(bytes: [UInt8], limits: ParserLimits = .default) throws(YAMLError) -> Node? {
        let documents = try readStream(bytes, limits: limits)
        switch documents.count {
        case 0:
            return nil
        case 1:
            return documents[0].root
        default:
            throw YAMLError(.syntax, "expected one document, found \(documents.count)", mark: documents[1].start)
        }
    }

    /// A document's tree and where the document starts (its `---`, or its first token).
    struct Document {
        var root: Node
        var start: Mark
    }

    /// Runs libyaml over the bytes and builds every document.
    static func readStream(_ bytes: [UInt8], limits: ParserLimits) throws(YAMLError) -> [Document] {
        guard bytes.count <= limits.maxBytes else {
            throw YAMLError(.tooLarge, "input is \(bytes.count) bytes, more than the limit of \(limits.maxBytes)")
        }
        // libyaml asserts that the input pointer is non-NULL, and an empty array has no base
        // address; an empty stream has no documents anyway.
        guard !bytes.isEmpty else { return [] }

        // On the heap, not the stack: yaml_parser_set_input_string stores a pointer to the
        // parser inside the parser, so its address must not change between calls.
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        parser.initialize(to: yaml_parser_t())
        defer { parser.deallocate() }
        // On failure yaml_parser_initialize frees what it allocated, so no delete then.
        guard yaml_parser_initialize(parser) != 0 else {
            throw YAMLError(.memory, "libyaml could not initialise its parser")
        }
        defer { yaml_parser_delete(parser) }

        return try bytes.withUnsafeBufferPointer { (buffer) throws(YAMLError) -> [Document] in
            guard let base = buffer.baseAddress else { return [] }
            yaml_parser_set_input_string(parser, base, buffer.count)
            var builder = TreeBuilder(limits: limits)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(parser, &event) != 0 else {
                    throw libyamlError(parser.pointee, input: buffer)
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT {
                    return builder.documents
                }
                try builder.handle(event)
            }
        }
    }

    /// Translates libyaml's error state into a YAMLError with 1-based marks.
    static func libyamlError(_ parser: yaml_parser_t, input: UnsafeBufferPointer<UInt8>) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) }
        switch parser.error {
        case YAML_MEMORY_ERROR:
            return YAMLError(.memory, problem ?? "libyaml ran out of memory")
        case YAML_READER_ERROR:
            // The reader decodes ahead of the scanner and records only a byte offset;
            // problem_mark stays zero, so the position is recomputed from the bytes.
            let mark = readerMark(in: input, offset: parser.problem_offset)
            return YAMLError(.syntax, problem ?? "invalid input encoding", mark: mark)
        default:
            let context = parser.context.map { String(cString: $0) }
            return YAMLError(
                .syntax,
                problem ?? "libyaml refused the input without saying why",
                mark: Mark(parser.problem_mark),
                context: context,
                contextMark: context == nil ? nil : Mark(parser.context_mark)
            )
        }
    }

    /// The 1-based line and column of the character at byte `offset`, counted as libyaml's
    /// scanner counts them: columns in characters, and CR LF, CR, LF, NEL, LS and PS as
    /// line breaks. Follows libyaml's encoding detection (a UTF-16 byte order mark switches
    /// to UTF-16; a UTF-8 one is skipped and not counted).
    static func readerMark(in bytes: UnsafeBufferPointer<UInt8>, offset: Int) -> Mark {
        enum Encoding { case utf8, utf16LE, utf16BE }
        let end = min(max(offset, 0), bytes.count)
        var encoding = Encoding.utf8
        var index = 0
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE {
            encoding = .utf16LE
            index = 2
        } else if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF {
            encoding = .utf16BE
            index = 2
        } else if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            index = 3
        }

        var line = 1
        var column = 1
        var previousWasCR = false
        while index < end {
            // Decode just enough of each character to recognise line breaks.
            var character: UInt32
            var width: Int
            switch encoding {
            case .utf8:
                let lead = bytes[index]
                character = UInt32(lead)
                switch lead {
                case 0xC0..<0xE0: width = 2
                case 0xE0..<0xF0: width = 3
                case 0xF0..<0xF8: width = 4
                default: width = 1
                }
                if width == 2, index + 1 < bytes.count {
                    character = UInt32(lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
                } else if width == 3, index + 2 < bytes.count {
                    character = UInt32(lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6
                        | UInt32(bytes[index + 2] & 0x3F)
                }
            case .utf16LE, .utf16BE:
                guard index + 1 < bytes.count else { width = 2; character = 0; break }
                let (low, high) = encoding == .utf16LE ? (bytes[index], bytes[index + 1]) : (bytes[index + 1], bytes[index])
                character = UInt32(high) << 8 | UInt32(low)
                width = (0xD800..<0xDC00).contains(character) ? 4 : 2
            }
            switch character {
            case 0x0A where previousWasCR:
                break // the LF of a CR LF pair; the CR already ended the line
            case 0x0A, 0x0D, 0x85, 0x2028, 0x2029:
                line += 1
                column = 1
            default:
                column += 1
            }
            previousWasCR = character == 0x0D
            index += width
        }
        return Mark(line: line, column: column)
    }
}

extension Mark {
    /// A 1-based mark from libyaml's 0-based one.
    init(_ mark: yaml_mark_t) {
        self.init(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }
}

/// Builds trees from libyaml events with an explicit stack, so that input depth never
/// becomes Swift call depth.
private struct TreeBuilder {
    /// A finished node with what the limits need to know about it.
    struct Built {
        var node: Node
        /// Nodes in the subtree, counting alias expansions.
        var count: Int
        /// Collection levels in the subtree: 0 for a scalar, 1 for `[a]`, 2 for `[[a]]`.
        var height: Int
        var mark: Mark
    }

    /// A sequence or mapping whose end event has not arrived yet.
    struct Frame {
        enum Shape { case sequence, mapping }
        var shape: Shape
        var tag: String?
        var style: CollectionStyle
        var mark: Mark
        var anchor: String?
        var items: [Node] = []
        var pairs: [Node.Pair] = []
        /// A mapping's key waiting for its value.
        var pendingKey: Node?
        var count = 1
        var height = 1
        /// First occurrence of each scalar key, by text: one hash lookup per key.
        var scalarKeys: [String: Mark] = [:]
        /// First occurrence of each sequence or mapping key, by structure.
        var otherKeys: [StructuralKey: Mark] = [:]

        mutating func add(_ child: Built) throws(YAMLError) {
            count += child.count
            height = max(height, child.height + 1)
            switch shape {
            case .sequence:
                items.append(child.node)
            case .mapping:
                if let key = pendingKey {
                    pairs.append(Node.Pair(key, child.node))
                    pendingKey = nil
                } else {
                    try checkUnique(child)
                    pendingKey = child.node
                }
            }
        }

        private mutating func checkUnique(_ key: Built) throws(YAMLError) {
            let first: Mark?
            let name: String
            if case .scalar(let text, _) = key.node.kind {
                first = scalarKeys.updateValue(key.mark, forKey: text)
                name = text
            } else {
                first = otherKeys.updateValue(key.mark, forKey: StructuralKey(node: key.node))
                name = key.node.description
            }
            if let first {
                throw YAMLError(
                    .duplicateKey, "duplicate key '\(name)'",
                    mark: key.mark, context: "first defined", contextMark: first
                )
            }
        }
    }

    let limits: ParserLimits
    private(set) var documents: [Parser.Document] = []
    private var stack: [Frame] = []
    /// Anchors of the current document; YAML scopes them to one document.
    private var anchors: [String: Built] = [:]
    /// Nodes so far in the stream, counting alias expansions.
    private var total = 0
    private var root: Node?
    private var documentStart = Mark(line: 1, column: 1)

    init(limits: ParserLimits) {
        self.limits = limits
    }

    mutating func handle(_ event: yaml_event_t) throws(YAMLError) {
        let mark = Mark(event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            guard documents.count < limits.maxDocuments else {
                throw YAMLError(.tooLarge, "more than \(limits.maxDocuments) documents", mark: mark)
            }
            anchors = [:]
            root = nil
            documentStart = mark

        case YAML_DOCUMENT_END_EVENT:
            // libyaml gives an empty document an empty plain scalar, so root is set; the
            // fallback only keeps a malformed event sequence from crashing.
            documents.append(Parser.Document(root: root ?? Node(.scalar("", .plain), mark: documentStart), start: documentStart))
            root = nil

        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            try count(1, at: mark)
            let value = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
            let node = Node(.scalar(value, Self.style(data.style)), tag: Self.string(data.tag), mark: mark)
            try finish(Built(node: node, count: 1, height: 0, mark: mark), anchor: Self.string(data.anchor))

        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            try open(.sequence, tag: Self.string(data.tag), anchor: Self.string(data.anchor),
                     style: data.style == YAML_FLOW_SEQUENCE_STYLE ? .flow : .block, at: mark)

        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            try open(.mapping, tag: Self.string(data.tag), anchor: Self.string(data.anchor),
                     style: data.style == YAML_FLOW_MAPPING_STYLE ? .flow : .block, at: mark)

        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else {
                throw YAMLError(.syntax, "end of a collection that was never opened", mark: mark)
            }
            let kind: Node.Kind = switch frame.shape {
            case .sequence: .sequence(frame.items, frame.style)
            case .mapping: .mapping(frame.pairs, frame.style)
            }
            let node = Node(kind, tag: frame.tag, mark: frame.mark)
            try finish(Built(node: node, count: frame.count, height: frame.height, mark: frame.mark), anchor: frame.anchor)

        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
            guard var target = anchors[name] else {
                throw YAMLError(.aliasExpansion, "unknown alias '*\(name)'", mark: mark)
            }
            // Both checks come before the copy is attached: the copy itself is cheap (the
            // arrays are shared), but every consumer walks the expanded tree.
            guard stack.count + target.height <= limits.maxDepth else {
                throw YAMLError(.tooDeep, "nesting deeper than \(limits.maxDepth) levels", mark: mark)
            }
            guard target.count <= limits.maxNodes - total else {
                throw YAMLError(.aliasExpansion, "alias expansion exceeds \(limits.maxNodes) nodes", mark: mark)
            }
            total += target.count
            // The copy starts where the alias is written, so errors about it (a duplicate
            // key, say) point at the alias; its inner nodes keep the anchored marks.
            target.node.mark = mark
            target.mark = mark
            try attach(target)

        default:
            break // stream start/end carry nothing for the tree
        }
    }

    private mutating func open(_ shape: Frame.Shape, tag: String?, anchor: String?, style: CollectionStyle, at mark: Mark) throws(YAMLError) {
        guard stack.count < limits.maxDepth else {
            throw YAMLError(.tooDeep, "nesting deeper than \(limits.maxDepth) levels", mark: mark)
        }
        try count(1, at: mark)
        stack.append(Frame(shape: shape, tag: tag, style: style, mark: mark, anchor: anchor))
    }

    private mutating func count(_ nodes: Int, at mark: Mark) throws(YAMLError) {
        guard nodes <= limits.maxNodes - total else {
            throw YAMLError(.tooLarge, "more than \(limits.maxNodes) nodes", mark: mark)
        }
        total += nodes
    }

    private mutating func finish(_ built: Built, anchor: String?) throws(YAMLError) {
        if let anchor {
            anchors[anchor] = built
        }
        try attach(built)
    }

    private mutating func attach(_ built: Built) throws(YAMLError) {
        if stack.isEmpty {
            root = built.node
            return
        }
        do {
            try stack[stack.count - 1].add(built)
        } catch {
            var located = error
            if error.kind == .duplicateKey { located.path = path(to: built.node) }
            throw located
        }
    }

    /// Where a key being added sits: each open mapping's pending key, each open sequence's
    /// next index, then the key itself. A duplicate key has no tree to point into yet, and
    /// the path is what lets a caller name the resource it belongs to.
    private func path(to key: Node) -> [String] {
        var segments: [String] = []
        for frame in stack.dropLast() {
            switch frame.shape {
            case .mapping: segments.append(frame.pendingKey?.scalar ?? frame.pendingKey?.description ?? "?")
            case .sequence: segments.append(String(frame.items.count))
            }
        }
        segments.append(key.scalar ?? key.description)
        return segments
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func style(_ style: yaml_scalar_style_t) -> ScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain // the parser reports plain scalars as plain, never as "any"
        }
    }
}

/// A sequence or mapping used as a mapping key, hashed by structure so that duplicate
/// detection stays one lookup per key. Equality is `Node ==` (tag and content, styles
/// included); the hash leaves styles and marks out, which keeps it consistent with that.
private struct StructuralKey: Hashable {
    var node: Node

    static func == (lhs: StructuralKey, rhs: StructuralKey) -> Bool {
        lhs.node == rhs.node
    }

    func hash(into hasher: inout Hasher) {
        Self.feed(node, into: &hasher)
    }

    /// Recursive, which is safe because the builder has already bounded the depth.
    private static func feed(_ node: Node, into hasher: inout Hasher) {
        hasher.combine(node.tag)
        switch node.kind {
        case .scalar(let text, _):
            hasher.combine(0)
            hasher.combine(text)
        case .sequence(let items, _):
            hasher.combine(1)
            hasher.combine(items.count)
            for item in items { feed(item, into: &hasher) }
        case .mapping(let pairs, _):
            hasher.combine(2)
            hasher.combine(pairs.count)
            for pair in pairs {
                feed(pair.key, into: &hasher)
                feed(pair.value, into: &hasher)
            }
        }
    }
}
