import Testing
import YAML

// MARK: - Helpers

extension ParserTests {
    /// One step into a tree: a mapping key or a sequence index.
    enum Step: Sendable, CustomStringConvertible {
        case key(String)
        case index(Int)

        var description: String {
            switch self {
            case .key(let key): key
            case .index(let index): "[\(index)]"
            }
        }
    }

    /// What a path leads to: the node itself, or (for the last `.key`) the key node.
    enum Target: Sendable {
        case value
        case keyNode
    }
}

fileprivate extension Node {
    /// The node at `path`; with `.keyNode`, the last step's key node instead of its value.
    func at(_ path: [ParserTests.Step], _ target: ParserTests.Target = .value) -> Node? {
        var node: Node? = self
        for (position, step) in path.enumerated() {
            switch step {
            case .index(let index):
                guard let items = node?.items, items.indices.contains(index) else { return nil }
                node = items[index]
            case .key(let key):
                guard let pair = node?.pairs?.first(where: { $0.key.scalar == key }) else { return nil }
                let isLast = position == path.count - 1
                node = isLast && target == .keyNode ? pair.key : pair.value
            }
        }
        return node
    }
}

/// The parser: marks, styles, tags, duplicate keys, limits, aliases and libyaml errors.
@Suite("Parser")
struct ParserTests {
    static let template = """
    AWSTemplateFormatVersion: "2010-09-09"
    Resources:
      Bucket:
        Type: AWS::S3::Bucket
        Properties:
          BucketName: !Ref Name
          Tags:
            - Key: team
              Value: !GetAtt Team.Name
          Ports: [80, 443]
    Outputs: {}
    """

    // MARK: - Marks

    struct MarkCase: Sendable, CustomTestStringConvertible {
        var name: String
        var path: [Step]
        var target: Target = .value
        var line: Int
        var column: Int
        var testDescription: String { name }
    }

    @Test("every node's mark is its 1-based start position", arguments: [
        MarkCase(name: "the root mapping", path: [], line: 1, column: 1),
        MarkCase(name: "a top-level key", path: [.key("Resources")], target: .keyNode, line: 2, column: 1),
        MarkCase(name: "a nested mapping", path: [.key("Resources"), .key("Bucket")], line: 4, column: 5),
        MarkCase(name: "a nested key", path: [.key("Resources"), .key("Bucket")], target: .keyNode, line: 3, column: 3),
        MarkCase(name: "a nested scalar value",
                 path: [.key("Resources"), .key("Bucket"), .key("Type")], line: 4, column: 11),
        MarkCase(name: "a double-quoted value", path: [.key("AWSTemplateFormatVersion")], line: 1, column: 27),
        MarkCase(name: "a block sequence (its first dash)",
                 path: [.key("Resources"), .key("Bucket"), .key("Properties"), .key("Tags")], line: 8, column: 9),
        MarkCase(name: "a block sequence item",
                 path: [.key("Resources"), .key("Bucket"), .key("Properties"), .key("Tags"), .index(0)], line: 8, column: 11),
        MarkCase(name: "a tagged scalar (where the tag starts)",
                 path: [.key("Resources"), .key("Bucket"), .key("Properties"), .key("BucketName")], line: 6, column: 19),
        MarkCase(name: "a tagged scalar inside a sequence item",
                 path: [.key("Resources"), .key("Bucket"), .key("Properties"), .key("Tags"), .index(0), .key("Value")],
                 line: 9, column: 18),
        MarkCase(name: "a flow sequence",
                 path: [.key("Resources"), .key("Bucket"), .key("Properties"), .key("Ports")], line: 10, column: 14),
        MarkCase(name: "a flow sequence item",
                 path: [.key("Resources"), .key("Bucket"), .key("Properties"), .key("Ports"), .index(1)], line: 10, column: 19),
        MarkCase(name: "an empty flow mapping", path: [.key("Outputs")], line: 11, column: 10),
    ])
    func marks(_ testCase: MarkCase) throws {
        let root = try #require(try Parser.parse(Self.template))
        let node = try #require(root.at(testCase.path, testCase.target))
        #expect(node.mark == Mark(line: testCase.line, column: testCase.column))
    }

    @Test("columns count characters, not bytes")
    func columnsCountCharacters() throws {
        let root = try #require(try Parser.parse("é: [ü, x]"))
        #expect(root.at([.key("é"), .index(1)])?.mark == Mark(line: 1, column: 8))
    }

    // MARK: - Styles and tags

