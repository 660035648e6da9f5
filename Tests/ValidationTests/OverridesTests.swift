import CloudFormation
import Testing
import Validation

/// A value as `ParameterValues.resolve` returns it.
private func value(_ name: String, _ text: String, origin: SuppliedParameter.Origin? = .flag, noEcho: Bool = false) -> ParameterValue {
    ParameterValue(name: name, value: text, origin: origin, noEcho: noEcho)
}

/// The text of a successful rendering, or the refusals' messages joined, so a test failure
/// shows which.
private func rendered(_ values: [ParameterValue], _ format: OverridesFormat) -> String {
    do {
        return try Overrides.render(values, as: format)
    } catch {
        return "refused: " + error.refusals.map(\.message).joined(separator: " | ")
    }
}

private func refusals(_ values: [ParameterValue], _ format: OverridesFormat) -> [OverridesRefusal] {
    do {
        _ = try Overrides.render(values, as: format)
        return []
    } catch {
        return error.refusals
    }
}

/// Byte-for-byte equality: Swift's `==` on strings takes "é" and "e\u{301}" as equal.
private func bytes(_ text: String?) -> [UInt8]? { text.map { Array($0.utf8) } }

@Suite("deploy overrides")
struct OverridesTests {
    struct Token: CustomTestStringConvertible, Sendable {
        let name: String
        let value: String
        let token: String
        var testDescription: String { name }

        init(_ name: String, _ value: String, _ token: String) {
            self.name = name
            self.value = value
            self.token = token
        }
    }

    // MARK: sam

