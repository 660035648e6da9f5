import Contract
import YAML

/// Why an endpoint could not be worked out: one line naming the value that is wrong.
public struct EndpointError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The line, without the `menort:` prefix.
    public let description: String

    init(_ description: String) { self.description = description }
}

/// Where clients of a deployed realtime stack connect, and the configuration lines that
/// tell them: the web app's `NEXT_PUBLIC_REALTIME_WEBSOCKET_URL`, the server's
/// `REALTIME_WEBSOCKET_URL` and the companion app's `app.json` `expo.extra.realtimeWsUrl`
/// (the post-deploy step the README describes).
///
/// The URL is `wss://<api-id>.execute-api.<region>.<domain>/<stage>`, the stack's
/// `WebSocketInvokeUrl` output: the domain is the partition's (`amazonaws.com`, also in
/// GovCloud; `amazonaws.com.cn` in China; the isolated and sovereign partitions' own).
public struct RealtimeEndpoint: Sendable, Equatable {
    /// The WebSocket API's id: 10 lowercase letters and digits.
    public let apiId: String
    /// The region, `eu-west-1`.
    public let region: String
    /// The stage, the URL's path.
    public let stage: String
    /// The partition's DNS suffix, what `${AWS::URLSuffix}` is in that region.
    public let domain: String

    /// The stage the rendered stack deploys unless `StageName` says otherwise.
    public static let defaultStage = "prod"

    /// The endpoint of API `apiId` in `region` at `stage`, each checked as API Gateway
    /// would name it.
    public init(apiId: String, region: String, stage: String = RealtimeEndpoint.defaultStage) throws(EndpointError) {
        if let reason = RealtimeEndpoint.apiIdProblem(apiId) { throw EndpointError("invalid API id '\(apiId)': \(reason)") }
        if let reason = RealtimeEndpoint.regionProblem(region) { throw EndpointError("invalid region '\(region)': \(reason)") }
        if let reason = RealtimeEndpoint.stageProblem(stage) { throw EndpointError("invalid stage '\(stage)': \(reason)") }
        guard let domain = RealtimeEndpoint.domain(of: region) else {
            throw EndpointError("no known endpoint domain for region '\(region)': menort knows the isolated regions us-iso-*, us-isob-*, eu-isoe-* and us-isof-*")
        }
        self.apiId = apiId
        self.region = region
        self.stage = stage
        self.domain = domain
    }

    /// Where clients connect.
    public var url: String { "wss://\(apiId).execute-api.\(region).\(domain)/\(stage)" }

    // MARK: - Output

    /// The variable the web app (Next.js) reads in the browser.
    public static let webVariable = "NEXT_PUBLIC_REALTIME_WEBSOCKET_URL"
    /// The variable the web app's server reads.
    public static let serverVariable = "REALTIME_WEBSOCKET_URL"
    /// The key under `expo.extra` in the companion app's `app.json`.
    public static let appKey = "realtimeWsUrl"

    /// The `app.json` fragment: `{"expo": {"extra": {"realtimeWsUrl": url}}}`.
    public var appJSON: JSONValue {
        .object([("expo", .object([("extra", .object([(RealtimeEndpoint.appKey, .string(url))]))]))])
    }

    /// Two dotenv lines and a comment with the `app.json` fragment, ending in a newline:
    /// ready to append to an env file, or to paste.
    public var envText: String {
        var fragment = ""
        JSONValue.writeString(url, to: &fragment)
        return """
            \(RealtimeEndpoint.webVariable)=\(url)
            \(RealtimeEndpoint.serverVariable)=\(url)
            # app.json: {"expo": {"extra": {"\(RealtimeEndpoint.appKey)": \(fragment)}}}

            """
    }

    /// One object: the URL and its parts, then what each consumer needs under its name
    /// (`web`, `server`, `app.json`).
    public var json: JSONValue {
        .object([
            ("url", .string(url)),
            ("apiId", .string(apiId)),
            ("region", .string(region)),
            ("stage", .string(stage)),
            ("web", .object([(RealtimeEndpoint.webVariable, .string(url))])),
            ("server", .object([(RealtimeEndpoint.serverVariable, .string(url))])),
            ("app.json", appJSON),
        ])
    }