    @Test("scalars record the style they were written in", arguments: [
        ("v: plain", ScalarStyle.plain, "plain"),
        ("v: 'single'", .singleQuoted, "single"),
        ("v: \"double\"", .doubleQuoted, "double"),
        ("v: |\n  literal\n", .literal, "literal\n"),
        ("v: >\n  folded\n  text\n", .folded, "folded text\n"),
        ("v:", .plain, ""),
    ])
    func scalarStyles(yaml: String, style: ScalarStyle, text: String) throws {
        let value = try #require(try Parser.parse(yaml)?["v"])
        #expect(value.kind == .scalar(text, style))
    }

    @Test("collections record block or flow style", arguments: [
        ("v:\n  - a\n", Node.Kind.sequence([Node(.scalar("a", .plain))], .block)),
        ("v: [a]", .sequence([Node(.scalar("a", .plain))], .flow)),
        ("v:\n  a: b\n", .mapping([Node.Pair(Node(.scalar("a", .plain)), Node(.scalar("b", .plain)))], .block)),
        ("v: {a: b}", .mapping([Node.Pair(Node(.scalar("a", .plain)), Node(.scalar("b", .plain)))], .flow)),
    ])
    func collectionStyles(yaml: String, kind: Node.Kind) throws {
        #expect(try Parser.parse(yaml)?["v"]?.kind == kind)
    }

    @Test("tags are recorded as libyaml resolves them", arguments: [
        ("v: !Ref Bucket", "!Ref" as String?),
        ("v: !GetAtt Bucket.Arn", "!GetAtt"),
        ("v: !Sub\n  - '${A}'\n  - A: b\n", "!Sub"),
        ("v: !!str 1", "tag:yaml.org,2002:str"),
        ("v: !If [C, a, b]", "!If"),
        ("v: plain", nil),
    ])
    func tags(yaml: String, tag: String?) throws {
        let value = try #require(try Parser.parse(yaml)?["v"])
        #expect(value.tag == tag)
    }

