import Testing
import YAML

/// The text of the one-pair document `k: node`.
private func emitValue(_ node: Node) throws -> String {
    try Emitter.emit(.mapping([("k", node)]))
}

/// Strings that a YAML 1.1 or 1.2 reader would read as something else, or as YAML syntax,
/// with the line each must come out as.
private let quotedStrings: [(String, String)] = [
    ("yes", "k: 'yes'"),
    ("No", "k: 'No'"),
    ("on", "k: 'on'"),
    ("OFF", "k: 'OFF'"),
    ("y", "k: 'y'"),
    ("null", "k: 'null'"),
    ("~", "k: '~'"),
    ("10", "k: '10'"),
    ("0755", "k: '0755'"),
    ("0x1F", "k: '0x1F'"),
    ("1e3", "k: '1e3'"),
    ("1.5", "k: '1.5'"),
    (".inf", "k: '.inf'"),
    ("-.Inf", "k: '-.Inf'"),
    (".nan", "k: '.nan'"),
    ("1:30", "k: '1:30'"),
    ("2010-09-09", "k: '2010-09-09'"),
    ("", "k: ''"),
    ("*star", "k: '*star'"),
    ("&amp", "k: '&amp'"),
    ("!bang", "k: '!bang'"),
    ("@at", "k: '@at'"),
    ("%pct", "k: '%pct'"),
    ("`tick", "k: '`tick'"),
    ("a: b", "k: 'a: b'"),
    ("a #b", "k: 'a #b'"),
    ("- dash", "k: '- dash'"),
    ("[x]", "k: '[x]'"),
    ("{x}", "k: '{x}'"),
    ("trailing ", "k: 'trailing '"),
    (" leading", "k: ' leading'"),
    ("ends:", "k: 'ends:'"),
]

/// Strings every reader reads back as themselves: they must not be quoted.
private let plainStrings: [String] = [
    "hello",
    "meno-realtime",
    "index.handler",
    "lambda/realtime/chat-send/",
    "$request.body.action",
    "$connect",
    "chat.send",
    "nodejs22.x",
    "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*",
    "AWS::ApiGatewayV2::Api",
    "2010-09-09x",
    "v10",
    "a:b",
    "a#b",
    "Ünïcödé ✓",
]

/// The scalar in a `k: value` line, read back the way a YAML reader reads a plain or a
/// single-quoted scalar (`''` is one quote); nil for any other form.
private func readBack(_ line: String) -> String? {
    guard line.hasPrefix("k: ") else { return nil }
    let scalar = line.dropFirst(3)
    if scalar.hasPrefix("'") {
        guard scalar.count >= 2, scalar.hasSuffix("'") else { return nil }
        return scalar.dropFirst().dropLast().replacingAll("''", with: "'")
    }
    return String(scalar)
}

private extension StringProtocol {
    /// Every `target` replaced (Foundation is not imported here, to keep the tests on the YAML API).
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

/// A 500-character `!Sub` text with many spaces (where a folding emitter would break lines),
/// starting with `prefix`.
private func longSub(_ prefix: String) -> String {
    var text = prefix
    while text.count + 16 <= 500 { text += " ${AWS::Region}/x" }
    return text + String(repeating: "y", count: 500 - text.count)
}

@Suite("Emitter")
struct EmitterTests {
    // MARK: - Quoting

    @Test("A string a YAML reader would not read back as that string is single-quoted", arguments: quotedStrings)
    func stringThatIsNotAStringIsQuoted(_ text: String, _ expected: String) throws {
        #expect(try emitValue(.string(text)) == expected + "\n")
    }

    @Test("A string every YAML reader reads back as itself stays plain", arguments: plainStrings)
    func plainStringStaysPlain(_ text: String) throws {
        #expect(try emitValue(.string(text)) == "k: \(text)\n")
    }

    @Test("Every table string reads back as itself, and is written plain only when ImplicitType says string",
          arguments: quotedStrings.map(\.0) + plainStrings)
    func tableStringRoundTrips(_ text: String) throws {
        let line = try emitValue(.string(text))
        #expect(line.hasSuffix("\n"))
        let value = String(line.dropLast())
        #expect(readBack(value) == text)
        if !value.hasPrefix("k: '") {
            #expect(ImplicitType.of(text) == .string)
        }
    }

