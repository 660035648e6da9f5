import Foundation
import Testing

/// `menort diff` as a user or CI runs it: inputs (files, stdin, get-template output, the
/// render), `--fail-on` and the exit codes.
@Suite("menort diff")
struct DiffCommandTests {
    static let folder = Menort.root.appendingPathComponent("Tests/Fixtures/diff")
    static let old = "stage-and-table.old.yaml"
    static let new = "stage-and-table.new.yaml"

    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    /// A fresh folder holding `files`, removed by the caller.
    static func folder(with files: [String: String]) throws -> URL {
        let folder = try Menort.temporaryFolder()
        for (name, text) in files {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return folder
    }

    /// What `aws cloudformation get-template` prints for a YAML template: the body as a string.
    static func getTemplateString(_ yaml: String) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: ["TemplateBody": yaml, "StagesAvailable": ["Original", "Processed"]] as [String: Any],
                                              options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    @Test("Each format of the stage-and-table pair matches its golden file", arguments: ["text", "json", "markdown"])
    func golden(_ format: String) throws {
        let result = try Menort.run(["diff", Self.old, Self.new, "--format", format, "--region", "eu-west-1"], in: Self.folder)
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout == (try Self.fixture("stage-and-table.\(format)")))
    }

    @Test("get-template output with TemplateBody as a string, read from a file, is the template it holds")
    func getTemplateStringFromFile() throws {
        let folder = try Self.folder(with: ["deployed.json": try Self.getTemplateString(try Self.fixture(Self.old)),
                                            Self.new: try Self.fixture(Self.new)])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["diff", "deployed.json", Self.new, "--region", "eu-west-1"], in: folder)
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let golden = try Self.fixture("stage-and-table.text")
        #expect(result.stdout == golden.replacingOccurrences(of: "menort diff: \(Self.old) →", with: "menort diff: deployed.json →"))
    }

    @Test("get-template output with TemplateBody as an object (a JSON template), read from a file, is that template")
    func getTemplateObjectFromFile() throws {
        let result = try Menort.run(["diff", "stage-and-table.old.get-template.json", Self.new, "--region", "eu-west-1"], in: Self.folder)
        #expect(result.status == 0)
        let golden = try Self.fixture("stage-and-table.text")
        #expect(result.stdout == golden.replacingOccurrences(of: "menort diff: \(Self.old) →", with: "menort diff: stage-and-table.old.get-template.json →"))
    }

    @Test("get-template output read from stdin (-), in both forms, is the template it holds", arguments: ["string", "object"])
    func getTemplateFromStdin(_ form: String) throws {
        let folder = try Self.folder(with: ["deployed.json": try Self.getTemplateString(try Self.fixture(Self.old))])
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = form == "string" ? folder.appendingPathComponent("deployed.json") : Self.folder.appendingPathComponent("stage-and-table.old.get-template.json")
        let result = try Menort.run(["diff", "-", Self.folder.appendingPathComponent(Self.new).path, "--format", "json", "--region", "eu-west-1"], stdin: input)
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["old"] as? String == "<stdin>")
        let golden = try #require(try JSONSerialization.jsonObject(with: Data(try Self.fixture("stage-and-table.json").utf8)) as? [String: Any])
        func canonical(_ value: Any?) throws -> Data {
            try JSONSerialization.data(withJSONObject: try #require(value), options: [.sortedKeys])
        }
        for key in ["resources", "parameters", "outputs", "endpointChanges", "summary"] {
            #expect(try canonical(object[key]) == (try canonical(golden[key])), "\(key)")
        }
    }

    @Test("A TemplateBody that is neither a template nor a string exits 2 with one line")
    func badTemplateBody() throws {
        let folder = try Self.folder(with: ["deployed.json": "{\"TemplateBody\": [1, 2]}\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["diff", "deployed.json", Self.folder.appendingPathComponent(Self.new).path], in: folder)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "menort: cannot read template deployed.json: TemplateBody is neither a template nor a string holding one\n")
    }

    @Test("Without NEW it compares with what render would write: the built-in stack, and no change against the checked-in template")
    func newOmittedBuiltIn() throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let template = Menort.root.appendingPathComponent("templates/realtime/template.yaml").path
        let result = try Menort.run(["diff", template, "--fail-on", "any"], in: folder)
        #expect(result.status == 0)
        #expect(result.stdout == "menort diff: \(template) → built-in stack\nno changes: the templates deploy the same stack\n")
    }

    @Test("Without NEW a stale ./template.yaml is not what it compares with: the render is")
    func newOmittedIgnoresTemplateFile() throws {
        let checkedIn = try String(contentsOf: Menort.root.appendingPathComponent("templates/realtime/template.yaml"), encoding: .utf8)
        let stale = checkedIn.replacingOccurrences(of: "Default: meno-connections", with: "Default: meno-conns")
        let folder = try Self.folder(with: ["deployed.yaml": checkedIn, "template.yaml": stale])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["diff", "deployed.yaml", "--fail-on", "any"], in: folder)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("menort diff: deployed.yaml → built-in stack\n"))
    }

    @Test("Without NEW it renders ./menort.yaml when there is one")
    func newOmittedConfig() throws {
        let checkedIn = try String(contentsOf: Menort.root.appendingPathComponent("templates/realtime/template.yaml"), encoding: .utf8)
        let folder = try Self.folder(with: ["deployed.yaml": checkedIn, "menort.yaml": "routes:\n  $connect: {tables: {connections: write}}\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["diff", "deployed.yaml"], in: folder)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("menort diff: deployed.yaml → stack of menort.yaml\n"))
        #expect(result.stdout.contains("  REMOVE      ChatSendRoute (AWS::ApiGatewayV2::Route)\n"))
    }

    @Test("Without NEW, a menort.yaml that cannot be read means the diff could not run: exit 2")
    func newOmittedBadConfig() throws {
        let folder = try Self.folder(with: ["deployed.yaml": "Resources: {}\n", "menort.yaml": "routes:\n  $connect: {tables: {chats: write}}\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["diff", "deployed.yaml"], in: folder)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("menort: menort.yaml:2:"))
        #expect(result.stderr.filter { $0 == "\n" }.count == 1)
    }

    // MARK: --fail-on

    /// Pairs of templates and what each class of --fail-on finds in them.
    struct FailOnRow: Sendable, CustomTestStringConvertible {
        let name: String
        let old: String
        let new: String
        /// The --fail-on classes that match; the others must not.
        let matches: Set<String>
        var testDescription: String { name }
    }

    static let classes = ["replace", "data-loss", "endpoint", "any"]
    static let base = """
        Parameters:
          StageName: {Type: String, Default: prod}
        Resources:
          Api: {Type: AWS::ApiGatewayV2::Api, Properties: {Name: meno, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}}
          Stage: {Type: AWS::ApiGatewayV2::Stage, Properties: {ApiId: !Ref Api, StageName: !Ref StageName, AutoDeploy: true}}
          Table:
            Type: AWS::DynamoDB::Table
            UpdateReplacePolicy: Retain
            Properties:
              TableName: meno-connections
              BillingMode: PAY_PER_REQUEST
              AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
              KeySchema: [{AttributeName: id, KeyType: HASH}]
          Topic: {Type: AWS::SNS::Topic, Properties: {DisplayName: meno}}

        """

    static let failOnRows: [FailOnRow] = [
        .init(name: "identical templates", old: base, new: base, matches: []),
        .init(name: "an update in place", old: base, new: base.replacingOccurrences(of: "DisplayName: meno", with: "DisplayName: meno-realtime"),
              matches: ["any"]),
        .init(name: "a table replaced but retained", old: base, new: base.replacingOccurrences(of: "TableName: meno-connections", with: "TableName: meno-conns"),
              matches: ["replace", "any"]),
        // Editing an existing AttributeDefinition replaces the table only in some cases: a possible replacement counts.
        .init(name: "a table that may be replaced", old: base, new: base.replacingOccurrences(of: "AttributeType: S", with: "AttributeType: N"),
              matches: ["replace", "any"]),
        .init(name: "a table removed with its data", old: base,
              new: base.replacingOccurrences(of: "UpdateReplacePolicy: Retain", with: "Condition: Never").replacingOccurrences(of: "Resources:", with: "Conditions:\n  Never: !Equals [a, b]\nResources:"),
              matches: ["data-loss", "any"]),
        .init(name: "a stage renamed", old: base, new: base.replacingOccurrences(of: "Default: prod", with: "Default: v2"),
              matches: ["replace", "endpoint", "any"]),
        .init(name: "a type changed (refused)", old: base, new: base.replacingOccurrences(of: "AWS::SNS::Topic", with: "AWS::SQS::Queue"),
              matches: ["replace", "any"]),
    ]

    @Test("--fail-on exits 1 exactly when a change of its class is found, and still prints the diff", arguments: failOnRows)
    func failOn(_ row: FailOnRow) throws {
        let folder = try Self.folder(with: ["old.yaml": row.old, "new.yaml": row.new])
        defer { try? FileManager.default.removeItem(at: folder) }
        let plain = try Menort.run(["diff", "old.yaml", "new.yaml"], in: folder)
        #expect(plain.status == 0)
        for failOn in Self.classes {
            let result = try Menort.run(["diff", "old.yaml", "new.yaml", "--fail-on", failOn], in: folder)
            #expect(result.status == (row.matches.contains(failOn) ? 1 : 0), "--fail-on \(failOn)")
            #expect(result.stdout == plain.stdout)
            #expect(result.stderr.isEmpty)
        }
    }

    // MARK: Could not run

    @Test("A missing template exits 2 with one line naming it", arguments: [["missing.yaml", "stage-and-table.new.yaml"], ["stage-and-table.old.yaml", "missing.yaml"]])
    func missingFile(_ files: [String]) throws {
        let result = try Menort.run(["diff"] + files, in: Self.folder)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "menort: cannot read template missing.yaml: no such file\n")
    }

    @Test("Bad usage exits 2 and prints no diff", arguments: [
        (["--format", "xml"], "The value 'xml' is invalid for '--format <format>'. Please provide one of 'text', 'json' or 'markdown'."),
        (["--fail-on", "deletes"], "The value 'deletes' is invalid for '--fail-on <class>'. Please provide one of 'replace', 'data-loss', 'endpoint' or 'any'."),
        (["--param", "NoSuchParameter=1"], "--param 'NoSuchParameter' names no parameter of the template"),
        (["--param", "StageName"], "--param takes KEY=VALUE, got 'StageName'"),
    ])
    func badUsage(_ arguments: [String], _ message: String) throws {
        let result = try Menort.run(["diff", Self.old, Self.new] + arguments, in: Self.folder)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test("--param naming a parameter of the new template only is accepted, and so is an env file's unknown key")
    func paramOfOneTemplate() throws {
        let folder = try Self.folder(with: [
            "old.yaml": "Resources:\n  Topic: {Type: AWS::SNS::Topic}\n",
            "new.yaml": "Parameters:\n  TopicName: {Type: String}\nResources:\n  Topic: {Type: AWS::SNS::Topic, Properties: {TopicName: !Ref TopicName}}\n",
            ".env": "NEXT_PUBLIC_REALTIME_WEBSOCKET_URL=wss://x\n",
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["diff", "old.yaml", "new.yaml", "--param", "TopicName=meno", "--env-file", ".env"], in: folder)
        #expect(result.status == 0)
        #expect(result.stdout.contains("  PARAMETER   TopicName: added (none) → meno\n"))
    }

    @Test("Reading stdin for both templates is refused")
    func stdinTwice() throws {
        let result = try Menort.run(["diff", "-", "-"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("standard input (-) can be read only once"))
    }

    @Test("The settings an endpoint change lists are the lines menort endpoints prints for that URL")
    func settingsMatchEndpoints() throws {
        let url = "wss://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/v2"
        let old = try Self.fixture(Self.old)
        let new = old.replacingOccurrences(of: "Value: !Sub wss://${WebSocketApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${StageName}", with: "Value: \(url)")
        let folder = try Self.folder(with: ["old.yaml": old, "new.yaml": new])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["diff", "old.yaml", "new.yaml", "--fail-on", "endpoint"], in: folder)
        #expect(result.status == 1)
        let endpoints = try Menort.run(["endpoints", "--api-id", "a1b2c3d4e5", "--region", "eu-west-1", "--stage", "v2"])
        let lines = endpoints.stdout.split(separator: "\n").map { "        " + $0 }
        #expect(lines.count == 3)
        #expect(result.stdout.contains("      new URL: \(url); update:\n" + lines.joined(separator: "\n") + "\n"))
    }
}