    @Test("a tagged sequence keeps its items and its tag")
    func taggedSequence() throws {
        let value = try #require(try Parser.parse("v: !Sub\n  - '${A}'\n  - A: b\n")?["v"])
        #expect(value == Node(.sequence([
            Node(.scalar("${A}", .singleQuoted)),
            Node(.mapping([Node.Pair(Node(.scalar("A", .plain)), Node(.scalar("b", .plain)))], .block)),
        ], .block), tag: "!Sub"))
        #expect(value.mark == Mark(line: 1, column: 4))
    }

    @Test("scalar text is read by length, so an escaped NUL survives")
    func nulInScalar() throws {
        #expect(try Parser.parse(#"v: "a\0b""#)?["v"]?.scalar == "a\u{0}b")
    }

    // MARK: - Duplicate keys

    struct DuplicateCase: Sendable, CustomTestStringConvertible {
        var name: String
        var yaml: String
        var message: String
        var mark: Mark
        var first: Mark
        var testDescription: String { name }
    }

    @Test("a mapping that repeats a key is refused at the second occurrence", arguments: [
        DuplicateCase(name: "top level", yaml: "a: 1\nb: 2\na: 3\n", message: "duplicate key 'a'",
                      mark: Mark(line: 3, column: 1), first: Mark(line: 1, column: 1)),
        DuplicateCase(name: "nested", yaml: "Resources:\n  X:\n    Type: A\n    Type: B\n", message: "duplicate key 'Type'",
                      mark: Mark(line: 4, column: 5), first: Mark(line: 3, column: 5)),
        DuplicateCase(name: "flow mapping", yaml: "{a: 1, b: 2, a: 3}", message: "duplicate key 'a'",
                      mark: Mark(line: 1, column: 14), first: Mark(line: 1, column: 2)),
        DuplicateCase(name: "same text in another style", yaml: "a: 1\n\"a\": 2\n", message: "duplicate key 'a'",
                      mark: Mark(line: 2, column: 1), first: Mark(line: 1, column: 1)),
        DuplicateCase(name: "sequence keys compared by structure", yaml: "? [a, b]\n: 1\n? [a, b]\n: 2\n",
                      message: "duplicate key '[a, b]'", mark: Mark(line: 3, column: 3), first: Mark(line: 1, column: 3)),
    ])
    func duplicateKeys(_ testCase: DuplicateCase) throws {
        let error = try #require(throws: YAMLError.self) { _ = try Parser.parse(testCase.yaml) }
        #expect(error.kind == .duplicateKey)
        #expect(error.message == testCase.message)
        #expect(error.mark == testCase.mark)
        #expect(error.context == "first defined")
        #expect(error.contextMark == testCase.first)
    }

    @Test("the same key in sibling mappings is not a duplicate")
    func siblingKeys() throws {
        let root = try #require(try Parser.parse("A:\n  Type: x\nB:\n  Type: y\n"))
        #expect(root.at([.key("B"), .key("Type")])?.scalar == "y")
    }

    @Test("structurally different sequence keys are not duplicates")
    func differentSequenceKeys() throws {
        let root = try #require(try Parser.parse("? [a, b]\n: 1\n? [a, c]\n: 2\n"))
        #expect(root.pairs?.count == 2)
    }

    // MARK: - Bad input

    /// The billion-laughs document: nine levels, each a sequence of nine aliases to the level
    /// before. Expanded it would hold about 430 million nodes.
    static let aliasBomb: String = {
        let names = Array("abcdefghi").map(String.init)
        var text = "a: &a [" + Array(repeating: "\"lol\"", count: 9).joined(separator: ",") + "]\n"
        for level in 1..<names.count {
            text += "\(names[level]): &\(names[level]) ["
                + Array(repeating: "*\(names[level - 1])", count: 9).joined(separator: ",") + "]\n"
        }
        return text
    }()

    struct BadInput: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var limits: ParserLimits = .default
        var kind: YAMLError.Kind
        var message: String
        var mark: Mark?
        var context: String? = nil
        var contextMark: Mark? = nil
        var testDescription: String { name }

        init(_ name: String, _ text: String, limits: ParserLimits = .default, _ kind: YAMLError.Kind, _ message: String,
             at mark: Mark?, context: String? = nil, contextMark: Mark? = nil) {
            self.init(name, Array(text.utf8), limits: limits, kind, message, at: mark, context: context, contextMark: contextMark)
        }

        init(_ name: String, _ bytes: [UInt8], limits: ParserLimits = .default, _ kind: YAMLError.Kind, _ message: String,
             at mark: Mark?, context: String? = nil, contextMark: Mark? = nil) {
            self.name = name
            self.bytes = bytes
            self.limits = limits
            self.kind = kind
            self.message = message
            self.mark = mark
            self.context = context
            self.contextMark = contextMark
        }
    }

    @Test("bad input is refused with its kind, message and position", arguments: [
        BadInput("a tab used as indentation", "a:\n\tb: 1", .syntax, "found character that cannot start any token",
                 at: Mark(line: 2, column: 1), context: "while scanning for the next token", contextMark: Mark(line: 2, column: 1)),
        // libyaml forces a line break before the end of the stream, so a problem found at the
        // end of a last line without a newline is reported at the start of the line after it.
        BadInput("an unclosed flow sequence", "[a, b", .syntax, "did not find expected ',' or ']'",
                 at: Mark(line: 2, column: 1), context: "while parsing a flow sequence", contextMark: Mark(line: 1, column: 1)),
        BadInput("a second colon on one line", "key: value: other", .syntax, "mapping values are not allowed in this context",
                 at: Mark(line: 1, column: 11)),
        BadInput("invalid UTF-8", [0x61, 0x3A, 0x20, 0xFF, 0xFE], .syntax, "invalid leading UTF-8 octet",
                 at: Mark(line: 1, column: 4)),
        BadInput("invalid UTF-8 after CR LF and a multi-byte character", Array("a: 1\r\nb: é\nc: é".utf8) + [0xFF],
                 .syntax, "invalid leading UTF-8 octet", at: Mark(line: 3, column: 5)),
        BadInput("invalid UTF-8 after a byte order mark", [0xEF, 0xBB, 0xBF] + Array("a: ".utf8) + [0xC3],
                 .syntax, "incomplete UTF-8 octet sequence", at: Mark(line: 1, column: 4)),
        BadInput("a control character", "a: \u{1}", .syntax, "control characters are not allowed",
                 at: Mark(line: 1, column: 4)),
        BadInput("an alias to an unknown anchor", "a: 1\nb: *x\n", .aliasExpansion, "unknown alias '*x'",
                 at: Mark(line: 2, column: 4)),
        BadInput("an alias inside its own anchor", "a: &a [*a]", .aliasExpansion, "unknown alias '*a'",
                 at: Mark(line: 1, column: 8)),
        BadInput("an alias to an anchor of an earlier document", "a: &x 1\n---\nb: *x\n", .aliasExpansion,
                 "unknown alias '*x'", at: Mark(line: 3, column: 4)),
        BadInput("100,000 nested flow sequences", Array(repeating: UInt8(ascii: "["), count: 100_000), .tooDeep,
                 "nesting deeper than 256 levels", at: Mark(line: 1, column: 257)),
        BadInput("300 nested block mappings", (0..<300).map { String(repeating: " ", count: $0) + "k:\n" }.joined(),
                 .tooDeep, "nesting deeper than 256 levels", at: Mark(line: 257, column: 257)),
        BadInput("an alias that carries nesting past the limit", "a: &a [[1]]\nb: [*a]\n", limits: ParserLimits(maxDepth: 3),
                 .tooDeep, "nesting deeper than 3 levels", at: Mark(line: 2, column: 5)),
        // Lines a–f hold 672,610 nodes; g's key and sequence make 672,612, and its first *f
        // adds 597,871 more, passing 1,000,000 at line 7, column 8.
        BadInput("a billion-laughs alias bomb", Self.aliasBomb, .aliasExpansion, "alias expansion exceeds 1000000 nodes",
                 at: Mark(line: 7, column: 8)),
        BadInput("more nodes than the limit without aliases", "[1, 2, 3, 4, 5]", limits: ParserLimits(maxNodes: 5),
                 .tooLarge, "more than 5 nodes", at: Mark(line: 1, column: 14)),
        BadInput("more documents than the limit", "a: 1\n---\nb: 2\n---\nc: 3\n", limits: ParserLimits(maxDocuments: 2),
                 .tooLarge, "more than 2 documents", at: Mark(line: 4, column: 1)),
        BadInput("more bytes than the limit", "a: 12345\n", limits: ParserLimits(maxBytes: 8),
                 .tooLarge, "input is 9 bytes, more than the limit of 8", at: nil),
    ])
    func badInput(_ testCase: BadInput) throws {
        let error = try #require(throws: YAMLError.self) { _ = try Parser.parseDocuments(testCase.bytes, limits: testCase.limits) }
        #expect(error.kind == testCase.kind)
        #expect(error.message == testCase.message)
        #expect(error.mark == testCase.mark)
        #expect(error.context == testCase.context)
        #expect(error.contextMark == testCase.contextMark)
    }

    @Test("an alias bomb is refused in well under a second")
    func aliasBombIsFast() throws {
        let clock = ContinuousClock()
        var kind: YAMLError.Kind?
        let elapsed = clock.measure {
            do throws(YAMLError) {
                _ = try Parser.parse(Self.aliasBomb)
            } catch {
                kind = error.kind
            }
        }
        #expect(kind == .aliasExpansion)
        #expect(elapsed < .milliseconds(500))
    }

    @Test("nesting exactly at the depth limit is accepted")
    func depthAtLimit() throws {
        let text = String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
        var node = try #require(try Parser.parse(text))
        var depth = 1
        while let inner = node.items?.first {
            node = inner
            depth += 1
        }
        #expect(depth == 256)
    }

    @Test("the node limit counts the nodes an alias expands to")
    func nodeLimitCountsAliases() throws {
        // mapping, a, [1, 2, 3] (4 nodes), b, and *a copying 4 more: 11 nodes.
        let text = "a: &a [1, 2, 3]\nb: *a\n"
        #expect(try Parser.parse(text, limits: ParserLimits(maxNodes: 11)) != nil)
        let error = try #require(throws: YAMLError.self) { _ = try Parser.parse(text, limits: ParserLimits(maxNodes: 10)) }
        #expect(error.kind == .aliasExpansion)
        #expect(error.mark == Mark(line: 2, column: 4))
    }

    @Test("the byte limit allows input of exactly that size")
    func byteLimitBoundary() throws {
        #expect(try Parser.parse("a: 1", limits: ParserLimits(maxBytes: 4))?["a"]?.scalar == "1")
    }

    // MARK: - Documents

    @Test("an empty stream has no document", arguments: ["", "# only a comment\n", "\n\n   \n", "# one\n# two"])
    func emptyStream(text: String) throws {
        #expect(try Parser.parse(text) == nil)
        #expect(try Parser.parseDocuments(Array(text.utf8)).isEmpty)
    }

    @Test("an explicit empty document is an empty plain scalar")
    func emptyDocument() throws {
        #expect(try Parser.parse("---\n")?.kind == .scalar("", .plain))
    }

    @Test("parse refuses a stream of two documents, pointing at the second")
    func parseRefusesTwoDocuments() throws {
        let error = try #require(throws: YAMLError.self) { _ = try Parser.parse("a: 1\n---\nb: 2\n") }
        #expect(error.kind == .syntax)
        #expect(error.message == "expected one document, found 2")
        #expect(error.mark == Mark(line: 2, column: 1))
    }

    @Test("parseDocuments returns every document in order with its own marks")
    func parseDocumentsReturnsAll() throws {
        let documents = try Parser.parseDocuments(Array("a: 1\n---\nb: 2\n".utf8))
        #expect(documents == [.mapping([("a", .plain("1"))]), .mapping([("b", .plain("2"))])].map(Self.plainKeys))
        #expect(documents.last?.mark == Mark(line: 3, column: 1))
    }

    /// `Node.mapping` builds keys with style `.any`; a parsed key is `.plain`.
    static func plainKeys(_ node: Node) -> Node {
        guard case .mapping(let pairs, let style) = node.kind else { return node }
        let keyed = pairs.map { pair in
            Node.Pair(Node(.scalar(pair.key.scalar ?? "", .plain), tag: pair.key.tag), pair.value)
        }
        return Node(.mapping(keyed, style), tag: node.tag)
    }

    @Test("bytes and text give the same tree")
    func bytesAndText() throws {
        #expect(try Parser.parse(bytes: Array(Self.template.utf8)) == Parser.parse(Self.template))
    }

    @Test("a JSON document parses as flow collections with marks")
    func jsonDocument() throws {
        let root = try #require(try Parser.parse(#"{"a": [1, 2], "b": {"c": "d"}}"#))
        let a = Node(.scalar("a", .doubleQuoted))
        let b = Node(.scalar("b", .doubleQuoted))
        let c = Node(.scalar("c", .doubleQuoted))
        #expect(root == Node(.mapping([
            Node.Pair(a, Node(.sequence([Node(.scalar("1", .plain)), Node(.scalar("2", .plain))], .flow))),
            Node.Pair(b, Node(.mapping([Node.Pair(c, Node(.scalar("d", .doubleQuoted)))], .flow))),
        ], .flow)))
        #expect(root.mark == Mark(line: 1, column: 1))
        #expect(root.at([.key("a")], .keyNode)?.mark == Mark(line: 1, column: 2))
        #expect(root.at([.key("a"), .index(1)])?.mark == Mark(line: 1, column: 11))
        #expect(root.at([.key("b"), .key("c")])?.mark == Mark(line: 1, column: 26))
    }

    // MARK: - Aliases and merge keys

    @Test("an alias expands to a copy of the anchored node, marked where the alias is")
    func aliasCopies() throws {
        let root = try #require(try Parser.parse("base: &b\n  k: [1, 2]\ncopy: *b\n"))
        let base = try #require(root["base"])
        let copy = try #require(root["copy"])
        #expect(copy == base)
        #expect(copy.mark == Mark(line: 3, column: 7))
        // Inner nodes are the anchored ones, so they point where their text is.
        #expect(copy.at([.key("k"), .index(1)])?.mark == Mark(line: 2, column: 10))
    }

    @Test("an alias to a tagged scalar keeps the tag")
    func aliasToTaggedScalar() throws {
        let root = try #require(try Parser.parse("a: &n !Ref Bucket\nb: [*n, *n]\n"))
        #expect(root["b"]?.items == [Node(.scalar("Bucket", .plain), tag: "!Ref"), Node(.scalar("Bucket", .plain), tag: "!Ref")])
    }

    @Test("a redefined anchor refers to its latest node")
    func redefinedAnchor() throws {
        let root = try #require(try Parser.parse("a: &x 1\nb: &x 2\nc: *x\n"))
        #expect(root["c"]?.scalar == "2")
    }

    @Test("a merge key stays an ordinary key")
    func mergeKeyIsOrdinary() throws {
        let root = try #require(try Parser.parse("base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n"))
        let derived = try #require(root["derived"])
        #expect(derived.pairs?.map(\.key.scalar) == ["<<", "y"])
        #expect(derived["<<"] == root["base"])
    }
}

@Suite("Parser duplicate-key paths")
struct ParserDuplicatePathTests {
    @Test("A duplicate key's error carries the keys and indexes down to it")
    func path() {
        do {
            _ = try Parser.parse("a:\n  - x: 1\n  - b: 1\n    c: 2\n    b: 3\n")
            Issue.record("the duplicate key was accepted")
        } catch {
            #expect(error.kind == .duplicateKey)
            #expect(error.path == ["a", "1", "b"])
            #expect(error.mark == Mark(line: 5, column: 5))
        }
    }

    @Test("A duplicate at the top level has a one-key path")
    func topLevel() {
        do {
            _ = try Parser.parse("Resources: {}\nResources: {}\n")
            Issue.record("the duplicate key was accepted")
        } catch {
            #expect(error.path == ["Resources"])
        }
    }
}