    @Test("A key is quoted by the same rule as a value")
    func keyIsQuotedLikeAValue() throws {
        let text = try Emitter.emit(.mapping([("yes", .string("a")), ("y", .plain("1")), ("Name", .string("b"))]))
        #expect(text == "'yes': a\n'y': 1\nName: b\n")
    }

    @Test("A string that needs quotes inside a flow sequence is quoted there")
    func flowIndicatorIsQuotedInFlow() throws {
        let text = try emitValue(.sequence([.string("a,b"), .string("c")], style: .flow))
        #expect(text == "k: ['a,b', c]\n")
    }

    // MARK: - ImplicitType

    @Test("ImplicitType reads each plain scalar as a YAML 1.1 or 1.2 reader would", arguments: [
        ("", ImplicitType.null), ("~", .null), ("null", .null), ("Null", .null), ("NULL", .null), ("nuLL", .null),
        ("y", .bool), ("Y", .bool), ("n", .bool), ("N", .bool), ("yes", .bool), ("Yes", .bool), ("YES", .bool),
        ("yEs", .bool), ("no", .bool), ("NO", .bool), ("true", .bool), ("True", .bool), ("TRUE", .bool),
        ("false", .bool), ("fAlSe", .bool), ("on", .bool), ("ON", .bool), ("off", .bool), ("Off", .bool),
        ("0", .int), ("10", .int), ("-10", .int), ("+10", .int), ("1_000", .int), ("0755", .int), ("0999", .int),
        ("0o17", .int), ("0x1F", .int), ("0xff_ff", .int), ("-0x1F", .int), ("0b101", .int), ("1:30", .int),
        ("190:20:30", .int),
        ("1.5", .float), (".5", .float), ("1.", .float), ("1e3", .float), ("1E+3", .float), ("-1.5e-3", .float),
        ("6.8523015e+5", .float), ("1_000.5", .float), (".inf", .float), ("-.Inf", .float), ("+.INF", .float),
        (".nan", .float), (".NaN", .float), (".NAN", .float), ("1:30.5", .float),
        ("2010-09-09", .timestamp), ("2001-12-14t21:59:43.10-05:00", .timestamp),
        ("2001-12-14 21:59:43.10 -5", .timestamp), ("2001-12-14T21:59:43Z", .timestamp),
        ("2001-12-14 21:59:43", .timestamp), ("2001-1-4 1:59:43 +05:30", .timestamp),
        ("<<", .merge), ("=", .value),
    ])
    func implicitTypeOfPlainScalar(_ text: String, _ expected: ImplicitType) {
        #expect(ImplicitType.of(text) == expected)
    }

    @Test("ImplicitType reads near misses of numbers, dates and words as strings", arguments: [
        "hello", "v10", "10v", "1.2.3", "1.5.", "0x", "0xG", "0b102", "0o8", "1e", "1e+", "1e3.5", ".", "-", "+",
        "..5", ".infinity", "inf", "nan", "1:60", "1:123", "1:", "_1", "1,000", "10%", "$10", "1 2",
        "2010-09-09x", "2010-09", "10-09-09", "2010-09-09T", "2010-09-09 21:59", "2001-12-14t21:59:43.10 +",
        "yess", "nope", "onn", "Nulls", "nil", "<<<", "==", "~~", "Ünïcödé",
    ])
    func implicitTypeOfNearMiss(_ text: String) {
        #expect(ImplicitType.of(text) == .string)
    }

    // MARK: - Tags

    @Test("A tagged scalar keeps its tag in short form", arguments: [
        ("!Ref", "X", "k: !Ref X"),
        ("!GetAtt", "A.Arn", "k: !GetAtt A.Arn"),
        ("!Sub", "arn:${AWS::Partition}:s3:::${Bucket}/*", "k: !Sub arn:${AWS::Partition}:s3:::${Bucket}/*"),
    ])
    func taggedScalarKeepsShortTag(_ tag: String, _ text: String, _ expected: String) throws {
        #expect(try emitValue(.string(text, tag: tag)) == expected + "\n")
    }

    @Test("A tagged scalar that reads as syntax is quoted after its tag")
    func taggedSyntaxIsQuoted() throws {
        #expect(try emitValue(.string("a: ${B}", tag: "!Sub")) == "k: !Sub 'a: ${B}'\n")
    }

