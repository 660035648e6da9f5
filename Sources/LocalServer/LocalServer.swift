import Dispatch
import Local
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// How `menort local` serves: where, with which limits, for which environment.
public struct LocalOptions: Sendable {
    public var host = "127.0.0.1"
    public var port = 3001
    public var region = "us-east-1"
    /// `--dynamodb-endpoint`: handlers' `AWS_ENDPOINT_URL_DYNAMODB`, and where tables are created.
    public var dynamoDBEndpoint: String?
    public var limits = GatewayLimits()
    /// menort's own environment (for `PATH` and the `AWS_*` variables handlers inherit).
    public var environment: [String: String] = [:]
    /// Whether connection and invocation lines are logged (benchmarks turn them off).
    public var logging = true

    public init() {}
}

/// Why `menort local` cannot start (exit 2), in one line.
public struct LocalServerFailure: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A gateway bound to its port, not yet serving: the port is known (also for `--port 0`)
/// before the plan, whose management endpoint values must name it, is read.
public final class BoundServer: @unchecked Sendable {
    let group: MultiThreadedEventLoopGroup
    let channel: Channel
    let options: LocalOptions
    /// Set once `serve` has the plan; handshakes before that are refused.
    let gatewayBox: NIOLoopBoundBox<Gateway?>
    public let port: Int

    /// `host:port` as clients reach it.
    public var authority: String { "\(options.host.contains(":") ? "[\(options.host)]" : options.host):\(port)" }

    /// Binds `options.host:options.port`.
    public static func bind(_ options: LocalOptions) throws(LocalServerFailure) -> BoundServer {
        DescriptorLimit.raise()
        // One thread: every piece of state lives on its loop (see `Gateway`).
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let box = NIOLoopBoundBox<Gateway?>.makeEmptyBox(eventLoop: loop)
        let limits = options.limits
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrader = NIOWebSocketServerUpgrader(
                        maxFrameSize: limits.frameBytes,
                        automaticErrorHandling: false,
                        shouldUpgrade: { channel, head in
                            guard let gateway = box.value else { return channel.eventLoop.makeSucceededFuture(nil) }
                            return gateway.shouldUpgrade(channel: channel, head: head)
                        },
                        upgradePipelineHandler: { channel, head in
                            guard let gateway = box.value else { return channel.close() }
                            return gateway.upgraded(channel: channel, head: head)
                        }
                    )
                    guard let gateway = box.value else {
                        channel.close(promise: nil)
                        return
                    }
                    let http = HTTPHandler(gateway: gateway)
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withServerUpgrade: (upgraders: [upgrader], completionHandler: { context in
                            // The WebSocket handler takes over the connection.
                            context.pipeline.removeHandler(name: HTTPHandler.name, promise: nil)
                        })
                    )
                    try channel.pipeline.syncOperations.addHandler(http, name: HTTPHandler.name)
                }
            }
        let channel: Channel
        do {
            channel = try bootstrap.bind(host: options.host, port: options.port).wait()
        } catch {
            try? group.syncShutdownGracefully()
            let reason = "\(error)".contains("Address already in use") ? "the port is in use (choose another with --port)" : "\(error)"
            throw LocalServerFailure("cannot listen on \(options.host):\(options.port): \(reason)")
        }
        return BoundServer(group: group, channel: channel, options: options, box: box)
    }

    private init(group: MultiThreadedEventLoopGroup, channel: Channel, options: LocalOptions, box: NIOLoopBoundBox<Gateway?>) {
        self.group = group
        self.channel = channel
        self.options = options
        self.gatewayBox = box
        self.port = channel.localAddress?.port ?? options.port
    }

    /// Checks the interpreters, creates tables, starts serving `plan`, calls `listening` with
    /// the client URL, and returns when SIGINT or SIGTERM has stopped everything.
    public func serve(_ plan: LocalPlan, listening: (String) -> Void) throws(LocalServerFailure) {
        let log = LogSink(enabled: options.logging)
        defer { try? group.syncShutdownGracefully() }
        let launches = try Launches.prepare(plan, options: options, log: log)
        defer { launches.remove() }
        if let endpoint = options.dynamoDBEndpoint, !plan.tables.isEmpty {
            do {
                let setup = DynamoDBSetup(endpoint: try .init(parsing: endpoint), region: options.region, accessKey: launches.accessKey, group: group, log: log)
                try setup.ensure(plan.tables)
            } catch {
                channel.close(promise: nil)
                throw LocalServerFailure(error.description)
            }
        }
        for note in plan.notes { log.line("menort: note: \(note)", always: true) }
        let loop = channel.eventLoop
        let authority = authority
        let options = options
        let box = gatewayBox
        let gateway = try? loop.submit {
            var pools: [String: WorkerPool] = [:]
            for (id, function) in plan.functions {
                pools[id] = WorkerPool(function: function, launch: launches.byFunction[id]!, loop: loop, log: log)
            }
            let gateway = Gateway(plan: plan, limits: options.limits, loop: loop, log: log, authority: authority, port: self.port, pools: pools)
            box.value = gateway
            let all = pools
            // Edited code is picked up: a cheap walk of each code folder every second.
            loop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in
                for pool in all.values { pool.checkForChanges() }
            }
            return gateway
        }.wait()
        guard let gateway else { throw LocalServerFailure("cannot start the gateway") }

        let stopped = loop.makePromise(of: Void.self)
        let signals = SignalWatch(signals: [SIGINT, SIGTERM]) { count in
            if count > 1 {
                // A second Ctrl-C: do not wait for $disconnect handlers.
                loop.execute { for pool in gateway.pools.values { _ = pool.stop(grace: .zero) } }
                stopped.succeed(())
                return
            }
            loop.execute {
                log.line("menort: stopping: closing \(gateway.connections.count) connection(s), running $disconnect")
                gateway.shutdown().whenComplete { _ in stopped.succeed(()) }
            }
        }
        let host = options.host.contains(":") ? "[\(options.host)]" : options.host
        listening("ws://\(host):\(port)/\(plan.stage)")
        try? stopped.futureResult.wait()
        signals.cancel()
        try? channel.close().wait()
    }
}

