import Foundation
import Local
import Testing

/// A runtime the bootstraps run on, found on PATH (tests of a missing one are skipped).
private enum Interpreter: String {
    case node
    case python3

    /// The interpreter to exec, or nil when it is not installed.
    var executable: String? {
        switch self {
        case .node: Interpreter.nodeExecutable
        case .python3: Interpreter.pythonExecutable
        }
    }

    var isInstalled: Bool { executable != nil }

    private static func onPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private static let nodeExecutable = onPath("node")

    /// python3's own binary: on PATH there may be a shim (pyenv's is a shell script that
    /// costs 200 ms a start), so ask python3 once where it really is.
    private static let pythonExecutable: String? = {
        guard let shim = onPath("python3") else { return nil }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: shim)
        probe.arguments = ["-c", "import sys; print(sys.executable)"]
        let output = Pipe()
        probe.standardOutput = output
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return nil }
        let path = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        probe.waitUntilExit()
        return probe.terminationStatus == 0 && !path.isEmpty ? path : shim
    }()

    var bootstrap: (name: String, source: String) {
        switch self {
        case .node: ("bootstrap.mjs", Bootstrap.node)
        case .python3: ("bootstrap.py", Bootstrap.python)
        }
    }
}

/// One bootstrap process on a handler written to a temporary code folder, spoken to as menort
/// does: `sh -c 'exec node bootstrap.mjs 3>&1 1>&2'` makes descriptor 3 (replies) the pipe read
/// as stdout, and sends the handler's stdout and stderr to the log pipe.
private final class BootstrapProcess: @unchecked Sendable {
    let folder: URL
    let code: URL
    private let process = Process()
    private let requests = Pipe()
    private let replies = Pipe()
    private let logPipe = Pipe()
    private var pending = Data()
    private let lock = NSLock()
    private var logData = Data()
    private let logClosed = DispatchSemaphore(value: 0)
    /// The handler's stdout, when asked for apart from stderr (`stdoutApart`).
    let stdoutFile: URL?

