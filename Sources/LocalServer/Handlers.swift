import Local
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// Frames of one connection: joins fragments into messages, enforces the 128 KB message
/// limit (the 32 KB frame limit is the decoder's), answers pings and close frames.
final class WebSocketHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    let gateway: Gateway
    let client: ClientConnection
    private var message: [UInt8] = []
    private var messageIsBinary = false
    private var inMessage = false

    init(gateway: Gateway, client: ClientConnection) {
        self.gateway = gateway
        self.client = client
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = Self.unwrapInboundIn(data)
        switch frame.opcode {
        case .text, .binary, .continuation:
            if frame.opcode != .continuation {
                guard !inMessage else { return gateway.close(client, code: .protocolError, reason: "Protocol error") }
                inMessage = true
                messageIsBinary = frame.opcode == .binary
                message.removeAll(keepingCapacity: true)
            } else if !inMessage {
                return gateway.close(client, code: .protocolError, reason: "Protocol error")
            }
            let data = frame.unmaskedData
            guard message.count + data.readableBytes <= gateway.limits.messageBytes else {
                inMessage = false
                message.removeAll()
                gateway.log.line("menort: \(client.info.id): message over \(gateway.limits.messageBytes / 1024) KB, closed with 1009 as API Gateway does")
                return gateway.close(client, code: .messageTooLarge, reason: "Message too big")
            }
            message += data.readableBytesView
            if frame.fin {
                inMessage = false
                let payload = message
                message.removeAll(keepingCapacity: true)
                gateway.received(payload, isBinary: messageIsBinary, from: client)
            } else {
                gateway.touched(client)
            }
        case .ping:
            gateway.touched(client)
            let pong = WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)
            context.writeAndFlush(Self.wrapOutboundOut(pong), promise: nil)
        case .pong:
            gateway.touched(client)
        case .connectionClose:
            var data = frame.unmaskedData
            if !client.closing {
                client.closing = true
                if let code = data.readWebSocketErrorCode() {
                    client.closeCode = Int(UInt16(webSocketErrorCode: code))
                    client.closeReason = data.readString(length: data.readableBytes) ?? ""
                } else {
                    // No status in the client's close frame: API Gateway's words for it.
                    client.closeCode = 1005
                    client.closeReason = "Client-side close frame status not set"
                }
                var echo = context.channel.allocator.buffer(capacity: 2)
                echo.write(webSocketErrorCode: WebSocketErrorCode(codeNumber: client.closeCode ?? 1000))
                let reply = WebSocketFrame(fin: true, opcode: .connectionClose, data: echo)
                let channel = context.channel
                context.writeAndFlush(Self.wrapOutboundOut(reply)).whenComplete { _ in channel.close(promise: nil) }
            } else {
                context.close(promise: nil)
            }
        default:
            break
        }
    }

    /// A frame the decoder refused. The upgrader's automatic error handling is off so the
    /// close code is recorded before the channel closes: `$disconnect` then reports 1009
    /// for an oversized frame, as API Gateway does, not 1006.
    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let error = error as? NIOWebSocketError, case .invalidFrameLength = error {
            gateway.log.line("menort: \(client.info.id): frame over \(gateway.limits.frameBytes / 1024) KB, closed with 1009 as API Gateway does")
            gateway.close(client, code: .messageTooLarge, reason: "Message too big")
        } else {
            gateway.close(client, code: .protocolError, reason: "Protocol error")
        }
    }
}