/// Interpreters, bootstraps and environments for every function, decided before listening.
struct Launches {
    var byFunction: [String: WorkerLaunch] = [:]
    var accessKey = "menortlocal"
    /// Where the bootstraps were written (a temporary folder).
    var folder = ""

    static func prepare(_ plan: LocalPlan, options: LocalOptions, log: LogSink) throws(LocalServerFailure) -> Launches {
        var launches = Launches()
        var template = Array("/tmp/menort-local-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw LocalServerFailure("cannot create a folder for the bootstraps in /tmp") }
        launches.folder = String(cString: made)
        do {
            try launches.fill(plan, options: options, log: log)
        } catch {
            // Nothing half-made is left behind.
            launches.remove()
            throw error
        }
        return launches
    }

    private mutating func fill(_ plan: LocalPlan, options: LocalOptions, log: LogSink) throws(LocalServerFailure) {
        let path = options.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        let node = folder + "/bootstrap.mjs"
        let python = folder + "/bootstrap.py"
        try Launches.write(Bootstrap.node, to: node)
        try Launches.write(Bootstrap.python, to: python)

        // The AWS_* settings of menort's own environment (credentials, profile, endpoints),
        // and dummy credentials when there are none, so the SDKs can sign requests.
        var inherited: [String: String] = [:]
        for (key, value) in options.environment where key.hasPrefix("AWS_") { inherited[key] = value }
        if inherited["AWS_ACCESS_KEY_ID"] == nil {
            inherited["AWS_ACCESS_KEY_ID"] = "menortlocal"
            inherited["AWS_SECRET_ACCESS_KEY"] = "menortlocal"
        }
        accessKey = inherited["AWS_ACCESS_KEY_ID"] ?? "menortlocal"

        var checked: [String: String] = [:]
        for function in plan.functions.values.sorted(by: { $0.id < $1.id }) {
            let executable: String
            switch function.runtime {
            case .node:
                guard let found = LocalFileSystem.executable(named: "node", path: path) else {
                    throw LocalServerFailure("\(function.id) runs on \(function.runtimeName), but there is no node on PATH: install Node.js")
                }
                executable = found
            case .python:
                let versioned = function.runtimeName  // python3.11
                if let found = LocalFileSystem.executable(named: versioned, path: path) {
                    executable = found
                } else if let found = LocalFileSystem.executable(named: "python3", path: path) {
                    executable = found
                } else {
                    throw LocalServerFailure("\(function.id) runs on \(function.runtimeName), but there is no \(versioned) or python3 on PATH: install Python 3")
                }
            }
            if checked[executable + function.runtimeName] == nil {
                let version = InterpreterVersion.of(executable) ?? "unknown"
                checked[executable + function.runtimeName] = version
                if let warning = InterpreterVersion.mismatch(runtime: function.runtimeName, version: version, executable: executable) {
                    log.line("menort: warning: \(function.id): \(warning)", always: true)
                }
            }
            var environment: [String: String] = [
                "PATH": path,
                "LANG": "en_US.UTF-8",
                "TZ": ":UTC",
            ]
            environment.merge(inherited) { _, new in new }
            let lambda: [String: String] = [
                "AWS_REGION": options.region,
                "AWS_DEFAULT_REGION": options.region,
                "AWS_LAMBDA_FUNCTION_NAME": function.name,
                "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": String(function.memory),
                "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/\(function.name)",
                "AWS_LAMBDA_LOG_STREAM_NAME": "local/[$LATEST]menort",
                "AWS_EXECUTION_ENV": "AWS_Lambda_\(function.runtimeName)",
                "LAMBDA_TASK_ROOT": function.codeDirectory,
                "LAMBDA_RUNTIME_DIR": folder,
                "_HANDLER": function.handler,
            ]
            environment.merge(lambda) { _, new in new }
            for (key, value) in function.environment { environment[key] = value }
            if let endpoint = options.dynamoDBEndpoint { environment["AWS_ENDPOINT_URL_DYNAMODB"] = endpoint }
            environment[WorkerProtocol.Variable.handler] = function.handler
            environment[WorkerProtocol.Variable.codeDirectory] = function.codeDirectory
            byFunction[function.id] = WorkerLaunch(
                executable: executable,
                bootstrap: function.runtime == .node ? node : python,
                environment: environment
            )
        }
    }

    /// Deletes the bootstraps' folder.
    func remove() {
        guard !folder.isEmpty else { return }
        unlink(folder + "/bootstrap.mjs")
        unlink(folder + "/bootstrap.py")
        rmdir(folder)
    }

    private static func write(_ text: String, to path: String) throws(LocalServerFailure) {
        guard let file = fopen(path, "w") else { throw LocalServerFailure("cannot write \(path)") }
        defer { fclose(file) }
        let bytes = Array(text.utf8)
        guard fwrite(bytes, 1, bytes.count, file) == bytes.count else { throw LocalServerFailure("cannot write \(path)") }
    }
}

/// The interpreter's version against the template's `Runtime`.
enum InterpreterVersion {
    /// `node --version` / `python3 --version`, trimmed (`v20.20.2`, `Python 3.11.7`).
    static func of(_ executable: String) -> String? {
        guard let process = try? SpawnedProcess.start(executable: executable, arguments: ["--version"], environment: [:]) else { return nil }
        close(process.stdin)
        close(process.replies)
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let count = read(process.output, &buffer, buffer.count)
            if count > 0 { output += buffer[0..<count] } else if count < 0, errno == EINTR { continue } else { break }
        }
        close(process.output)
        _ = process.wait()
        let text = String(decoding: output, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init)
        return text
    }

