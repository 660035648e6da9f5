/// The line protocol between `menort local` and one worker process (a Node.js or Python
/// bootstrap that loads one function's handler and keeps it warm, as Lambda does).
///
/// Why a private pipe and not the worker's stdout: handlers print to stdout and stderr,
/// and Lambda sends both to the function's log, so those two streams stay the handler's
/// (menort prefixes them with the function's name). Requests arrive on the worker's stdin,
/// one JSON object per line; replies leave on file descriptor 3 (`MENORT_RESULT_FD`),
/// one JSON object per line. On the wire:
///
///     → {"requestId":"…","deadlineMs":1767000000000,"functionName":"…","functionVersion":"$LATEST",
///        "invokedFunctionArn":"…","memoryLimitInMB":128,"logGroupName":"…","logStreamName":"…",
///        "event":{…}}
///     ← {"requestId":"…","result":<the handler's value, null for none>}
///     ← {"requestId":"…","error":{"errorType":"…","errorMessage":"…","stackTrace":["…"]}}
///
/// One request at a time per worker: the next is written only
/// after the reply to the previous one, as a Lambda execution environment takes one event
/// at a time.
public enum WorkerProtocol {
    /// The file descriptor a worker writes replies to.
    public static let resultDescriptor: Int32 = 3

    /// Environment variables the bootstrap reads (besides the function's own environment).
    public enum Variable {
        /// `file.function` as in the template's `Handler` (`index.handler`, `app.lambda_handler`,
        /// `src/handlers/chat.send` — the last dot separates module and function).
        public static let handler = "MENORT_HANDLER"
        /// The function's code folder (the worker's working directory, Lambda's /var/task).
        public static let codeDirectory = "MENORT_CODE_DIR"
        /// The descriptor replies go to (`3`).
        public static let resultDescriptor = "MENORT_RESULT_FD"
    }
}

/// One invocation, as written on a worker's stdin (one line of JSON).
public struct WorkerRequest: Sendable, Equatable {
    /// Lambda's request id (`context.awsRequestId`, `context.aws_request_id`).
    public var requestId: String
    /// The event, already encoded as JSON text (the handler receives it parsed).
    public var event: JSONText
    /// When the function times out, in milliseconds since the epoch
    /// (`getRemainingTimeInMillis()` counts down to it).
    public var deadlineMs: Int64
    /// `context.functionName`.
    public var functionName: String
    /// `context.functionVersion`: `$LATEST`.
    public var functionVersion: String
    /// `context.invokedFunctionArn`.
    public var invokedFunctionArn: String
    /// `context.memoryLimitInMB`.
    public var memoryLimitInMB: Int
    /// `context.logGroupName`.
    public var logGroupName: String
    /// `context.logStreamName`.
    public var logStreamName: String

    public init(requestId: String, event: JSONText, deadlineMs: Int64, functionName: String, functionVersion: String = "$LATEST", invokedFunctionArn: String, memoryLimitInMB: Int, logGroupName: String, logStreamName: String) {
        self.requestId = requestId
        self.event = event
        self.deadlineMs = deadlineMs
        self.functionName = functionName
        self.functionVersion = functionVersion
        self.invokedFunctionArn = invokedFunctionArn
        self.memoryLimitInMB = memoryLimitInMB
        self.logGroupName = logGroupName
        self.logStreamName = logStreamName
    }
}

/// A worker's answer to one request (one line of JSON on descriptor 3): exactly one of
/// `result` (what the handler returned, `null` for nothing) and `error` (what it threw).
public struct WorkerReply: Sendable, Equatable {
    /// The request answered.
    public var requestId: String
    /// The handler's return value; absent when it failed.
    public var result: JSON?
    /// Why the invocation failed; absent when it succeeded.
    public var error: HandlerError?

    public init(requestId: String, result: JSON? = nil, error: HandlerError? = nil) {
        self.requestId = requestId
        self.result = result
        self.error = error
    }
}

/// A failed invocation in Lambda's own shape (`errorType`, `errorMessage`, `stackTrace`).
/// Loading errors use Lambda's names: `Runtime.ImportModuleError`, `Runtime.HandlerNotFound`,
/// `Runtime.UserCodeSyntaxError`; a result that is not JSON: `Runtime.MarshalError`.
public struct HandlerError: Sendable, Equatable {
    public var errorType: String
    public var errorMessage: String
    public var stackTrace: [String]

    public init(errorType: String, errorMessage: String, stackTrace: [String] = []) {
        self.errorType = errorType
        self.errorMessage = errorMessage
        self.stackTrace = stackTrace
    }
}

/// A JSON value carried as its text, so events and results pass through menort without
/// being re-encoded (their key order and number forms are the handler's).
public struct JSONText: Sendable, Equatable, CustomStringConvertible {
    /// The JSON text.
    public var text: String

    public init(_ text: String) { self.text = text }

    public var description: String { text }
}

extension WorkerRequest {
    /// The request as one line of JSON (without the newline); the event is written as is.
    public var line: String {
        var output = "{\"requestId\":"
        JSON.writeString(requestId, to: &output)
        output += ",\"deadlineMs\":\(deadlineMs),\"functionName\":"
        JSON.writeString(functionName, to: &output)
        output += ",\"functionVersion\":"
        JSON.writeString(functionVersion, to: &output)
        output += ",\"invokedFunctionArn\":"
        JSON.writeString(invokedFunctionArn, to: &output)
        output += ",\"memoryLimitInMB\":\(memoryLimitInMB),\"logGroupName\":"
        JSON.writeString(logGroupName, to: &output)
        output += ",\"logStreamName\":"
        JSON.writeString(logStreamName, to: &output)
        output += ",\"event\":" + event.text + "}"
        return output
    }
}

extension WorkerReply {
    /// Why a reply line cannot be read.
    public struct Malformed: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Reads one reply line.
    public init(line: String) throws(Malformed) {
        let value: JSON
        do {
            value = try JSON.parse(line)
        } catch {
            throw Malformed(description: "not JSON: \(error)")
        }
        guard let requestId = value["requestId"]?.stringValue else { throw Malformed(description: "no requestId") }
        // An `error` that is not an object (a bare string) is a broken bootstrap, not a success.
        if let error = value["error"], error != .null {
            guard case .object = error else { throw Malformed(description: "error is not an object") }
            self.init(requestId: requestId, error: HandlerError(
                errorType: error["errorType"]?.stringValue ?? "Error",
                errorMessage: error["errorMessage"]?.stringValue ?? "",
                stackTrace: { if case .array(let items)? = error["stackTrace"] { return items.compactMap(\.stringValue) } else { return [] } }()
            ))
        } else {
            self.init(requestId: requestId, result: value["result"] ?? .null)
        }
    }
}
