import Local
import Testing

/// The line protocol between `menort local` and a worker: requests on stdin, replies on
/// descriptor 3, one JSON object per line each.
@Suite("worker protocol")
struct WorkerProtocolTests {
    static let event = #"{"requestContext":{"routeKey":"chat.send","requestTimeEpoch":1731324924561,"connectedAt":1731324924553},"body":"{\"action\":\"chat.send\",\"n\":1.50}","isBase64Encoded":false}"#

    static func request(event: String = event, requestId: String = "8f507cfc-1c2d-4e6a-9b1e-0a2b3c4d5e6f", functionName: String = "menort-local-ChatSendFunction") -> WorkerRequest {
        WorkerRequest(
            requestId: requestId, event: JSONText(event), deadlineMs: 1_731_324_934_561, functionName: functionName,
            invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:\(functionName)", memoryLimitInMB: 256,
            logGroupName: "/aws/lambda/\(functionName)", logStreamName: "2024/11/11/[$LATEST]0123456789abcdef")
    }

    // MARK: - Requests

    @Test("a request is one line of JSON with every context field, in order, and the event last")
    func requestLine() throws {
        let line = Self.request().line
        #expect(!line.contains("\n"))
        let value = try JSON.parse(line)
        guard case .object(let members) = value else {
            Issue.record("not an object: \(line)")
            return
        }
        #expect(members.map(\.0) == [
            "requestId", "deadlineMs", "functionName", "functionVersion", "invokedFunctionArn", "memoryLimitInMB",
            "logGroupName", "logStreamName", "event",
        ])
        #expect(value["requestId"] == .string("8f507cfc-1c2d-4e6a-9b1e-0a2b3c4d5e6f"))
        #expect(value["deadlineMs"] == .number("1731324934561"))
        #expect(value["functionName"] == .string("menort-local-ChatSendFunction"))
        #expect(value["functionVersion"] == .string("$LATEST"))
        #expect(value["invokedFunctionArn"] == .string("arn:aws:lambda:us-east-1:123456789012:function:menort-local-ChatSendFunction"))
        #expect(value["memoryLimitInMB"] == .number("256"))
        #expect(value["logGroupName"] == .string("/aws/lambda/menort-local-ChatSendFunction"))
        #expect(value["logStreamName"] == .string("2024/11/11/[$LATEST]0123456789abcdef"))
    }

    @Test("the event is embedded verbatim: its key order, number forms and escapes are untouched")
    func eventVerbatim() throws {
        let line = Self.request().line
        #expect(line.hasSuffix(",\"event\":" + Self.event + "}"))
        #expect(try JSON.parse(line)["event"] == JSON.parse(Self.event))
        #expect(try JSON.parse(line)["event"]?["body"] == .string(#"{"action":"chat.send","n":1.50}"#))
    }

    @Test("an event with spaces and newlines inside strings still makes one line")
    func eventWithNewlinesInStrings() throws {
        let event = JSON.object([("body", .string("line one\nline two\r\n"))]).text
        let line = Self.request(event: event).line
        #expect(!line.contains("\n") && !line.contains("\r"))
        #expect(try JSON.parse(line)["event"]?["body"] == .string("line one\nline two\r\n"))
    }

    @Test("request fields are escaped as JSON strings")
    func requestEscaping() throws {
        let line = Self.request(requestId: "id \"quoted\" \\ \u{1}", functionName: "fn\nname").line
        #expect(!line.contains("\n"))
        let value = try JSON.parse(line)
        #expect(value["requestId"] == .string("id \"quoted\" \\ \u{1}"))
        #expect(value["functionName"] == .string("fn\nname"))
    }

    @Test("the protocol's names: descriptor 3 and the three MENORT_ variables")
    func names() {
        #expect(WorkerProtocol.resultDescriptor == 3)
        #expect(WorkerProtocol.Variable.handler == "MENORT_HANDLER")
        #expect(WorkerProtocol.Variable.codeDirectory == "MENORT_CODE_DIR")
        #expect(WorkerProtocol.Variable.resultDescriptor == "MENORT_RESULT_FD")
        #expect(WorkerRequest(requestId: "r", event: JSONText("{}"), deadlineMs: 0, functionName: "f", invokedFunctionArn: "a",
                              memoryLimitInMB: 128, logGroupName: "g", logStreamName: "s").functionVersion == "$LATEST")
    }

    // MARK: - Replies

    @Test("a result reply carries the handler's value as written")
    func resultReply() throws {
        let reply = try WorkerReply(line: #"{"requestId":"r1","result":{"statusCode":200,"body":"{\"ok\":true}","ratio":1.50}}"#)
        #expect(reply.requestId == "r1")
        #expect(reply.error == nil)
        #expect(reply.result?.text == #"{"statusCode":200,"body":"{\"ok\":true}","ratio":1.50}"#)
        #expect(reply.result?["statusCode"]?.intValue == 200)
    }

    @Test("a handler that returns nothing replies result null", arguments: [
        #"{"requestId":"r1","result":null}"#,
        #"{"requestId":"r1"}"#,
    ])
    func nullResult(_ line: String) throws {
        let reply = try WorkerReply(line: line)
        #expect(reply == WorkerReply(requestId: "r1", result: .null))
    }

    @Test("a result may be any JSON value", arguments: [#""text""#, "42", "true", "[1,2]"])
    func scalarResult(_ result: String) throws {
        let reply = try WorkerReply(line: #"{"requestId":"r1","result":"# + result + "}")
        #expect(reply.result?.text == result)
    }

    @Test("an error reply carries errorType, errorMessage and the stack trace lines")
    func errorReply() throws {
        let reply = try WorkerReply(line: #"""
            {"requestId":"r2","error":{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined (reading 'x')","stackTrace":["TypeError: Cannot read properties of undefined (reading 'x')","    at Runtime.handler (/var/task/index.js:3:20)"]}}
            """#)
        #expect(reply == WorkerReply(requestId: "r2", error: HandlerError(
            errorType: "TypeError", errorMessage: "Cannot read properties of undefined (reading 'x')",
            stackTrace: ["TypeError: Cannot read properties of undefined (reading 'x')", "    at Runtime.handler (/var/task/index.js:3:20)"])))
        #expect(reply.result == nil)
    }

    @Test("an error without type, message or trace gets Error, an empty message and no trace")
    func sparseError() throws {
        let reply = try WorkerReply(line: #"{"requestId":"r3","error":{}}"#)
        #expect(reply.error == HandlerError(errorType: "Error", errorMessage: "", stackTrace: []))
    }

    @Test("stack trace entries that are not strings are skipped")
    func mixedStackTrace() throws {
        let reply = try WorkerReply(line: #"{"requestId":"r4","error":{"errorType":"E","errorMessage":"m","stackTrace":["a",1,null,"b"]}}"#)
        #expect(reply.error?.stackTrace == ["a", "b"])
    }

    @Test("an error null beside a result is a success")
    func nullError() throws {
        let reply = try WorkerReply(line: #"{"requestId":"r5","result":7,"error":null}"#)
        #expect(reply == WorkerReply(requestId: "r5", result: .number("7")))
    }

    /// A reply line that cannot be read, and why.
    struct Malformed: CustomTestStringConvertible, Sendable {
        let line: String
        let description: String
        var testDescription: String { line.isEmpty ? "(empty line)" : line }

        init(_ line: String, _ description: String) {
            self.line = line
            self.description = description
        }
    }

    @Test("a malformed reply line is refused with the reason", arguments: [
        Malformed("", "not JSON: unexpected end of text at byte 0"),
        Malformed("Error: something went wrong", "not JSON: expected a value at byte 0"),
        Malformed(#"{"requestId":"r1","result":}"#, "not JSON: expected a value at byte 27"),
        Malformed(#"{"requestId":"r1"} trailing"#, "not JSON: unexpected text after the value at byte 19"),
        Malformed(#"{"result":1}"#, "no requestId"),
        Malformed(#"{"requestId":7,"result":1}"#, "no requestId"),
        Malformed(#"["r1",1]"#, "no requestId"),
        Malformed(#"{"requestId":"r1","error":"boom"}"#, "error is not an object"),
        Malformed(#"{"requestId":"r1","error":["boom"]}"#, "error is not an object"),
    ])
    func malformedReply(_ row: Malformed) {
        let error = #expect(throws: WorkerReply.Malformed.self) { try WorkerReply(line: row.line) }
        #expect(error?.description == row.description)
    }
}
