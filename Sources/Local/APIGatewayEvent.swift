#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The events API Gateway sends a WebSocket API's Lambda proxy integrations, field by field
/// as AWS documents them ("Setting up WebSocket API integrations", the `$connect` /
/// message / `$disconnect` samples) and as the deployed service sends them:
///
/// - every event: `requestContext` with `routeKey`, `eventType` (CONNECT, MESSAGE,
///   DISCONNECT), `extendedRequestId`, `requestTime` (`09/Feb/2024:18:11:43 +0000`),
///   `messageDirection` (IN), `stage`, `connectedAt` and `requestTimeEpoch` (epoch ms),
///   `identity` (`userAgent` when the handshake had a `User-Agent`, then `sourceIp`),
///   `requestId`, `domainName`, `connectionId`, `apiId`; and `isBase64Encoded`;
/// - `$connect`: `headers` and `multiValueHeaders` (the handshake's, without `Connection`
///   and `Upgrade`, plus the `X-Forwarded-*` and `X-Amzn-Trace-Id` API Gateway adds), and
///   `queryStringParameters` / `multiValueQueryStringParameters` only when there is a query;
/// - messages: `requestContext.messageId`, `body` (binary frames base64, `isBase64Encoded: true`);
/// - `$disconnect`: `disconnectStatusCode` and `disconnectReason`, and the fixed headers
///   API Gateway sends then (`Host`, `x-api-key`, `X-Forwarded-For`, `x-restapi`).
public struct APIGatewayEvent: Sendable {
    /// What every event of one API shares.
    public struct Origin: Sendable {
        public var apiId: String
        public var stage: String
        /// `requestContext.domainName`: the local `host:port`, so a handler that builds its
        /// management endpoint from it reaches the local gateway.
        public var domainName: String

        public init(apiId: String, stage: String, domainName: String) {
            self.apiId = apiId
            self.stage = stage
            self.domainName = domainName
        }
    }

    /// One client connection as events describe it.
    public struct Connection: Sendable {
        public var id: String
        /// Epoch milliseconds.
        public var connectedAt: Int64
        public var sourceIp: String
        public var userAgent: String?
        /// The handshake's headers in order, names as the client wrote them.
        public var headers: [(String, String)]
        /// The handshake's query, decoded, in order.
        public var query: [(String, String)]

        public init(id: String, connectedAt: Int64, sourceIp: String, userAgent: String?, headers: [(String, String)], query: [(String, String)]) {
            self.id = id
            self.connectedAt = connectedAt
            self.sourceIp = sourceIp
            self.userAgent = userAgent
            self.headers = headers
            self.query = query
        }
    }

    /// The `$connect` event.
    public static func connect(_ origin: Origin, _ connection: Connection, requestId: String, now: Int64, port: Int) -> JSON {
        let hidden: Set<String> = ["connection", "upgrade"]
        var headers = connection.headers.filter { !hidden.contains($0.0.lowercased()) }
        let present = Set(headers.map { $0.0.lowercased() })
        for (name, value) in [
            ("X-Amzn-Trace-Id", traceId(seconds: now / 1000, requestId: requestId)),
            ("X-Forwarded-For", connection.sourceIp),
            ("X-Forwarded-Port", String(port)),
            ("X-Forwarded-Proto", "http"),
        ] where !present.contains(name.lowercased()) {
            headers.append((name, value))
        }
        var members: [(String, JSON)] = [
            ("headers", single(headers)),
            ("multiValueHeaders", multi(headers)),
        ]
        if !connection.query.isEmpty {
            members.append(("queryStringParameters", single(connection.query)))
            members.append(("multiValueQueryStringParameters", multi(connection.query)))
        }
        members.append(("requestContext", context(origin, connection, routeKey: "$connect", eventType: "CONNECT", requestId: requestId, now: now)))
        members.append(("isBase64Encoded", .bool(false)))
        return .object(members)
    }

