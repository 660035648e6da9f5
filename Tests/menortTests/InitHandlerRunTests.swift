import Foundation
import Testing
import YAML

/// Runs each handler `menort init` writes, under node, once, with `fetch` answering as
/// DynamoDB and the Management API would, and records every request it makes: the route's
/// contract (the template's `Metadata: menort:`) must allow each one.
@Suite("menort init's handlers, run")
struct InitHandlerRunTests {
    /// Loads a handler with a recording `fetch`, calls it with one event, prints what it did.
    /// Queries find two connections of the session, one of them gone (410).
    static let driver = #"""
        import { pathToFileURL } from 'node:url';
        const [handlerFile, eventJSON] = process.argv.slice(2);
        const calls = [];
        const errors = [];
        console.error = (...args) => errors.push(args.map((a) => (a instanceof Error ? a.stack : String(a))).join(' '));
        console.log = () => {};
        globalThis.fetch = async (url, init) => {
          url = new URL(url);
          const signed = /^AWS4-HMAC-SHA256 Credential=test-key\/\d{8}\/us-east-1\/(dynamodb|execute-api)\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/
            .test(init.headers.authorization ?? '');
          if (init.headers['x-amz-target']) {
            const operation = init.headers['x-amz-target'].split('.')[1];
            const input = JSON.parse(init.body);
            calls.push({ service: 'dynamodb', operation, table: input.TableName, signed, host: url.host });
            const rows = [{ sessionId: { S: 's1' }, connectionId: { S: 'live1' } }, { sessionId: { S: 's1' }, connectionId: { S: 'gone1' } }];
            const answer = operation === 'GetItem' ? { Item: { sessionId: { S: 's1' } } } : operation === 'Query' ? { Items: rows } : {};
            return new Response(JSON.stringify(answer), { status: 200 });
          }
          calls.push({ service: 'execute-api', operation: init.method, table: null, signed, host: url.host, path: url.pathname });
          return new Response('', { status: url.pathname.endsWith('/gone1') ? 410 : 200 });
        };
        const { handler } = await import(pathToFileURL(handlerFile));
        const result = await handler(JSON.parse(eventJSON), {});
        process.stdout.write(JSON.stringify({ result, calls, errors }));
        """#

    /// The event API Gateway sends the route.
    static func event(_ key: String) -> String {
        let context = #""connectionId": "self1", "routeKey": "\#(key)", "requestId": "r1", "connectedAt": 1700000000000"#
        switch key {
        case "$connect":
            return #"{"requestContext": {\#(context), "eventType": "CONNECT"}, "queryStringParameters": {"sessionId": "s1"}}"#
        case "$disconnect":
            return #"{"requestContext": {\#(context), "eventType": "DISCONNECT"}}"#
        default:
            let body = #"{"action": "\#(key)", "text": "hi", "status": "away", "sessionId": "s1"}"#
                .replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return #"{"requestContext": {\#(context), "eventType": "MESSAGE"}, "body": "\#(body)", "isBase64Encoded": false}"#
        }
    }

    /// The table each variable names, as the contract spells the tables.
    static let tableOfVariable = ["CONNECTIONS_TABLE_NAME": "connections", "CHAT_TABLE_NAME": "chat",
                                  "PRESENCE_TABLE_NAME": "presence", "SESSION_TABLE_NAME": "sessions"]
    static let writes: Set<String> = ["PutItem", "DeleteItem", "UpdateItem", "BatchWriteItem", "TransactWriteItems"]

    @Test("Each handler answers 200 and makes only the DynamoDB and @connections requests its route's contract allows",
          .enabled(if: NodeJS.available, "node is not on PATH"),
          arguments: [nil, InitCommandTests.customConfig])
    func followsTheContract(_ config: String?) throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var arguments = ["init", "project"]
        if let config {
            try config.write(to: folder.appendingPathComponent("custom.yaml"), atomically: true, encoding: .utf8)
            arguments += ["--config", "custom.yaml"]
        }
        #expect(try Menort.run(arguments, in: folder).status == 0)
        let project = folder.appendingPathComponent("project")
        let driver = folder.appendingPathComponent("driver.mjs")
        try Self.driver.write(to: driver, atomically: true, encoding: .utf8)

        let template = try #require(try Parser.parse(bytes: Array(InitCommandTests.read(project, "template.yaml").utf8)))
        let routes = try #require(template["Metadata"]?["menort"]?["routes"]?.pairs)
        let functions = try #require(template["Resources"]?.pairs)
        #expect(routes.count == (config == nil ? 5 : 6))
        for route in routes {
            let key = try #require(route.key.scalar)
            let handler = try #require(route.value["handler"]?.scalar)
            let tables = Dictionary(uniqueKeysWithValues: (route.value["tables"]?.pairs ?? []).map { ($0.key.scalar ?? "", $0.value.scalar ?? "") })
            let broadcast = route.value["broadcast"]?.scalar == "true"
            let function = try #require(functions.first { $0.value["Properties"]?["CodeUri"]?.scalar == "lambda/realtime/\(handler)/" })
            let variables = function.value["Properties"]?["Environment"]?["Variables"]?.pairs?.compactMap(\.key.scalar) ?? []

            // The function's environment as Lambda would give it: each table variable names a
            // table called after the variable, so a request's TableName says which it is.
            var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "AWS_REGION": "us-east-1",
                               "AWS_ACCESS_KEY_ID": "test-key", "AWS_SECRET_ACCESS_KEY": "test-secret",
                               "AWS_SESSION_TOKEN": "test-token"]
            for name in variables {
                switch name {
                case "MANAGEMENT_ENDPOINT": environment[name] = "https://abcdefghij.execute-api.us-east-1.amazonaws.com/prod"
                case "CONNECTIONS_INDEX_NAME": environment[name] = "connectionId-index"
                default: environment[name] = "table-" + name
                }
            }
            let result = try Self.node([driver.path, project.appendingPathComponent("lambda/realtime/\(handler)/index.mjs").path, Self.event(key)],
                                       environment: environment)
            #expect(result.status == 0, "\(key): \(result.stderr)")
            let output = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(key): \(result.stdout)")
            #expect(output["errors"] as? [String] == [], "\(key) logged errors: \(output["errors"] ?? "")")
            #expect((output["result"] as? [String: Any])?["statusCode"] as? Int == 200, "\(key): \(output["result"] ?? "nothing")")

            let calls = output["calls"] as? [[String: Any]] ?? []
            for call in calls {
                let operation = call["operation"] as? String ?? "?"
                #expect(call["signed"] as? Bool == true, "\(key): \(operation) is not signed")
                if call["service"] as? String == "execute-api" {
                    #expect(broadcast, "\(key) posts to @connections without broadcast: true")
                    #expect(operation == "POST" && (call["path"] as? String)?.hasPrefix("/prod/@connections/") == true, "\(key): \(call)")
                    continue
                }
                #expect(call["host"] as? String == "dynamodb.us-east-1.amazonaws.com", "\(key): \(call)")
                let variable = (call["table"] as? String).map { String($0.dropFirst("table-".count)) } ?? "?"
                let table = try #require(Self.tableOfVariable[variable], "\(key): \(operation) on \(call["table"] ?? "no table"), which its function is not given")
                let access = try #require(tables[table], "\(key): \(operation) on the \(table) table, which its route does not list")
                if Self.writes.contains(operation) {
                    #expect(access == "write", "\(key): \(operation) on the \(table) table, which its route may only read")
                }
            }
            // What each route is for, where its contract allows it.
            let operations = calls.map { "\($0["operation"] as? String ?? "?") \($0["table"] as? String ?? "")" }
            if key == "$connect", tables["connections"] == "write" {
                #expect(operations.contains("PutItem table-CONNECTIONS_TABLE_NAME"), "\(key): \(operations)")
            }
            if key == "$disconnect", tables["connections"] == "write" {
                #expect(operations.contains("DeleteItem table-CONNECTIONS_TABLE_NAME"), "\(key): \(operations)")
            }
            if broadcast, key != "$connect" || tables["connections"] != nil {
                #expect(operations.contains("POST "), "\(key) broadcasts but posted nothing: \(operations)")
            }
            if broadcast, tables["connections"] == "write", key != "$default" {
                // The post to the gone connection (410) deletes its row.
                #expect(operations.contains("DeleteItem table-CONNECTIONS_TABLE_NAME"), "\(key): \(operations)")
            }
        }
    }

    static func node(_ arguments: [String], environment: [String: String]) throws -> Menort.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["node"] + arguments
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Menort.Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                             stderr: String(decoding: stderr, as: UTF8.self))
    }
}
