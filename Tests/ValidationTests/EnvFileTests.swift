import Testing
import Validation

@Suite("env files")
struct EnvFileTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        let key: String
        let value: String
        var testDescription: String { name }

        init(_ name: String, _ text: String, _ key: String, _ value: String) {
            self.name = name
            self.text = text
            self.key = key
            self.value = value
        }
    }

    static let values: [Case] = [
        Case("a bare value", "ChatTableName=meno-chat\n", "ChatTableName", "meno-chat"),
        Case("an export prefix", "export CHAT_TABLE_NAME=meno-chat\n", "CHAT_TABLE_NAME", "meno-chat"),
        Case("an export prefix with a tab and extra blanks", "export\t  STAGE_NAME = prod\n", "STAGE_NAME", "prod"),
        Case("a double-quoted value keeps its spaces", "DESCRIPTION=\"  two words \"\n", "DESCRIPTION", "  two words "),
        Case("a single-quoted value keeps its spaces", "DESCRIPTION='  two words '\n", "DESCRIPTION", "  two words "),
        Case("a comment after a bare value and a space", "STAGE_NAME=prod # the live stage\n", "STAGE_NAME", "prod"),
        Case("a comment after a bare value and a tab", "STAGE_NAME=prod\t# the live stage\n", "STAGE_NAME", "prod"),
        Case("a comment after a double-quoted value", "STAGE_NAME=\"prod\" # the live stage\n", "STAGE_NAME", "prod"),
        Case("a comment after a single-quoted value", "STAGE_NAME='prod'   # the live stage\n", "STAGE_NAME", "prod"),
        Case("a hash inside a bare value stays", "TOKEN=a#b\n", "TOKEN", "a#b"),
        Case("a hash inside a quoted value stays", "TOKEN=\"a # b\"\n", "TOKEN", "a # b"),
        Case("an empty value", "TOKEN=\n", "TOKEN", ""),
        Case("an empty value followed by a comment", "TOKEN= # nothing yet\n", "TOKEN", ""),
        Case("an empty quoted value", "TOKEN=\"\"\n", "TOKEN", ""),
        Case("escapes in double quotes", #"TEXT="a\"b\\c\nd\te\$f\q""# + "\n", "TEXT", "a\"b\\c\nd\te$f\\q"),
        Case("single quotes are literal", #"TEXT='a\nb\"c $HOME'"# + "\n", "TEXT", #"a\nb\"c $HOME"#),
        Case("an equals sign in the value", "URL=https://x.example/?a=b\n", "URL", "https://x.example/?a=b"),
        Case("a value with inner spaces", "NAME=two words  \n", "NAME", "two words"),
        Case("CRLF line ends", "A=1\r\nTOKEN=two\r\n", "TOKEN", "two"),
        Case("a byte order mark", "\u{FEFF}TOKEN=x\n", "TOKEN", "x"),
        Case("no final line break", "TOKEN=x", "TOKEN", "x"),
    ]

    @Test("A line's value is read as dotenv tools read it", arguments: values)
    func value(_ row: Case) throws {
        let entries = try EnvFile.parse(row.text, file: "prod.env")
        let entry = try #require(entries.last)
        #expect(entry.key == row.key)
        #expect(entry.value == row.value)
    }

    @Test("Blank lines and whole-line comments are skipped, and each entry keeps its line and file")
    func lines() throws {
        let text = """
            # deploy values for prod

              # indented comment
            CHAT_TABLE_NAME=meno-chat

            export STAGE_NAME=prod
            STAGE_NAME=live
            """
        let entries = try EnvFile.parse(text, file: "prod.env")
        #expect(entries == [
            SuppliedParameter(key: "CHAT_TABLE_NAME", value: "meno-chat", origin: .file("prod.env", line: 4)),
            SuppliedParameter(key: "STAGE_NAME", value: "prod", origin: .file("prod.env", line: 6)),
            SuppliedParameter(key: "STAGE_NAME", value: "live", origin: .file("prod.env", line: 7)),
        ])
        #expect(entries[0].origin.description == "prod.env:4")
    }

    @Test("CRLF files count lines like LF files")
    func crlfLines() throws {
        let entries = try EnvFile.parse("# c\r\n\r\nA=1\r\nB=2\r\n", file: "w.env")
        #expect(entries.map(\.origin) == [.file("w.env", line: 3), .file("w.env", line: 4)])
        #expect(entries.map(\.value) == ["1", "2"])
    }

    struct Failure: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        let line: Int
        let message: String
        var testDescription: String { name }

        init(_ name: String, _ text: String, _ line: Int, _ message: String) {
            self.name = name
            self.text = text
            self.line = line
            self.message = message
        }
    }

    static let failures: [Failure] = [
        Failure("a line that is not KEY=VALUE", "A=1\nthis is prose\n", 2, "expected KEY=VALUE, found 'this is prose'"),
        Failure("an unclosed double quote", "A=1\n\nB=\"open\n", 3, "the value's \" quote is never closed"),
        Failure("an unclosed single quote", "B='open\n", 1, "the value's ' quote is never closed"),
        Failure("text after the closing quote", "B=\"a\"b\n", 1, "unexpected text after the closing quote: 'b'"),
        Failure("a key with a space", "MY KEY=1\n", 1, "'MY KEY' is not a valid key (letters, digits and _, not starting with a digit)"),
        Failure("a key starting with a digit", "1KEY=1\n", 1, "'1KEY' is not a valid key (letters, digits and _, not starting with a digit)"),
        Failure("an empty key", "=1\n", 1, "'' is not a valid key (letters, digits and _, not starting with a digit)"),
    ]

    @Test("A line that cannot be read is reported with its file and line", arguments: failures)
    func failure(_ row: Failure) {
        #expect(throws: EnvFileError(file: "prod.env", line: row.line, message: row.message)) {
            try EnvFile.parse(row.text, file: "prod.env")
        }
    }

    @Test("An error prints as file:line: message")
    func errorDescription() {
        #expect(EnvFileError(file: "prod.env", line: 3, message: "expected KEY=VALUE, found 'x'").description
            == "prod.env:3: expected KEY=VALUE, found 'x'")
    }

    @Test("An empty file has no entries")
    func empty() throws {
        #expect(try EnvFile.parse("", file: "e.env").isEmpty)
        #expect(try EnvFile.parse("\n\n# only comments\n", file: "e.env").isEmpty)
    }
}