    /// A message event for `routeKey`; binary payloads travel base64-encoded.
    public static func message(_ origin: Origin, _ connection: Connection, routeKey: String, payload: [UInt8], isBinary: Bool, messageId: String, requestId: String, now: Int64) -> JSON {
        var context = context(origin, connection, routeKey: routeKey, eventType: "MESSAGE", requestId: requestId, now: now)
        if case .object(var members) = context {
            members.insert(("messageId", .string(messageId)), at: 1)
            context = .object(members)
        }
        let body = isBinary ? Base64.encode(payload) : String(decoding: payload, as: UTF8.self)
        return .object([
            ("requestContext", context),
            ("body", .string(body)),
            ("isBase64Encoded", .bool(isBinary)),
        ])
    }

    /// The `$disconnect` event.
    public static func disconnect(_ origin: Origin, _ connection: Connection, statusCode: Int, reason: String, requestId: String, now: Int64) -> JSON {
        let headers: [(String, String)] = [
            ("Host", origin.domainName),
            ("x-api-key", ""),
            ("X-Forwarded-For", ""),
            ("x-restapi", ""),
        ]
        var context = context(origin, connection, routeKey: "$disconnect", eventType: "DISCONNECT", requestId: requestId, now: now)
        if case .object(var members) = context {
            // routeKey, disconnectStatusCode, eventType, extendedRequestId, requestTime,
            // messageDirection, disconnectReason, stage, …: the deployed service's order.
            members.insert(("disconnectStatusCode", .int(statusCode)), at: 1)
            members.insert(("disconnectReason", .string(reason)), at: 6)
            context = .object(members)
        }
        return .object([
            ("headers", single(headers)),
            ("multiValueHeaders", multi(headers)),
            ("requestContext", context),
            ("isBase64Encoded", .bool(false)),
        ])
    }

    /// The `requestContext` every event shares. `identity.userAgent` is the handshake's
    /// `User-Agent` in every event of the connection, messages included (aws-lambda-go's
    /// `apigw-websocket-request-send-message.json`, captured from a deployed API).
    static func context(_ origin: Origin, _ connection: Connection, routeKey: String, eventType: String, requestId: String, now: Int64) -> JSON {
        var identity: [(String, JSON)] = []
        if let agent = connection.userAgent { identity.append(("userAgent", .string(agent))) }
        identity.append(("sourceIp", .string(connection.sourceIp)))
        return .object([
            ("routeKey", .string(routeKey)),
            ("eventType", .string(eventType)),
            ("extendedRequestId", .string(requestId)),
            ("requestTime", .string(requestTime(epochMilliseconds: now))),
            ("messageDirection", .string("IN")),
            ("stage", .string(origin.stage)),
            ("connectedAt", .int64(connection.connectedAt)),
            ("requestTimeEpoch", .int64(now)),
            ("identity", .object(identity)),
            ("requestId", .string(requestId)),
            ("domainName", .string(origin.domainName)),
            ("connectionId", .string(connection.id)),
            ("apiId", .string(origin.apiId)),
        ])
    }

    /// An X-Ray trace header as API Gateway adds it: `Root=1-<8 hex digits of epoch seconds>-<24
    /// hex digits>`, the 24 derived from `requestId` so one request always gets one trace.
    static func traceId(seconds: Int64, requestId: String) -> String {
        func hex(_ value: UInt64, _ width: Int) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        var hash: UInt64 = 0xcbf29ce484222325
        var digits = ""
        for round in 0..<2 {
            for byte in requestId.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
            hash = (hash ^ UInt64(round)) &* 0x100000001b3
            digits += hex(hash, 16)
        }
        return "Root=1-\(hex(UInt64(truncatingIfNeeded: seconds) & 0xFFFF_FFFF, 8))-\(digits.prefix(24))"
    }

    /// The last value of each name (`headers`, `queryStringParameters`).
    static func single(_ pairs: [(String, String)]) -> JSON {
        var members: [(String, JSON)] = []
        var index: [String: Int] = [:]
        for (name, value) in pairs {
            if let at = index[name] { members[at].1 = .string(value) } else {
                index[name] = members.count
                members.append((name, .string(value)))
            }
        }
        return .object(members)
    }

