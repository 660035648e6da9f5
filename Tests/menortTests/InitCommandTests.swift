import Foundation
import Testing
import YAML

/// `node` on PATH, which runs `node --check` on the generated handlers; the tests that need it
/// are skipped, with a message, when it is missing (`make check-local` requires it).
enum NodeJS {
    static let available: Bool = {
        let result = try? Menort.execute(URL(fileURLWithPath: "/usr/bin/env"), ["node", "--version"])
        guard let result, result.status == 0 else {
            print("⚠︎ menort init: the node --check tests are skipped: node is not on PATH (apt-get install nodejs).")
            return false
        }
        return true
    }()

    /// `node --check` of every `.mjs` under `folder`: the files that fail, with node's words.
    static func check(_ folder: URL) throws -> (checked: Int, failures: [String]) {
        var failures: [String] = []
        let files = try InitCommandTests.files(in: folder).filter { $0.hasSuffix(".mjs") }
        for file in files {
            let result = try Menort.execute(URL(fileURLWithPath: "/usr/bin/env"), ["node", "--check", folder.appendingPathComponent(file).path])
            if result.status != 0 { failures.append("\(file): \(result.stderr)") }
        }
        return (files.count, failures)
    }
}

@Suite("menort init")
struct InitCommandTests {
    /// The default stack's handler folders, in route order.
    static let handlers = ["connect", "disconnect", "default", "chat-send", "presence-update"]

    /// Every file the default project holds, relative to its folder.
    static let defaultFiles: Set<String> = Set(["menort.yaml", "template.yaml", ".env.example"]
        + handlers.flatMap { ["lambda/realtime/\($0)/index.mjs", "lambda/realtime/\($0)/aws.mjs"] })

    /// Every regular file under `folder`, relative to it.
    static func files(in folder: URL) throws -> [String] {
        let base = folder.resolvingSymlinksInPath().path
        var found: [String] = []
        let enumerator = FileManager.default.enumerator(at: folder.resolvingSymlinksInPath(), includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true else { continue }
            found.append(String(url.resolvingSymlinksInPath().path.dropFirst(base.count + 1)))
        }
        return found.sorted()
    }

    static func read(_ folder: URL, _ path: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
    }

    /// A route set unlike the default one: a route that may only read the chat table and
    /// cannot post, lifecycle routes without their usual tables, every access level.
    static let customConfig = """
        routes:
          $connect: { tables: { connections: write } }
          $disconnect: { tables: { connections: read }, broadcast: true }
          $default: {}
          chat.history: { tables: { chat: read } }
          presence.list: { tables: { presence: read, connections: read }, broadcast: true }
          room.join: { handler: rooms, tables: { connections: write, sessions: write, presence: write }, broadcast: true }

        """