    /// A one-line warning when `version` is not the runtime's language version.
    static func mismatch(runtime: String, version: String, executable: String) -> String? {
        if runtime.hasPrefix("nodejs") {
            let wanted = runtime.dropFirst("nodejs".count).split(separator: ".").first.map(String.init) ?? ""
            let have = version.dropFirst(version.hasPrefix("v") ? 1 : 0).split(separator: ".").first.map(String.init) ?? ""
            guard wanted != have, wanted != "" else { return nil }
            return "the template's Runtime is \(runtime); \(executable) is Node.js \(version): what differs between them is not tried locally"
        }
        if runtime.hasPrefix("python") {
            let wanted = String(runtime.dropFirst("python".count))
            let have = version.split(separator: " ").last.map { $0.split(separator: ".").prefix(2).joined(separator: ".") } ?? ""
            guard wanted != have else { return nil }
            return "the template's Runtime is \(runtime); \(executable) is \(version): what differs between them is not tried locally"
        }
        return nil
    }
}

/// The soft limit on open descriptors, raised to the hard one before listening: every client
/// is a descriptor and every worker three, so a shell's usual soft limit of 1024 let 1,000
/// clients in (1,014 descriptors) and then refused the next worker ("Too many open files")
/// and the next few clients (BENCHMARKS.md, "menort local"). Workers inherit it.
enum DescriptorLimit {
    static func raise() {
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(resource, &limit)  // a hard limit the kernel refuses (RLIM_INFINITY): keep the soft one
    }
}

/// SIGINT and SIGTERM, counted, delivered on a Dispatch queue (menort takes them over so
/// it can run `$disconnect` handlers before stopping).
final class SignalWatch: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private var count = 0
    private let queue = DispatchQueue(label: "menort.local.signals")

    init(signals: [Int32], handler: @escaping @Sendable (Int) -> Void) {
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [unowned self] in
                count += 1
                handler(count)
            }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}
