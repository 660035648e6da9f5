import Testing
import Validation

@Suite("realtime endpoint")
struct RealtimeEndpointTests {
    static let rule = "WebSocket stage names are 1 to 128 characters of A-Z a-z 0-9 _ - (or $default)"

    /// A URL, or the line that refused the input.
    enum Outcome: Equatable {
        case url(String)
        case refused(String)
    }

    /// The endpoint's URL, or the error's line.
    static func endpoint(_ apiId: String, _ region: String, _ stage: String = "prod") -> Outcome {
        do {
            return .url(try RealtimeEndpoint(apiId: apiId, region: region, stage: stage).url)
        } catch {
            return .refused(error.description)
        }
    }

    /// The URL from describe-stacks JSON, or the error's line.
    static func fromStacks(_ json: String) -> Outcome {
        do {
            return .url(try RealtimeEndpoint(describeStacks: Array(json.utf8), file: "stacks.json").url)
        } catch {
            return .refused(error.description)
        }
    }

    /// A describe-stacks document of stacks given as (name, StackId, outputs, StageName).
    static func stacks(_ stacks: [(name: String, id: String?, outputs: [(String, String)], stage: String?)]) -> String {
        let items = stacks.map { stack in
            var fields = ["\"StackName\": \"\(stack.name)\""]
            if let id = stack.id { fields.append("\"StackId\": \"\(id)\"") }
            if let stage = stack.stage { fields.append("\"Parameters\": [{\"ParameterKey\": \"StageName\", \"ParameterValue\": \"\(stage)\"}]") }
            let outputs = stack.outputs.map { "{\"OutputKey\": \"\($0.0)\", \"OutputValue\": \"\($0.1)\"}" }
            fields.append("\"Outputs\": [\(outputs.joined(separator: ", "))]")
            return "{" + fields.joined(separator: ", ") + "}"
        }
        return "{\"Stacks\": [\(items.joined(separator: ", "))]}"
    }

    static let arn = "arn:aws:cloudformation:eu-west-1:123456789012:stack/meno-realtime/5f1c2b80"

    @Test("The URL's domain is the region's partition's: China and the isolated partitions have their own, GovCloud does not", arguments: [
        ("us-east-1", "wss://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod"),
        ("ap-southeast-2", "wss://a1b2c3d4e5.execute-api.ap-southeast-2.amazonaws.com/prod"),
        ("us-gov-west-1", "wss://a1b2c3d4e5.execute-api.us-gov-west-1.amazonaws.com/prod"),
        ("cn-north-1", "wss://a1b2c3d4e5.execute-api.cn-north-1.amazonaws.com.cn/prod"),
        ("cn-northwest-1", "wss://a1b2c3d4e5.execute-api.cn-northwest-1.amazonaws.com.cn/prod"),
        ("us-iso-east-1", "wss://a1b2c3d4e5.execute-api.us-iso-east-1.c2s.ic.gov/prod"),
        ("us-isob-east-1", "wss://a1b2c3d4e5.execute-api.us-isob-east-1.sc2s.sgov.gov/prod"),
        ("eu-isoe-west-1", "wss://a1b2c3d4e5.execute-api.eu-isoe-west-1.cloud.adc-e.uk/prod"),
        ("us-isof-south-1", "wss://a1b2c3d4e5.execute-api.us-isof-south-1.csp.hci.ic.gov/prod"),
        ("eusc-de-east-1", "wss://a1b2c3d4e5.execute-api.eusc-de-east-1.amazonaws.eu/prod"),
    ])
    func domains(_ region: String, _ url: String) {
        #expect(Self.endpoint("a1b2c3d4e5", region) == .url(url))
    }

