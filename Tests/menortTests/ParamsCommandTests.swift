import Foundation
import Testing

/// `scripts/params-roundtrip.py`, which reads `menort params` output back with SAM CLI's own
/// code; tests that need it are skipped, with a message, when python3 cannot import SAM CLI.
enum RoundTrip {
    static let script = Menort.root.appendingPathComponent("scripts/params-roundtrip.py").path

    static let available: Bool = {
        let result = try? python(["--available"])
        guard let result, result.status == 0 else {
            let why = result?.stderr.trimmingCharacters(in: .whitespacesAndNewlines) ?? "python3 cannot be started"
            print("⚠︎ menort params: the SAM CLI round-trip tests are skipped: \(why). `make test` installs aws-sam-cli and runs them.")
            return false
        }
        return true
    }()

    static func python(_ arguments: [String]) throws -> Menort.Result {
        try Menort.execute(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script] + arguments)
    }

    /// What each format's output of `values` reads back as: `read` (name → value) or the
    /// `refused` stderr lines, per format.
    static func readBack(_ values: [String: String]) throws -> [String: [String: Any]] {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("values.json")
        try JSONSerialization.data(withJSONObject: values).write(to: file)
        let result = try python(["--menort", Menort.binary.path, "--values", file.path])
        guard result.status == 0 else {
            Issue.record("params-roundtrip.py exited \(result.status): \(result.stderr)")
            return [:]
        }
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: [String: Any]])
    }
}

/// Byte-for-byte equality: Swift's `==` on strings takes "é" and "e\u{301}" as equal.
private func bytes(_ text: String?) -> [UInt8]? { text.map { Array($0.utf8) } }

@Suite("menort params")
struct ParamsCommandTests {
    /// The README's sample `.env`.
    static let sampleEnv = """
        # Deploy values for the Meno realtime stack; `menort params` reads the keys it knows.
        export CHAT_TABLE_NAME=meno-chat
        PRESENCE_TABLE_NAME="meno-presence"
        SESSION_TABLE_NAME='meno-sessions'   # the web app's sessions table
        STAGE_NAME=prod

        # The app's own settings: not parameters, ignored by menort params.
        NEXT_PUBLIC_REALTIME_WEBSOCKET_URL=wss://abc123.execute-api.eu-west-1.amazonaws.com/prod

        """

    static let builtInLine = "ServiceName=meno-realtime StageName=prod ChatTableName=meno-chat PresenceTableName=meno-presence SessionTableName=meno-sessions ConnectionsTableName=meno-connections LambdaTimeout=10\n"

    /// The three values the built-in stack requires.
    static let tables = ["--param", "ChatTableName=meno-chat", "--param", "PresenceTableName=meno-presence", "--param", "SessionTableName=meno-sessions"]

    /// Parameters of every type and constraint, and a value flowing into each service rule.
    static let typesTemplate = """
        Parameters:
          Count: {Type: Number, Default: 1, MinValue: 1, MaxValue: 5}
          Ports: {Type: List<Number>, Default: "80,443"}
          Zones: {Type: CommaDelimitedList, Default: "a,b", AllowedValues: [a, b, c]}
          Vpc: {Type: "AWS::EC2::VPC::Id", Default: vpc-0123abcd}
          Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}
          Name: {Type: String, Default: abc, MinLength: 2, MaxLength: 5}
          Table: {Type: String, Default: meno-chat}
          Stage: {Type: String, Default: prod}
          Timeout: {Type: Number, Default: 10}
          Free: {Type: String, Default: free}
          Secret: {Type: String, Default: s3cret, NoEcho: true, AllowedPattern: "^[a-z0-9]+$"}
        Resources:
          Chat:
            Type: AWS::DynamoDB::Table
            Properties: {TableName: !Ref Table}
          Api:
            Type: AWS::ApiGatewayV2::Api
            Properties: {Name: api, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}
          ApiStage:
            Type: AWS::ApiGatewayV2::Stage
            Properties: {ApiId: !Ref Api, StageName: !Ref Stage}
          Handler:
            Type: AWS::Lambda::Function
            Properties: {Timeout: !Ref Timeout}

        """

