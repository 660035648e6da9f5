import Foundation
import Testing

/// Hostile and broken input: a located finding or a one-line exit-2 message, never a crash
/// or a hang. (Time and memory are measured by `make bench`, not here.)
@Suite("menort validate on bad input")
struct BadInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let bytes: [UInt8]
        let rule: String
        let line: Int
        let column: Int
        var testDescription: String { name }
    }

    static func aliasBomb() -> [UInt8] {
        var text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        for index in 1..<names.count {
            text += "\(names[index]): &\(names[index]) [" + Array(repeating: "*\(names[index - 1])", count: 9).joined(separator: ", ") + "]\n"
        }
        return Array(text.utf8)
    }

    static let cases: [Case] = [
        Case(name: "an empty file", bytes: [], rule: "yaml-empty", line: 1, column: 1),
        Case(name: "binary garbage", bytes: [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0xFF, 0x10], rule: "yaml-encoding", line: 1, column: 1),
        Case(name: "invalid UTF-8", bytes: Array("Resources:\n  T:\n    Type: ".utf8) + [0xC3, 0x28], rule: "yaml-encoding", line: 3, column: 12),
        Case(name: "a YAML list at the top", bytes: Array("- Resources\n- Outputs\n".utf8), rule: "yaml-not-mapping", line: 1, column: 1),
        Case(name: "tab indentation", bytes: Array("Resources:\n\tT:\n\t\tType: AWS::SNS::Topic\n".utf8), rule: "yaml-syntax", line: 2, column: 1),
        Case(name: "100,000 levels of nesting", bytes: Array(repeating: UInt8(ascii: "["), count: 100_000), rule: "yaml-limit", line: 1, column: 257),
        Case(name: "an alias bomb", bytes: aliasBomb(), rule: "yaml-limit", line: 7, column: 8),
        Case(name: "an unknown tag", bytes: Array("Resources:\n  T:\n    Type: !Include topic.yaml\n".utf8), rule: "yaml-unknown-tag", line: 3, column: 11),
    ]

    @Test("Broken input gives a located finding of the right rule and exit 1", arguments: cases)
    func located(_ row: Case) throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(row.bytes).write(to: folder.appendingPathComponent("template.yaml"))
        let result = try Menort.run(["validate", "--format", "json", "--rules", "yaml"], in: folder)
        #expect(result.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let first = (object?["diagnostics"] as? [[String: Any]])?.first { $0["severity"] as? String == "error" }
        #expect(first?["rule"] as? String == row.rule)
        #expect(first?["line"] as? Int == row.line)
        #expect(first?["column"] as? Int == row.column)
        #expect(result.stderr.isEmpty)
    }

    @Test("A missing template and a folder given as a template each exit 2 with one line")
    func cannotRun() throws {
        let missing = try Menort.run(["validate", "no/such/template.yaml"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "menort: cannot read template no/such/template.yaml: no such file\n")
        let folder = try Menort.run(["validate", "Sources"])
        #expect(folder.status == 2)
        #expect(folder.stderr == "menort: cannot read template Sources: it is a directory\n")
    }

    @Test("menort render piped into menort validate --strict - passes beside the handler folders")
    func renderPipe() throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for handler in ["connect", "disconnect", "default", "chat-send", "presence-update"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("lambda/realtime/\(handler)"), withIntermediateDirectories: true)
        }
        let render = try Menort.run(["render"], in: folder)
        let template = folder.appendingPathComponent("stdin.yaml")
        try render.stdout.write(to: template, atomically: true, encoding: .utf8)
        let result = try Menort.run(["validate", "--strict", "-"], in: folder, stdin: template)
        #expect(result.stdout == "0 errors, 0 warnings, 0 notes in 1 template\n")
        #expect(result.status == 0)
        let withoutFolders = try Menort.run(["validate", "--strict", "-"], in: Menort.root, stdin: template)
        #expect(withoutFolders.status == 1)
        #expect(withoutFolders.stdout.contains("<stdin>:"))
        #expect(withoutFolders.stdout.contains("[stack-code-uri] (ConnectFunction)"))
    }
}