    @Test("An API id, region or stage API Gateway would not have is refused with one line naming it", arguments: [
        ("A1B2C3D4E5", "eu-west-1", "prod", "invalid API id 'A1B2C3D4E5': API Gateway API ids are 10 lowercase letters and digits, such as a1b2c3d4e5"),
        ("a1b2c3d4e", "eu-west-1", "prod", "invalid API id 'a1b2c3d4e': API Gateway API ids are 10 lowercase letters and digits, such as a1b2c3d4e5"),
        ("a1b2c3d4e5f", "eu-west-1", "prod", "invalid API id 'a1b2c3d4e5f': API Gateway API ids are 10 lowercase letters and digits, such as a1b2c3d4e5"),
        ("a1b2-3d4e5", "eu-west-1", "prod", "invalid API id 'a1b2-3d4e5': API Gateway API ids are 10 lowercase letters and digits, such as a1b2c3d4e5"),
        ("", "eu-west-1", "prod", "invalid API id '': API Gateway API ids are 10 lowercase letters and digits, such as a1b2c3d4e5"),
        ("a1b2c3d4e5", "eu-west", "prod", "invalid region 'eu-west': expected a region such as us-east-1, eu-west-1, cn-north-1 or us-gov-west-1"),
        ("a1b2c3d4e5", "EU-WEST-1", "prod", "invalid region 'EU-WEST-1': expected a region such as us-east-1, eu-west-1, cn-north-1 or us-gov-west-1"),
        ("a1b2c3d4e5", "eu-west-10", "prod", "invalid region 'eu-west-10': expected a region such as us-east-1, eu-west-1, cn-north-1 or us-gov-west-1"),
        ("a1b2c3d4e5", "euw-west-1", "prod", "invalid region 'euw-west-1': expected a region such as us-east-1, eu-west-1, cn-north-1 or us-gov-west-1"),
        ("a1b2c3d4e5", "us-east-1-a", "prod", "invalid region 'us-east-1-a': expected a region such as us-east-1, eu-west-1, cn-north-1 or us-gov-west-1"),
        ("a1b2c3d4e5", "us-isobb-east-1", "prod", "invalid region 'us-isobb-east-1': expected a region such as us-east-1, eu-west-1, cn-north-1 or us-gov-west-1"),
        ("a1b2c3d4e5", "eu-west-1.", "prod", "invalid region 'eu-west-1.': expected a region such as us-east-1, eu-west-1, cn-north-1 or us-gov-west-1"),
        ("a1b2c3d4e5", "us-isoz-east-1", "prod", "no known endpoint domain for region 'us-isoz-east-1': menort knows the isolated regions us-iso-*, us-isob-*, eu-isoe-* and us-isof-*"),
        ("a1b2c3d4e5", "eu-west-1", "", "invalid stage '': it is 0 characters, and \(rule)"),
        ("a1b2c3d4e5", "eu-west-1", "pr od", "invalid stage 'pr od': it contains a space, and \(rule)"),
        ("a1b2c3d4e5", "eu-west-1", "prod/v2", "invalid stage 'prod/v2': it contains '/', and \(rule)"),
        ("a1b2c3d4e5", "eu-west-1", String(repeating: "s", count: 129), "invalid stage '\(String(repeating: "s", count: 129))': it is 129 characters, and \(rule)"),
    ])
    func badValues(_ apiId: String, _ region: String, _ stage: String, _ message: String) {
        #expect(Self.endpoint(apiId, region, stage) == .refused(message))
    }

    @Test("A stage named $default keeps its name in the URL, as deployed WebSocket APIs are reached")
    func defaultStage() {
        #expect(Self.endpoint("a1b2c3d4e5", "eu-west-1", "$default") == .url("wss://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/$default"))
    }

    @Test("A stage may use every character API Gateway allows, up to 128")
    func stageCharacters() {
        let stage = "Prod_2-" + String(repeating: "x", count: 121)
        #expect(Self.endpoint("0123456789", "eu-west-1", stage) == .url("wss://0123456789.execute-api.eu-west-1.amazonaws.com/\(stage)"))
    }

