import Local
import Testing

/// `JSON`, the value events, results and worker replies travel as: RFC 8259 in, compact
/// `JSON.stringify`-shaped text out.
@Suite("JSON")
struct JSONTests {
    // MARK: - Accepting RFC 8259

    @Test("every kind of value parses to its case", arguments: [
        ("{}", JSON.object([])),
        ("[]", .array([])),
        ("\"\"", .string("")),
        ("0", .number("0")),
        ("true", .bool(true)),
        ("false", .bool(false)),
        ("null", .null),
    ])
    func kinds(_ text: String, _ expected: JSON) throws {
        #expect(try JSON.parse(text) == expected)
    }

    @Test("numbers keep the text they were written with", arguments: [
        "0", "-0", "200", "-17", "1.50", "0.000", "1e3", "1E+3", "2.5e-10", "12345678901234567890123",
    ])
    func numbersAsWritten(_ text: String) throws {
        let value = try JSON.parse(text)
        #expect(value == .number(text))
        #expect(value.text == text)
    }

    @Test("intValue reads integers only")
    func intValue() throws {
        #expect(try JSON.parse("200").intValue == 200)
        #expect(try JSON.parse("-3").intValue == -3)
        #expect(try JSON.parse("200.0").intValue == nil)
        #expect(try JSON.parse("2e2").intValue == nil)
        #expect(try JSON.parse("\"200\"").intValue == nil)
    }