    /// A request's deadline: 5 s from now.
    static func deadline(in milliseconds: Int64 = 5000) -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000) + milliseconds
    }

    init(_ runtime: Interpreter, handler: String, files: [String: String], stdoutApart: Bool = false) throws {
        let executable = try #require(runtime.executable, "\(runtime.rawValue) is not installed")
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("menort-bootstrap-\(UUID().uuidString)")
        code = folder.appendingPathComponent("code")
        for (path, text) in files {
            let file = code.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(at: code, withIntermediateDirectories: true)
        let bootstrap = folder.appendingPathComponent(runtime.bootstrap.name)
        try runtime.bootstrap.source.write(to: bootstrap, atomically: true, encoding: .utf8)

        var environment = ProcessInfo.processInfo.environment
        environment["MENORT_HANDLER"] = handler
        environment["MENORT_CODE_DIR"] = code.path
        environment["MENORT_RESULT_FD"] = "3"
        process.environment = environment
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        stdoutFile = stdoutApart ? folder.appendingPathComponent("stdout.txt") : nil
        // "$0" is the interpreter, "$1" the bootstrap, "$2" the file stdout goes to when apart from stderr.
        if let stdoutFile {
            process.arguments = ["-c", #"exec "$0" "$1" 3>&1 1>"$2""#, executable, bootstrap.path, stdoutFile.path]
        } else {
            process.arguments = ["-c", #"exec "$0" "$1" 3>&1 1>&2"#, executable, bootstrap.path]
        }
        process.standardInput = requests
        process.standardOutput = replies
        process.standardError = logPipe
        signal(SIGPIPE, SIG_IGN)
        try process.run()

        let log = logPipe.fileHandleForReading
        DispatchQueue.global().async { [self] in
            while true {
                let chunk = log.availableData
                if chunk.isEmpty { break }
                lock.withLock { logData.append(chunk) }
            }
            logClosed.signal()
        }
        // A bootstrap that hangs fails its test instead of stalling the run.
        DispatchQueue.global().asyncAfter(deadline: .now() + 20) { [weak self] in
            if let self, self.process.isRunning { self.process.terminate() }
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }

    /// The request line menort writes.
    static func request(id: String, event: String, deadlineMs: Int64, functionName: String = "chat-send", memory: Int = 128) -> String {
        #"{"requestId":"\#(id)","deadlineMs":\#(deadlineMs),"functionName":"\#(functionName)","functionVersion":"$LATEST","invokedFunctionArn":"arn:aws:lambda:us-east-1:123456789012:function:\#(functionName)","memoryLimitInMB":\#(memory),"logGroupName":"/aws/lambda/\#(functionName)","logStreamName":"2026/01/01/[$LATEST]0123456789abcdef","event":\#(event)}"#
    }

    /// Sends one request and waits for its reply.
    func invoke(_ event: String = "{}", id: String = UUID().uuidString.lowercased(), deadlineMs: Int64 = BootstrapProcess.deadline()) throws -> ReplyLine {
        try send(BootstrapProcess.request(id: id, event: event, deadlineMs: deadlineMs))
        let reply = try #require(nextReply(), "no reply to \(id); log:\n\(log)")
        #expect(reply.requestId == id)
        return reply
    }

    func send(_ line: String) throws {
        try requests.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
    }

    /// The next line on descriptor 3, parsed; nil when the worker closed it.
    func nextReply() -> ReplyLine? {
        let handle = replies.fileHandleForReading
        var scanned = 0 // bytes of `pending` known to hold no newline
        while true {
            if let newline = pending[(pending.startIndex + scanned)...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[pending.startIndex..<newline]
                pending = Data(pending[(newline + 1)...])
                return ReplyLine(line: Data(line))
            }
            scanned = pending.count
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }
            pending.append(chunk)
        }
    }

    /// Everything the process wrote to the log pipe so far.
    var log: String {
        lock.withLock { String(decoding: logData, as: UTF8.self) }
    }

    /// Waits up to `seconds` for the log to contain `text` (the process still running).
    func waitForLog(_ text: String, seconds: Double = 3) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if log.contains(text) { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return log.contains(text)
    }

    /// Closes stdin, waits for the process to end, removes the folder, and returns the
    /// status, the whole log, and stdout when it was kept apart.
    func finish() -> (status: Int32, log: String, stdout: String) {
        try? requests.fileHandleForWriting.close()
        process.waitUntilExit()
        logClosed.wait()
        let stdout = stdoutFile.flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? ""
        // Here and not only in deinit, which may run on the log reader's thread as the test
        // process ends.
        try? FileManager.default.removeItem(at: folder)
        return (process.terminationStatus, log, stdout)
    }
}

/// One reply line, as JSON.
private struct ReplyLine {
    let line: String
    let object: [String: Any]

    init?(line: Data) {
        guard let object = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any] else { return nil }
        self.line = String(decoding: line, as: UTF8.self)
        self.object = object
    }

    var requestId: String? { object["requestId"] as? String }
    var result: Any? { object["result"] }
    var resultObject: [String: Any] { result as? [String: Any] ?? [:] }
    var error: [String: Any]? { object["error"] as? [String: Any] }
    var errorType: String? { error?["errorType"] as? String }
    var errorMessage: String? { error?["errorMessage"] as? String }
    var stackTrace: [String] { error?["stackTrace"] as? [String] ?? [] }
}

/// Lines of `log` that are the Lambda text format for `requestId` at `level`.
private func logLines(_ log: String, requestId: String, level: String) -> [String] {
    log.split(separator: "\n").map(String.init).filter { line in
        let fields = line.split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false)
        return fields.count == 4 && fields[1] == requestId && fields[2] == level
            && fields[0].wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil
    }
}

/// `path` with symbolic links resolved (macOS's /tmp is /private/tmp).
private func realPath(_ path: String) -> String {
    URL(fileURLWithPath: path).resolvingSymlinksInPath().path
}

private func occurrences(of text: String, in log: String) -> Int {
    log.components(separatedBy: text).count - 1
}

