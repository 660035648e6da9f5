import Local
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// The limits API Gateway applies to WebSocket APIs (its quotas page), changeable for tests.
public struct GatewayLimits: Sendable {
    /// Largest frame a client may send (32 KB); larger closes the connection with 1009.
    public var frameBytes = 32 * 1024
    /// Largest message, frames joined (128 KB); larger closes the connection with 1009.
    public var messageBytes = 128 * 1024
    /// A connection without traffic this long is closed (10 minutes).
    public var idleTimeout: TimeAmount = .minutes(10)
    /// No connection lasts longer (2 hours).
    public var maximumDuration: TimeAmount = .hours(2)
    /// API Gateway stops waiting for an integration after 29 seconds.
    public var integrationTimeout: TimeAmount = .seconds(29)

    public init() {}
}

/// The local WebSocket API: a handshake on `/{stage}` runs `$connect`, messages pick a
/// route by the selection expression (else `$default`), closes run `$disconnect`; the
/// Management API (`/{stage}/@connections/{id}`) is served on the same port.
///
/// All state is confined to one event loop; handlers and timers hop there, so there are no
/// locks. One loop carries thousands of connections: the work per message is small and the
/// handlers run in their own processes.
public final class Gateway: @unchecked Sendable {
    let plan: LocalPlan
    let limits: GatewayLimits
    let loop: EventLoop
    let log: LogSink
    let origin: APIGatewayEvent.Origin
    let port: Int
    let pools: [String: WorkerPool]

    var connections: [String: ClientConnection] = [:]
    /// Ids of connections that ended: the Management API answers 410 for them.
    var gone: Set<String> = []
    /// `$connect` refusals waiting for the HTTP handler to answer the handshake.
    var refusals: [ObjectIdentifier: HTTPResponseStatus] = [:]
    /// Accepted handshakes whose upgrade has not completed, by channel.
    private var handshakes: [ObjectIdentifier: ClientConnection] = [:]
    private var pendingDisconnects: [EventLoopFuture<Void>] = []

    init(plan: LocalPlan, limits: GatewayLimits, loop: EventLoop, log: LogSink, authority: String, port: Int, pools: [String: WorkerPool]) {
        self.plan = plan
        self.limits = limits
        self.loop = loop
        self.log = log
        self.origin = APIGatewayEvent.Origin(apiId: plan.apiId, stage: plan.stage, domainName: authority)
        self.port = port
        self.pools = pools
    }

    // MARK: - Handshake

    /// Whether `uri` is the stage's WebSocket path (`/prod`, `/prod/`, with a query).
    func isStagePath(_ uri: String) -> Bool {
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        return path == "/\(plan.stage)" || path == "/\(plan.stage)/"
    }

    /// Decides a handshake: runs `$connect` and answers the upgrader (headers to accept,
    /// `nil` to refuse; the refusal's status waits in `refusals` for the HTTP handler).
    func shouldUpgrade(channel: Channel, head: HTTPRequestHead) -> EventLoopFuture<HTTPHeaders?> {
        loop.preconditionInEventLoop()
        guard isStagePath(head.uri) else {
            refusals[ObjectIdentifier(channel)] = .forbidden
            return loop.makeSucceededFuture(nil)
        }
        let now = Clock.milliseconds()
        let address = channel.remoteAddress?.ipAddress ?? "127.0.0.1"
        let connection = APIGatewayEvent.Connection(
            id: Identifier.gatewayId(), connectedAt: now, sourceIp: address,
            userAgent: head.headers.first(name: "User-Agent"),
            headers: head.headers.map { ($0.name, $0.value) },
            query: URLQuery.parse(head.uri)
        )
        let client = ClientConnection(info: connection, channel: channel)
        guard let route = plan.routes["$connect"] else {
            accept(client)
            log.line("menort: connect \(connection.id) from \(address) (no $connect route: accepted)")
            return loop.makeSucceededFuture(HTTPHeaders())
        }
        let requestId = Identifier.gatewayId()
        let event = APIGatewayEvent.connect(origin, connection, requestId: requestId, now: now, port: port)
        return invoke(route, event: event).map { [self] outcome in
            let status: HTTPResponseStatus
            var headers = HTTPHeaders()
            switch outcome {
            case .result(let value):
                // A proxy response's statusCode decides; a handler that returns nothing
                // accepts the connection. Its headers go into the handshake's answer, as
                // API Gateway sends them (how a handler picks a Sec-WebSocket-Protocol).
                status = value["statusCode"]?.intValue.map { HTTPResponseStatus(statusCode: $0) } ?? .ok
                headers = Gateway.handshakeHeaders(value)
            case .error, .timedOut:
                status = .internalServerError
            case .integrationTimedOut:
                status = .gatewayTimeout
            }
            guard (200..<300).contains(Int(status.code)), channel.isActive else {
                log.line("menort: connect \(connection.id) from \(address) refused: $connect answered \(status.code)")
                refusals[ObjectIdentifier(channel)] = status
                return nil
            }
            accept(client)
            log.line("menort: connect \(connection.id) from \(address)")
            return headers
        }
    }