/// Plain HTTP on the gateway's port: the Management API (`/{stage}/@connections/{id}`),
/// refused handshakes (with the status `$connect` chose), and 403 for anything else, as
/// API Gateway answers paths it does not serve.
final class HTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// The handler's name in the pipeline (removed by it after an upgrade).
    static let name = "menort-http"

    let gateway: Gateway
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var tooLarge = false

    init(gateway: Gateway) { self.gateway = gateway }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.removeAll(keepingCapacity: true)
            tooLarge = false
        case .body(let buffer):
            if body.count + buffer.readableBytes > gateway.limits.messageBytes {
                tooLarge = true
            } else {
                body += buffer.readableBytesView
            }
        case .end:
            guard let head else { return }
            self.head = nil
            respond(context: context, head: head)
        }
    }

    private func respond(context: ChannelHandlerContext, head: HTTPRequestHead) {
        if let status = gateway.refusals.removeValue(forKey: ObjectIdentifier(context.channel)) {
            // A refused handshake: the status $connect chose, and the connection closes.
            let text = status == .forbidden ? #"{"message":"Forbidden"}"# : #"{"message":"\#(status.reasonPhrase)"}"#
            return write(context: context, head: head, status: status, body: text, close: true)
        }
        let answer = ManagementAPI.answer(gateway: gateway, method: head.method, uri: head.uri, body: body, tooLarge: tooLarge)
        write(context: context, head: head, status: answer.status, body: answer.body, errorType: answer.errorType, close: !head.isKeepAlive)
    }

    private func write(context: ChannelHandlerContext, head: HTTPRequestHead, status: HTTPResponseStatus, body: String?, errorType: String? = nil, close: Bool) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "x-amzn-RequestId", value: Identifier.uuid())
        if let errorType { headers.add(name: "x-amzn-ErrorType", value: errorType) }
        let bytes = body.map { Array($0.utf8) } ?? []
        headers.add(name: "Content-Length", value: String(bytes.count))
        if close { headers.add(name: "Connection", value: "close") }
        let response = HTTPResponseHead(version: head.version, status: status, headers: headers)
        context.write(Self.wrapOutboundOut(.head(response)), promise: nil)
        if !bytes.isEmpty {
            var buffer = context.channel.allocator.buffer(capacity: bytes.count)
            buffer.writeBytes(bytes)
            context.write(Self.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        let done = context.writeAndFlush(Self.wrapOutboundOut(.end(nil)))
        if close {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        gateway.refusals.removeValue(forKey: ObjectIdentifier(context.channel))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A refused handshake reaches here as an error first, then as the request itself,
        // which is answered with $connect's status: keep the connection for that.
        if error is NIOWebSocketUpgradeError { return }
        context.close(promise: nil)
    }
}

/// The API Gateway Management API (`apigatewaymanagementapi`, REST-JSON) for this stage:
/// `POST` posts to a connection, `GET` describes it, `DELETE` closes it. Signatures are
/// accepted unverified: the endpoint is local. Errors carry `x-amzn-ErrorType`, which
/// botocore and the JavaScript SDK map to exception names (`GoneException` for 410).
enum ManagementAPI {
    struct Answer {
        var status: HTTPResponseStatus
        var body: String?
        var errorType: String?
    }

    static func answer(gateway: Gateway, method: HTTPMethod, uri: String, body: [UInt8], tooLarge: Bool) -> Answer {
        let path = String(uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0])
        let prefix = "/\(gateway.plan.stage)/@connections/"
        guard path.hasPrefix(prefix), path.count > prefix.count else {
            return Answer(status: .forbidden, body: #"{"message":"Forbidden"}"#, errorType: "ForbiddenException")
        }
        let id = URLQuery.decode(path.dropFirst(prefix.count), plus: false)
        guard let client = gateway.connections[id], !client.closing else {
            gateway.log.line("menort: \(method) @connections/\(id): gone (410)")
            return Answer(status: .gone, body: "{}", errorType: "GoneException")
        }
        switch method {
        case .POST:
            guard !tooLarge else {
                return Answer(status: .payloadTooLarge, body: #"{"message":"Request entity too large"}"#, errorType: "PayloadTooLargeException")
            }
            // API Gateway delivers posted data as a text frame when it is UTF-8.
            let isText = String(validating: body, as: UTF8.self) != nil
            gateway.send(body, binary: !isText, to: client)
            return Answer(status: .ok, body: nil)
        case .GET:
            let identity: [(String, JSON)] = [("sourceIp", .string(client.info.sourceIp))]
                + (client.info.userAgent.map { [("userAgent", JSON.string($0))] } ?? [])
            let json = JSON.object([
                ("connectedAt", .string(APIGatewayEvent.isoTime(epochMilliseconds: client.info.connectedAt))),
                ("identity", .object(identity)),
                ("lastActiveAt", .string(APIGatewayEvent.isoTime(epochMilliseconds: client.lastActiveAt))),
            ])
            return Answer(status: .ok, body: json.text)
        case .DELETE:
            gateway.close(client, code: .normalClosure, reason: "")
            return Answer(status: .noContent, body: nil)
        default:
            return Answer(status: .forbidden, body: #"{"message":"Forbidden"}"#, errorType: "ForbiddenException")
        }
    }
}