@Suite("Node.js bootstrap", .enabled(if: Interpreter.node.isInstalled, "node is not on PATH: the Node.js bootstrap tests are skipped"))
struct NodeBootstrapTests {
    @Test("An async handler in index.mjs answers with its return value and the worker exits 0 when stdin closes")
    func esModule() throws {
        let worker = try BootstrapProcess(.node, handler: "index.handler", files: [
            "index.mjs": "export const handler = async (event) => ({ echo: event.text, kind: 'esm' });",
        ])
        let reply = try worker.invoke(#"{"text":"hi"}"#)
        #expect(reply.resultObject["echo"] as? String == "hi")
        #expect(reply.resultObject["kind"] as? String == "esm")
        #expect(worker.finish().status == 0)
    }

    @Test("index.js without a type module package.json is loaded as CommonJS")
    func commonJSFile() throws {
        let worker = try BootstrapProcess(.node, handler: "index.handler", files: [
            "package.json": #"{"name":"app"}"#,
            "index.js": "const path = require('node:path');\nexports.handler = async () => typeof module + ':' + path.basename(__filename);",
        ])
        #expect(try worker.invoke().result as? String == "object:index.js")
        #expect(worker.finish().status == 0)
    }

    @Test("A .cjs file is loaded as CommonJS")
    func cjsFile() throws {
        let worker = try BootstrapProcess(.node, handler: "app.handler", files: [
            "app.cjs": "module.exports = { handler: async () => typeof require };",
        ])
        #expect(try worker.invoke().result as? String == "function")
        #expect(worker.finish().status == 0)
    }

    @Test("A .js file under the nearest package.json with type module is loaded as an ES module")
    func typeModule() throws {
        let worker = try BootstrapProcess(.node, handler: "src/app.handler", files: [
            "package.json": #"{"type":"module"}"#,
            "src/app.js": "export const handler = async () => typeof require;",
        ])
        #expect(try worker.invoke().result as? String == "undefined")
        #expect(worker.finish().status == 0)
    }

    @Test("index.js is preferred over index.mjs, in Lambda's lookup order")
    func lookupOrder() throws {
        let worker = try BootstrapProcess(.node, handler: "index.handler", files: [
            "index.js": "exports.handler = async () => 'js';",
            "index.mjs": "export const handler = async () => 'mjs';",
        ])
        #expect(try worker.invoke().result as? String == "js")
        #expect(worker.finish().status == 0)
    }

    @Test("A handler path with folders loads the module from those folders")
    func folderPath() throws {
        let worker = try BootstrapProcess(.node, handler: "src/handlers/chat.send", files: [
            "src/handlers/chat.mjs": "export const send = async (event) => 'sent ' + event.n;",
        ])
        #expect(try worker.invoke(#"{"n":3}"#).result as? String == "sent 3")
        #expect(worker.finish().status == 0)
    }

    @Test("A non-async handler returning a promise answers with what it resolves to")
    func promise() throws {
        let worker = try BootstrapProcess(.node, handler: "index.handler", files: [
            "index.mjs": "export const handler = (event) => new Promise((resolve) => setTimeout(() => resolve({ n: event.n + 1 }), 10));",
        ])
        #expect(try worker.invoke(#"{"n":1}"#).resultObject["n"] as? Int == 2)
        #expect(worker.finish().status == 0)
    }

    @Test("A callback handler answers with the value given to callback(null, value)")
    func callback() throws {
        let worker = try BootstrapProcess(.node, handler: "index.handler", files: [
            "index.js": "exports.handler = (event, context, callback) => { setTimeout(() => callback(null, { got: event.n }), 10); return 'ignored'; };",
        ])
        #expect(try worker.invoke(#"{"n":7}"#).resultObject["got"] as? Int == 7)
        #expect(worker.finish().status == 0)
    }

    @Test("A callback handler's answer waits for the event loop to empty, unless callbackWaitsForEmptyEventLoop is false")
    func emptyEventLoop() throws {
        let worker = try BootstrapProcess(.node, handler: "index.handler", files: [
            "index.js": """
            let fired = false;
            exports.handler = (event, context, callback) => {
              if (event.check) return callback(null, fired);
              fired = false;
              context.callbackWaitsForEmptyEventLoop = event.wait;
              setTimeout(() => { fired = true; }, event.delay);
              callback(null, 'done');
            };
            """,
        ])
        #expect(try worker.invoke(#"{"wait":true,"delay":100}"#).result as? String == "done")
        #expect(try worker.invoke(#"{"check":true}"#).result as? Bool == true, "the timer ran before the answer")
        // A timer the worker does not wait for (stdin closing ends the worker all the same).
        #expect(try worker.invoke(#"{"wait":false,"delay":5000}"#).result as? String == "done")
        #expect(try worker.invoke(#"{"check":true}"#).result as? Bool == false, "the answer came before the timer")
        #expect(worker.finish().status == 0)
    }

    @Test("A synchronous handler's return value is dropped: the answer is null, as in Lambda")
    func synchronousReturn() throws {
        let worker = try BootstrapProcess(.node, handler: "index.handler", files: [
            "index.js": "exports.handler = (event) => 42;",
        ])
        let reply = try worker.invoke()
        #expect(reply.result is NSNull)
        #expect(reply.error == nil)
        #expect(worker.finish().status == 0)
    }

    @Test("An async handler whose promise never settles is Runtime.NodeJsExit once the event loop is empty")
    func neverSettles() throws {
        let worker = try BootstrapProcess(.node, handler: "index.handler", files: [
            "index.mjs": "export const handler = async () => new Promise(() => {});",
        ])
        #expect(try worker.invoke().errorType == "Runtime.NodeJsExit")
        #expect(worker.finish().status == 0)
    }

    @Test("A thrown Error answers its name, message and stack lines, and the worker keeps serving")
    func thrownError() throws {
        let worker = try BootstrapProcess(.node, handler: "index.handler", files: [
            "index.mjs": """
            class ValidationError extends Error { constructor(m) { super(m); this.name = 'ValidationError'; } }
            export const handler = async (event) => { if (event.fail) throw new ValidationError('text is required'); return 'ok'; };
            """,
        ])
        let reply = try worker.invoke(#"{"fail":true}"#)
        #expect(reply.errorType == "ValidationError")
        #expect(reply.errorMessage == "text is required")
        #expect(reply.stackTrace.first == "ValidationError: text is required")
        #expect(reply.stackTrace.contains { $0.hasPrefix("    at ") && $0.contains("index.mjs:2:") })
        #expect(try worker.invoke("{}").result as? String == "ok")
        let end = worker.finish()
        #expect(end.status == 0)
        #expect(end.log.contains("\tERROR\tInvoke Error \t{\"errorType\":\"ValidationError\""))
    }

    @Test("A thrown string is reported as Lambda does: errorType is its type, the message is the string")
    func thrownString() throws {
        let worker = try BootstrapProcess(.node, handler: "index.handler", files: [
            "index.mjs": "export const handler = async () => { throw 'no room'; };",
        ])
        let reply = try worker.invoke()
        #expect(reply.errorType == "string")
        #expect(reply.errorMessage == "no room")
        #expect(reply.stackTrace.isEmpty)
        #expect(worker.finish().status == 0)
    }

    @Test("callback(error) answers with that error")
    func callbackError() throws {
        let worker = try BootstrapProcess(.node, handler: "index.handler", files: [
            "index.js": "exports.handler = (event, context, callback) => callback(new TypeError('bad id'));",
        ])
        let reply = try worker.invoke()
        #expect(reply.errorType == "TypeError")
        #expect(reply.errorMessage == "bad id")
        #expect(worker.finish().status == 0)
    }

    @Test("A missing handler module is Runtime.ImportModuleError, reported once and answered to every request")
    func missingModule() throws {
        let worker = try BootstrapProcess(.node, handler: "index.handler", files: [:])
        for _ in 0..<2 {
            let reply = try worker.invoke()
            #expect(reply.errorType == "Runtime.ImportModuleError")
            #expect(reply.errorMessage?.hasPrefix("Error: Cannot find module 'index'") == true)
        }
        let end = worker.finish()
        #expect(end.status == 0)
        #expect(occurrences(of: "Uncaught Exception", in: end.log) == 1)
    }

    @Test("A dependency missing from a CommonJS handler is Runtime.ImportModuleError")
    func missingDependency() throws {
        let worker = try BootstrapProcess(.node, handler: "app.handler", files: [
            "app.js": "const sdk = require('aws-sdk');\nexports.handler = async () => 1;",
        ])
        let reply = try worker.invoke()
        #expect(reply.errorType == "Runtime.ImportModuleError")
        #expect(reply.errorMessage?.hasPrefix("Error: Cannot find module 'aws-sdk'") == true)
        #expect(worker.finish().status == 0)
    }

    @Test("A missing export is Runtime.HandlerNotFound", arguments: [
        ("index.missing", "index.missing is undefined or not exported"),
        ("index.config", "index.config is not a function"),
    ])
    func handlerNotFound(handler: String, message: String) throws {
        let worker = try BootstrapProcess(.node, handler: handler, files: [
            "index.mjs": "export const config = { table: 'x' };\nexport const handler = async () => 1;",
        ])
        let reply = try worker.invoke()
        #expect(reply.errorType == "Runtime.HandlerNotFound")
        #expect(reply.errorMessage == message)
        #expect(worker.finish().status == 0)
    }

    @Test("A syntax error is Runtime.UserCodeSyntaxError, in an ES module or in CommonJS", arguments: ["index.mjs", "index.js"])
    func syntaxError(file: String) throws {
        let worker = try BootstrapProcess(.node, handler: "index.handler", files: [
            file: "export const handler = async () => { return 1 }}",
        ])
        for _ in 0..<2 {
            let reply = try worker.invoke()
            #expect(reply.errorType == "Runtime.UserCodeSyntaxError")
            #expect(reply.errorMessage?.hasPrefix("SyntaxError: ") == true)
        }
        #expect(worker.finish().status == 0)
    }

    @Test("A module that throws while loading answers every request with its own error, as Lambda's init error")
    func throwsWhileLoading() throws {
        let worker = try BootstrapProcess(.node, handler: "index.handler", files: [
            "index.mjs": "if (!process.env.TABLE_NAME) throw new RangeError('TABLE_NAME is not set');\nexport const handler = async () => 1;",
        ])
        for _ in 0..<2 {
            let reply = try worker.invoke()
            #expect(reply.errorType == "RangeError")
            #expect(reply.errorMessage == "TABLE_NAME is not set")
        }
        #expect(worker.finish().status == 0)
    }

    @Test("The context carries the request's fields, with memoryLimitInMB as a string, and the code folder is the working directory")
    func context() throws {
        let worker = try BootstrapProcess(.node, handler: "index.handler", files: [
            "index.js": """
            exports.handler = async (event, context) => ({
              awsRequestId: context.awsRequestId, functionName: context.functionName,
              functionVersion: context.functionVersion, invokedFunctionArn: context.invokedFunctionArn,
              memoryLimitInMB: context.memoryLimitInMB, logGroupName: context.logGroupName,
              logStreamName: context.logStreamName, waits: context.callbackWaitsForEmptyEventLoop,
              cwd: process.cwd(), menortVariables: ['MENORT_HANDLER', 'MENORT_CODE_DIR', 'MENORT_RESULT_FD'].filter((k) => k in process.env),
            });
            """,
        ])
        let reply = try worker.invoke(id: "ctx-1")
        let context = reply.resultObject
        #expect(context["awsRequestId"] as? String == "ctx-1")
        #expect(context["functionName"] as? String == "chat-send")
        #expect(context["functionVersion"] as? String == "$LATEST")
        #expect(context["invokedFunctionArn"] as? String == "arn:aws:lambda:us-east-1:123456789012:function:chat-send")
        #expect(context["memoryLimitInMB"] as? String == "128")
        #expect(context["logGroupName"] as? String == "/aws/lambda/chat-send")
        #expect(context["logStreamName"] as? String == "2026/01/01/[$LATEST]0123456789abcdef")
        #expect(context["waits"] as? Bool == true)
        #expect((context["cwd"] as? String).map(realPath) == realPath(worker.code.path))
        #expect((context["menortVariables"] as? [String])?.isEmpty == true)
        #expect(worker.finish().status == 0)
    }

    @Test("getRemainingTimeInMillis counts down to the request's deadlineMs")
    func remainingTime() throws {
        let worker = try BootstrapProcess(.node, handler: "index.handler", files: [
            "index.mjs": """
            export const handler = async (event, context) => {
              const first = context.getRemainingTimeInMillis();
              await new Promise((resolve) => setTimeout(resolve, 60));
              return { first, second: context.getRemainingTimeInMillis() };
            };
            """,
        ])
        let reply = try worker.invoke(deadlineMs: BootstrapProcess.deadline(in: 5000))
        let first = try #require(reply.resultObject["first"] as? Int)
        let second = try #require(reply.resultObject["second"] as? Int)
        #expect(first <= 5000 && first > 3000)
        #expect(second <= first - 50)
        #expect(worker.finish().status == 0)
    }

    @Test("console methods write Lambda's text format with the request id and level, at once")
    func consoleFormat() throws {
        let worker = try BootstrapProcess(.node, handler: "index.handler", files: [
            "index.mjs": """
            export const handler = async (event) => {
              console.log('hello %s', 'world', { n: 1 });
              console.info('info'); console.warn('careful'); console.error('broken'); console.debug('details');
              return null;
            };
            """,
        ])
        _ = try worker.invoke(id: "log-1")
        #expect(worker.waitForLog("details"), "the log arrived before stdin closed")
        let log = worker.finish().log
        #expect(logLines(log, requestId: "log-1", level: "INFO").map { $0.split(separator: "\t").last.map(String.init) } == ["hello world { n: 1 }", "info"])
        #expect(logLines(log, requestId: "log-1", level: "WARN").count == 1)
        #expect(logLines(log, requestId: "log-1", level: "ERROR").count == 1)
        #expect(logLines(log, requestId: "log-1", level: "DEBUG").count == 1)
    }

    @Test("console output goes to stdout; the runtime's own reports go to stderr")
    func streams() throws {
        let worker = try BootstrapProcess(.node, handler: "index.handler", files: [
            "index.mjs": "export const handler = async () => { console.log('from the handler'); throw new Error('nope'); };",
        ], stdoutApart: true)
        _ = try worker.invoke(id: "s-1")
        let end = worker.finish()
        #expect(end.stdout.contains("\ts-1\tINFO\tfrom the handler"))
        #expect(!end.stdout.contains("Invoke Error"))
        #expect(end.log.contains("\ts-1\tERROR\tInvoke Error \t"))
        #expect(!end.log.contains("from the handler"))
    }

    @Test("Module state stays warm across requests")
    func warm() throws {
        let worker = try BootstrapProcess(.node, handler: "index.handler", files: [
            "index.mjs": "let count = 0;\nexport const handler = async () => ++count;",
        ])
        #expect(try worker.invoke().result as? Int == 1)
        #expect(try worker.invoke().result as? Int == 2)
        #expect(worker.finish().status == 0)
    }

    @Test("An unhandled rejection during an invocation answers it with Runtime.UnhandledPromiseRejection and ends the worker with 128")
    func unhandledRejection() throws {
        let worker = try BootstrapProcess(.node, handler: "index.handler", files: [
            "index.mjs": """
            export const handler = async () => {
              Promise.reject(new Error('write failed'));
              await new Promise((resolve) => setTimeout(resolve, 200));
              return 'too late';
            };
            """,
        ])
        let reply = try worker.invoke()
        #expect(reply.errorType == "Runtime.UnhandledPromiseRejection")
        #expect(reply.errorMessage == "Error: write failed")
        #expect(worker.finish().status == 128)
    }

    @Test("An uncaught exception during an invocation answers it and ends the worker with 129")
    func uncaughtException() throws {
        let worker = try BootstrapProcess(.node, handler: "index.handler", files: [
            "index.mjs": """
            export const handler = async () => {
              setTimeout(() => { throw new TypeError('timer broke'); }, 5);
              await new Promise((resolve) => setTimeout(resolve, 200));
              return 'too late';
            };
            """,
        ])
        let reply = try worker.invoke()
        #expect(reply.errorType == "TypeError")
        #expect(reply.errorMessage == "timer broke")
        #expect(worker.finish().status == 129)
    }

    @Test("A result JSON cannot hold is Lambda's 'Unable to stringify response body'")
    func unserializable() throws {
        let worker = try BootstrapProcess(.node, handler: "index.handler", files: [
            "index.mjs": "export const handler = async () => ({ big: 10n });",
        ])
        let reply = try worker.invoke()
        #expect(reply.errorType == "Error")
        #expect(reply.errorMessage == "Unable to stringify response body")
        #expect(worker.finish().status == 0)
    }

    @Test("A request line that is not JSON is answered with Runtime.UnmarshalError, and the next one is served")
    func unreadableRequest() throws {
        let worker = try BootstrapProcess(.node, handler: "index.handler", files: [
            "index.mjs": "export const handler = async () => 'served';",
        ])
        try worker.send(#"{"requestId":"bad-1","event":{"#)
        let reply = try #require(worker.nextReply())
        #expect(reply.requestId == "bad-1")
        #expect(reply.errorType == "Runtime.UnmarshalError")
        #expect(try worker.invoke().result as? String == "served")
        #expect(worker.finish().status == 0)
    }

    @Test("A reply larger than a pipe's buffer arrives whole, on one line")
    func largeReply() throws {
        let worker = try BootstrapProcess(.node, handler: "index.handler", files: [
            "index.mjs": "export const handler = async () => 'x'.repeat(1 << 20);",
        ])
        #expect((try worker.invoke().result as? String)?.count == 1 << 20)
        #expect(worker.finish().status == 0)
    }
}

@Suite("Python bootstrap", .enabled(if: Interpreter.python3.isInstalled, "python3 is not on PATH: the Python bootstrap tests are skipped"))
struct PythonBootstrapTests {
    @Test("app.handler imports app from the code folder, which is sys.path[0] and the working directory")
    func module() throws {
        let worker = try BootstrapProcess(.python3, handler: "app.handler", files: [
            "app.py": """
            import os, sys
            def handler(event, context):
                return {"echo": event["text"], "cwd": os.getcwd(), "path0": sys.path[0],
                        "menort": [k for k in ("MENORT_HANDLER", "MENORT_CODE_DIR", "MENORT_RESULT_FD") if k in os.environ]}
            """,
        ])
        let result = try worker.invoke(#"{"text":"hi"}"#).resultObject
        #expect(result["echo"] as? String == "hi")
        #expect((result["cwd"] as? String).map(realPath) == realPath(worker.code.path))
        #expect((result["path0"] as? String).map(realPath) == realPath(worker.code.path))
        #expect((result["menort"] as? [String])?.isEmpty == true)
        #expect(worker.finish().status == 0)
        #expect(!FileManager.default.fileExists(atPath: worker.code.appendingPathComponent("__pycache__").path))
    }

    @Test("A handler path with folders names a module in a package", arguments: ["handlers/chat.send", "handlers.chat.send"])
    func folderPath(handler: String) throws {
        let worker = try BootstrapProcess(.python3, handler: handler, files: [
            "handlers/chat.py": "def send(event, context):\n    return __name__\n",
        ])
        #expect(try worker.invoke().result as? String == "handlers.chat")
        #expect(worker.finish().status == 0)
    }

    @Test("None answers null and module state stays warm across requests")
    func warm() throws {
        let worker = try BootstrapProcess(.python3, handler: "app.handler", files: [
            "app.py": """
            count = 0
            def handler(event, context):
                global count
                count += 1
                return None if event.get("none") else count
            """,
        ])
        #expect(try worker.invoke().result as? Int == 1)
        #expect(try worker.invoke(#"{"none":true}"#).result is NSNull)
        #expect(try worker.invoke().result as? Int == 3)
        #expect(worker.finish().status == 0)
    }

    @Test("An exception answers its class name, str(e) and the handler's frames, and the worker keeps serving")
    func exception() throws {
        let worker = try BootstrapProcess(.python3, handler: "app.handler", files: [
            "app.py": """
            class ValidationError(Exception):
                pass

            def handler(event, context):
                if event.get("fail"):
                    raise ValidationError("text is required")
                return "ok"
            """,
        ])
        let reply = try worker.invoke(#"{"fail":true}"#)
        #expect(reply.errorType == "ValidationError")
        #expect(reply.errorMessage == "text is required")
        #expect(reply.stackTrace.count == 1)
        #expect(reply.stackTrace.first?.contains("app.py\", line 6, in handler") == true)
        #expect(try worker.invoke().result as? String == "ok")
        let end = worker.finish()
        #expect(end.status == 0)
        #expect(end.log.contains("[ERROR] ValidationError: text is required\nTraceback (most recent call last):\n"))
    }

    @Test("A missing module is Runtime.ImportModuleError, reported once and answered to every request")
    func missingModule() throws {
        let worker = try BootstrapProcess(.python3, handler: "app.handler", files: [:])
        for _ in 0..<2 {
            let reply = try worker.invoke()
            #expect(reply.errorType == "Runtime.ImportModuleError")
            #expect(reply.errorMessage == "Unable to import module 'app': No module named 'app'")
        }
        let end = worker.finish()
        #expect(end.status == 0)
        #expect(occurrences(of: "[ERROR] Runtime.ImportModuleError", in: end.log) == 1)
    }

    @Test("A dependency missing from the handler's module is Runtime.ImportModuleError")
    func missingDependency() throws {
        let worker = try BootstrapProcess(.python3, handler: "app.handler", files: [
            "app.py": "import menort_missing_dependency\n\ndef handler(event, context):\n    return 1\n",
        ])
        let reply = try worker.invoke()
        #expect(reply.errorType == "Runtime.ImportModuleError")
        #expect(reply.errorMessage == "Unable to import module 'app': No module named 'menort_missing_dependency'")
        #expect(worker.finish().status == 0)
    }

    @Test("A missing function is Runtime.HandlerNotFound")
    func handlerNotFound() throws {
        let worker = try BootstrapProcess(.python3, handler: "app.lambda_handler", files: [
            "app.py": "def handler(event, context):\n    return 1\n",
        ])
        let reply = try worker.invoke()
        #expect(reply.errorType == "Runtime.HandlerNotFound")
        #expect(reply.errorMessage == "Handler 'lambda_handler' missing on module 'app'")
        #expect(worker.finish().status == 0)
    }

    @Test("A syntax error is Runtime.UserCodeSyntaxError with the line in the trace")
    func syntaxError() throws {
        let worker = try BootstrapProcess(.python3, handler: "app.handler", files: [
            "app.py": "def handler(event, context)\n    return 1\n",
        ])
        for _ in 0..<2 {
            let reply = try worker.invoke()
            #expect(reply.errorType == "Runtime.UserCodeSyntaxError")
            #expect(reply.errorMessage?.hasPrefix("Syntax error in module 'app': ") == true)
            #expect(reply.stackTrace.first?.contains("app.py\" Line 1\n    def handler(event, context)") == true)
        }
        #expect(worker.finish().status == 0)
    }

    @Test("A module raising while it is imported answers every request with that exception, as Lambda's init error")
    func raisesWhileImported() throws {
        let worker = try BootstrapProcess(.python3, handler: "app.handler", files: [
            "app.py": "import os\nTABLE = os.environ['MENORT_TEST_TABLE_THAT_IS_NOT_SET']\n\ndef handler(event, context):\n    return 1\n",
        ])
        for _ in 0..<2 {
            let reply = try worker.invoke()
            #expect(reply.errorType == "KeyError")
            #expect(reply.errorMessage == "'MENORT_TEST_TABLE_THAT_IS_NOT_SET'")
            #expect(reply.stackTrace.contains { $0.contains("app.py\", line 2, in <module>") })
        }
        #expect(worker.finish().status == 0)
    }

    @Test("A result JSON cannot hold is Runtime.MarshalError", arguments: [
        ("{1, 2}", "Unable to marshal response: Object of type set is not JSON serializable"),
        ("datetime.date(2026, 1, 1)", "Unable to marshal response: Object of type date is not JSON serializable"),
    ])
    func marshalError(value: String, message: String) throws {
        let worker = try BootstrapProcess(.python3, handler: "app.handler", files: [
            "app.py": "import datetime\n\ndef handler(event, context):\n    return {\"value\": \(value)}\n",
        ])
        let reply = try worker.invoke()
        #expect(reply.errorType == "Runtime.MarshalError")
        #expect(reply.errorMessage == message)
        #expect(try worker.invoke().errorType == "Runtime.MarshalError")
        #expect(worker.finish().status == 0)
    }

    @Test("A Decimal is written as its number, as Lambda's marshaller does (DynamoDB items return as is)")
    func decimal() throws {
        let worker = try BootstrapProcess(.python3, handler: "app.handler", files: [
            "app.py": "from decimal import Decimal\n\ndef handler(event, context):\n    return {\"price\": Decimal(\"19.90\"), \"count\": Decimal(3)}\n",
        ])
        let reply = try worker.invoke()
        #expect(reply.line.contains(#""price": 19.90"#))
        #expect(reply.resultObject["count"] as? Int == 3)
        #expect(worker.finish().status == 0)
    }

    @Test("The context carries the request's fields, with memory_limit_in_mb as a string")
    func context() throws {
        let worker = try BootstrapProcess(.python3, handler: "app.handler", files: [
            "app.py": """
            def handler(event, context):
                return {k: getattr(context, k) for k in ("aws_request_id", "function_name", "function_version",
                        "invoked_function_arn", "memory_limit_in_mb", "log_group_name", "log_stream_name")}
            """,
        ])
        let context = try worker.invoke(id: "ctx-1").resultObject
        #expect(context["aws_request_id"] as? String == "ctx-1")
        #expect(context["function_name"] as? String == "chat-send")
        #expect(context["function_version"] as? String == "$LATEST")
        #expect(context["invoked_function_arn"] as? String == "arn:aws:lambda:us-east-1:123456789012:function:chat-send")
        #expect(context["memory_limit_in_mb"] as? String == "128")
        #expect(context["log_group_name"] as? String == "/aws/lambda/chat-send")
        #expect(context["log_stream_name"] as? String == "2026/01/01/[$LATEST]0123456789abcdef")
        #expect(worker.finish().status == 0)
    }

    @Test("get_remaining_time_in_millis counts down to the request's deadlineMs")
    func remainingTime() throws {
        let worker = try BootstrapProcess(.python3, handler: "app.handler", files: [
            "app.py": """
            import time
            def handler(event, context):
                first = context.get_remaining_time_in_millis()
                time.sleep(0.06)
                return {"first": first, "second": context.get_remaining_time_in_millis()}
            """,
        ])
        let reply = try worker.invoke(deadlineMs: BootstrapProcess.deadline(in: 5000))
        let first = try #require(reply.resultObject["first"] as? Int)
        let second = try #require(reply.resultObject["second"] as? Int)
        #expect(first <= 5000 && first > 3000)
        #expect(second <= first - 50)
        #expect(worker.finish().status == 0)
    }

    @Test("print() reaches the log at once, not when the worker ends")
    func printUnbuffered() throws {
        let worker = try BootstrapProcess(.python3, handler: "app.handler", files: [
            "app.py": "def handler(event, context):\n    print('handling', event['n'])\n    return 1\n",
        ])
        _ = try worker.invoke(#"{"n":5}"#)
        #expect(worker.waitForLog("handling 5\n"), "print output still buffered while the worker runs")
        #expect(worker.finish().status == 0)
    }

    @Test("The logging module writes Lambda's format with the request id, at Python's default WARNING level")
    func logging() throws {
        let worker = try BootstrapProcess(.python3, handler: "app.handler", files: [
            "app.py": """
            import logging
            logger = logging.getLogger()
            def handler(event, context):
                logger.info("not shown at the default level")
                logger.warning("low on %s", "credit")
                logger.setLevel(logging.INFO)
                logger.info("shown now")
                logger.setLevel(logging.WARNING)
                return 1
            """,
        ])
        _ = try worker.invoke(id: "log-1")
        let log = worker.finish().log
        let pattern = /\[(WARNING|INFO)\]\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\tlog-1\t(.*)/
        let lines = log.split(separator: "\n").compactMap { try? pattern.wholeMatch(in: String($0)) }.map { "\($0.1) \($0.2)" }
        #expect(lines == ["WARNING low on credit", "INFO shown now"])
    }

    @Test("A request line that is not JSON is answered with Runtime.UnmarshalError, and the next one is served")
    func unreadableRequest() throws {
        let worker = try BootstrapProcess(.python3, handler: "app.handler", files: [
            "app.py": "def handler(event, context):\n    return 'served'\n",
        ])
        try worker.send(#"{"requestId":"bad-1","event":{"#)
        let reply = try #require(worker.nextReply())
        #expect(reply.requestId == "bad-1")
        #expect(reply.errorType == "Runtime.UnmarshalError")
        #expect(try worker.invoke().result as? String == "served")
        #expect(worker.finish().status == 0)
    }

    @Test("print() goes to stdout; the runtime's own reports go to stderr")
    func streams() throws {
        let worker = try BootstrapProcess(.python3, handler: "app.handler", files: [
            "app.py": "def handler(event, context):\n    print('from the handler')\n    raise ValueError('nope')\n",
        ], stdoutApart: true)
        _ = try worker.invoke()
        let end = worker.finish()
        #expect(end.stdout == "from the handler\n")
        #expect(end.log.contains("[ERROR] ValueError: nope"))
    }
}