    /// The headers of a `$connect` proxy response (`headers`, then `multiValueHeaders`),
    /// without those the handshake itself owns.
    static func handshakeHeaders(_ response: JSON) -> HTTPHeaders {
        let owned: Set<String> = ["connection", "upgrade", "sec-websocket-accept", "content-length", "transfer-encoding"]
        var headers = HTTPHeaders()
        if case .object(let members)? = response["headers"] {
            for (name, value) in members where !owned.contains(name.lowercased()) {
                if let text = value.stringValue ?? (value == .null ? nil : value.text) { headers.replaceOrAdd(name: name, value: text) }
            }
        }
        if case .object(let members)? = response["multiValueHeaders"] {
            for (name, values) in members where !owned.contains(name.lowercased()) {
                guard case .array(let items) = values else { continue }
                headers.remove(name: name)
                for item in items { if let text = item.stringValue { headers.add(name: name, value: text) } }
            }
        }
        return headers
    }

    /// `$connect` accepted the client: the connection exists for the Management API from
    /// now on, and however its channel ends, `$disconnect` runs once.
    private func accept(_ client: ClientConnection) {
        connections[client.info.id] = client
        handshakes[ObjectIdentifier(client.channel)] = client
        client.channel.closeFuture.whenComplete { [self] _ in
            handshakes[ObjectIdentifier(client.channel)] = nil
            disconnected(client)
        }
    }

