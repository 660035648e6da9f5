import Dispatch
import Local
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// How one invocation ended.
enum InvocationOutcome: Sendable {
    /// The handler returned (its value, `null` for none).
    case result(JSON)
    /// The handler threw, or its worker could not load it, or the worker died.
    case error(HandlerError)
    /// The function's `Timeout` passed; the worker was stopped, as Lambda stops the sandbox.
    case timedOut(seconds: Int)
}

/// What a worker needs to start: the interpreter, the bootstrap, the environment.
struct WorkerLaunch: Sendable {
    let executable: String
    let bootstrap: String
    let environment: [String: String]
}

/// The warm workers of one function: one event at a time per worker, a new worker when
/// every one is busy (Lambda's concurrency, locally), new workers after the code changes.
///
/// Confined to the gateway's one event loop: every method runs there.
final class WorkerPool: @unchecked Sendable {
    let function: LocalFunction
    let launch: WorkerLaunch
    let loop: EventLoop
    let log: LogSink
    /// More simultaneous events than this wait for a free worker.
    let maximumWorkers: Int

    private var idle: [Worker] = []
    private var all: [ObjectIdentifier: Worker] = [:]
    private var waiting: [(WorkerRequest, EventLoopPromise<InvocationOutcome>)] = []
    private var generation = 0
    private var fingerprint: (newest: Int64, files: Int)
    private var stopping = false

    init(function: LocalFunction, launch: WorkerLaunch, loop: EventLoop, log: LogSink, maximumWorkers: Int = 16) {
        self.function = function
        self.launch = launch
        self.loop = loop
        self.log = log
        self.maximumWorkers = maximumWorkers
        self.fingerprint = LocalFileSystem.fingerprint(of: function.codeDirectory)
    }

    /// Runs `event` on a free worker; the future completes on the loop.
    func invoke(event: JSON) -> EventLoopFuture<InvocationOutcome> {
        loop.preconditionInEventLoop()
        let now = Clock.milliseconds()
        let request = WorkerRequest(
            requestId: Identifier.uuid(),
            event: JSONText(event.text),
            deadlineMs: now + Int64(function.timeout) * 1000,
            functionName: function.name,
            invokedFunctionArn: function.arn,
            memoryLimitInMB: function.memory,
            logGroupName: "/aws/lambda/\(function.name)",
            logStreamName: "local/[$LATEST]menort"
        )
        let promise = loop.makePromise(of: InvocationOutcome.self)
        if let worker = idle.popLast() {
            run(request, on: worker, promise)
        } else if all.count < maximumWorkers, !stopping {
            do {
                let worker = try startWorker()
                run(request, on: worker, promise)
            } catch {
                promise.succeed(.error(HandlerError(errorType: "Runtime.InvalidEntrypoint", errorMessage: "\(error)")))
            }
        } else {
            waiting.append((request, promise))
        }
        return promise.futureResult
    }

    /// Looks for edited code; when it changed, idle workers stop and busy ones stop after
    /// their event, so the next event loads the new code.
    func checkForChanges() {
        loop.preconditionInEventLoop()
        let now = LocalFileSystem.fingerprint(of: function.codeDirectory)
        guard now.newest != fingerprint.newest || now.files != fingerprint.files else { return }
        fingerprint = now
        generation += 1
        if !all.isEmpty { log.line("menort: \(function.id): code changed in \(function.codeDirectory); new workers from the next event") }
        for worker in idle { worker.stop() }
        idle.removeAll()
    }

    /// Stops every worker (stdin closed, killed if still there after `grace`).
    func stop(grace: TimeAmount = .seconds(1)) -> EventLoopFuture<Void> {
        loop.preconditionInEventLoop()
        stopping = true
        for (_, promise) in waiting { promise.succeed(.error(HandlerError(errorType: "Runtime.ExitError", errorMessage: "menort local is stopping"))) }
        waiting.removeAll()
        let exits = all.values.map { worker -> EventLoopFuture<Void> in
            worker.stop(grace: grace)
            return worker.exited
        }
        return EventLoopFuture.andAllComplete(exits, on: loop)
    }