    func folder(with files: [String: String]) throws -> URL {
        let folder = try Menort.temporaryFolder()
        for (name, text) in files {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return folder
    }

    /// `menort params ARGUMENTS` in an empty folder: the built-in stack.
    func builtIn(_ arguments: [String]) throws -> Menort.Result {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        return try Menort.run(["params"] + arguments, in: folder)
    }

    // MARK: Where values come from

    @Test("With no template it prints the built-in stack's overrides as one sam line, from the README's sample .env")
    func builtInStack() throws {
        let folder = try folder(with: [".env": Self.sampleEnv])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["params", "--env-file", ".env"], in: folder)
        #expect(result.status == 0)
        #expect(result.stdout == Self.builtInLine)
        #expect(result.stderr.isEmpty)
    }

    @Test("It reads ./template.yaml when present")
    func localTemplate() throws {
        let folder = try folder(with: ["template.yaml": "Parameters:\n  Only: {Type: String, Default: here}\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["params"], in: folder)
        #expect(result.status == 0)
        #expect(result.stdout == "Only=here\n")
    }

    @Test("Without a template it asks for the table parameters ./menort.yaml's routes use, and no others")
    func localConfig() throws {
        let config = "routes:\n  $connect: {tables: {connections: write}}\n  chat.send: {tables: {chat: write}, broadcast: true}\n"
        let folder = try folder(with: ["menort.yaml": config])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["params", "--param", "ChatTableName=meno-chat"], in: folder)
        #expect(result.status == 0)
        #expect(result.stdout == "ServiceName=meno-realtime StageName=prod ChatTableName=meno-chat ConnectionsTableName=meno-connections LambdaTimeout=10\n")
        let presence = try Menort.run(["params", "--param", "ChatTableName=meno-chat", "--param", "PresenceTableName=p"], in: folder)
        #expect(presence.status == 1)
        #expect(presence.stderr.contains("PresenceTableName"))
    }

    @Test("--template names the template to read")
    func templateOption() throws {
        let folder = try folder(with: ["stack.yaml": "Parameters:\n  A: {Type: String, Default: x}\n  B: {Type: Number, Default: 2}\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["params", "--template", folder.appendingPathComponent("stack.yaml").path])
        #expect(result.status == 0)
        #expect(result.stdout == "A=x B=2\n")
    }

    @Test("Values come from the template's defaults, then env files in the order given, then --param")
    func precedence() throws {
        let folder = try folder(with: [
            "template.yaml": "Parameters:\n  A: {Type: String, Default: a}\n  B: {Type: String, Default: b}\n  C: {Type: String, Default: c}\n  D: {Type: String, Default: d}\n",
            "base.env": "B=base\nC=base\nD=base\n",
            "prod.env": "C=prod\nD=prod\n",
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["params", "--env-file", "base.env", "--env-file", "prod.env", "--param", "D=flag"], in: folder)
        #expect(result.status == 0)
        #expect(result.stdout == "A=a B=base C=prod D=flag\n")
    }

    // MARK: Formats

    @Test("json is the parameter list create-stack takes, every parameter in template order")
    func jsonFormat() throws {
        let result = try builtIn(["--format", "json"] + Self.tables)
        #expect(result.status == 0)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: String]])
        #expect(list.map { $0["ParameterKey"] ?? "" } == ["ServiceName", "StageName", "ChatTableName", "PresenceTableName", "SessionTableName", "ConnectionsTableName", "LambdaTimeout"])
        #expect(list.map { $0["ParameterValue"] ?? "" } == ["meno-realtime", "prod", "meno-chat", "meno-presence", "meno-sessions", "meno-connections", "10"])
        #expect(list.allSatisfy { $0.count == 2 })
    }

    @Test("samconfig is a [default.deploy.parameters] table with one parameter_overrides string per parameter")
    func samconfigFormat() throws {
        let result = try builtIn(["--format", "samconfig"] + Self.tables)
        #expect(result.status == 0)
        #expect(result.stdout == """
            [default.deploy.parameters]
            parameter_overrides = [
              "ServiceName=meno-realtime",
              "StageName=prod",
              "ChatTableName=meno-chat",
              "PresenceTableName=meno-presence",
              "SessionTableName=meno-sessions",
              "ConnectionsTableName=meno-connections",
              "LambdaTimeout=10",
            ]

            """)
    }

    @Test("env is KEY=VALUE lines with UPPER_SNAKE_CASE keys")
    func envFormat() throws {
        let result = try builtIn(["--format", "env"] + Self.tables + ["--param", "StageName=dev"])
        #expect(result.status == 0)
        #expect(result.stdout == """
            SERVICE_NAME=meno-realtime
            STAGE_NAME=dev
            CHAT_TABLE_NAME=meno-chat
            PRESENCE_TABLE_NAME=meno-presence
            SESSION_TABLE_NAME=meno-sessions
            CONNECTIONS_TABLE_NAME=meno-connections
            LAMBDA_TIMEOUT=10

            """)
    }

    /// Values that break every naive quoting; all within what each format carries.
    static let awkward: [String] = [
        "two words", "  padded  ", #"say "hi" and 'bye'"#, "a=b=c", "a,b,c", "$HOME", "${HOME} `uname`",
        #"C:\path\to\file"#, #"a\ b"#, #"a\"b"#, #"a\'b"#, #"even\\"#, "", " ", "#hash # comment",
        "line one\nline two", "tab\there", "Ünïcødé — 東京 🚀", "e\u{301}", "'", "\"",
    ]

    @Test("The env output read back with --env-file gives the same values byte for byte")
    func envRoundTrip() throws {
        let folder = try folder(with: ["template.yaml": "Parameters:\n" + Self.awkward.indices.map { "  P\($0): {Type: String}\n" }.joined()])
        defer { try? FileManager.default.removeItem(at: folder) }
        let flags = Self.awkward.enumerated().flatMap { ["--param", "P\($0)=\($1)"] }
        let env = try Menort.run(["params", "--format", "env"] + flags, in: folder)
        #expect(env.status == 0)
        try env.stdout.write(to: folder.appendingPathComponent("out.env"), atomically: true, encoding: .utf8)
        let back = try Menort.run(["params", "--env-file", "out.env", "--format", "json"], in: folder)
        #expect(back.status == 0)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(back.stdout.utf8)) as? [[String: String]])
        #expect(list.map { bytes($0["ParameterValue"]) } == Self.awkward.map { bytes($0) })
    }

    @Test("SAM CLI's own parser reads the sam and samconfig outputs back byte for byte, and JSON the json output",
          .enabled(if: RoundTrip.available, "python3 cannot import SAM CLI (aws-sam-cli)"))
    func samRoundTrip() throws {
        let values = Dictionary(uniqueKeysWithValues: Self.awkward.enumerated().map { ("P\($0)", $1) })
        let report = try RoundTrip.readBack(values)
        for format in ["sam", "samconfig", "json", "env"] {
            let read = report[format]?["read"] as? [String: String]
            #expect(read != nil, "\(format) refused: \(report[format]?["refused"] ?? "")")
            #expect(read?.keys.sorted() == values.keys.sorted(), "\(format)")
            for (name, value) in values {
                #expect(bytes(read?[name]) == bytes(value), "\(format): \(name) \(value.debugDescription)")
            }
        }
    }

    /// Values SAM CLI's parser cannot read back in any quoting (or reads as its long form).
    static let uncarried: [String] = [#"trailing\"#, #"\"#, #"odd\\\"#, "a\\\nb", #"both \" and \'"#, "ParameterKey=A,ParameterValue=B"]

    @Test("What the sam format cannot carry is refused by sam and samconfig, naming each parameter, and carried by json and env",
          .enabled(if: RoundTrip.available, "python3 cannot import SAM CLI (aws-sam-cli)"))
    func samRefusesRoundTrip() throws {
        let values = Dictionary(uniqueKeysWithValues: Self.uncarried.enumerated().map { ("P\($0)", $1) })
        let report = try RoundTrip.readBack(values)
        for format in ["sam", "samconfig"] {
            let refused = report[format]?["refused"] as? [String] ?? []
            #expect(report[format]?["stdout"] as? String == "")
            #expect(refused.map { $0.components(separatedBy: ":")[1].trimmingCharacters(in: .whitespaces) }.sorted() == values.keys.sorted(), "\(format)")
            #expect(refused.allSatisfy { $0.hasSuffix("cannot carry it: use --format json") }, "\(format)")
        }
        for format in ["json", "env"] {
            let read = report[format]?["read"] as? [String: String]
            for (name, value) in values {
                #expect(bytes(read?[name]) == bytes(value), "\(format): \(name) \(value.debugDescription)")
            }
        }
    }

    @Test("A value the sam format cannot carry is refused for sam with the reason, and printed as json")
    func samRefusal() throws {
        let folder = try folder(with: ["template.yaml": Self.typesTemplate])
        defer { try? FileManager.default.removeItem(at: folder) }
        let sam = try Menort.run(["params", "--param", #"Free=C:\dir\"#], in: folder)
        #expect(sam.status == 1)
        #expect(sam.stdout.isEmpty)
        #expect(sam.stderr == #"menort: Free: value 'C:\dir\' for Free (from --param) ends in a backslash, which SAM CLI's parser takes as escaping the closing quote; the sam format cannot carry it: use --format json"# + "\n")
        let json = try Menort.run(["params", "--param", #"Free=C:\dir\"#, "--format", "json"], in: folder)
        #expect(json.status == 0)
        #expect(json.stdout.contains(#""ParameterValue": "C:\\dir\\""#))
    }

    @Test("A WebSocket stage named $default is printed, since WebSocket APIs deploy one")
    func webSocketDefaultStage() throws {
        let folder = try folder(with: ["template.yaml": Self.typesTemplate])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["params", "--param", "Stage=$default"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(#" Stage="$default" "#))
    }

    // MARK: NoEcho

    @Test("A NoEcho value is printed in the overrides, with a warning on stderr that does not show it")
    func noEchoPrinted() throws {
        let folder = try folder(with: ["template.yaml": Self.typesTemplate])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["params", "--param", "Secret=hunter2"], in: folder)
        #expect(result.status == 0)
        #expect(result.stdout.hasSuffix(" Secret=hunter2\n"))
        #expect(result.stderr == "menort: warning: Secret is NoEcho: its value is in the overrides on stdout, as the deploy needs it; keep that output out of logs and out of version control\n")
    }

    @Test("A NoEcho value that breaks its constraints is refused without being shown")
    func noEchoRefused() throws {
        let folder = try folder(with: ["template.yaml": Self.typesTemplate])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["params", "--param", "Secret=Hunter 2"], in: folder)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("menort: Secret: value (hidden: NoEcho) for Secret (from --param) does not match AllowedPattern"))
        #expect(!result.stderr.contains("Hunter"))
    }

    // MARK: Refusals

    struct Refusal: CustomTestStringConvertible, Sendable {
        let name: String
        let template: String?
        let arguments: [String]
        /// The start of the stderr line: `menort: Parameter: …`.
        let line: String
        /// The rule, as the message states it.
        let rule: String
        var testDescription: String { name }

        init(_ name: String, template: String? = nil, _ arguments: [String], _ line: String, _ rule: String) {
            self.name = name
            self.template = template
            self.arguments = arguments
            self.line = line
            self.rule = rule
        }
    }

    static let refusals: [Refusal] = [
        Refusal("a missing required value", ["--param", "ChatTableName=meno-chat", "--param", "PresenceTableName=meno-presence"],
                "menort: SessionTableName: parameter 'SessionTableName' has no Default", "pass --param SessionTableName=… or set SESSION_TABLE_NAME in an env file"),
        Refusal("an unknown --param key, with the closest name", tables + ["--param", "ChatTablName=x"],
                "menort: --param 'ChatTablName' names no parameter", "did you mean 'ChatTableName'?"),
        Refusal("a Number that is not a number", template: typesTemplate, ["--param", "Count=ten"],
                "menort: Count: value 'ten' for Count (from --param)", "is not a number, as its Type Number requires"),
        Refusal("a List<Number> item that is not a number", template: typesTemplate, ["--param", "Ports=80,http"],
                "menort: Ports: value '80,http' for Ports", "has 'http', which is not a number, as its Type List<Number> requires"),
        Refusal("a CommaDelimitedList item outside AllowedValues", template: typesTemplate, ["--param", "Zones=a,d"],
                "menort: Zones: value 'a,d' for Zones", "is not one of AllowedValues 'a', 'b', 'c'"),
        Refusal("an AWS-specific value of the wrong shape", template: typesTemplate, ["--param", "Vpc=my-vpc"],
                "menort: Vpc: value 'my-vpc' for Vpc", "is not a VPC id (vpc-0123abcd…), as its Type AWS::EC2::VPC::Id requires"),
        Refusal("a value that does not match AllowedPattern", tables + ["--param", "StageName=two words"],
                "menort: StageName: value 'two words' for StageName", "does not match AllowedPattern ^[A-Za-z0-9_-]+$"),
        Refusal("a value outside AllowedValues", template: typesTemplate, ["--param", "Env=test"],
                "menort: Env: value 'test' for Env", "is not one of AllowedValues 'dev', 'prod'"),
        Refusal("a value shorter than MinLength", template: typesTemplate, ["--param", "Name=a"],
                "menort: Name: value 'a' for Name", "is 1 character, shorter than MinLength 2"),
        Refusal("a value longer than MaxLength", template: typesTemplate, ["--param", "Name=abcdef"],
                "menort: Name: value 'abcdef' for Name", "is 6 characters, longer than MaxLength 5"),
        Refusal("a number below MinValue", template: typesTemplate, ["--param", "Count=0"],
                "menort: Count: value '0' for Count", "is below MinValue 1"),
        Refusal("a number above MaxValue", tables + ["--param", "LambdaTimeout=30"],
                "menort: LambdaTimeout: value '30' for LambdaTimeout", "is above MaxValue 29"),
        Refusal("a DynamoDB table name DynamoDB refuses", template: typesTemplate, ["--param", "Table=chat table"],
                "menort: Table: value 'chat table' for Table (from --param) flows into the DynamoDB table name", "it contains a space"),
        Refusal("a Lambda timeout Lambda refuses", template: typesTemplate, ["--param", "Timeout=901"],
                "menort: Timeout: value '901' for Timeout", "it is outside 1–900"),
        Refusal("a value holding SAM CLI's long form, in the sam format", template: typesTemplate, ["--param", "Free=ParameterKey=A,ParameterValue=B"],
                "menort: Free: value 'ParameterKey=A,ParameterValue=B' for Free", "the sam format cannot carry it: use --format json"),
        Refusal("a value ending in a backslash, in the samconfig format", template: typesTemplate, ["--param", #"Free=x\"#, "--format", "samconfig"],
                #"menort: Free: value 'x\' for Free"#, "the samconfig format cannot carry it: use --format json"),
    ]

    @Test("Values that would fail the deploy are refused: exit 1, nothing on stdout, the parameter, value and rule on stderr", arguments: refusals)
    func refusal(_ row: Refusal) throws {
        let folder = try folder(with: row.template.map { ["template.yaml": $0] } ?? [:])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["params"] + row.arguments, in: folder)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(lines.first?.hasPrefix(row.line) == true, "\(result.stderr)")
        #expect(lines.first?.contains(row.rule) == true, "\(result.stderr)")
    }

    @Test("Every problem is reported at once, one line each: unknown keys, then the parameters in template order")
    func allProblemsAtOnce() throws {
        let result = try builtIn(["--param", "StageName=a b", "--param", "Stagename=x"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 5)
        let starts = ["menort: --param 'Stagename' names no parameter of the template; did you mean 'StageName'?", "menort: StageName: value 'a b'",
                      "menort: ChatTableName: ", "menort: PresenceTableName: ", "menort: SessionTableName: "]
        for (line, start) in zip(lines, starts) {
            #expect(line.hasPrefix(start))
        }
    }

    @Test("A value with a line break is shown escaped, so each problem stays on one line")
    func oneLinePerProblem() throws {
        let result = try builtIn(["--param", "StageName=a\nb"] + Self.tables)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix(#"menort: StageName: value 'a\nb' for StageName"#))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    // MARK: Could not run

    struct CannotRun: CustomTestStringConvertible, Sendable {
        let name: String
        let files: [String: String]
        let arguments: [String]
        let stderr: String
        var testDescription: String { name }

        init(_ name: String, files: [String: String] = [:], _ arguments: [String], _ stderr: String) {
            self.name = name
            self.files = files
            self.arguments = arguments
            self.stderr = stderr
        }
    }

    static let cannotRun: [CannotRun] = [
        CannotRun("a missing env file", ["--env-file", "nope.env"], "menort: cannot read env file nope.env: no such file\n"),
        CannotRun("an env file line that is not KEY=VALUE", files: ["bad.env": "A=1\nprose\n"], ["--env-file", "bad.env"],
                  "menort: env file bad.env:2: expected KEY=VALUE, found 'prose'\n"),
        CannotRun("a missing template", ["--template", "nope.yaml"], "menort: cannot read template nope.yaml: no such file\n"),
        CannotRun("a template that is not YAML", files: ["template.yaml": "Parameters: [\n"], [],
                  "menort: cannot read template template.yaml: 2:1: did not find expected node content (while parsing a flow node at 2:1)\n"),
        CannotRun("a template that is a list", files: ["template.yaml": "- a\n"], [],
                  "menort: cannot read template template.yaml: it is not a mapping of sections such as Parameters and Resources\n"),
    ]

    @Test("A file that cannot be read exits 2 naming it, with nothing on stdout", arguments: cannotRun)
    func cannotRunRow(_ row: CannotRun) throws {
        let folder = try folder(with: row.files)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Menort.run(["params"] + row.arguments, in: folder)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == row.stderr)
    }

    @Test("Bad usage exits 2: --param without '=' and an unknown format")
    func usage() throws {
        let param = try Menort.run(["params", "--param", "StageName"])
        #expect(param.status == 2)
        #expect(param.stderr.hasPrefix("Error: --param takes KEY=VALUE, got 'StageName'"))
        let format = try Menort.run(["params", "--format", "yaml"])
        #expect(format.status == 2)
        #expect(format.stderr.contains("'sam', 'json', 'samconfig' or 'env'"))
    }

    @Test("--help shows how to pass the sam line, the AWS CLI form, and the exit codes")
    func help() throws {
        let result = try Menort.run(["params", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains(#"--parameter-overrides "$(menort params --env-file .env)""#))
        #expect(result.stdout.contains("--parameter-overrides file://params.json"))
        #expect(result.stdout.contains("Exit codes: 0 the overrides on stdout; 1"))
    }
}
