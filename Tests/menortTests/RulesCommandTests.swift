import Foundation
import Testing

@Suite("menort rules")
struct RulesCommandTests {
    /// The rules of `menort rules --format json`, each as id → fields.
    func catalog() throws -> (families: [[String: Any]], rules: [[String: String]]) {
        let result = try Menort.run(["rules", "--format", "json"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let families = try #require(object["families"] as? [[String: Any]])
        let rules = try #require(object["rules"] as? [[String: String]])
        return (families, rules)
    }

    @Test("docs/rules.md is `menort rules --format markdown`, byte for byte")
    func docsAreGenerated() throws {
        let result = try Menort.run(["rules", "--format", "markdown"])
        #expect(result.status == 0)
        let docs = Menort.root.appendingPathComponent("docs/rules.md")
        if ProcessInfo.processInfo.environment["MENORT_RECORD"] == "1" {
            try result.stdout.write(to: docs, atomically: true, encoding: .utf8)
        }
        #expect(result.stdout == (try String(contentsOf: docs, encoding: .utf8)),
                "docs/rules.md is stale: run `menort rules --format markdown > docs/rules.md` (or MENORT_RECORD=1 swift test)")
    }

    @Test("The JSON lists exactly the rules SARIF declares, each with family, severity, title and explanation")
    func jsonMatchesSARIF() throws {
        let (families, rules) = try catalog()
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "Resources: {}\n".write(to: folder.appendingPathComponent("template.yaml"), atomically: true, encoding: .utf8)
        let sarif = try Menort.run(["validate", "--format", "sarif"], in: folder)
        let log = try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any]
        let driver = ((log?["runs"] as? [[String: Any]])?.first?["tool"] as? [String: Any])?["driver"] as? [String: Any]
        let sarifIDs = (driver?["rules"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(!sarifIDs.isEmpty)
        #expect(rules.map { $0["id"] ?? "" } == sarifIDs)
        for rule in rules {
            #expect(Set(rule.keys) == ["id", "family", "severity", "title", "explanation"], "\(rule)")
            #expect(["error", "warning", "note"].contains(rule["severity"] ?? ""), "\(rule)")
            #expect((rule["explanation"] ?? "").count > 60, "\(rule)")
        }
        #expect(families.compactMap { $0["id"] as? String } == ["yaml", "template", "refs", "params", "websocket", "stack", "iam", "sam", "schema"])
        for family in families {
            let id = family["id"] as? String
            #expect(family["rules"] as? [String] == rules.filter { $0["family"] == id }.map { $0["id"] ?? "" })
        }
    }

    @Test("Text is one block per rule, headed `id (family, severity): title` with the explanation indented")
    func textBlocks() throws {
        let (_, rules) = try catalog()
        let result = try Menort.run(["rules"])
        #expect(result.status == 0)
        let blocks = result.stdout.components(separatedBy: "\n\n")
        #expect(blocks.count == rules.count)
        for (block, rule) in zip(blocks, rules) {
            let lines = block.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
            #expect(lines == [
                "\(rule["id"] ?? "") (\(rule["family"] ?? ""), \(rule["severity"] ?? "")): \(rule["title"] ?? "")",
                "  \(rule["explanation"] ?? "")",
            ])
        }
    }

    @Test("The Markdown has a contents table of families, a table per family, and a section per rule saying how to silence it")
    func markdownStructure() throws {
        let (families, rules) = try catalog()
        let markdown = try Menort.run(["rules", "--format", "markdown"]).stdout
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "# menort rules")
        #expect(lines.contains("| [`websocket`](#websocket) | \(rules.filter { $0["family"] == "websocket" }.count) | WebSocket API wiring: route keys, targets, integrations, permissions, deployments, @connections |"))
        #expect(lines.filter { $0.hasPrefix("## ") }.count == families.count)
        #expect(lines.filter { $0.hasPrefix("### ") }.map { String($0.dropFirst(4)) } == rules.map { $0["id"] ?? "" })
        #expect(lines.contains("| [`ws-manage-connections`](#ws-manage-connections) | error | A policy for @connections that does not allow posting |"))
        #expect(lines.filter { $0.hasPrefix("Silence: `menort validate --ignore ") }.count == rules.count)
        #expect(lines.contains("Silence: `menort validate --ignore stack-connections-ttl`, or `Metadata: {menort: {ignore: [stack-connections-ttl]}}` on the resource, parameter or output (top-level `Metadata` for the whole file)."))
        // Parsing fails before there is any Metadata: only --ignore silences these.
        #expect(lines.contains("Silence: `menort validate --ignore yaml-duplicate-key` (the template cannot be read as a tree yet, so its `Metadata` cannot)."))
        // `$` would start GitHub math, `*` emphasis and `<` HTML outside code spans.
        #expect(markdown.contains("on \\${Api}/\\${StageName}/POST/@connections/\\* every PostToConnection"))
        #expect(markdown.contains("Create lambda/realtime/&lt;handler&gt;/ or fix the path."))
    }

    @Test("An unknown format is a usage error, exit 2")
    func unknownFormat() throws {
        let result = try Menort.run(["rules", "--format", "yaml"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("Error: The value 'yaml' is invalid for '--format <format>'. Please provide one of 'text', 'json' or 'markdown'.\n"))
    }
}
