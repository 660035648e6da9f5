import Foundation
import Testing

/// Runs the built `menort` binary, as a user or CI would.
struct Menort {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// SwiftPM puts the test bundle beside the products it built.
    static var binary: URL {
        let bundle = Bundle(for: Marker.self).bundleURL
        let folder = bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : bundle
        return folder.appendingPathComponent("menort")
    }

    private final class Marker {}

    static func run(_ arguments: [String], in directory: URL? = nil, stdin: URL? = nil) throws -> Result {
        try execute(binary, arguments, in: directory, stdin: stdin)
    }

    /// Runs any program to completion, collecting its output.
    static func execute(_ executable: URL, _ arguments: [String], in directory: URL? = nil, stdin: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? root
        if let stdin { process.standardInput = try FileHandle(forReadingFrom: stdin) }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A fresh empty folder, removed by the caller.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("menort-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}

@Suite("menort render")
struct RenderCommandTests {
    let golden: String

    init() throws {
        golden = try String(contentsOf: Menort.root.appendingPathComponent("templates/realtime/template.yaml"), encoding: .utf8)
    }

    @Test("With no config it prints the built-in stack on stdout")
    func stdout() throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["render"], in: folder)
        #expect(result.status == 0)
        #expect(result.stdout == golden)
        #expect(result.stderr.isEmpty)
    }

    @Test("It reads ./menort.yaml when present")
    func readsLocalConfig() throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "routes:\n  $connect: {}\n".write(to: folder.appendingPathComponent("menort.yaml"), atomically: true, encoding: .utf8)
        let result = try Menort.run(["render"], in: folder)
        #expect(result.status == 0)
        #expect(result.stdout.contains("ConnectRoute:"))
        #expect(!result.stdout.contains("ChatSendRoute:"))
    }

    @Test("A config that drops presence.update and adds typing.start renders a template validate --strict accepts")
    func customRoutesValidate() throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = """
            routes:
              $connect: {tables: {connections: write, sessions: read}}
              $disconnect: {tables: {connections: write}}
              $default: {broadcast: true}
              chat.send: {tables: {connections: read, chat: write}, broadcast: true}
              typing.start: {tables: {connections: read}, broadcast: true}

            """
        try config.write(to: folder.appendingPathComponent("menort.yaml"), atomically: true, encoding: .utf8)
        for handler in ["connect", "disconnect", "default", "chat-send", "typing-start"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("lambda/realtime/\(handler)"),
                                                    withIntermediateDirectories: true)
        }
        let rendered = try Menort.run(["render", "--output", "template.yaml"], in: folder)
        #expect(rendered.status == 0)
        let template = try String(contentsOf: folder.appendingPathComponent("template.yaml"), encoding: .utf8)
        #expect(!template.contains("PresenceTableName"))
        #expect(template.contains("      typing.start:\n        handler: typing-start\n"))
        let result = try Menort.run(["validate", "--strict", "template.yaml"], in: folder)
        #expect(result.stdout == "0 errors, 0 warnings, 0 notes in 1 template\n")
        #expect(result.status == 0)
    }

    @Test("The checked-in config renders the checked-in template")
    func checkedInConfig() throws {
        let result = try Menort.run(["render", "--config", "templates/realtime/menort.yaml"])
        #expect(result.status == 0)
        #expect(result.stdout == golden)
    }

    @Test("--check passes silently on an up-to-date template")
    func checkPasses() throws {
        let result = try Menort.run(["render", "--config", "templates/realtime/menort.yaml", "--check", "templates/realtime/template.yaml"])
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.isEmpty)
    }

    @Test("--check exits 1 with a short diff on a stale template")
    func checkFails() throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let stale = folder.appendingPathComponent("template.yaml")
        try golden.replacingOccurrences(of: "Default: prod", with: "Default: staging").write(to: stale, atomically: true, encoding: .utf8)
        let result = try Menort.run(["render", "--check", stale.path], in: folder)
        #expect(result.status == 1)
        #expect(result.stdout.contains("-    Default: staging\n+    Default: prod\n"))
        #expect(result.stdout.hasPrefix("--- \(stale.path)\n+++ menort render\n@@ -15,7 +15,7 @@\n   StageName:\n"))
        #expect(result.stderr == "menort: \(stale.path) is out of date: run `menort render --output \(stale.path)`\n")
    }

    @Test("--output writes the template and nothing on stdout")
    func output() throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("template.yaml")
        let result = try Menort.run(["render", "--output", target.path], in: folder)
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        #expect(try String(contentsOf: target, encoding: .utf8) == golden)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["template.yaml"])
    }

    @Test("--output leaves the old file intact when the config is bad")
    func outputKeepsOldFileOnFailure() throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("template.yaml")
        try "old content\n".write(to: target, atomically: true, encoding: .utf8)
        let config = folder.appendingPathComponent("menort.yaml")
        try "routes:\n  chat.send:\n    tables: { chats: write }\n".write(to: config, atomically: true, encoding: .utf8)
        let result = try Menort.run(["render", "--config", config.path, "--output", target.path], in: folder)
        #expect(result.status == 1)
        #expect(result.stderr == "menort: \(config.path):3:15: error: unknown table 'chats' (expected one of: connections, chat, presence, sessions)\n")
        #expect(try String(contentsOf: target, encoding: .utf8) == "old content\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["menort.yaml", "template.yaml"])
    }

    @Test("--output into a missing folder exits 2 and writes nothing")
    func outputMissingFolder() throws {
        let result = try Menort.run(["render", "--output", "/nonexistent-menort/template.yaml"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("menort: cannot write /nonexistent-menort/template.yaml: cannot create a temporary file in /nonexistent-menort"))
        #expect(result.stdout.isEmpty)
    }

    @Test("A missing config file exits 2 naming it")
    func missingConfig() throws {
        let result = try Menort.run(["render", "--config", "no-such.yaml"])
        #expect(result.status == 2)
        #expect(result.stderr == "menort: cannot read config no-such.yaml: no such file\n")
        #expect(result.stdout.isEmpty)
    }

    @Test("--output and --check together are a usage error, exit 2")
    func exclusiveOptions() throws {
        let result = try Menort.run(["render", "--output", "a.yaml", "--check", "b.yaml"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--output and --check cannot be used together"))
    }

    @Test("An unknown option is a usage error, exit 2")
    func unknownOption() throws {
        let result = try Menort.run(["render", "--frobnicate"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("Unknown option '--frobnicate'"))
    }

    @Test("--version names menort and the linked libyaml")
    func version() throws {
        let result = try Menort.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout == "menort 0.1.0 (libyaml 0.2.5)\n")
    }
}
