import Foundation
import Testing

@Suite("menort endpoints")
struct EndpointsCommandTests {
    /// `aws cloudformation describe-stacks --stack-name meno-realtime` after a deploy in eu-west-1.
    static let describeStacks = Menort.root.appendingPathComponent("Tests/Fixtures/endpoints/describe-stacks.json")
    static let url = "wss://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod"

    @Test("The describe-stacks JSON on stdin gives the web and server variables and the app.json fragment")
    func describeStacksOnStdin() throws {
        let result = try Menort.run(["endpoints", "-"], stdin: Self.describeStacks)
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout == """
            NEXT_PUBLIC_REALTIME_WEBSOCKET_URL=\(Self.url)
            REALTIME_WEBSOCKET_URL=\(Self.url)
            # app.json: {"expo": {"extra": {"realtimeWsUrl": "\(Self.url)"}}}

            """)
    }

    @Test("--format json is one object: the URL, its parts, and each consumer's setting under its name")
    func jsonFormat() throws {
        let result = try Menort.run(["endpoints", Self.describeStacks.path, "--format", "json"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["url", "apiId", "region", "stage", "web", "server", "app.json"])
        #expect(object["url"] as? String == Self.url)
        #expect(object["apiId"] as? String == "a1b2c3d4e5")
        #expect(object["region"] as? String == "eu-west-1")
        #expect(object["stage"] as? String == "prod")
        #expect(object["web"] as? [String: String] == ["NEXT_PUBLIC_REALTIME_WEBSOCKET_URL": Self.url])
        #expect(object["server"] as? [String: String] == ["REALTIME_WEBSOCKET_URL": Self.url])
        let app = (object["app.json"] as? [String: Any])?["expo"] as? [String: Any]
        #expect(app?["extra"] as? [String: String] == ["realtimeWsUrl": Self.url])
    }

    @Test("--api-id, --region and --stage compose the URL, with the China domain in a cn- region", arguments: [
        (["--api-id", "a1b2c3d4e5", "--region", "eu-west-1"], "wss://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod"),
        (["--api-id", "a1b2c3d4e5", "--region", "eu-west-1", "--stage", "staging"], "wss://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/staging"),
        (["--api-id", "z9y8x7w6v5", "--region", "cn-northwest-1"], "wss://z9y8x7w6v5.execute-api.cn-northwest-1.amazonaws.com.cn/prod"),
        (["--api-id", "z9y8x7w6v5", "--region", "us-gov-east-1"], "wss://z9y8x7w6v5.execute-api.us-gov-east-1.amazonaws.com/prod"),
    ])
    func fromFlags(_ arguments: [String], _ url: String) throws {
        let result = try Menort.run(["endpoints"] + arguments)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("NEXT_PUBLIC_REALTIME_WEBSOCKET_URL=\(url)\nREALTIME_WEBSOCKET_URL=\(url)\n"))
    }

    @Test("A value API Gateway would not have, or a stack without the outputs, exits 1 with one line naming it", arguments: [
        (["--api-id", "A1B2C3D4E5", "--region", "eu-west-1"],
         "menort: invalid API id 'A1B2C3D4E5': API Gateway API ids are 10 lowercase letters and digits, such as a1b2c3d4e5\n"),
        (["--api-id", "a1b2c3d4e5", "--region", "eu-west"],
         "menort: invalid region 'eu-west': expected a region such as us-east-1, eu-west-1, cn-north-1 or us-gov-west-1\n"),
        (["--api-id", "a1b2c3d4e5", "--region", "eu-west-1", "--stage", "v1/chat"],
         "menort: invalid stage 'v1/chat': it contains '/', and WebSocket stage names are 1 to 128 characters of A-Z a-z 0-9 _ - (or $default)\n"),
        (["Tests/Fixtures/validate/multi-defect.json"],
         "menort: Tests/Fixtures/validate/multi-defect.json: not the JSON of aws cloudformation describe-stacks: no Stacks list\n"),
    ])
    func badInput(_ arguments: [String], _ stderr: String) throws {
        let result = try Menort.run(["endpoints"] + arguments)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == stderr)
    }

    @Test("describe-stacks JSON piped in with no argument is read as jq reads a pipe: the three lines")
    func describeStacksPipedWithoutDash() throws {
        let result = try Menort.run(["endpoints"], stdin: Self.describeStacks)
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout == """
            NEXT_PUBLIC_REALTIME_WEBSOCKET_URL=\(Self.url)
            REALTIME_WEBSOCKET_URL=\(Self.url)
            # app.json: {"expo": {"extra": {"realtimeWsUrl": "\(Self.url)"}}}

            """)
    }

    @Test("No argument and nothing piped in (an empty standard input) exits 2 with a one-line reason")
    func nothingPiped() throws {
        let result = try Menort.run(["endpoints"], stdin: URL(fileURLWithPath: "/dev/null"))
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "menort: give --api-id and --region, or the JSON of aws cloudformation describe-stacks (a file, -, or piped in): standard input is empty\n")
    }

    // No argument at all depends on what standard input is (a terminal: usage error; a pipe:
    // read), so it is tried above with stdin chosen, not here with the test runner's.
    @Test("Usage errors exit 2 with a one-line reason", arguments: [
        (["--api-id", "a1b2c3d4e5"], "--api-id needs --region"),
        (["--region", "eu-west-1"], "--region needs --api-id"),
        (["-", "--api-id", "a1b2c3d4e5", "--region", "eu-west-1"], "--api-id, --region cannot be used with describe-stacks JSON, whose outputs say where the stack is"),
        (["-", "--stage", "dev"], "--stage cannot be used with describe-stacks JSON, whose outputs say where the stack is"),
        (["--api-id", "a1b2c3d4e5", "--region", "eu-west-1", "--format", "dotenv"], "The value 'dotenv' is invalid for '--format <format>'. Please provide one of 'env' and 'json'."),
    ])
    func usageErrors(_ arguments: [String], _ message: String) throws {
        let result = try Menort.run(["endpoints"] + arguments)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("Error: \(message)\n"))
    }

    @Test("A describe-stacks file that does not exist exits 2 naming it")
    func missingFile() throws {
        let result = try Menort.run(["endpoints", "stack.json"])
        #expect(result.status == 2)
        #expect(result.stderr == "menort: cannot read describe-stacks JSON stack.json: no such file\n")
    }
}
