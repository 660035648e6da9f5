import Foundation
import Testing

@Suite("menort validate")
struct ValidateCommandTests {
    static let duplicate = "Resources:\n  T:\n    Type: AWS::SNS::Topic\n  T:\n    Type: AWS::SQS::Queue\n"

    func folder(with files: [String: String]) throws -> URL {
        let folder = try Menort.temporaryFolder()
        for (name, text) in files {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return folder
    }

    @Test("The rendered stack piped through stdin has no findings, even with --strict")
    func renderedStackIsClean() throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for handler in ["connect", "disconnect", "default", "chat-send", "presence-update"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("lambda/realtime/\(handler)"), withIntermediateDirectories: true)
        }
        try FileManager.default.copyItem(at: Menort.root.appendingPathComponent("templates/realtime/template.yaml"), to: folder.appendingPathComponent("template.yaml"))
        let result = try Menort.run(["validate", "--strict"], in: folder)
        #expect(result.stdout == "0 errors, 0 warnings, 0 notes in 1 template\n")
        #expect(result.status == 0)
    }

    @Test("Findings are printed one per line with a summary, and exit 1")
    func textFormat() throws {
        let folder = try folder(with: ["template.yaml": Self.duplicate])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["validate", "--rules", "yaml"], in: folder)
        #expect(result.status == 1)
        #expect(result.stdout == """
            template.yaml:4:3: error: duplicate key 'T' (first at 2:3); YAML readers keep only one of the values [yaml-duplicate-key] (T)
            1 error, 0 warnings, 0 notes in 1 template

            """)
    }

    @Test("JSON output is exactly one object with diagnostics and a summary")
    func jsonFormat() throws {
        let folder = try folder(with: ["a.yaml": Self.duplicate, "b.yaml": "- not a template\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["validate", "a.yaml", "b.yaml", "--format", "json", "--rules", "yaml"], in: folder)
        #expect(result.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let diagnostics = object?["diagnostics"] as? [[String: Any]]
        #expect(diagnostics?.map { $0["rule"] as? String } == ["yaml-duplicate-key", "yaml-not-mapping"])
        #expect(diagnostics?.map { $0["file"] as? String } == ["a.yaml", "b.yaml"])
        #expect(diagnostics?.first?["line"] as? Int == 4)
        #expect(diagnostics?.first?["column"] as? Int == 3)
        #expect(diagnostics?.first?["family"] as? String == "yaml")
        #expect(diagnostics?.first?["logicalId"] as? String == "T")
        #expect(diagnostics?.first?["path"] as? String == "Resources/T")
        #expect(diagnostics?.last?["logicalId"] is NSNull)
        let summary = object?["summary"] as? [String: Int]
        #expect(summary == ["errors": 2, "warnings": 0, "notes": 0, "files": 2])
    }

    @Test("SARIF output lists every rule and locates every result")
    func sarifFormat() throws {
        let folder = try folder(with: ["template.yaml": Self.duplicate])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["validate", "--format", "sarif", "--rules", "yaml"], in: folder)
        #expect(result.status == 1)
        let log = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(log?["version"] as? String == "2.1.0")
        let run = (log?["runs"] as? [[String: Any]])?.first
        let driver = (run?["tool"] as? [String: Any])?["driver"] as? [String: Any]
        let rules = driver?["rules"] as? [[String: Any]] ?? []
        #expect(rules.contains { $0["id"] as? String == "yaml-duplicate-key" })
        #expect(rules.allSatisfy { ($0["shortDescription"] as? [String: String])?["text"]?.isEmpty == false })
        let results = run?["results"] as? [[String: Any]] ?? []
        #expect(results.count == 1)
        #expect(results.first?["ruleId"] as? String == "yaml-duplicate-key")
        #expect(results.first?["level"] as? String == "error")
        let location = ((results.first?["locations"] as? [[String: Any]])?.first?["physicalLocation"]) as? [String: Any]
        #expect((location?["artifactLocation"] as? [String: String])?["uri"] == "template.yaml")
        #expect((location?["region"] as? [String: Int]) == ["startLine": 4, "startColumn": 3])
    }

    @Test("With no template and no ./template.yaml it exits 2 naming the file")
    func missingDefault() throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["validate"], in: folder)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "menort: cannot read template template.yaml: no such file\n")
    }

    @Test("A missing env file exits 2 naming it")
    func missingEnvFile() throws {
        let folder = try folder(with: ["template.yaml": Self.duplicate])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["validate", "--env-file", "prod.env"], in: folder)
        #expect(result.status == 2)
        #expect(result.stderr == "menort: cannot read env file prod.env: no such file\n")
    }

    @Test("An env file line that is not KEY=VALUE exits 2 with its line")
    func badEnvFile() throws {
        let folder = try folder(with: ["template.yaml": Self.duplicate, ".env": "# deploy values\nCHAT_TABLE_NAME meno-chat\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["validate", "--env-file", ".env"], in: folder)
        #expect(result.status == 2)
        #expect(result.stderr == "menort: env file .env:2: expected KEY=VALUE, found 'CHAT_TABLE_NAME meno-chat'\n")
    }

    @Test("Usage errors exit 2 with a one-line reason", arguments: [
        (["validate", "--format", "xml"], "The value 'xml' is invalid for '--format <format>'. Please provide one of 'text', 'json' or 'sarif'."),
        (["validate", "--rules", "yaml,wires"], "unknown rule family 'wires': use yaml, template, refs, params, websocket, stack, iam, sam, schema"),
        (["validate", "--ignore", "yaml-duplicate-keys"], "unknown rule 'yaml-duplicate-keys' in --ignore; did you mean 'yaml-duplicate-key'?"),
        (["validate", "--param", "StageName"], "--param takes KEY=VALUE, got 'StageName'"),
        (["validate", "-", "-"], "standard input (-) can be read only once"),
    ])
    func usageErrors(_ arguments: [String], _ message: String) throws {
        let result = try Menort.run(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("Error: \(message)\n"))
        #expect(result.stdout.isEmpty)
    }

    @Test("--explain prints the rule's family, severity, title and fix")
    func explain() throws {
        let result = try Menort.run(["validate", "--explain", "yaml-duplicate-key"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("yaml-duplicate-key (yaml, error)\nA mapping holds the same key twice\n\nYAML readers keep only one"))
    }

    @Test("--ignore drops a rule and the run passes")
    func ignore() throws {
        let undefined = "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Ref Missing\n"
        let folder = try folder(with: ["template.yaml": undefined])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Menort.run(["validate", "--rules", "refs"], in: folder).status == 1)
        let result = try Menort.run(["validate", "--rules", "refs", "--ignore", "refs-undefined-ref"], in: folder)
        #expect(result.status == 0)
        #expect(result.stdout == "0 errors, 0 warnings, 0 notes in 1 template\n")
    }

    @Test("--rules and --ignore never hide a file that is not a template", arguments: [
        ("template.yaml", "Resources:\n  T: [unclosed\n", "template.yaml:2:6: note:", "yaml-syntax"),
        ("template.yaml", duplicate, "template.yaml:4:3: error:", "yaml-duplicate-key"),
        ("template.yaml", "- a list\n", "template.yaml:1:1: error:", "yaml-not-mapping"),
    ])
    func brokenFileAlwaysReported(_ name: String, _ text: String, _ location: String, _ rule: String) throws {
        let folder = try folder(with: [name: text])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["validate", "--rules", "template", "--ignore", rule], in: folder)
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix(location))
        #expect(result.stdout.contains("error: ") && result.stdout.contains("[\(rule)]"))
    }
}