    @Test("every escape of RFC 8259 decodes to its character", arguments: [
        (#""\"""#, "\""),
        (#""\\""#, "\\"),
        (#""\/""#, "/"),
        (#""\b""#, "\u{08}"),
        (#""\f""#, "\u{0C}"),
        (#""\n""#, "\n"),
        (#""\r""#, "\r"),
        (#""\t""#, "\t"),
        (#""\u0041\u00e9\u20AC""#, "Aé€"),
        (#""\u0000""#, "\u{0}"),
    ])
    func escapes(_ text: String, _ expected: String) throws {
        #expect(try JSON.parse(text) == .string(expected))
    }

    @Test("a surrogate pair escape decodes to one scalar beyond the BMP")
    func surrogatePair() throws {
        let value = try JSON.parse(#""\uD83D\uDE00 \ud834\udd1e""#)
        #expect(value.stringValue == "😀 𝄞")
        #expect(value.stringValue?.unicodeScalars.count == 3)
    }

    @Test("a lone surrogate becomes U+FFFD, as a JavaScript string does once encoded", arguments: [
        (#""\uD800""#, "\u{FFFD}"),
        (#""\uDC00x""#, "\u{FFFD}x"),
        (#""\uD800A""#, "\u{FFFD}A"),
        (#""\uD800\u0041""#, "\u{FFFD}A"),
        // A high surrogate before a whole pair: the pair still decodes.
        (#""\uD800\uD83D\uDE00""#, "\u{FFFD}😀"),
        // A lone high surrogate, then a pair.
        (#""\uD800\uD800\uDC00""#, "\u{FFFD}\u{10000}"),
    ])
    func loneSurrogate(_ text: String, _ expected: String) throws {
        #expect(try JSON.parse(text).stringValue == expected)
    }

    @Test("UTF-8 text passes through strings unchanged")
    func utf8() throws {
        #expect(try JSON.parse("\"héllo, 世界 🌍\"") == .string("héllo, 世界 🌍"))
    }

    @Test("nested objects and arrays keep their members in order")
    func nesting() throws {
        let value = try JSON.parse(#" { "b" : [1, {"c": null}, []], "a": {"d": {"e": [true, false]}} } "#)
        #expect(value == .object([
            ("b", .array([.number("1"), .object([("c", .null)]), .array([])])),
            ("a", .object([("d", .object([("e", .array([.bool(true), .bool(false)]))]))])),
        ]))
        #expect(value["a"]?["d"]?["e"] == .array([.bool(true), .bool(false)]))
    }

    @Test("whitespace of all four kinds is allowed around every token")
    func whitespace() throws {
        #expect(try JSON.parse(" \t\r\n[ 1 ,\n\t2 ]\r\n ") == .array([.number("1"), .number("2")]))
    }

    @Test("the first of a duplicated key wins on lookup, and both are kept")
    func duplicateKeys() throws {
        let value = try JSON.parse(#"{"a":1,"a":2}"#)
        #expect(value["a"] == .number("1"))
        #expect(value.text == #"{"a":1,"a":2}"#)
    }

    @Test("subscripts and stringValue answer nil for other cases")
    func accessorsOnOtherCases() throws {
        #expect(JSON.array([]).self["a"] == nil)
        #expect(JSON.number("1").stringValue == nil)
        #expect(JSON.object([("a", .null)])["b"] == nil)
    }

    @Test("bytes that are not UTF-8 inside a string are repaired to U+FFFD")
    func invalidUTF8() throws {
        let value = try JSON.parse(bytes: [0x22, 0x61, 0xFF, 0x62, 0x22])
        #expect(value == .string("a\u{FFFD}b"))
    }

    // MARK: - Refusing what is not JSON

    struct Malformed: CustomTestStringConvertible, Sendable {
        let text: String
        let offset: Int
        let message: String
        var testDescription: String { "\(text.debugDescription) → \(message) at \(offset)" }

        init(_ text: String, _ offset: Int, _ message: String) {
            self.text = text
            self.offset = offset
            self.message = message
        }
    }

    static let malformed: [Malformed] = [
        Malformed("", 0, "unexpected end of text"),
        Malformed("   ", 3, "unexpected end of text"),
        Malformed("[1,]", 3, "expected a value"),
        Malformed("[1 2]", 3, "expected ',' or ']'"),
        Malformed("[1", 2, "unexpected end of text"),
        Malformed("{a:1}", 1, "expected a string key"),
        Malformed(#"{"a" 1}"#, 5, "expected ':'"),
        Malformed(#"{"a":1,}"#, 7, "expected a string key"),
        Malformed(#"{"a":1 "b":2}"#, 7, "expected ',' or '}'"),
        Malformed(#"{"a":"#, 5, "unexpected end of text"),
        Malformed("\"abc", 4, "unterminated string"),
        Malformed("\"a\tb\"", 2, "control character in a string"),
        Malformed("\"a\nb\"", 2, "control character in a string"),
        Malformed(#""\x""#, 3, "unknown escape"),
        Malformed(#""\u12G4""#, 5, "bad \\u escape"),
        Malformed(#""\u12""#, 3, "unexpected end of text"),
        Malformed("\"\\", 2, "unterminated string"),
        Malformed("tru", 0, "unexpected end of text"),
        Malformed("trux", 0, "unknown literal"),
        Malformed("nul", 0, "unexpected end of text"),
        Malformed("True", 0, "expected a value"),
        Malformed("-", 1, "expected a value"),
        Malformed("+1", 0, "expected a value"),
        Malformed(".5", 0, "expected a value"),
        Malformed("01", 2, "leading zero in a number"),
        Malformed("-012", 4, "leading zero in a number"),
        Malformed("1.", 2, "expected digits after '.'"),
        Malformed("1.e3", 2, "expected digits after '.'"),
        Malformed("1e", 2, "expected digits in the exponent"),
        Malformed("1e+", 3, "expected digits in the exponent"),
        Malformed("1 2", 2, "unexpected text after the value"),
        Malformed("{}x", 2, "unexpected text after the value"),
        Malformed("NaN", 0, "expected a value"),
        Malformed("'a'", 0, "expected a value"),
    ]

    @Test("malformed text is refused at the byte offset where reading stopped", arguments: malformed)
    func refused(_ row: Malformed) {
        let error = #expect(throws: JSON.SyntaxError.self) { try JSON.parse(row.text) }
        #expect(error?.offset == row.offset)
        #expect(error?.message == row.message)
        #expect(error?.description == "\(row.message) at byte \(row.offset)")
    }

    @Test("offsets count bytes, not characters")
    func offsetsAreBytes() {
        // "é" is two bytes and "😀" four: the stray `x` starts at byte 9.
        let error = #expect(throws: JSON.SyntaxError.self) { try JSON.parse("\"é😀\" x") }
        #expect(error?.offset == 9)
    }

    @Test("512 levels of nesting parse; the 513th is refused where it opens")
    func depthLimit() throws {
        let deepest = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(try JSON.parse(deepest).text == deepest)
        let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        let error = #expect(throws: JSON.SyntaxError.self) { try JSON.parse(tooDeep) }
        #expect(error?.message == "nested too deeply")
        #expect(error?.offset == 512)
        let objects = String(repeating: "{\"a\":", count: 600) + "1" + String(repeating: "}", count: 600)
        #expect(throws: JSON.SyntaxError.self) { try JSON.parse(objects) }
    }

    // MARK: - Writing

    @Test("the writer is compact and keeps member order")
    func compact() {
        let value = JSON.object([("z", .int(1)), ("a", .array([.null, .bool(false), .string("x")])), ("m", .object([]))])
        #expect(value.text == #"{"z":1,"a":[null,false,"x"],"m":{}}"#)
    }

    @Test("strings are escaped as JSON.stringify escapes them", arguments: [
        ("\"", #""\"""#),
        ("\\", #""\\""#),
        ("\n", #""\n""#),
        ("\r", #""\r""#),
        ("\t", #""\t""#),
        ("\u{08}", #""\b""#),
        ("\u{0C}", #""\f""#),
        ("\u{0}", #""\u0000""#),
        ("\u{01}", #""\u0001""#),
        ("\u{1F}", #""\u001f""#),
        ("/", #""/""#),
        ("\u{7F}", "\"\u{7F}\""),
        ("é€😀", "\"é€😀\""),
        ("\u{2028}", "\"\u{2028}\""),
    ])
    func escaping(_ text: String, _ written: String) {
        #expect(JSON.string(text).text == written)
    }

    @Test("every control character is written escaped", arguments: 0..<0x20)
    func controlCharacters(_ value: Int) throws {
        let text = String(Unicode.Scalar(UInt8(value)))
        let written = JSON.string(text).text
        #expect(written.unicodeScalars.allSatisfy { $0.value >= 0x20 })
        #expect(try JSON.parse(written) == .string(text))
    }

    @Test("int and int64 write plain decimal numbers")
    func integers() {
        #expect(JSON.int(-42).text == "-42")
        #expect(JSON.int64(1_731_324_924_553).text == "1731324924553")
        #expect(JSON.int64(Int64.max).intValue == Int.max)
    }

    @Test("parse then write reproduces compact text byte for byte", arguments: [
        #"{"statusCode":200,"body":"{\"ok\":true}","headers":{"x":"1"},"isBase64Encoded":false}"#,
        #"[1.50,-0,2e10,1E-2,"a\\b\"c\nd",null,true,{}]"#,
        #"{"nested":[[[[{"deep":["😀","\u0001"]}]]]]}"#,
        #"{"a":1,"a":2}"#,
    ])
    func roundTrip(_ text: String) throws {
        #expect(try JSON.parse(text).text == text)
    }

    @Test("writing then parsing gives back the value")
    func writeThenParse() throws {
        let value = JSON.object([
            ("s", .string("line\nbreak \"quoted\" \\ \u{0} \u{1F} é 😀")),
            ("n", .number("-1.5e-3")),
            ("a", .array([.object([]), .array([]), .null])),
        ])
        #expect(try JSON.parse(value.text) == value)
    }

    @Test("equality compares written text, so number forms matter")
    func equality() {
        #expect(JSON.number("1") != JSON.number("1.0"))
        #expect(JSON.object([("a", .int(1))]) == JSON.object([("a", .number("1"))]))
        #expect(JSON.object([("a", .null), ("b", .null)]) != JSON.object([("b", .null), ("a", .null)]))
    }
}