    private func startWorker() throws -> Worker {
        var environment = launch.environment
        environment[WorkerProtocol.Variable.resultDescriptor] = String(WorkerProtocol.resultDescriptor)
        let process = try SpawnedProcess.start(executable: launch.executable, arguments: [launch.bootstrap], environment: environment)
        let worker = Worker(process: process, generation: generation, pool: self)
        all[ObjectIdentifier(worker)] = worker
        worker.attach()
        return worker
    }

    private func run(_ request: WorkerRequest, on worker: Worker, _ promise: EventLoopPromise<InvocationOutcome>) {
        let started = Clock.nanoseconds()
        log.line("START RequestId: \(request.requestId) Version: $LATEST", function: function.id)
        worker.send(request, timeout: .seconds(Int64(function.timeout))).whenComplete { [self] result in
            let outcome: InvocationOutcome
            switch result {
            case .success(let value): outcome = value
            case .failure(let error): outcome = .error(HandlerError(errorType: "Runtime.ExitError", errorMessage: "\(error)"))
            }
            let duration = Double(Clock.nanoseconds() - started) / 1_000_000
            if case .timedOut(let seconds) = outcome {
                log.line("\(AWSTime.now()) \(request.requestId) Task timed out after \(seconds).00 seconds", function: function.id, always: true)
            }
            log.line("END RequestId: \(request.requestId)", function: function.id)
            log.line("REPORT RequestId: \(request.requestId)\tDuration: \(Clock.format(duration)) ms\tBilled Duration: \(Int(duration.rounded(.up))) ms\tMemory Size: \(function.memory) MB", function: function.id)
            promise.succeed(outcome)
            release(worker)
        }
    }

    /// A worker's event is done: give it the next waiting event, or keep it warm.
    private func release(_ worker: Worker) {
        guard worker.isAlive, worker.generation == generation, !stopping else {
            worker.stop()
            if let (request, promise) = waiting.first, let fresh = try? startWorker() {
                waiting.removeFirst()
                run(request, on: fresh, promise)
            }
            return
        }
        if let (request, promise) = waiting.first {
            waiting.removeFirst()
            run(request, on: worker, promise)
        } else {
            idle.append(worker)
        }
    }

    /// The worker's process ended.
    fileprivate func forget(_ worker: Worker) {
        all[ObjectIdentifier(worker)] = nil
        idle.removeAll { $0 === worker }
    }
}

/// One worker process with its two channels: requests out and replies in over the
/// protocol pipes, and the handler's output in (logged line by line).
final class Worker: @unchecked Sendable {
    let process: SpawnedProcess
    let generation: Int
    unowned let pool: WorkerPool
    private var protocolChannel: Channel?
    private var pending: (id: String, promise: EventLoopPromise<InvocationOutcome>, timer: Scheduled<Void>)?
    private var outbox: [WorkerRequest] = []
    private(set) var isAlive = true
    private let exitPromise: EventLoopPromise<Void>
    var exited: EventLoopFuture<Void> { exitPromise.futureResult }

    init(process: SpawnedProcess, generation: Int, pool: WorkerPool) {
        self.process = process
        self.generation = generation
        self.pool = pool
        self.exitPromise = pool.loop.makePromise()
    }

