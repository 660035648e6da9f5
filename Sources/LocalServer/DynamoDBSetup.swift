import Local
import NIOCore
import NIOHTTP1
import NIOPosix

/// Creates the template's tables in a local DynamoDB (DynamoDB Local, moto's server) when
/// they are missing: `DescribeTable`, then `CreateTable` and `UpdateTimeToLive`.
///
/// A minimal HTTP/1.1 client on NIO rather than an SDK: three JSON calls do not justify a
/// dependency, and local endpoints do not verify signatures, so requests carry a
/// well-formed `Authorization` header with the caller's access key and an unchecked signature.
struct DynamoDBSetup {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let endpoint: Endpoint
    let region: String
    let accessKey: String
    let group: EventLoopGroup
    let log: LogSink

    /// `http://host:port` split up.
    struct Endpoint: Sendable {
        let host: String
        let port: Int

        init(parsing url: String) throws(Failure) {
            guard url.hasPrefix("http://") else {
                throw Failure(description: "--dynamodb-endpoint must be an http:// URL (DynamoDB Local and moto serve plain HTTP), not \(url)")
            }
            var rest = url.dropFirst("http://".count)
            if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
            let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2, let host = parts.first, !host.isEmpty else {
                throw Failure(description: "cannot read the host of --dynamodb-endpoint \(url)")
            }
            self.host = String(host)
            if parts.count == 2 {
                guard let port = Int(parts[1]), (1...65535).contains(port) else {
                    throw Failure(description: "cannot read the port of --dynamodb-endpoint \(url)")
                }
                self.port = port
            } else {
                self.port = 80
            }
        }
    }

    /// Makes every table exist; says on the log what it created.
    func ensure(_ tables: [LocalTable]) throws(Failure) {
        for table in tables {
            let described = try call("DescribeTable", .object([("TableName", .string(table.name))]))
            if described.status == 200 {
                log.line("menort: table \(table.name) (\(table.id)) exists at \(endpoint.host):\(endpoint.port)")
                continue
            }
            guard described.body["__type"]?.stringValue?.hasSuffix("ResourceNotFoundException") == true else {
                throw Failure(description: "DescribeTable \(table.name) answered \(described.status): \(described.body.text)")
            }
            let created = try call("CreateTable", table.createRequest)
            guard created.status == 200 else {
                throw Failure(description: "CreateTable \(table.name) (\(table.id)) answered \(created.status): \(created.body.text)")
            }
            if let attribute = table.timeToLiveAttribute {
                let ttl = try call("UpdateTimeToLive", .object([
                    ("TableName", .string(table.name)),
                    ("TimeToLiveSpecification", .object([("Enabled", .bool(true)), ("AttributeName", .string(attribute))])),
                ]))
                guard ttl.status == 200 else {
                    throw Failure(description: "UpdateTimeToLive \(table.name) answered \(ttl.status): \(ttl.body.text)")
                }
            }
            log.line("menort: created table \(table.name) (\(table.id)) at \(endpoint.host):\(endpoint.port)")
        }
    }

    /// One DynamoDB JSON call; blocks the calling thread (never the event loop).
    func call(_ operation: String, _ body: JSON) throws(Failure) -> (status: Int, body: JSON) {
        let text = body.text
        let date = AmazonDate.now()
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "\(endpoint.host):\(endpoint.port)")
        headers.add(name: "Content-Type", value: "application/x-amz-json-1.0")
        headers.add(name: "X-Amz-Target", value: "DynamoDB_20120810.\(operation)")
        headers.add(name: "X-Amz-Date", value: date.stamp)
        headers.add(name: "Authorization", value: "AWS4-HMAC-SHA256 Credential=\(accessKey)/\(date.day)/\(region)/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=\(String(repeating: "0", count: 64))")
        headers.add(name: "Content-Length", value: String(text.utf8.count))
        headers.add(name: "Connection", value: "close")
        let promise = group.next().makePromise(of: (Int, [UInt8]).self)
        let connected = ClientBootstrap(group: group)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ResponseCollector(promise: promise))
                }
            }
            .connect(host: endpoint.host, port: endpoint.port)
        let channel: Channel
        do {
            channel = try connected.wait()
        } catch {
            throw Failure(description: "cannot reach DynamoDB at http://\(endpoint.host):\(endpoint.port): \(error)")
        }
        var buffer = channel.allocator.buffer(capacity: text.utf8.count)
        buffer.writeString(text)
        channel.write(HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/", headers: headers)), promise: nil)
        channel.write(HTTPClientRequestPart.body(.byteBuffer(buffer)), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        let timeout = channel.eventLoop.scheduleTask(in: .seconds(15)) {
            promise.fail(Failure(description: "DynamoDB at http://\(endpoint.host):\(endpoint.port) did not answer \(operation) within 15 s"))
        }
        defer {
            timeout.cancel()
            channel.close(promise: nil)
        }
        do {
            let (status, bytes) = try promise.futureResult.wait()
            let json = (try? JSON.parse(bytes: bytes)) ?? .string(String(decoding: bytes, as: UTF8.self))
            return (status, json)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "DynamoDB at http://\(endpoint.host):\(endpoint.port) failed on \(operation): \(error)")
        }
    }
}

/// Gathers one HTTP response.
final class ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    let promise: EventLoopPromise<(Int, [UInt8])>
    private var status = 0
    private var body: [UInt8] = []

    init(promise: EventLoopPromise<(Int, [UInt8])>) { self.promise = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head): status = Int(head.status.code)
        case .body(let buffer): body += buffer.readableBytesView
        case .end: promise.succeed((status, body))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(ChannelError.eof)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        promise.fail(error)
        context.close(promise: nil)
    }
}

/// SigV4's two date forms.
enum AmazonDate {
    static func now() -> (stamp: String, day: String) {
        let iso = APIGatewayEvent.isoTime(epochMilliseconds: Clock.milliseconds())
        // 2026-11-29T12:00:00.000Z → 20261129T120000Z
        let digits = iso.prefix(19).filter { $0 != "-" && $0 != ":" }
        return (digits + "Z", String(digits.prefix(8)))
    }
}
