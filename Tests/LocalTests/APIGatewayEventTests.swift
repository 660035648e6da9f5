import Local
import Testing

/// The `$connect`, message and `$disconnect` events, field by field against the samples
/// AWS publishes of what a deployed WebSocket API sends its Lambda proxy integrations:
///
/// - [PT-connect] aws-powertools/powertools-lambda-python `tests/events/apiGatewayWebSocketApiConnect.json`
/// - [PT-message] aws-powertools/powertools-lambda-python `tests/events/apiGatewayWebSocketApiMessage.json`
/// - [PT-disconnect] aws-powertools/powertools-lambda-python `tests/events/apiGatewayWebSocketApiDisconnect.json`
/// - [GO-message] aws/aws-lambda-go `events/testdata/apigw-websocket-request-send-message.json`
/// - [GO-disconnect] aws/aws-lambda-go `events/testdata/apigw-websocket-request-disconnect.json`
/// - [TYPES] DefinitelyTyped `types/aws-lambda/trigger/api-gateway-proxy.d.ts`,
///   `APIGatewayProxyWebsocketEventV2` (which keys are optional, which are numbers)
///
/// The samples are captures of deployed APIs (2024): the Powertools ones from a client that
/// sent no `User-Agent`, the aws-lambda-go ones from Chrome.
@Suite("API Gateway events")
struct APIGatewayEventTests {
    static let origin = APIGatewayEvent.Origin(apiId: "asasasas", stage: "prod", domainName: "127.0.0.1:3001")
    static let chrome = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Safari/537.36"
    /// 11/Nov/2024:11:35:24.561 UTC, [PT-connect]'s `requestTimeEpoch`.
    static let now: Int64 = 1_731_324_924_561

    /// A browser's handshake: what a client sends, `Connection` and `Upgrade` included.
    static func connection(userAgent: String? = chrome, query: [(String, String)] = [], extraHeaders: [(String, String)] = []) -> APIGatewayEvent.Connection {
        var headers: [(String, String)] = [
            ("Host", "127.0.0.1:3001"),
            ("Connection", "Upgrade"),
            ("Upgrade", "websocket"),
            ("Sec-WebSocket-Version", "13"),
            ("Sec-WebSocket-Key", "+W5xw47OHh3OTFsWKjGu9Q=="),
            ("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"),
        ]
        if let userAgent { headers.append(("User-Agent", userAgent)) }
        return APIGatewayEvent.Connection(
            id: "BFHPhfCWIAMCKlQ=", connectedAt: 1_731_324_924_553, sourceIp: "166.90.225.1",
            userAgent: userAgent, headers: headers + extraHeaders, query: query)
    }

    static func connect(_ connection: APIGatewayEvent.Connection = connection()) -> JSON {
        APIGatewayEvent.connect(origin, connection, requestId: "BFHPhFe3IAMF95g=", now: now, port: 3001)
    }