    /// The handshake was accepted: frames from now on.
    func upgraded(channel: Channel, head: HTTPRequestHead) -> EventLoopFuture<Void> {
        loop.preconditionInEventLoop()
        guard let client = handshakes.removeValue(forKey: ObjectIdentifier(channel)) else {
            return channel.close()
        }
        client.lastActiveAt = Clock.milliseconds()
        client.idleTimer = scheduleIdle(client)
        client.lifetimeTimer = loop.scheduleTask(in: limits.maximumDuration) { [self] in
            close(client, code: .goingAway, reason: "Going away")
        }
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(WebSocketHandler(gateway: self, client: client))
        }
    }

    private func scheduleIdle(_ client: ClientConnection) -> Scheduled<Void> {
        loop.scheduleTask(in: limits.idleTimeout) { [self] in
            close(client, code: .goingAway, reason: "Going away")
        }
    }

    /// Traffic on a connection: the idle clock starts again.
    func touched(_ client: ClientConnection) {
        client.lastActiveAt = Clock.milliseconds()
        client.idleTimer?.cancel()
        client.idleTimer = scheduleIdle(client)
    }

    // MARK: - Messages

    /// A whole message arrived: choose its route and run it.
    func received(_ payload: [UInt8], isBinary: Bool, from client: ClientConnection) {
        loop.preconditionInEventLoop()
        touched(client)
        let requestId = Identifier.gatewayId()
        var key = "$default"
        if !isBinary, let body = try? JSON.parse(bytes: payload) {
            var value: JSON? = body
            for component in plan.selectionPath { value = value?[component] }
            switch value {
            case .string(let text)?: key = text
            case .number(let text)?: key = text
            case .bool(let flag)?: key = flag ? "true" : "false"
            default: break
            }
        }
        // $connect and $disconnect answer connection events only: a message naming them is unmatched.
        guard let route = (key == "$connect" || key == "$disconnect" ? nil : plan.routes[key]) ?? plan.routes["$default"] else {
            // No route and no $default: API Gateway answers the sender with this frame.
            send(GatewayFrame.error("Forbidden", connectionId: client.info.id, requestId: requestId), to: client)
            log.line("menort: message on \(client.info.id): no route '\(key)' and no $default")
            return
        }
        let event = APIGatewayEvent.message(origin, client.info, routeKey: route.key, payload: payload, isBinary: isBinary, messageId: Identifier.gatewayId(), requestId: requestId, now: Clock.milliseconds())
        invoke(route, event: event).whenSuccess { [self] outcome in
            switch outcome {
            case .result(let value):
                guard route.twoWay, let body = value["body"] else { return }
                if value["isBase64Encoded"] == .bool(true), let text = body.stringValue, let bytes = Base64.decode(text) {
                    send(bytes, binary: true, to: client)
                } else {
                    send(body.stringValue ?? body.text, to: client)
                }
            case .error, .timedOut:
                send(GatewayFrame.error("Internal server error", connectionId: client.info.id, requestId: requestId), to: client)
            case .integrationTimedOut:
                send(GatewayFrame.error("Endpoint request timed out", connectionId: client.info.id, requestId: requestId), to: client)
            }
        }
    }

    /// Runs a route's function with API Gateway's integration timeout over it: after 29 s
    /// the caller hears `.integrationTimedOut` while the function runs on to its own timeout.
    func invoke(_ route: LocalRoute, event: JSON) -> EventLoopFuture<GatewayOutcome> {
        guard let pool = pools[route.function] else {
            return loop.makeSucceededFuture(.error(HandlerError(errorType: "Runtime.InvalidEntrypoint", errorMessage: "no worker for \(route.function)")))
        }
        let promise = loop.makePromise(of: GatewayOutcome.self)
        // Whichever comes first answers; both run on the loop.
        let answered = NIOLoopBoundBox(false, eventLoop: loop)
        let timer = loop.scheduleTask(in: limits.integrationTimeout) {
            guard !answered.value else { return }
            answered.value = true
            promise.succeed(.integrationTimedOut)
        }
        pool.invoke(event: event).whenSuccess { [self] outcome in
            timer.cancel()
            if case .error(let error) = outcome {
                log.line("\(AWSTime.now())\t\(error.errorType): \(error.errorMessage)", function: route.function, always: true)
                for line in error.stackTrace { log.line("    \(line)", function: route.function, always: true) }
            }
            guard !answered.value else { return }
            answered.value = true
            switch outcome {
            case .result(let value): promise.succeed(.result(value))
            case .error(let error): promise.succeed(.error(error))
            case .timedOut(let seconds): promise.succeed(.timedOut(seconds: seconds))
            }
        }
        return promise.futureResult
    }

    // MARK: - Sending and closing

    func send(_ text: String, to client: ClientConnection) {
        send(Array(text.utf8), binary: false, to: client)
    }

    func send(_ bytes: [UInt8], binary: Bool, to client: ClientConnection) {
        guard client.channel.isActive, !client.closing else { return }
        var buffer = client.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        let frame = WebSocketFrame(fin: true, opcode: binary ? .binary : .text, data: buffer)
        client.channel.writeAndFlush(frame, promise: nil)
    }

    /// Closes a connection from the server side with a close frame.
    func close(_ client: ClientConnection, code: WebSocketErrorCode, reason: String) {
        guard !client.closing else { return }
        client.closing = true
        client.closeCode = Int(UInt16(webSocketErrorCode: code))
        client.closeReason = reason
        var buffer = client.channel.allocator.buffer(capacity: 2 + reason.utf8.count)
        buffer.write(webSocketErrorCode: code)
        buffer.writeString(reason)
        let frame = WebSocketFrame(fin: true, opcode: .connectionClose, data: buffer)
        client.channel.writeAndFlush(frame).whenComplete { _ in
            client.channel.close(promise: nil)
        }
        // A client that never answers the close frame is cut off.
        loop.scheduleTask(in: .seconds(2)) { client.channel.close(promise: nil) }
    }

    /// The connection's channel is gone: run `$disconnect` once.
    func disconnected(_ client: ClientConnection) {
        loop.preconditionInEventLoop()
        guard connections.removeValue(forKey: client.info.id) != nil else { return }
        gone.insert(client.info.id)
        client.idleTimer?.cancel()
        client.lifetimeTimer?.cancel()
        let code = client.closeCode ?? 1006
        let reason = client.closeReason ?? ""
        log.line("menort: disconnect \(client.info.id) (\(code)\(reason.isEmpty ? "" : " \(reason)"))")
        guard let route = plan.routes["$disconnect"] else { return }
        let event = APIGatewayEvent.disconnect(origin, client.info, statusCode: code, reason: reason, requestId: Identifier.gatewayId(), now: Clock.milliseconds())
        let done = invoke(route, event: event).map { _ in () }
        pendingDisconnects.append(done)
        done.whenComplete { [self] _ in pendingDisconnects.removeAll { $0 === done } }
    }

    /// Ctrl-C: every connection closed (their `$disconnect` run), then the workers stopped.
    func shutdown() -> EventLoopFuture<Void> {
        loop.preconditionInEventLoop()
        for client in Array(connections.values) { close(client, code: .goingAway, reason: "Going away") }
        // Let the closes reach `disconnected`, then wait for those invocations.
        return loop.scheduleTask(in: .milliseconds(50)) {}.futureResult.flatMap { [self] in
            for client in Array(connections.values) { disconnected(client) }
            return EventLoopFuture.andAllComplete(pendingDisconnects, on: loop)
        }.flatMap { [self] in
            EventLoopFuture.andAllComplete(pools.values.map { $0.stop() }, on: loop)
        }
    }
}