    static let tokens: [Token] = [
        Token("a plain name stays bare", "meno-chat", "meno-chat"),
        Token("dots, colons, slashes, @ and + stay bare", "a.b:c/d@e+f_g", "a.b:c/d@e+f_g"),
        Token("an empty value is two double quotes", "", #""""#),
        Token("spaces are double-quoted", "two words", #""two words""#),
        Token("an equals sign is quoted", "a=b", #""a=b""#),
        Token("a comma is quoted", "a,b", #""a,b""#),
        Token("a dollar sign is quoted", "$HOME", #""$HOME""#),
        Token("Unicode is quoted as is", "東京 🚀", #""東京 🚀""#),
        Token("a double quote gets one backslash", #"say "hi""#, #""say \"hi\"""#),
        Token("a single quote needs no backslash in double quotes", "it's", #""it's""#),
        Token("both quotes together", #"say "hi" and 'bye'"#, #""say \"hi\" and 'bye'""#),
        Token("a backslash before a letter stays single", #"C:\path"#, #""C:\path""#),
        Token("a backslash before a space is doubled, as SAM removes one", #"a\ b"#, #""a\\ b""#),
        Token("a backslash before a single quote is doubled", #"a\'b"#, #""a\\'b""#),
        Token("an even run of backslashes at the end stays", #"ends\\"#, #""ends\\""#),
        Token("two backslashes before a double quote become three", #"a\\"b"#, #""a\\\"b""#),
        Token("a line break is written raw inside quotes", "line\nbreak", "\"line\nbreak\""),
        Token("a backslash before a double quote needs single quotes", #"a\"b"#, #"'a\\"b'"#),
        Token("in single quotes a single quote gets the backslash", #"a\"b 'c'"#, #"'a\\"b \'c\''"#),
    ]

    @Test("A value is written so that SAM CLI's parser reads it back exactly", arguments: tokens)
    func samToken(_ row: Token) throws {
        let token = try Overrides.samToken(row.value).get()
        #expect(token == row.token)
        let read = SAMParameterParser.parse("K=\(token)")
        #expect(read.map(\.key) == ["K"])
        #expect(bytes(read.first?.value) == bytes(row.value))
    }

    struct Defect: CustomTestStringConvertible, Sendable {
        let name: String
        let value: String
        let defect: Overrides.SAMDefect
        var testDescription: String { name }

        init(_ name: String, _ value: String, _ defect: Overrides.SAMDefect) {
            self.name = name
            self.value = value
            self.defect = defect
        }
    }

    static let defects: [Defect] = [
        Defect("a trailing backslash", #"trailing\"#, .trailingBackslash),
        Defect("a lone backslash", #"\"#, .trailingBackslash),
        Defect("three backslashes at the end", #"a\\\"#, .trailingBackslash),
        Defect("a backslash before a line break", "a\\\nb", .backslashBeforeLineFeed),
        Defect("escaped quotes of both kinds", #"\"x\'"#, .escapedQuotesOfBothKinds),
    ]

    @Test("A value no quoting can carry is refused with the reason", arguments: defects)
    func samDefect(_ row: Defect) {
        #expect(Overrides.samToken(row.value) == .failure(row.defect))
    }

    @Test("The sam line is every parameter in order, one space apart, ending in a line break")
    func samLine() {
        let values = [value("ServiceName", "meno-realtime", origin: nil), value("StageName", "prod"), value("Description", "two words")]
        #expect(rendered(values, .sam) == #"ServiceName=meno-realtime StageName=prod Description="two words""# + "\n")
    }

    @Test("Every value the sam format cannot carry is refused at once, in parameter order, pointing to --format json")
    func samRefusesAll() {
        let found = refusals([value("A", #"x\"#), value("B", "fine"), value("C", "a\\\nb")], .sam)
        #expect(found.map(\.parameter) == ["A", "C"])
        #expect(found.first?.message == #"value 'x\' for A (from --param) ends in a backslash, which SAM CLI's parser takes as escaping the closing quote; the sam format cannot carry it: use --format json"#)
        #expect(found.last?.message.contains(#"value 'a\\nb' for C"#) == true)
    }

    @Test("A value holding SAM CLI's long form is refused, since SAM would read only that")
    func samLongForm() {
        let found = refusals([value("A", "ok"), value("B", "ParameterKey=X,ParameterValue=Y")], .sam)
        #expect(found.map(\.parameter) == ["B"])
        #expect(found.first?.message.contains("long form") == true)
        #expect(rendered([value("A", ",ParameterValue=1")], .sam) == #"A=",ParameterValue=1""# + "\n")
    }

    @Test("A NUL is refused on the sam line, which is one command-line argument")
    func samNul() {
        #expect(refusals([value("A", "a\u{0}b")], .sam).first?.message.contains("NUL") == true)
    }

    @Test("A parameter name that is not alphanumeric is refused by the SAM formats")
    func samKey() {
        let found = refusals([value("Stage-Name", "prod")], .sam)
        #expect(found.map(\.parameter) == ["Stage-Name"])
        #expect(refusals([value("Stage-Name", "prod")], .samconfig).count == 1)
        #expect(refusals([value("Stage-Name", "prod")], .json).isEmpty)
    }

    @Test("A NoEcho value never appears in a refusal")
    func noEchoHidden() {
        let found = refusals([value("Secret", #"s3cret\"#, noEcho: true)], .sam)
        #expect(found.first?.message.hasPrefix("value (hidden: NoEcho) for Secret (from --param) ends in a backslash") == true)
        #expect(found.first?.message.contains("s3cret") == false)
    }

    @Test("A default is named as the template's default, and a file value by file and line")
    func subjects() {
        #expect(refusals([value("A", #"x\"#, origin: nil)], .sam).first?.message.hasPrefix(#"default 'x\' of A ends"#) == true)
        #expect(refusals([value("A", #"x\"#, origin: .file(".env", line: 3))], .sam).first?.message.hasPrefix(#"value 'x\' for A (from .env:3) ends"#) == true)
    }

    // MARK: SAM CLI's parser, transcribed

    struct Reading: CustomTestStringConvertible, Sendable {
        let line: String
        let pairs: [String]
        var testDescription: String { line }

        init(_ line: String, _ pairs: [String]) {
            self.line = line
            self.pairs = pairs
        }
    }

    /// Each recorded from aws-sam-cli 1.170's `CfnParameterOverridesType().convert((line,), None, None)`.
    static let readings: [Reading] = [
        Reading(#"A="x y" B=plain C="""#, ["A=x y", "B=plain", "C="]),
        Reading(#"A="a\ b""#, ["A=a b"]),
        Reading(#"A=bare\ word"#, ["A=bare word"]),
        Reading(#"A='a\\"b'"#, [#"A=a\"b"#]),
        Reading(#"A="unclosed B=x"#, ["B=x"]),
        Reading(#"A="x"tail B=y"#, ["A=x", "B=y"]),
        Reading("A=1 A=2", ["A=1", "A=2"]),
        Reading(#"K="ParameterKey=A,ParameterValue=B" Z=z"#, ["A=B"]),
        Reading(#"K="x ParameterKey=A,ParameterValue=" Z="z""#, ["A= Z="]),
        Reading(#"ParameterKey=A,ParameterValue=1 ParameterKey=B,ParameterValue="two words""#, ["A=1", "B=two words"]),
        // The accident menort does not use: an unpaired escaped quote is still stripped.
        Reading(#"A='a\'"#, [#"A=a\"#]),
    ]

    @Test("The transcription of SAM CLI's parser reads what SAM CLI reads", arguments: readings)
    func parser(_ row: Reading) {
        #expect(SAMParameterParser.parse(row.line).map { "\($0.key)=\($0.value)" } == row.pairs)
    }

    // MARK: samconfig

    @Test("samconfig is a deploy table whose parameter_overrides lists one Key=Value string per parameter")
    func samconfig() {
        let values = [value("StageName", "prod"), value("Description", #"say "hi""#), value("Note", "it's\nhere")]
        #expect(rendered(values, .samconfig) == #"""
            [default.deploy.parameters]
            parameter_overrides = [
              "StageName=prod",
              'Description="say \"hi\""',
              "Note=\"it's\nhere\"",
            ]

            """#)
    }

    @Test("samconfig with no parameters has an empty list")
    func samconfigEmpty() {
        #expect(rendered([], .samconfig) == "[default.deploy.parameters]\nparameter_overrides = []\n")
    }

    @Test("samconfig refuses what the sam line refuses, but carries a NUL")
    func samconfigRefusals() {
        #expect(refusals([value("A", #"x\"#)], .samconfig).first?.message.contains("the samconfig format cannot carry it") == true)
        #expect(rendered([value("A", "a\u{0}b")], .samconfig).contains(#""A=\"a\u0000b\"""#))
    }

    static let tomlStrings: [(String, String)] = [
        ("StageName=prod", #""StageName=prod""#),
        (#"A="x y""#, #"'A="x y"'"#),
        (#"A="C:\path""#, #"'A="C:\path"'"#),
        ("A=\"tab\there\"", "'A=\"tab\there\"'"),
        (#"A="it's""#, #""A=\"it's\"""#),
        ("A=\"line\nbreak\"", #""A=\"line\nbreak\"""#),
        ("A=\"\u{7F}\u{1B}\r\"", #""A=\"\u007F\u001B\r\"""#),
    ]

    @Test("A TOML string is basic when plain, literal when it can be, else basic with escapes", arguments: tomlStrings)
    func tomlString(_ row: (String, String)) {
        #expect(Overrides.tomlString(row.0) == row.1)
    }

    // MARK: json

    @Test("json is CloudFormation's parameter list, with JSON's escapes")
    func json() {
        #expect(rendered([value("A", "plain"), value("B", "q\"\\\n")], .json) == #"""
            [
              {
                "ParameterKey": "A",
                "ParameterValue": "plain"
              },
              {
                "ParameterKey": "B",
                "ParameterValue": "q\"\\\n"
              }
            ]

            """#)
        #expect(rendered([], .json) == "[]\n")
    }

    // MARK: env

    static let envLines: [(String, String)] = [
        ("meno-chat", "meno-chat"),
        ("a=b,c", "a=b,c"),
        ("", "''"),
        ("two words", "'two words'"),
        ("$HOME", "'$HOME'"),
        (#"say "hi""#, #"'say "hi"'"#),
        ("# not a comment", "'# not a comment'"),
        ("it's", #""it's""#),
        ("it's $HOME", #""it's \$HOME""#),
        ("it's\na \"b\" \\c", #""it's\na \"b\" \\c""#),
    ]

    @Test("An env value is bare when plain, single-quoted when it can be, else double-quoted with escapes", arguments: envLines)
    func envLine(_ row: (String, String)) {
        #expect(rendered([value("Value", row.0)], .env) == "VALUE=\(row.1)\n")
    }

    static let awkward: [String] = [
        "", " ", "two words", "  padded  ", #"say "hi" and 'bye'"#, "a=b=c", "a,b", "$HOME ${HOME} \\$", "`uname`",
        #"C:\path\to\"#, #"\\"#, #"a\"b"#, #"a\'b"#, "# hash", "a #b", "x #", "line\nbreak\n", "tab\tand\r\ncrlf",
        "東京 🚀", "e\u{301}", "'", "\"", "\\\"", "a\u{0}b", "\u{FEFF}bom",
    ]

    @Test("menort's env-file reader reads the env output back exactly", arguments: awkward)
    func envRoundTrip(_ text: String) throws {
        let output = rendered([value("ChatTableName", text)], .env)
        let entries = try EnvFile.parse(output, file: "out.env")
        #expect(entries.map(\.key) == ["CHAT_TABLE_NAME"])
        #expect(bytes(entries.first?.value) == bytes(text))
        let (values, problems) = ParameterValues.resolve([ParameterDefinition(Parameter(try LogicalID("ChatTableName")))], supplied: entries)
        #expect(problems.isEmpty)
        #expect(bytes(values.first?.value) == bytes(text))
    }

    @Test("A value the env-file reader cannot read back in any quoting is refused")
    func envRefusal() {
        // A combining mark first joins the opening quote into one character.
        let found = refusals([value("A", "\u{301}x")], .env)
        #expect(found.map(\.parameter) == ["A"])
        #expect(found.first?.message.contains("use --format json") == true)
    }

    static let envKeys: [([String], [String])] = [
        (["ChatTableName", "StageName"], ["CHAT_TABLE_NAME", "STAGE_NAME"]),
        (["ApiKey", "APIKey"], ["ApiKey", "APIKey"]),
        (["FOO_BAR", "FooBar"], ["FOO_BAR", "FooBar"]),
        (["VPC"], ["VPC"]),
    ]

    @Test("An env key is the UPPER_SNAKE_CASE form when that names one parameter only", arguments: envKeys)
    func envKey(_ row: ([String], [String])) {
        #expect(row.0.map { Overrides.envKey(for: $0, among: row.0) } == row.1)
    }

    @Test("Env keys read back to the parameters they came from, even when forms clash")
    func envKeysResolve() throws {
        // ApiKey and APIKey share the form API_KEY. (A parameter cannot be named FOO_BAR: a
        // logical id is letters and digits, so an exact name never looks like a snake form.)
        let names = ["ApiKey", "APIKey", "FooBar", "ChatTableName"]
        let values = names.enumerated().map { value($1, "v\($0)") }
        let entries = try EnvFile.parse(rendered(values, .env), file: "out.env")
        let definitions = try names.map { ParameterDefinition(Parameter(try LogicalID($0))) }
        let (resolved, problems) = ParameterValues.resolve(definitions, supplied: entries)
        #expect(problems.isEmpty)
        #expect(resolved.map(\.value) == ["v0", "v1", "v2", "v3"])
    }

    // MARK: Messages

    @Test("Messages show control characters escaped, on one line")
    func visible() {
        #expect(Overrides.visible("a\nb\tc\r\u{0}\u{2028}d") == #"a\nb\tc\r\u{0}\u{2028}d"#)
    }
}