    @Test("init into an empty folder writes menort.yaml, template.yaml, .env.example and each route's index.mjs and aws.mjs")
    func writesTheProject() throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["init"], in: folder)
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(Set(try Self.files(in: folder)) == Self.defaultFiles)
        #expect(result.stdout.hasPrefix("Wrote 13 files in the current folder:\n"))
        for file in Self.defaultFiles {
            #expect(result.stdout.contains("\n  \(file) "), "\(file) is not in the list")
        }
        #expect(result.stdout.contains("\nNext:\n  menort validate --strict "))
        #expect(result.stdout.contains("menort local --env-file .env --dynamodb-endpoint http://127.0.0.1:8000\n"))
        #expect(result.stdout.contains("sam build && sam deploy --guided --capabilities CAPABILITY_IAM \\\n    --parameter-overrides \"$(menort params --env-file .env)\"\n"))
        #expect(!result.stdout.contains("  cd "), "init into the current folder needs no cd")
    }

    @Test("menort validate --strict on what init wrote exits 0 with no findings")
    func validatesStrictly() throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Menort.run(["init"], in: folder).status == 0)
        let result = try Menort.run(["validate", "--strict", "template.yaml"], in: folder)
        #expect(result.stdout == "0 errors, 0 warnings, 0 notes in 1 template\n")
        #expect(result.stderr.isEmpty)
        #expect(result.status == 0)
    }

    @Test("The template init writes is what menort render writes for its menort.yaml")
    func templateIsRendered() throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Menort.run(["init"], in: folder).status == 0)
        let check = try Menort.run(["render", "--config", "menort.yaml", "--check", "template.yaml"], in: folder)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let golden = try String(contentsOf: Menort.root.appendingPathComponent("templates/realtime/template.yaml"), encoding: .utf8)
        #expect(try Self.read(folder, "template.yaml") == golden)
        let config = try String(contentsOf: Menort.root.appendingPathComponent("templates/realtime/menort.yaml"), encoding: .utf8)
        #expect(try Self.read(folder, "menort.yaml") == config)
    }

    @Test("init refuses to overwrite: exit 1, one located line per existing file, and nothing written or changed")
    func refusesToOverwrite() throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let project = folder.appendingPathComponent("project")
        try FileManager.default.createDirectory(at: project.appendingPathComponent("lambda/realtime/chat-send"), withIntermediateDirectories: true)
        try "mine: true\n".write(to: project.appendingPathComponent("menort.yaml"), atomically: true, encoding: .utf8)
        try "export const handler = async () => ({ statusCode: 200 });\n"
            .write(to: project.appendingPathComponent("lambda/realtime/chat-send/index.mjs"), atomically: true, encoding: .utf8)
        let before = try Self.files(in: project)

        let result = try Menort.run(["init", "project"], in: folder)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == """
            menort: project/menort.yaml: error: exists; pass --force to overwrite
            menort: project/lambda/realtime/chat-send/index.mjs: error: exists; pass --force to overwrite

            """)
        #expect(try Self.files(in: project) == before)
        #expect(try Self.read(project, "menort.yaml") == "mine: true\n")
        #expect(try Self.read(project, "lambda/realtime/chat-send/index.mjs") == "export const handler = async () => ({ statusCode: 200 });\n")
    }

    @Test("A handler folder holding index.js or index.cjs is refused even with --force, and nothing is written",
          arguments: [["init", "project"], ["init", "project", "--force"]])
    func refusesAShadowedHandler(_ arguments: [String]) throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let project = folder.appendingPathComponent("project")
        for (handler, file) in [("connect", "index.js"), ("chat-send", "index.cjs")] {
            try FileManager.default.createDirectory(at: project.appendingPathComponent("lambda/realtime/\(handler)"), withIntermediateDirectories: true)
            try "exports.handler = async () => ({ statusCode: 200 });\n"
                .write(to: project.appendingPathComponent("lambda/realtime/\(handler)/\(file)"), atomically: true, encoding: .utf8)
        }
        let before = try Self.files(in: project)

        let result = try Menort.run(arguments, in: folder)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == """
            menort: project/lambda/realtime/connect/index.js: error: Lambda loads it before the index.mjs init writes beside it; move it away first
            menort: project/lambda/realtime/chat-send/index.cjs: error: Lambda loads it before the index.mjs init writes beside it; move it away first

            """)
        #expect(try Self.files(in: project) == before)
    }

    @Test("--force overwrites the files that exist, says so, and writes the others")
    func forceOverwrites() throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "mine: true\n".write(to: folder.appendingPathComponent("menort.yaml"), atomically: true, encoding: .utf8)
        try "stale\n".write(to: folder.appendingPathComponent("template.yaml"), atomically: true, encoding: .utf8)
        let result = try Menort.run(["init", "--force"], in: folder)
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(Set(try Self.files(in: folder)) == Self.defaultFiles)
        #expect(try Self.read(folder, "menort.yaml").hasPrefix("# The realtime stack's config"))
        #expect(try Self.read(folder, "template.yaml").hasPrefix("# Rendered by `menort render`"))
        let lines = result.stdout.split(separator: "\n")
        let overwritten = lines.filter { $0.hasSuffix("(overwritten)") }.map { $0.split(separator: " ").first.map(String.init) }
        #expect(overwritten == ["menort.yaml", "template.yaml"])
    }

    @Test("A second init with --force writes the same bytes again")
    func forceIsStable() throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Menort.run(["init"], in: folder).status == 0)
        let first = try Self.defaultFiles.map { try Self.read(folder, $0) }
        #expect(try Menort.run(["init", "--force"], in: folder).status == 0)
        #expect(try Self.defaultFiles.map { try Self.read(folder, $0) } == first)
    }

    @Test("Every generated handler and helper passes node --check", .enabled(if: NodeJS.available, "node is not on PATH"))
    func nodeCheck() throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Menort.run(["init"], in: folder).status == 0)
        let (checked, failures) = try NodeJS.check(folder)
        #expect(checked == 2 * Self.handlers.count)
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test("A custom config's handlers pass node --check and read only the environment variables their function gets",
          .enabled(if: NodeJS.available, "node is not on PATH"))
    func customConfig() throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.customConfig.write(to: folder.appendingPathComponent("custom.yaml"), atomically: true, encoding: .utf8)
        let result = try Menort.run(["init", "--config", "custom.yaml", "project"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let project = folder.appendingPathComponent("project")
        #expect(try Self.read(project, "menort.yaml") == Self.customConfig)
        let (checked, failures) = try NodeJS.check(project)
        #expect(checked == 12)
        #expect(failures.isEmpty, "\(failures)")

        // The variables each function is given, as the rendered template says.
        let template = try #require(try Parser.parse(bytes: Array(Self.read(project, "template.yaml").utf8)))
        let functions = try #require(template["Resources"]?.pairs).filter { $0.value["Type"]?.scalar == "AWS::Serverless::Function" }
        #expect(functions.count == 6)
        for function in functions {
            let codeURI = try #require(function.value["Properties"]?["CodeUri"]?.scalar)
            let given = Set(function.value["Properties"]?["Environment"]?["Variables"]?.pairs?.compactMap(\.key.scalar) ?? [])
            let code = try Self.read(project, codeURI + "index.mjs")
            let reads = Set(code.matches(of: /process\.env\.([A-Za-z0-9_]+)/).map { String($0.1) })
            #expect(reads.isSubset(of: given), "\(codeURI) reads \(reads.subtracting(given).sorted())")
        }
        let history = try Self.read(project, "lambda/realtime/chat-history/index.mjs")
        #expect(history.contains("process.env.CHAT_TABLE_NAME"))
        #expect(!history.contains("postToConnection("))
        #expect(!history.contains("putItem("))
    }

    @Test("--config naming the project's own menort.yaml keeps it and writes the rest from it")
    func configInPlace() throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = "# ours\nroutes:\n  $connect: { tables: { connections: write } }\n  ping.me: { broadcast: true }\n"
        try config.write(to: folder.appendingPathComponent("menort.yaml"), atomically: true, encoding: .utf8)
        let result = try Menort.run(["init", "--config", "menort.yaml"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.read(folder, "menort.yaml") == config)
        #expect(Set(try Self.files(in: folder)) == ["menort.yaml", "template.yaml", ".env.example",
                                                    "lambda/realtime/connect/index.mjs", "lambda/realtime/connect/aws.mjs",
                                                    "lambda/realtime/ping-me/index.mjs", "lambda/realtime/ping-me/aws.mjs"])
        #expect(result.stdout.contains("  menort.yaml  "))
        #expect(result.stdout.contains("kept as it is"))
        #expect(try Menort.run(["validate", "--strict"], in: folder).status == 0)
    }

    @Test("A --config that is wrong exits 1 with its location and writes nothing")
    func badConfig() throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "routes:\n  chat.send: { tables: { chats: write } }\n".write(to: folder.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let result = try Menort.run(["init", "--config", "bad.yaml", "project"], in: folder)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("menort: bad.yaml:2:26: error: unknown table 'chats'"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("project").path))
    }

    @Test("A missing --config file exits 2")
    func missingConfig() throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["init", "--config", "nope.yaml"], in: folder)
        #expect(result.status == 2)
        #expect(result.stderr == "menort: cannot read config nope.yaml: no such file\n")
        #expect(try Self.files(in: folder).isEmpty)
    }

    @Test("DIR is created with its parents, and the next steps start with cd into it")
    func createsTheFolder() throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["init", "a/b/realtime stack"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Set(try Self.files(in: folder.appendingPathComponent("a/b/realtime stack"))) == Self.defaultFiles)
        #expect(result.stdout.hasPrefix("Wrote 13 files in a/b/realtime stack:\n"))
        #expect(result.stdout.contains("\nNext:\n  cd 'a/b/realtime stack'\n"))
    }

    @Test("A DIR that cannot be created exits 2 with one line and writes nothing")
    func uncreatableFolder() throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "".write(to: folder.appendingPathComponent("file"), atomically: true, encoding: .utf8)
        let result = try Menort.run(["init", "file/project"], in: folder)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "menort: cannot create the folder file/project: file is a file, not a folder\n")
        #expect(try Self.files(in: folder) == ["file"])
    }

    @Test("A DIR that is a file exits 2 with one line")
    func folderIsAFile() throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "".write(to: folder.appendingPathComponent("file"), atomically: true, encoding: .utf8)
        let result = try Menort.run(["init", "file"], in: folder)
        #expect(result.status == 2)
        #expect(result.stderr == "menort: cannot create the project in file: it is a file, not a folder\n")
    }

    /// How to run menort as a user the folder's permissions apply to: as is when not root;
    /// as root, through setpriv as nobody (root writes into any folder).
    static let unprivileged: [String]? = {
        if getuid() != 0 { return [] }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return nil }
        return ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    }()

    @Test("A folder without write permission exits 2 with one line and writes nothing",
          .enabled(if: unprivileged != nil, "running as root without setpriv: root writes into any folder"))
    func unwritableFolder() throws {
        let folder = try Menort.temporaryFolder()
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
            try? FileManager.default.removeItem(at: folder)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
        let prefix = try #require(Self.unprivileged)
        let result = prefix.isEmpty
            ? try Menort.run(["init"], in: folder)
            : try Menort.execute(URL(fileURLWithPath: prefix[0]), Array(prefix.dropFirst()) + [Menort.binary.path, "init"], in: folder)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "menort: cannot create the folder lambda/realtime/connect: Permission denied\n")
        #expect(try Self.files(in: folder).isEmpty)
    }

    @Test("A .env made from .env.example by filling in its empty values gives menort params every parameter")
    func envExample() throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Menort.run(["init"], in: folder).status == 0)
        let example = try Self.read(folder, ".env.example")
        let tables = ["CHAT_TABLE_NAME": "meno-chat", "PRESENCE_TABLE_NAME": "meno-presence", "SESSION_TABLE_NAME": "meno-sessions"]
        var env = example
        for (key, value) in tables {
            #expect(env.contains("\n\(key)=''\n"), "\(key) is not an empty line")
            env = env.replacingOccurrences(of: "\n\(key)=''\n", with: "\n\(key)=\(value)\n")
        }
        try env.write(to: folder.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        let result = try Menort.run(["params", "--env-file", ".env"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "ServiceName=meno-realtime StageName=prod ChatTableName=meno-chat PresenceTableName=meno-presence SessionTableName=meno-sessions ConnectionsTableName=meno-connections LambdaTimeout=10\n")

        // Unfilled, the empty values are what menort validate names.
        let unfilled = try Menort.run(["validate", "--env-file", ".env.example"], in: folder)
        #expect(unfilled.status == 1)
        for name in ["ChatTableName", "PresenceTableName", "SessionTableName"] {
            #expect(unfilled.stdout.contains(name), "\(name)")
        }
    }

    @Test("init's help says what it writes, gives an example and the exit codes")
    func help() throws {
        let result = try Menort.run(["help", "init"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: menort init [<dir>] [--force] [--config <path>]"))
        for text in ["menort.yaml", "template.yaml", ".env.example", "lambda/realtime/<handler>/", "--force", "Example:", "menort init realtime && cd realtime", "Exit codes: 0 written; 1 a file exists"] {
            #expect(result.stdout.contains(text), "\(text)")
        }
        let top = try Menort.run(["--help"])
        #expect(top.stdout.contains("  init "))
    }
}