    static func message(_ payload: [UInt8] = Array(#"{"action": "chat", "message": "Hello from client"}"#.utf8), isBinary: Bool = false,
                        connection: APIGatewayEvent.Connection = connection()) -> JSON {
        APIGatewayEvent.message(origin, connection, routeKey: "chat", payload: payload, isBinary: isBinary,
                                messageId: "BFaVtfGSIAMCKug=", requestId: "BFaVtH2HoAMFZEQ=", now: now)
    }

    static func disconnect(_ connection: APIGatewayEvent.Connection = connection()) -> JSON {
        APIGatewayEvent.disconnect(origin, connection, statusCode: 1005, reason: "Client-side close frame status not set",
                                   requestId: "BFbOeE87IAMF31w=", now: now)
    }

    /// The keys of an object, in order.
    static func keys(_ value: JSON?) -> [String]? {
        guard case .object(let members)? = value else { return nil }
        return members.map(\.0)
    }

    /// The (name, value) pairs of an object of strings.
    static func strings(_ value: JSON?) -> [String]? {
        guard case .object(let members)? = value else { return nil }
        return members.map { "\($0.0)=\($0.1.stringValue ?? "<\($0.1.text)>")" }
    }

    /// `requestContext` of every event, before the per-kind insertions ([PT-connect]).
    static let sharedContextKeys = [
        "routeKey", "eventType", "extendedRequestId", "requestTime", "messageDirection", "stage",
        "connectedAt", "requestTimeEpoch", "identity", "requestId", "domainName", "connectionId", "apiId",
    ]

    // MARK: - $connect

    @Test("$connect has headers, multiValueHeaders, requestContext and isBase64Encoded, and no body")
    func connectTopLevel() {
        // [PT-connect]: exactly these four, in this order, when the URL has no query.
        #expect(Self.keys(Self.connect()) == ["headers", "multiValueHeaders", "requestContext", "isBase64Encoded"])
        #expect(Self.connect()["isBase64Encoded"] == .bool(false))
    }

    @Test("$connect's requestContext has exactly the keys of the deployed service, in its order")
    func connectContextKeys() {
        // [PT-connect] requestContext.
        #expect(Self.keys(Self.connect()["requestContext"]) == Self.sharedContextKeys)
    }

    @Test("$connect's requestContext values: route, type, direction, ids, stage, domain")
    func connectContextValues() {
        let context = Self.connect()["requestContext"]
        #expect(context?["routeKey"] == .string("$connect"))
        #expect(context?["eventType"] == .string("CONNECT"))
        #expect(context?["messageDirection"] == .string("IN"))
        #expect(context?["stage"] == .string("prod"))
        #expect(context?["apiId"] == .string("asasasas"))
        #expect(context?["domainName"] == .string("127.0.0.1:3001"))
        #expect(context?["connectionId"] == .string("BFHPhfCWIAMCKlQ="))
        // [PT-connect]: extendedRequestId and requestId are the same id.
        #expect(context?["requestId"] == .string("BFHPhFe3IAMF95g="))
        #expect(context?["extendedRequestId"] == context?["requestId"])
    }

    @Test("connectedAt and requestTimeEpoch are epoch-millisecond numbers, not strings")
    func epochNumbers() {
        // [PT-connect] "connectedAt": 1731324924553, "requestTimeEpoch": 1731324924561; [TYPES] number.
        for event in [Self.connect(), Self.message(), Self.disconnect()] {
            let context = event["requestContext"]
            #expect(context?["connectedAt"] == .number("1731324924553"))
            #expect(context?["requestTimeEpoch"] == .number("1731324924561"))
            #expect(context?["requestTimeEpoch"]?.intValue == 1_731_324_924_561)
        }
    }

    @Test("requestTime is the request's epoch as dd/MMM/yyyy:HH:mm:ss +0000")
    func requestTimeOfEvent() {
        // [PT-connect] "requestTime": "11/Nov/2024:11:35:24 +0000" for requestTimeEpoch 1731324924561.
        for event in [Self.connect(), Self.message(), Self.disconnect()] {
            #expect(event["requestContext"]?["requestTime"] == .string("11/Nov/2024:11:35:24 +0000"))
        }
    }

    @Test("identity is userAgent then sourceIp when the handshake had a User-Agent")
    func identityWithUserAgent() {
        // [GO-disconnect] and [GO-message] identity: {"userAgent": "Mozilla/5.0 …", "sourceIp": "49.105.91.154"}.
        let identity = Self.connect()["requestContext"]?["identity"]
        #expect(Self.keys(identity) == ["userAgent", "sourceIp"])
        #expect(identity?["userAgent"] == .string(Self.chrome))
        #expect(identity?["sourceIp"] == .string("166.90.225.1"))
    }

    @Test("identity is sourceIp alone when the handshake had no User-Agent")
    func identityWithoutUserAgent() {
        // [PT-connect], [PT-message], [PT-disconnect]: "identity": {"sourceIp": "166.90.225.1"}.
        for event in [Self.connect(Self.connection(userAgent: nil)), Self.message(connection: Self.connection(userAgent: nil)),
                      Self.disconnect(Self.connection(userAgent: nil))] {
            #expect(event["requestContext"]?["identity"] == .object([("sourceIp", .string("166.90.225.1"))]))
        }
    }

    @Test("$connect's headers are the handshake's without Connection and Upgrade, then the four API Gateway adds")
    func connectHeaders() throws {
        // [PT-connect] headers: Host, Sec-WebSocket-*, X-Amzn-Trace-Id, X-Forwarded-For,
        // X-Forwarded-Port, X-Forwarded-Proto; no Connection, no Upgrade. Locally the port is
        // the gateway's and the protocol http.
        let headers = Self.connect()["headers"]
        #expect(Self.keys(headers) == [
            "Host", "Sec-WebSocket-Version", "Sec-WebSocket-Key", "Sec-WebSocket-Extensions", "User-Agent",
            "X-Amzn-Trace-Id", "X-Forwarded-For", "X-Forwarded-Port", "X-Forwarded-Proto",
        ])
        #expect(headers?["Host"] == .string("127.0.0.1:3001"))
        #expect(headers?["Sec-WebSocket-Key"] == .string("+W5xw47OHh3OTFsWKjGu9Q=="))
        #expect(headers?["X-Forwarded-For"] == .string("166.90.225.1"))
        #expect(headers?["X-Forwarded-Port"] == .string("3001"))
        #expect(headers?["X-Forwarded-Proto"] == .string("http"))
    }

    @Test("X-Amzn-Trace-Id has X-Ray's form: Root=1-<8 hex of epoch seconds>-<24 hex>")
    func traceHeader() throws {
        // [PT-connect] "X-Amzn-Trace-Id": "Root=1-6731ebfc-08e1e656421db73c5d2eef31"; 0x6731ebfc = 1731324924.
        let trace = try #require(Self.connect()["headers"]?["X-Amzn-Trace-Id"]?.stringValue)
        #expect(trace.hasPrefix("Root=1-6731ebfc-"))
        let random = trace.dropFirst("Root=1-6731ebfc-".count)
        #expect(random.count == 24)
        #expect(random.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        // One request, one trace; another request, another.
        #expect(Self.connect()["headers"]?["X-Amzn-Trace-Id"]?.stringValue == trace)
        let other = APIGatewayEvent.connect(Self.origin, Self.connection(), requestId: "BFHPhFe3IAMF95h=", now: Self.now, port: 3001)
        #expect(other["headers"]?["X-Amzn-Trace-Id"]?.stringValue != trace)
    }

    @Test("headers the client sent itself are not added a second time")
    func clientForwardedHeaders() {
        let connection = Self.connection(extraHeaders: [("x-forwarded-for", "10.0.0.1")])
        let headers = Self.connect(connection)["headers"]
        #expect(headers?["x-forwarded-for"] == .string("10.0.0.1"))
        #expect(headers?["X-Forwarded-For"] == nil)
        #expect(Self.keys(headers)?.filter { $0.lowercased() == "x-forwarded-for" }.count == 1)
    }

    @Test("multiValueHeaders holds every header as a one-item array, in the same order")
    func multiValueHeaders() {
        // [PT-connect] "multiValueHeaders": {"Host": ["…"], …}, the same names as headers.
        let event = Self.connect()
        #expect(Self.keys(event["multiValueHeaders"]) == Self.keys(event["headers"]))
        for name in Self.keys(event["headers"]) ?? [] {
            #expect(event["multiValueHeaders"]?[name] == .array([event["headers"]![name]!]))
        }
    }

    @Test("a repeated header keeps its last value in headers and every value in multiValueHeaders")
    func repeatedHeader() {
        let event = Self.connect(Self.connection(extraHeaders: [("X-Custom", "a"), ("X-Custom", "b")]))
        #expect(event["headers"]?["X-Custom"] == .string("b"))
        #expect(event["multiValueHeaders"]?["X-Custom"] == .array([.string("a"), .string("b")]))
    }

    @Test("without a query, $connect has neither queryStringParameters nor multiValueQueryStringParameters")
    func noQuery() {
        // [PT-connect] has neither key (not even null); [TYPES] marks both optional.
        let event = Self.connect()
        #expect(event["queryStringParameters"] == nil)
        #expect(event["multiValueQueryStringParameters"] == nil)
    }

    @Test("with a query, both query maps come between the headers and requestContext")
    func query() {
        let event = Self.connect(Self.connection(query: [("token", "abc"), ("room", "1"), ("room", "2")]))
        #expect(Self.keys(event) == [
            "headers", "multiValueHeaders", "queryStringParameters", "multiValueQueryStringParameters",
            "requestContext", "isBase64Encoded",
        ])
        #expect(Self.strings(event["queryStringParameters"]) == ["token=abc", "room=2"])
        #expect(event["multiValueQueryStringParameters"] == .object([
            ("token", .array([.string("abc")])),
            ("room", .array([.string("1"), .string("2")])),
        ]))
    }

    // MARK: - Messages

    @Test("a message has requestContext, body and isBase64Encoded, and no headers")
    func messageTopLevel() {
        // [PT-message], [GO-message]: exactly these three, in this order.
        #expect(Self.keys(Self.message()) == ["requestContext", "body", "isBase64Encoded"])
    }

    @Test("a message's requestContext has messageId second, then the shared keys")
    func messageContextKeys() {
        // [PT-message], [GO-message]: routeKey, messageId, eventType, ….
        var expected = Self.sharedContextKeys
        expected.insert("messageId", at: 1)
        #expect(Self.keys(Self.message()["requestContext"]) == expected)
    }

    @Test("a message's requestContext carries its route, MESSAGE, and its own message and request ids")
    func messageContextValues() {
        let context = Self.message()["requestContext"]
        #expect(context?["routeKey"] == .string("chat"))
        #expect(context?["eventType"] == .string("MESSAGE"))
        #expect(context?["messageDirection"] == .string("IN"))
        #expect(context?["messageId"] == .string("BFaVtfGSIAMCKug="))
        #expect(context?["requestId"] == .string("BFaVtH2HoAMFZEQ="))
        #expect(context?["extendedRequestId"] == .string("BFaVtH2HoAMFZEQ="))
        #expect(context?["connectionId"] == .string("BFHPhfCWIAMCKlQ="))
    }

    @Test("a message's identity carries the handshake's User-Agent too")
    func messageUserAgent() {
        // [GO-message] (a Chrome client): "identity": {"userAgent": "Mozilla/5.0 …", "sourceIp": "…"}.
        let identity = Self.message()["requestContext"]?["identity"]
        #expect(Self.keys(identity) == ["userAgent", "sourceIp"])
        #expect(identity?["userAgent"] == .string(Self.chrome))
    }

    @Test("a text frame's body is its text as a string, isBase64Encoded false")
    func textBody() {
        // [PT-message] "body": "{\"action\": \"chat\", \"message\": \"Hello from client\"}", "isBase64Encoded": false.
        let event = Self.message()
        #expect(event["body"] == .string(#"{"action": "chat", "message": "Hello from client"}"#))
        #expect(event["isBase64Encoded"] == .bool(false))
        let unicode = Self.message(Array("héllo 😀\r\n\t".utf8))
        #expect(unicode["body"] == .string("héllo 😀\r\n\t"))
    }

    @Test("a binary frame's body is base64 and isBase64Encoded true")
    func binaryBody() {
        let event = Self.message([0x00, 0xFF, 0x10, 0x80, 0x7F], isBinary: true)
        #expect(event["body"] == .string("AP8QgH8="))
        #expect(event["isBase64Encoded"] == .bool(true))
        #expect(Self.message([], isBinary: true)["body"] == .string(""))
    }

    @Test("an event survives being written and parsed again unchanged")
    func eventRoundTrip() throws {
        for event in [Self.connect(), Self.message(Array("\"quoted\"\n\u{1}".utf8)), Self.disconnect()] {
            #expect(try JSON.parse(event.text) == event)
        }
    }

    // MARK: - $disconnect

    @Test("$disconnect has headers, multiValueHeaders, requestContext and isBase64Encoded, and no body")
    func disconnectTopLevel() {
        // [PT-disconnect], [GO-disconnect].
        #expect(Self.keys(Self.disconnect()) == ["headers", "multiValueHeaders", "requestContext", "isBase64Encoded"])
        #expect(Self.disconnect()["isBase64Encoded"] == .bool(false))
    }

    @Test("$disconnect's headers are the four fixed ones API Gateway sends, whatever the handshake had")
    func disconnectHeaders() {
        // [PT-disconnect], [GO-disconnect]: Host = the API's domain, x-api-key, X-Forwarded-For and x-restapi empty.
        let event = Self.disconnect()
        #expect(Self.strings(event["headers"]) == ["Host=127.0.0.1:3001", "x-api-key=", "X-Forwarded-For=", "x-restapi="])
        #expect(event["multiValueHeaders"] == .object([
            ("Host", .array([.string("127.0.0.1:3001")])),
            ("x-api-key", .array([.string("")])),
            ("X-Forwarded-For", .array([.string("")])),
            ("x-restapi", .array([.string("")])),
        ]))
    }

    @Test("$disconnect's requestContext puts disconnectStatusCode second and disconnectReason after messageDirection")
    func disconnectContextKeys() {
        // [PT-disconnect], [GO-disconnect]: routeKey, disconnectStatusCode, eventType,
        // extendedRequestId, requestTime, messageDirection, disconnectReason, stage, ….
        #expect(Self.keys(Self.disconnect()["requestContext"]) == [
            "routeKey", "disconnectStatusCode", "eventType", "extendedRequestId", "requestTime", "messageDirection",
            "disconnectReason", "stage", "connectedAt", "requestTimeEpoch", "identity", "requestId", "domainName",
            "connectionId", "apiId",
        ])
    }

    @Test("the close status is a number and the reason a string, as the client closed")
    func disconnectStatus() {
        // [PT-disconnect] "disconnectStatusCode": 1005, "disconnectReason": "Client-side close frame status not set".
        let context = Self.disconnect()["requestContext"]
        #expect(context?["routeKey"] == .string("$disconnect"))
        #expect(context?["eventType"] == .string("DISCONNECT"))
        #expect(context?["disconnectStatusCode"] == .number("1005"))
        #expect(context?["disconnectReason"] == .string("Client-side close frame status not set"))
        // [GO-disconnect] "disconnectStatusCode": 1001, "disconnectReason": "".
        let away = APIGatewayEvent.disconnect(Self.origin, Self.connection(), statusCode: 1001, reason: "", requestId: "R1koeHsUtjMFbRw=", now: Self.now)
        #expect(away["requestContext"]?["disconnectStatusCode"] == .number("1001"))
        #expect(away["requestContext"]?["disconnectReason"] == .string(""))
    }

    // MARK: - Times, ids, base64

    @Test("requestTime pads day, hour, minute and second to two digits", arguments: [
        (Int64(1_731_324_924_561), "11/Nov/2024:11:35:24 +0000"),  // [PT-connect]
        (1_705_751_708_326, "20/Jan/2024:11:55:08 +0000"),  // [GO-disconnect]
        (1_731_333_109_875, "11/Nov/2024:13:51:49 +0000"),  // [PT-disconnect]
        (0, "01/Jan/1970:00:00:00 +0000"),
        (951_782_400_000, "29/Feb/2000:00:00:00 +0000"),
        (1_767_225_599_999, "31/Dec/2025:23:59:59 +0000"),
    ])
    func requestTime(_ epoch: Int64, _ text: String) {
        #expect(APIGatewayEvent.requestTime(epochMilliseconds: epoch) == text)
    }

    @Test("isoTime is yyyy-MM-ddTHH:mm:ss.SSSZ with milliseconds", arguments: [
        (Int64(1_731_324_924_561), "2024-11-11T11:35:24.561Z"),
        (0, "1970-01-01T00:00:00.000Z"),
        (1_705_751_708_006, "2024-01-20T11:55:08.006Z"),
    ])
    func isoTime(_ epoch: Int64, _ text: String) {
        #expect(APIGatewayEvent.isoTime(epochMilliseconds: epoch) == text)
    }

    @Test("gateway ids look like API Gateway's: 16 characters of base64 ending in one '='")
    func gatewayIds() {
        // [PT-connect] "connectionId": "BFHPhfCWIAMCKlQ=".
        let ids = (0..<200).map { _ in Identifier.gatewayId() }
        for id in ids {
            #expect(id.count == 16)
            #expect(id.hasSuffix("=") && !id.dropLast().contains("="))
            #expect(Base64.decode(id)?.count == 11)
        }
        #expect(Set(ids).count == ids.count)
    }

    @Test("uuids are version 4, variant 1, lowercase 8-4-4-4-12")
    func uuids() throws {
        for _ in 0..<100 {
            let uuid = Identifier.uuid()
            let groups = uuid.split(separator: "-", omittingEmptySubsequences: false)
            #expect(groups.map(\.count) == [8, 4, 4, 4, 12])
            #expect(uuid.allSatisfy { $0 == "-" || ($0.isHexDigit && !$0.isUppercase) })
            #expect(groups[2].first == "4")
            #expect(groups[3].first.map { "89ab".contains($0) } == true)
        }
    }

    @Test("base64 encodes RFC 4648's test vectors", arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ])
    func base64Vectors(_ plain: String, _ encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test("base64 round-trips every byte value")
    func base64AllBytes() {
        let bytes = (0...255).map(UInt8.init)
        let encoded = Base64.encode(bytes)
        #expect(encoded.hasSuffix("w=="))
        #expect(Base64.decode(encoded) == bytes)
    }

    @Test("text that is not base64 decodes to nil", arguments: ["Zg=a", "Z", "Zm9v!", "Zm 9v", "Zg==Zg==", "Zm9vY"])
    func base64Refused(_ text: String) {
        #expect(Base64.decode(text) == nil)
    }
}