    @Test("The env text is the web and server variables and a comment with the app.json fragment")
    func envText() throws {
        let endpoint = try RealtimeEndpoint(apiId: "a1b2c3d4e5", region: "cn-north-1", stage: "dev")
        #expect(endpoint.envText == """
            NEXT_PUBLIC_REALTIME_WEBSOCKET_URL=wss://a1b2c3d4e5.execute-api.cn-north-1.amazonaws.com.cn/dev
            REALTIME_WEBSOCKET_URL=wss://a1b2c3d4e5.execute-api.cn-north-1.amazonaws.com.cn/dev
            # app.json: {"expo": {"extra": {"realtimeWsUrl": "wss://a1b2c3d4e5.execute-api.cn-north-1.amazonaws.com.cn/dev"}}}

            """)
    }

    @Test("The JSON holds the URL, its parts, and each consumer's setting under its name")
    func json() throws {
        let endpoint = try RealtimeEndpoint(apiId: "a1b2c3d4e5", region: "eu-west-1")
        let url = JSONValue.string("wss://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod")
        #expect(endpoint.json == .object([
            ("url", url),
            ("apiId", .string("a1b2c3d4e5")),
            ("region", .string("eu-west-1")),
            ("stage", .string("prod")),
            ("web", .object([("NEXT_PUBLIC_REALTIME_WEBSOCKET_URL", url)])),
            ("server", .object([("REALTIME_WEBSOCKET_URL", url)])),
            ("app.json", .object([("expo", .object([("extra", .object([("realtimeWsUrl", url)]))]))])),
        ]))
    }

    @Test("From describe-stacks, the WebSocketInvokeUrl output is taken apart and checked")
    func invokeURLOutput() {
        let json = Self.stacks([("meno-realtime", Self.arn, [("WebSocketApiId", "a1b2c3d4e5"), ("WebSocketInvokeUrl", "wss://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/staging")], "prod")])
        // The URL is what clients use: its stage wins over the parameter.
        #expect(Self.fromStacks(json) == .url("wss://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/staging"))
    }

    @Test("Without WebSocketInvokeUrl, the URL is composed from WebSocketApiId, the StackId's region and the StageName parameter")
    func composed() {
        let china = "arn:aws-cn:cloudformation:cn-north-1:123456789012:stack/meno-realtime/5f1c2b80"
        #expect(Self.fromStacks(Self.stacks([("meno-realtime", china, [("WebSocketApiId", "a1b2c3d4e5")], "dev")]))
            == .url("wss://a1b2c3d4e5.execute-api.cn-north-1.amazonaws.com.cn/dev"))
        #expect(Self.fromStacks(Self.stacks([("meno-realtime", Self.arn, [("WebSocketApiId", "a1b2c3d4e5")], nil)]))
            == .url("wss://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod"))
    }

    @Test("Among several stacks, the one with the realtime outputs is used")
    func severalStacks() {
        let json = Self.stacks([
            ("meno-web", Self.arn, [("BucketName", "meno-web-assets")], nil),
            ("meno-realtime", Self.arn, [("WebSocketInvokeUrl", "wss://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod")], nil),
        ])
        #expect(Self.fromStacks(json) == .url("wss://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod"))
    }

    @Test("describe-stacks JSON that does not give a realtime endpoint is refused with one line naming what is wrong", arguments: [
        ("{\"Stacks\": [", "stacks.json:2:1: cannot read describe-stacks JSON: did not find expected node content"),
        ("", "stacks.json: not the JSON of aws cloudformation describe-stacks: no Stacks list"),
        ("{\"StackSummaries\": []}", "stacks.json: not the JSON of aws cloudformation describe-stacks: no Stacks list"),
        ("{\"Stacks\": []}", "stacks.json: describe-stacks lists no stack"),
        (stacks([("meno-realtime", arn, [], nil)]),
         "stack 'meno-realtime' has no WebSocketInvokeUrl or WebSocketApiId output; is it the realtime stack, and did its deploy complete?"),
        (stacks([("a", arn, [], nil), ("b", arn, [("Other", "x")], nil)]),
         "none of the 2 stacks (a, b) has a WebSocketInvokeUrl or WebSocketApiId output"),
        (stacks([("a", arn, [("WebSocketApiId", "a1b2c3d4e5")], nil), ("b", arn, [("WebSocketApiId", "f6g7h8i9j0")], nil)]),
         "2 stacks have realtime outputs (a, b); run describe-stacks with --stack-name"),
        (stacks([("s", arn, [("WebSocketInvokeUrl", "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod")], nil)]),
         "WebSocketInvokeUrl of stack 's' is 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod', which is not a wss:// URL"),
        (stacks([("s", arn, [("WebSocketInvokeUrl", "wss://realtime.example.com/prod")], nil)]),
         "WebSocketInvokeUrl of stack 's' is 'wss://realtime.example.com/prod', not wss://<api-id>.execute-api.<region>.<domain>/<stage>"),
        (stacks([("s", arn, [("WebSocketInvokeUrl", "wss://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com")], nil)]),
         "WebSocketInvokeUrl of stack 's' is 'wss://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com', not wss://<api-id>.execute-api.<region>.<domain>/<stage>"),
        (stacks([("s", arn, [("WebSocketInvokeUrl", "wss://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/chat")], nil)]),
         "WebSocketInvokeUrl of stack 's': invalid stage 'prod/chat': it contains '/', and \(rule)"),
        (stacks([("s", arn, [("WebSocketInvokeUrl", "wss://a1b2c3d4e5.execute-api.cn-north-1.amazonaws.com/prod")], nil)]),
         "WebSocketInvokeUrl of stack 's': domain 'amazonaws.com' is not cn-north-1's, which is amazonaws.com.cn"),
        (stacks([("s", nil, [("WebSocketApiId", "a1b2c3d4e5")], nil)]),
         "stack 's' has no WebSocketInvokeUrl output and no StackId ARN to read its region from"),
        (stacks([("s", arn, [("WebSocketApiId", "A1B2C3D4E5")], nil)]),
         "stack 's': invalid API id 'A1B2C3D4E5': API Gateway API ids are 10 lowercase letters and digits, such as a1b2c3d4e5"),
    ])
    func badStacks(_ json: String, _ message: String) {
        #expect(Self.fromStacks(json) == .refused(message))
    }
}
