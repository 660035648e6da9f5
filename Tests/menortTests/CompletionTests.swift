import Foundation
import Testing

@Suite("shell completions and the manual")
struct CompletionTests {
    static let subcommands = ["init", "render", "validate", "graph", "endpoints", "rules"]

    /// Runs `script` with `shell -c`, or `nil` when the shell is not installed.
    static func shell(_ shell: String, _ script: String) throws -> String? {
        guard let path = ["/bin/", "/usr/bin/", "/usr/local/bin/"].map({ $0 + shell }).first(where: FileManager.default.isExecutableFile) else {
            return nil
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-c", script]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func installed(_ name: String) -> Bool {
        ["/bin/", "/usr/bin/", "/usr/local/bin/"].contains { FileManager.default.isExecutableFile(atPath: $0 + name) }
    }

    @Test("Each shell's completion script is generated and names every subcommand and their options", arguments: [
        ("bash", "complete -o filenames -F _menort menort"),
        ("zsh", "#compdef menort"),
        ("fish", "complete -c 'menort' -f"),
    ])
    func scripts(_ shell: String, _ hook: String) throws {
        let result = try Menort.run(["--generate-completion-script", shell])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.contains(hook))
        for word in Self.subcommands + ["--force", "--config", "--check", "--env-file", "--strict", "--api-id", "--region", "--stage", "--format"] {
            // fish names options without their dashes (`-l 'api-id'`).
            let spelled = shell == "fish" && word.hasPrefix("--") ? "-l '\(word.dropFirst(2))'" : word
            #expect(result.stdout.contains(spelled), "\(shell) script lacks \(word)")
        }
        // The formats are offered as values.
        for format in ["mermaid", "dot", "markdown", "env"] {
            #expect(result.stdout.contains(format), "\(shell) script lacks the value \(format)")
        }
    }

    /// What bash's completion offers for the words typed so far (the last one being completed).
    static func bashCompletions(_ words: [String]) throws -> [String]? {
        let script = try Menort.run(["--generate-completion-script", "bash"]).stdout
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("menort-completion-\(UUID().uuidString).bash")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let quoted = words.map { "'\($0)'" }.joined(separator: " ")
        let line = words.joined(separator: " ")
        let previous = words.count > 1 ? words[words.count - 2] : ""
        // _menort reads COMP_WORDS/COMP_CWORD and calls `menort` only for custom completions.
        let output = try shell("bash", """
            PATH='\(Menort.binary.deletingLastPathComponent().path)':"$PATH"
            source '\(file.path)'
            COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); COMP_LINE='\(line)'; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
            _menort menort '\(words.last ?? "")' '\(previous)'
            printf '%s\\n' "${COMPREPLY[@]}"
            """)
        return output?.split(separator: "\n").map(String.init)
    }

    @Test("bash completes the subcommands, a command's options and an option's values")
    func bash() throws {
        #expect(try Self.bashCompletions(["menort", "gr"]) == ["graph"])
        #expect(try Self.bashCompletions(["menort", "e"]) == ["endpoints"])
        #expect(try Self.bashCompletions(["menort", "graph", "--format", ""]) == ["mermaid", "dot"])
        #expect(try Self.bashCompletions(["menort", "rules", "--format", ""]) == ["text", "json", "markdown"])
        let options = try #require(try Self.bashCompletions(["menort", "endpoints", "--"]))
        #expect(Set(["--api-id", "--region", "--stage", "--format"]).isSubset(of: Set(options)))
    }

    @Test("fish completes the subcommands and an option's values", .enabled(if: CompletionTests.installed("fish"), "fish is not installed"))
    func fish() throws {
        let script = try Menort.run(["--generate-completion-script", "fish"]).stdout
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("menort-completion-\(UUID().uuidString).fish")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try #require(try Self.shell("fish", "source '\(file.path)'; complete -C 'menort gr'; complete -C 'menort endpoints --format '"))
        let words = output.split(separator: "\n").map { String($0.prefix { $0 != "\t" }) }
        #expect(words == ["graph", "env", "json"])
    }

    @Test("zsh reads its completion script without a syntax error", .enabled(if: CompletionTests.installed("zsh"), "zsh is not installed"))
    func zsh() throws {
        let script = try Menort.run(["--generate-completion-script", "zsh"]).stdout
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("_menort-\(UUID().uuidString)")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try Self.shell("zsh", "zsh -n '\(file.path)' && echo ok") == "ok\n")
    }

    @Test("The help dump the man page is generated from describes every subcommand")
    func manualSource() throws {
        // swift-argument-parser's generate-manual plugin reads this dump of the binary.
        let result = try Menort.run(["--experimental-dump-help"])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let command = object?["command"] as? [String: Any]
        #expect(command?["commandName"] as? String == "menort")
        let subcommands = (command?["subcommands"] as? [[String: Any]] ?? []).compactMap { $0["commandName"] as? String }
        #expect(Set(Self.subcommands).isSubset(of: Set(subcommands)), "\(subcommands)")
        #expect(subcommands.last == "help")
        for subcommand in command?["subcommands"] as? [[String: Any]] ?? [] where subcommand["commandName"] as? String != "help" {
            #expect((subcommand["abstract"] as? String)?.isEmpty == false)
            #expect((subcommand["discussion"] as? String)?.contains("Exit codes:") == true, "\(subcommand["commandName"] ?? "?")")
        }
    }
}