    /// Every value of each name, in order (`multiValueHeaders`, `multiValueQueryStringParameters`).
    static func multi(_ pairs: [(String, String)]) -> JSON {
        var members: [(String, [JSON])] = []
        var index: [String: Int] = [:]
        for (name, value) in pairs {
            if let at = index[name] { members[at].1.append(.string(value)) } else {
                index[name] = members.count
                members.append((name, [.string(value)]))
            }
        }
        return .object(members.map { ($0.0, .array($0.1)) })
    }

    /// `dd/MMM/yyyy:HH:mm:ss +0000`, API Gateway's `requestTime`.
    public static func requestTime(epochMilliseconds: Int64) -> String {
        var seconds = time_t(epochMilliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(two(parts.tm_mday))/\(months[Int(parts.tm_mon)])/\(parts.tm_year + 1900):\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) +0000"
    }

    /// `yyyy-MM-ddTHH:mm:ss.SSSZ`, the timestamps of the Management API's `GetConnection`.
    public static func isoTime(epochMilliseconds: Int64) -> String {
        var seconds = time_t(epochMilliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(parts.tm_year + 1900)-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))T\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2)).\(pad(Int(epochMilliseconds % 1000), 3))Z"
    }
}

/// Identifiers shaped as API Gateway's and Lambda's.
public enum Identifier {
    /// A connection, request or message id as API Gateway writes them: 16 characters of
    /// base64 ending in `=` (`WyHPAfymhcwCENw=`), unique per call.
    public static func gatewayId() -> String {
        Base64.encode(randomBytes(11))
    }

    /// A version 4 UUID, Lambda's `awsRequestId`.
    public static func uuid() -> String {
        var bytes = randomBytes(16)
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// `count` random bytes, eight from each draw of the system generator: drawing a byte at a
    /// time (`UInt8.random(in:using:)`) made one getrandom system call per byte, 16 for each
    /// Management API answer and 38 for each message, the most frequent system call of a
    /// busy `menort local` (BENCHMARKS.md, "menort local").
    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 7)
        while bytes.count < count {
            withUnsafeBytes(of: generator.next()) { bytes.append(contentsOf: $0) }
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }
}

/// RFC 4648 base64 with padding (binary frames, ids), without Foundation.
public enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            output += [alphabet[Int(value >> 18 & 63)], alphabet[Int(value >> 12 & 63)], alphabet[Int(value >> 6 & 63)], alphabet[Int(value & 63)]]
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let value = UInt32(bytes[index]) << 16
            output += [alphabet[Int(value >> 18 & 63)], alphabet[Int(value >> 12 & 63)], 61, 61]
        } else if rest == 2 {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            output += [alphabet[Int(value >> 18 & 63)], alphabet[Int(value >> 12 & 63)], alphabet[Int(value >> 6 & 63)], 61]
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes of base64 `text`, or `nil` when it is not base64.
    public static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt8] = []
        var padding = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): values.append(byte - 65)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): values.append(byte - 71)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): values.append(byte + 4)
            case UInt8(ascii: "+"): values.append(62)
            case UInt8(ascii: "/"): values.append(63)
            case UInt8(ascii: "="): padding += 1; continue
            default: return nil
            }
            if padding > 0 { return nil }
        }
        guard (values.count + padding) % 4 == 0 || padding == 0, values.count % 4 != 1 else { return nil }
        var output: [UInt8] = []
        var index = 0
        while index < values.count {
            let chunk = values[index..<min(index + 4, values.count)]
            var value: UInt32 = 0
            for item in chunk { value = value << 6 | UInt32(item) }
            value <<= UInt32(6 * (4 - chunk.count))
            let bytes = [UInt8(value >> 16 & 255), UInt8(value >> 8 & 255), UInt8(value & 255)]
            output += bytes.prefix(chunk.count - 1)
            index += 4
        }
        return output
    }
}