    // MARK: - Names

    /// Why `id` is not an API Gateway API id (`[a-z0-9]{10}`), or `nil`.
    static func apiIdProblem(_ id: String) -> String? {
        let valid = id.utf8.count == 10 && id.utf8.allSatisfy { isLowercase($0) || isDigit($0) }
        return valid ? nil : "API Gateway API ids are 10 lowercase letters and digits, such as a1b2c3d4e5"
    }

    /// Why `region` is not shaped like an AWS region, or `nil`: `xx-name-N`, with `-gov` or
    /// `-iso…` after the country (`us-gov-west-1`, `us-isob-east-1`), or the European
    /// Sovereign Cloud's `eusc-xx-name-N`.
    static func regionProblem(_ region: String) -> String? {
        let parts = region.split(separator: "-", omittingEmptySubsequences: false).map { Array($0.utf8) }
        func letters(_ part: [UInt8]) -> Bool { !part.isEmpty && part.allSatisfy(isLowercase) }
        func country(_ part: [UInt8]) -> Bool { part.count == 2 && letters(part) }
        func number(_ part: [UInt8]) -> Bool { part.count == 1 && isDigit(part[0]) }
        func qualifier(_ part: [UInt8]) -> Bool {
            part == Array("gov".utf8) || part == Array("iso".utf8) || (part.count == 4 && part.starts(with: Array("iso".utf8)) && letters(part))
        }
        let valid: Bool
        switch parts.count {
        case 3:
            valid = country(parts[0]) && letters(parts[1]) && number(parts[2])
        case 4:
            valid = ((country(parts[0]) && qualifier(parts[1])) || (parts[0] == Array("eusc".utf8) && country(parts[1])))
                && letters(parts[2]) && number(parts[3])
        default:
            valid = false
        }
        return valid ? nil : "expected a region such as us-east-1, eu-west-1, cn-north-1 or us-gov-west-1"
    }

    /// Why `stage` cannot be a WebSocket API's stage, or `nil` (API Gateway's rule, the one
    /// `validate` applies to a `StageName` value).
    static func stageProblem(_ stage: String) -> String? {
        ServiceConstraint(service: .webSocketStageName, path: "", mark: nil, pieces: []).check(stage)
    }

    /// The partition's DNS suffix for a well-shaped region; `nil` for an isolated region
    /// menort does not know.
    package static func domain(of region: String) -> String? {
        if region.hasPrefix("cn-") { return "amazonaws.com.cn" }
        if region.hasPrefix("eusc-") { return "amazonaws.eu" }
        let isolated: [(prefix: String, domain: String)] = [
            ("us-iso-", "c2s.ic.gov"), ("us-isob-", "sc2s.sgov.gov"), ("eu-isoe-", "cloud.adc-e.uk"), ("us-isof-", "csp.hci.ic.gov"),
        ]
        if let known = isolated.first(where: { region.hasPrefix($0.prefix) }) { return known.domain }
        // GovCloud's endpoints are under amazonaws.com, like the commercial regions.
        return region.split(separator: "-").dropFirst().first?.hasPrefix("iso") == true ? nil : "amazonaws.com"
    }