    @Test("A tagged scalar that reads as a number is quoted after its tag")
    func taggedNumberIsQuoted() throws {
        #expect(try emitValue(.string("10", tag: "!Sub")) == "k: !Sub '10'\n")
    }

    @Test("A tagged flow sequence keeps its tag and writes the empty string as ''")
    func taggedFlowSequence() throws {
        let join = Node.sequence(
            [.string(""), .sequence([.string("a"), .string("B", tag: "!Ref")], style: .flow)],
            style: .flow, tag: "!Join")
        #expect(try emitValue(join) == "k: !Join ['', [a, !Ref B]]\n")
    }

    @Test("A tagged block sequence keeps its tag with the items below it")
    func taggedBlockSequence() throws {
        let condition = Node.sequence(
            [.string("IsProd"), .string("prod"), .string("AWS::NoValue", tag: "!Ref")], tag: "!If")
        #expect(try emitValue(condition) == """
            k: !If
            - IsProd
            - prod
            - !Ref AWS::NoValue

            """)
    }

    @Test("A tagged mapping keeps its tag with the pairs below it")
    func taggedMapping() throws {
        let mapping = Node.mapping([("Name", .string("x"))], tag: "!Custom")
        #expect(try emitValue(mapping) == "k: !Custom\n  Name: x\n")
    }

    @Test("An empty tag is reported as an emitter error, not written")
    func emptyTagIsAnError() throws {
        let error = #expect(throws: YAMLError.self) {
            try emitValue(.string("x", tag: ""))
        }
        #expect(error?.kind == .emitter)
        #expect(error?.message == "tag value must not be empty")
    }

    // MARK: - Multi-line and Unicode

    @Test("A multi-line string is written as a literal block")
    func multiLineIsLiteral() throws {
        #expect(try emitValue(.string("line one\nline two\n")) == "k: |\n  line one\n  line two\n")
    }

    @Test("A multi-line string without a final newline is a strip-chomped literal block")
    func multiLineWithoutFinalNewline() throws {
        #expect(try emitValue(.string("a\nb")) == "k: |-\n  a\n  b\n")
    }

    @Test("A string ending in blank lines is a keep-chomped block with no document end marker")
    func keepChompedBlockHasNoMarker() throws {
        #expect(try emitValue(.string("a\n\n")) == "k: |+\n  a\n\n")
    }

    @Test("A multi-line string with spaces before a line break is double-quoted")
    func trailingSpaceBeforeBreakIsDoubleQuoted() throws {
        #expect(try emitValue(.string("a \nb")) == "k: \"a \\nb\"\n")
    }

    @Test("A string with a tab is double-quoted with an escape")
    func tabIsEscaped() throws {
        #expect(try emitValue(.string("a\tb")) == "k: \"a\\tb\"\n")
    }

    @Test("A multi-line string inside a flow sequence falls back to double quotes")
    func multiLineInFlowIsDoubleQuoted() throws {
        #expect(try emitValue(.sequence([.string("a\nb")], style: .flow)) == "k: [\"a\\nb\"]\n")
    }

    @Test("Unicode text is written raw, not as escapes")
    func unicodeIsRaw() throws {
        #expect(try emitValue(.string("Ünïcödé ✓ 日本語")) == "k: Ünïcödé ✓ 日本語\n")
    }

    @Test("A character outside the Basic Multilingual Plane is escaped by libyaml 0.2.5")
    func astralCharacterIsEscaped() throws {
        // libyaml 0.2.5 counts 4-byte UTF-8 as unprintable; the escape still reads back exactly.
        #expect(try emitValue(.string("ok 😀")) == "k: \"ok \\U0001F600\"\n")
    }

    @Test("A 500-character !Sub string stays on one line", arguments: [
        (longSub("arn:${AWS::Partition}:logs"), ""),
        (longSub("Name: ${AWS::StackName}"), "'"),
    ])
    func longSubIsNotFolded(_ text: String, _ quote: String) throws {
        #expect(text.count == 500)
        #expect(try emitValue(.string(text, tag: "!Sub")) == "k: !Sub \(quote)\(text)\(quote)\n")
    }

    // MARK: - Styles as given

    @Test(".plain writes the text unquoted, as a number or bool is meant")
    func plainNumberStaysUnquoted() throws {
        #expect(try emitValue(.plain("10")) == "k: 10\n")
        #expect(try emitValue(.plain("true")) == "k: true\n")
    }

    @Test("An explicit scalar style is honoured", arguments: [
        (ScalarStyle.singleQuoted, "k: 'x'\n"),
        (.doubleQuoted, "k: \"x\"\n"),
        (.literal, "k: |-\n  x\n"),
        (.folded, "k: >-\n  x\n"),
    ])
    func explicitStyleIsHonoured(_ style: ScalarStyle, _ expected: String) throws {
        #expect(try emitValue(Node(.scalar("x", style))) == expected)
    }

    // MARK: - Documents

    @Test("A CloudFormation-like document nests mappings by two spaces and sequences indentless")
    func cloudFormationDocumentLayout() throws {
        let document = Node.mapping([
            ("AWSTemplateFormatVersion", .string("2010-09-09")),
            ("Transform", .string("AWS::Serverless-2016-10-31")),
            ("Resources", .mapping([
                ("ChatSend", .mapping([
                    ("Type", .string("AWS::Serverless::Function")),
                    ("Properties", .mapping([
                        ("Handler", .string("index.handler")),
                        ("Runtime", .string("nodejs22.x")),
                        ("MemorySize", .plain("256")),
                        ("Policies", .sequence([
                            .mapping([("DynamoDBCrudPolicy", .mapping([("TableName", .string("Connections", tag: "!Ref"))]))]),
                            .mapping([("Statement", .sequence([
                                .mapping([
                                    ("Effect", .string("Allow")),
                                    ("Action", .sequence([.string("execute-api:ManageConnections")])),
                                    ("Resource", .string("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*", tag: "!Sub")),
                                ]),
                            ]))]),
                        ])),
                    ])),
                ])),
            ])),
            ("Outputs", .mapping([
                ("ApiUrl", .mapping([("Value", .string("Api.ApiEndpoint", tag: "!GetAtt"))])),
            ])),
        ])
        #expect(try Emitter.emit(document) == """
            AWSTemplateFormatVersion: '2010-09-09'
            Transform: AWS::Serverless-2016-10-31
            Resources:
              ChatSend:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: index.handler
                  Runtime: nodejs22.x
                  MemorySize: 256
                  Policies:
                  - DynamoDBCrudPolicy:
                      TableName: !Ref Connections
                  - Statement:
                    - Effect: Allow
                      Action:
                      - execute-api:ManageConnections
                      Resource: !Sub arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*
            Outputs:
              ApiUrl:
                Value: !GetAtt Api.ApiEndpoint

            """)
    }

    @Test("Mapping pairs come out in the order given, not sorted")
    func mappingOrderIsPreserved() throws {
        let text = try Emitter.emit(.mapping([("Zeta", .string("1x")), ("Alpha", .string("2x")), ("Mid", .string("3x"))]))
        #expect(text == "Zeta: 1x\nAlpha: 2x\nMid: 3x\n")
    }

    @Test("An empty block sequence is written as []")
    func emptySequenceIsFlow() throws {
        #expect(try emitValue(.sequence([])) == "k: []\n")
    }

    @Test("An empty block mapping is written as {}")
    func emptyMappingIsFlow() throws {
        #expect(try emitValue(Node(.mapping([], .block))) == "k: {}\n")
    }

    @Test("A flow mapping is written on one line")
    func flowMappingIsOneLine() throws {
        let mapping = Node(.mapping([Node.Pair(.string("a"), .string("yes")), Node.Pair(.string("b"), .plain("1"))], .flow))
        #expect(try emitValue(mapping) == "k: {a: 'yes', b: 1}\n")
    }

    @Test("A root scalar document is its text and one newline, with no markers", arguments: [
        (Node.string("hello"), "hello\n"),
        (.string("yes"), "'yes'\n"),
        (.string("X", tag: "!Ref"), "!Ref X\n"),
        (.sequence([]), "[]\n"),
    ])
    func rootDocumentHasNoMarkers(_ node: Node, _ expected: String) throws {
        #expect(try Emitter.emit(node) == expected)
    }
}