/// How an invocation ended, as API Gateway sees it.
enum GatewayOutcome: Sendable {
    case result(JSON)
    case error(HandlerError)
    case timedOut(seconds: Int)
    /// 29 seconds passed before the function answered.
    case integrationTimedOut
}

/// One client's connection.
final class ClientConnection: @unchecked Sendable {
    let info: APIGatewayEvent.Connection
    let channel: Channel
    var lastActiveAt: Int64
    var idleTimer: Scheduled<Void>?
    var lifetimeTimer: Scheduled<Void>?
    var closing = false
    var closeCode: Int?
    var closeReason: String?

    init(info: APIGatewayEvent.Connection, channel: Channel) {
        self.info = info
        self.channel = channel
        self.lastActiveAt = info.connectedAt
    }
}

/// The frames API Gateway itself sends a client.
enum GatewayFrame {
    /// `{"message": "Internal server error", "connectionId":"…", "requestId":"…"}`.
    static func error(_ message: String, connectionId: String, requestId: String) -> String {
        JSON.object([
            ("message", .string(message)),
            ("connectionId", .string(connectionId)),
            ("requestId", .string(requestId)),
        ]).text
    }
}

/// The query of a request target, decoded (`+` is a space, as in forms and API Gateway).
enum URLQuery {
    static func parse(_ uri: String) -> [(String, String)] {
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return [] }
        return parts[1].split(separator: "&").map { pair in
            let halves = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(halves[0], plus: true), halves.count > 1 ? decode(halves[1], plus: true) : "")
        }
    }

    /// Percent-decoding; invalid escapes are kept as written.
    static func decode(_ text: Substring, plus: Bool) -> String {
        var bytes: [UInt8] = []
        let source = Array(text.utf8)
        var index = 0
        while index < source.count {
            let byte = source[index]
            if byte == UInt8(ascii: "%"), index + 2 < source.count + 0, index + 2 <= source.count - 1,
               let high = hexValue(source[index + 1]), let low = hexValue(source[index + 2]) {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(plus && byte == UInt8(ascii: "+") ? 0x20 : byte)
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }
}