    private static func isLowercase(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}

// MARK: - From `aws cloudformation describe-stacks`

extension RealtimeEndpoint {
    /// The endpoint of the realtime stack described in `bytes`, the JSON that
    /// `aws cloudformation describe-stacks` prints (read with libyaml: JSON is YAML).
    ///
    /// The stack is the one with a `WebSocketInvokeUrl` or `WebSocketApiId` output. Its
    /// `WebSocketInvokeUrl` is taken apart and each part checked; without one, the URL is
    /// composed from `WebSocketApiId`, the region in the `StackId` ARN and the `StageName`
    /// parameter (else `prod`). `file` names the input in messages.
    public init(describeStacks bytes: [UInt8], file: String) throws(EndpointError) {
        let root: Node?
        do {
            root = try Parser.parse(bytes: bytes)
        } catch {
            let at = error.mark.map { ":\($0)" } ?? ""
            throw EndpointError("\(file)\(at): cannot read describe-stacks JSON: \(error.message)")
        }
        guard let stacks = root?["Stacks"]?.items else {
            throw EndpointError("\(file): not the JSON of aws cloudformation describe-stacks: no Stacks list")
        }
        let realtime = stacks.filter { stack in
            RealtimeEndpoint.output(RealtimeContract.invokeURLOutput, of: stack) != nil || RealtimeEndpoint.output("WebSocketApiId", of: stack) != nil
        }
        let names = stacks.map { $0["StackName"]?.scalar ?? "?" }
        guard let stack = realtime.first else {
            switch stacks.count {
            case 0: throw EndpointError("\(file): describe-stacks lists no stack")
            case 1: throw EndpointError("stack '\(names[0])' has no WebSocketInvokeUrl or WebSocketApiId output; is it the realtime stack, and did its deploy complete?")
            default: throw EndpointError("none of the \(stacks.count) stacks (\(names.joined(separator: ", "))) has a WebSocketInvokeUrl or WebSocketApiId output")
            }
        }
        guard realtime.count == 1 else {
            let both = realtime.map { $0["StackName"]?.scalar ?? "?" }.joined(separator: ", ")
            throw EndpointError("\(realtime.count) stacks have realtime outputs (\(both)); run describe-stacks with --stack-name")
        }
        let name = stack["StackName"]?.scalar ?? "?"
        if let url = RealtimeEndpoint.output(RealtimeContract.invokeURLOutput, of: stack) {
            try self.init(invokeURL: url, context: "WebSocketInvokeUrl of stack '\(name)'")
            return
        }
        // Composed from the API id, the stack's region and its stage.
        let apiId = RealtimeEndpoint.output("WebSocketApiId", of: stack) ?? ""
        guard let arn = stack["StackId"]?.scalar, let region = RealtimeEndpoint.region(ofStackId: arn) else {
            throw EndpointError("stack '\(name)' has no WebSocketInvokeUrl output and no StackId ARN to read its region from")
        }
        let stage = (stack["Parameters"]?.items ?? []).first { $0["ParameterKey"]?.scalar == "StageName" }?["ParameterValue"]?.scalar
        do {
            try self.init(apiId: apiId, region: region, stage: stage ?? RealtimeEndpoint.defaultStage)
        } catch {
            throw EndpointError("stack '\(name)': \(error)")
        }
    }

    /// `wss://<api-id>.execute-api.<region>.<domain>/<stage>` taken apart, each part checked,
    /// and the domain checked against the region's.
    init(invokeURL url: String, context: String) throws(EndpointError) {
        let shape = "\(context) is '\(url)', not wss://<api-id>.execute-api.<region>.<domain>/<stage>"
        guard url.hasPrefix("wss://") else {
            throw EndpointError("\(context) is '\(url)', which is not a wss:// URL")
        }
        let rest = url.dropFirst("wss://".count)
        let halves = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard halves.count == 2 else { throw EndpointError(shape) }
        let host = halves[0].split(separator: ".", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        guard host.count == 4, host[1] == "execute-api" else { throw EndpointError(shape) }
        do {
            try self.init(apiId: host[0], region: host[2], stage: String(halves[1]))
        } catch {
            throw EndpointError("\(context): \(error)")
        }
        guard host[3] == domain else {
            throw EndpointError("\(context): domain '\(host[3])' is not \(region)'s, which is \(domain)")
        }
    }

    /// The `OutputValue` of the output `key` of a `describe-stacks` stack.
    static func output(_ key: String, of stack: Node) -> String? {
        (stack["Outputs"]?.items ?? []).first { $0["OutputKey"]?.scalar == key }?["OutputValue"]?.scalar
    }

    /// The region of `arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<id>`.
    static func region(ofStackId arn: String) -> String? {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 6, parts[0] == "arn", parts[2] == "cloudformation", !parts[3].isEmpty else { return nil }
        return String(parts[3])
    }
}