    /// Connects the pipes to the event loop.
    func attach() {
        let loop = pool.loop
        let function = pool.function.id
        let log = pool.log
        NIOPipeBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineDecoder()))
                    try channel.pipeline.syncOperations.addHandler(ReplyHandler(worker: self))
                }
            }
            .takingOwnershipOfDescriptors(input: process.replies, output: process.stdin)
            .whenComplete { [self] result in
                switch result {
                case .success(let channel):
                    protocolChannel = channel
                    for request in outbox { write(request) }
                    outbox.removeAll()
                case .failure(let error):
                    ended("cannot read the worker's replies: \(error)")
                }
            }
        NIOPipeBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineDecoder()))
                    try channel.pipeline.syncOperations.addHandler(LogHandler(function: function, log: log))
                }
            }
            .takingOwnershipOfDescriptor(input: process.output)
            .whenFailure { _ in close(self.process.output) }
    }

    /// Sends one request; the future completes with its reply, or with `.timedOut` when the
    /// function's timeout passes first (the worker is then killed).
    func send(_ request: WorkerRequest, timeout: TimeAmount) -> EventLoopFuture<InvocationOutcome> {
        let promise = pool.loop.makePromise(of: InvocationOutcome.self)
        guard isAlive else {
            promise.succeed(.error(HandlerError(errorType: "Runtime.ExitError", errorMessage: "the worker has exited")))
            return promise.futureResult
        }
        let seconds = Int(timeout.nanoseconds / 1_000_000_000)
        let timer = pool.loop.scheduleTask(in: timeout) { [self] in
            guard let pending, pending.id == request.requestId else { return }
            self.pending = nil
            pending.promise.succeed(.timedOut(seconds: seconds))
            stop(grace: .zero)
        }
        pending = (request.requestId, promise, timer)
        if protocolChannel != nil { write(request) } else { outbox.append(request) }
        return promise.futureResult
    }

    private func write(_ request: WorkerRequest) {
        guard let channel = protocolChannel else { return }
        var buffer = channel.allocator.buffer(capacity: request.event.text.utf8.count + 256)
        buffer.writeString(request.line)
        buffer.writeInteger(UInt8(ascii: "\n"))
        channel.writeAndFlush(buffer, promise: nil)
    }

    /// A reply line arrived.
    fileprivate func received(_ line: String) {
        guard let pending else { return }
        let reply: WorkerReply
        do {
            reply = try WorkerReply(line: line)
        } catch {
            // Only something writing to descriptor 3 besides the bootstrap does this: the
            // worker's state is unknown, so the event fails and the worker is replaced.
            pool.log.line("menort: \(pool.function.id): the worker wrote a reply menort cannot read (\(error)): \(line.prefix(200))", always: true)
            self.pending = nil
            pending.timer.cancel()
            pending.promise.succeed(.error(HandlerError(errorType: "Runtime.InvalidResponse", errorMessage: "the worker's reply could not be read: \(error)")))
            stop(grace: .zero)
            return
        }
        guard reply.requestId == pending.id else { return }
        self.pending = nil
        pending.timer.cancel()
        if let error = reply.error {
            pending.promise.succeed(.error(error))
        } else {
            pending.promise.succeed(.result(reply.result ?? .null))
        }
    }

    /// The reply pipe closed: the process is gone or going.
    fileprivate func ended(_ reason: String) {
        guard isAlive else { return }
        isAlive = false
        if let pending {
            self.pending = nil
            pending.timer.cancel()
            pending.promise.succeed(.error(HandlerError(errorType: "Runtime.ExitError", errorMessage: "the worker exited before answering (\(reason))")))
        }
        pool.forget(self)
        let process = process
        let exitPromise = exitPromise
        // waitpid blocks: reap on another thread so the process does not linger as a zombie.
        DispatchQueue.global().async {
            _ = process.wait()
            exitPromise.succeed(())
        }
    }

    /// Ends the worker: stdin closed (the bootstrap exits at end of input), killed after `grace`.
    func stop(grace: TimeAmount = .seconds(1)) {
        if grace == .zero {
            process.kill()
        } else {
            protocolChannel?.close(mode: .output, promise: nil)
            let process = process
            pool.loop.scheduleTask(in: grace) { [self] in
                if isAlive { process.kill() }
            }
        }
    }
}

/// Splits a byte stream into lines (without the newline).
struct LineDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else { return .needMoreData }
        let length = newline - buffer.readerIndex
        let line = buffer.readSlice(length: length)!
        buffer.moveReaderIndex(forwardBy: 1)
        context.fireChannelRead(Self.wrapInboundOut(line))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        if try decode(context: context, buffer: &buffer) == .continue { return .continue }
        if buffer.readableBytes > 0, let rest = buffer.readSlice(length: buffer.readableBytes) {
            context.fireChannelRead(Self.wrapInboundOut(rest))
        }
        return .needMoreData
    }
}

/// Reads reply lines for a worker and tells it when the pipe closes.
final class ReplyHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let worker: Worker

    init(worker: Worker) { self.worker = worker }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = Self.unwrapInboundIn(data)
        worker.received(String(buffer: buffer))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event {
            worker.ended("its reply pipe closed")
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        worker.ended("its reply pipe closed")
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        worker.ended("\(error)")
        context.close(promise: nil)
    }
}

/// Writes a function's output lines to menort's stderr, prefixed with the function.
final class LogHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let function: String
    let log: LogSink

    init(function: String, log: LogSink) {
        self.function = function
        self.log = log
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = Self.unwrapInboundIn(data)
        log.line(String(buffer: buffer), function: function, always: true)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
