import CloudFormation
import Contract
import Foundation
import RealtimeStack
import Scaffold
import Testing
import Validation
import YAML

/// A day on which nodejs24.x is current, so the configs below do not change meaning.
private let testDay = "2026-11-27"

/// Route sets unlike the default one: every table at every access, with and without
/// broadcast, lifecycle routes without their usual tables.
private let customConfigs: [String] = [
    """
    routes:
      $connect: { tables: { connections: read }, broadcast: true }
      $disconnect: {}
      $default: {}
      chat.history: { tables: { chat: read } }
      presence.list: { tables: { presence: read, connections: read }, broadcast: true }
      session.touch: { tables: { sessions: write, connections: write }, broadcast: true }
    """,
    """
    routes:
      $connect: { tables: { sessions: write, presence: write } }
      $disconnect: { tables: { connections: read, sessions: write }, broadcast: true }
      $default: { tables: { chat: write } }
      chat.send: { tables: { chat: write, sessions: read }, broadcast: true }
      typing.start: { tables: { connections: read }, broadcast: true }
    """,
    """
    routes:
      room.join: { handler: rooms, tables: { connections: write, chat: read, presence: write, sessions: read }, broadcast: true }
    """,
]

/// The project of a config, and the rendered template read back as YAML.
private struct Scaffolded {
    let config: StackConfig
    let files: [ProjectFile]
    let template: Node

    init(_ text: String?) throws {
        config = try text.map { try StackConfig.parse($0, file: "menort.yaml", today: testDay) } ?? .default
        files = try Project.files(config: config, configText: Array((text ?? StackConfig.commentedDefaults).utf8))
        let rendered = try #require(files.first { $0.path == "template.yaml" })
        template = try #require(try Parser.parse(bytes: rendered.contents))
    }

    func text(_ path: String) throws -> String {
        String(decoding: try #require(files.first { $0.path == path }).contents, as: UTF8.self)
    }

    /// `Environment.Variables` of the function whose CodeUri is the route's folder, as the
    /// rendered text says (read with the YAML parser, not through the builder's model).
    func variables(of route: Route) throws -> [String] {
        let resources = try #require(template["Resources"]?.pairs)
        let function = try #require(resources.first { $0.value["Properties"]?["CodeUri"]?.scalar == RealtimeContract.codeURI(handler: route.handler) })
        return function.value["Properties"]?["Environment"]?["Variables"]?.pairs?.compactMap(\.key.scalar) ?? []
    }
}

/// The names a JavaScript text reads from `process.env`.
private func environmentReads(_ code: String) -> Set<String> {
    var names: Set<String> = []
    var rest = Substring(code)
    while let range = rest.range(of: "process.env.") {
        let name = rest[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        names.insert(String(name))
        rest = rest[range.upperBound...]
    }
    // Every read goes through `process.env.NAME`, so the check above sees them all.
    #expect(!code.contains("process.env["), "a computed environment read the test cannot check")
    return names
}

@Suite("menort init's files")
struct ProjectTests {
    @Test("The default project is the config, the template, .env.example, then index.mjs and aws.mjs per route in route order")
    func fileList() throws {
        let project = try Scaffolded(nil)
        var expected = ["menort.yaml", "template.yaml", ".env.example"]
        for handler in ["connect", "disconnect", "default", "chat-send", "presence-update"] {
            expected += ["lambda/realtime/\(handler)/index.mjs", "lambda/realtime/\(handler)/aws.mjs"]
        }
        #expect(project.files.map(\.path) == expected)
    }

    @Test("menort.yaml is the commented defaults and template.yaml is what render writes")
    func configAndTemplate() throws {
        let project = try Scaffolded(nil)
        #expect(try project.text("menort.yaml") == StackConfig.commentedDefaults)
        #expect(try project.text("template.yaml") == (try StackConfig.default.render()))
    }

    @Test("A config's own text becomes menort.yaml unchanged and its routes get the handlers")
    func customConfigText() throws {
        let project = try Scaffolded(customConfigs[2])
        #expect(try project.text("menort.yaml") == customConfigs[2])
        #expect(project.files.map(\.path).filter { $0.hasPrefix("lambda/") } == ["lambda/realtime/rooms/index.mjs", "lambda/realtime/rooms/aws.mjs"])
    }

    @Test("A config that cannot become a template is refused with the builder's reason")
    func badConfig() throws {
        let config = StackConfig(routes: [
            Route(key: RouteKey(unchecked: "a.b"), handler: "chat-send"),
            Route(key: RouteKey(unchecked: "c.d"), handler: "chat_send"),
        ])
        #expect(throws: ProjectError.stack(.sharedLogicalID("ChatSend", "chat-send", "chat_send"))) {
            try Project.files(config: config, configText: [])
        }
    }

    @Test("Every handler folder holds the same aws.mjs")
    func helperCopies() throws {
        for text in [nil] + customConfigs {
            let project = try Scaffolded(text)
            let helpers = project.files.filter { $0.path.hasSuffix("/aws.mjs") }
            #expect(helpers.count == project.config.routes.count)
            #expect(helpers.allSatisfy { $0.contents == Array(HandlerHelper.text.utf8) })
        }
    }
}

@Suite("Generated handlers")
struct HandlerScaffoldTests {
    @Test("A handler reads only environment variables the rendered template gives its function", arguments: [nil] + customConfigs)
    func readsOnlyItsEnvironment(_ text: String?) throws {
        let project = try Scaffolded(text)
        for route in project.config.routes {
            let code = try project.text(RealtimeContract.codeURI(handler: route.handler) + "index.mjs")
            let given = Set(try project.variables(of: route))
            let reads = environmentReads(code)
            #expect(reads.isSubset(of: given), "\(route.key) reads \(reads.subtracting(given).sorted()) that its function is not given")
        }
    }

    @Test("aws.mjs reads only what Lambda sets and the endpoint overrides")
    func helperEnvironment() {
        #expect(environmentReads(HandlerHelper.text) == Set(HandlerHelper.environment))
        #expect(HandlerHelper.environment.allSatisfy { $0.hasPrefix("AWS_") })
    }

    @Test("Every variable the template gives a function is listed at the top of its handler", arguments: [nil] + customConfigs)
    func listsItsEnvironment(_ text: String?) throws {
        let project = try Scaffolded(text)
        for route in project.config.routes {
            let code = try project.text(RealtimeContract.codeURI(handler: route.handler) + "index.mjs")
            let header = code.split(separator: "\n").prefix { $0.hasPrefix("//") }
            for name in try project.variables(of: route) {
                #expect(header.contains { $0.hasPrefix("//   \(name) ") || $0 == "//   \(name)" }, "\(route.key): \(name) is not listed")
            }
        }
    }

    @Test("The default routes' handlers list exactly the variables the builder gives them")
    func defaultEnvironmentLists() throws {
        let project = try Scaffolded(nil)
        let chatSend = try project.text("lambda/realtime/chat-send/index.mjs")
        #expect(chatSend.contains("""
            // The environment the template gives this function:
            //   CONNECTIONS_TABLE_NAME  the connections table (write)
            //   CONNECTIONS_INDEX_NAME  the connections table's index on connectionId
            //   CHAT_TABLE_NAME         the chat table (write)
            //   SESSION_TABLE_NAME      the sessions table (read)
            //   MANAGEMENT_ENDPOINT     the Management API: POST @connections/{connectionId}
            """))
        let defaultRoute = try project.text("lambda/realtime/default/index.mjs")
        #expect(defaultRoute.contains("//   MANAGEMENT_ENDPOINT  the Management API"))
        #expect(!defaultRoute.contains("TABLE_NAME"))
    }

    @Test("A handler states the keys it assumes for each team table it uses, and for no other", arguments: [nil] + customConfigs)
    func statesAssumedKeys(_ text: String?) throws {
        let project = try Scaffolded(text)
        for route in project.config.routes {
            let code = try project.text(RealtimeContract.codeURI(handler: route.handler) + "index.mjs")
            for (table, keys) in HandlerScaffold.assumedKeys {
                let uses = code.contains("\(table.rawValue)Table,") || code.contains("\(table.rawValue)Table)")
                let line = "//   \(table.rawValue)"
                let stated = code.split(separator: "\n").contains { $0.hasPrefix(line) && $0.contains(keys[0] + " (partition)") }
                #expect(stated == uses, "\(route.key): \(table) used: \(uses), keys stated: \(stated)")
            }
            if code.contains("Table,") || code.contains("Table)") {
                let teamTable = HandlerScaffold.assumedKeys.contains { code.contains("\($0.table.rawValue)Table") }
                #expect(!teamTable || code.contains("// Adjust to your table's keys."))
            }
        }
    }

    @Test("A route with only chat: read and no broadcast reads the chat table and never writes or posts")
    func readOnlyRoute() throws {
        let project = try Scaffolded(customConfigs[0])
        let code = try project.text("lambda/realtime/chat-history/index.mjs")
        #expect(code.contains("await query(chatTable, { sessionId }, { ScanIndexForward: false, Limit: 20 })"))
        for call in ["putItem(", "deleteItem(", "dynamodb(", "postToConnection(", "MANAGEMENT_ENDPOINT", "CONNECTIONS_TABLE_NAME"] {
            #expect(!code.contains(call), "\(call)")
        }
        #expect(code.contains("const sessionId = typeof message.sessionId === 'string' ? message.sessionId : null;"))
        #expect(code.contains("console.log(JSON.stringify(frame));"))
    }

    @Test("A route that may only read the connections table never deletes a row, even when a post finds it gone")
    func readOnlyConnections() throws {
        let project = try Scaffolded(customConfigs[0])
        for handler in ["connect", "presence-list"] {
            let code = try project.text("lambda/realtime/\(handler)/index.mjs")
            #expect(code.contains("async function broadcast("))
            #expect(!code.contains("deleteItem("), "\(handler)")
            #expect(!code.contains("putItem(connectionsTable"), "\(handler)")
        }
    }

    @Test("The default $connect refuses a missing sessionId with 400, an unknown session with 401, and writes the row with its TTL")
    func connectHandler() throws {
        let code = try Scaffolded(nil).text("lambda/realtime/connect/index.mjs")
        #expect(code.contains("const sessionId = event.queryStringParameters?.sessionId;"))
        #expect(code.contains("return { statusCode: 400 };"))
        #expect(code.contains("if (!(await getItem(sessionsTable, { sessionId }))) {"))
        #expect(code.contains("return { statusCode: 401 };"))
        #expect(code.contains("expiresAt: Math.floor(now / 1000) + connectionTTLSeconds,"))
        #expect(code.contains("const connectionTTLSeconds = 2 * 60 * 60;"))
        #expect(code.contains("await putItem(presenceTable, { sessionId, connectionId, status: 'online', updatedAt: now });"))
        #expect(!code.contains("postToConnection"), "the default $connect does not broadcast")
        #expect(code.hasPrefix("// $connect: the route's handler, written by `menort init` from its contract in menort.yaml (tables:\n"))
    }

    @Test("The default $disconnect finds its rows through the index and deletes them and the presence row")
    func disconnectHandler() throws {
        let code = try Scaffolded(nil).text("lambda/realtime/disconnect/index.mjs")
        #expect(code.contains("const rows = await query(connectionsTable, { connectionId }, { IndexName: connectionsIndex });"))
        #expect(code.contains("const connectionsIndex = process.env.CONNECTIONS_INDEX_NAME;"))
        #expect(code.contains("await deleteItem(connectionsTable, { sessionId, connectionId });"))
        #expect(code.contains("await deleteItem(presenceTable, { sessionId, connectionId });"))
        #expect(code.contains("await broadcast(sessionId, { action: 'disconnected', sessionId, connectionId }, connectionId);"))
    }

    @Test("The default $default answers the sender with the unknown action")
    func defaultHandler() throws {
        let code = try Scaffolded(nil).text("lambda/realtime/default/index.mjs")
        #expect(code.contains("await postToConnection(managementEndpoint, connectionId, { error: 'unknown action', action });"))
        #expect(code.contains("import { postToConnection } from './aws.mjs';"))
    }

    @Test("The default chat.send stores the message and fans it out, deleting rows of gone connections")
    func chatSendHandler() throws {
        let code = try Scaffolded(nil).text("lambda/realtime/chat-send/index.mjs")
        #expect(code.contains("""
                await putItem(chatTable, {
                  sessionId, messageId: frame.messageId, from: connectionId, text: frame.text, sentAt: frame.sentAt,
                });
            """))
        #expect(code.contains("await broadcast(sessionId, frame);"))
        #expect(code.contains("if (await postToConnection(managementEndpoint, connectionId, frame)) return;"))
        #expect(code.contains("      await deleteItem(connectionsTable, { sessionId, connectionId });"))
        #expect(code.contains("import { randomUUID } from 'node:crypto';"))
        #expect(code.contains("import { deleteItem, getItem, postToConnection, putItem, query } from './aws.mjs';"))
    }

    @Test("Handlers import nothing from npm: only node: modules and ./aws.mjs", arguments: [nil] + customConfigs)
    func standardLibraryOnly(_ text: String?) throws {
        let project = try Scaffolded(text)
        for file in project.files where file.path.hasSuffix(".mjs") {
            let code = String(decoding: file.contents, as: UTF8.self)
            let imports = code.split(separator: "\n").filter { $0.hasPrefix("import ") }
            for line in imports {
                #expect(line.hasSuffix("from 'node:crypto';") || line.hasSuffix("from './aws.mjs';"), "\(file.path): \(line)")
            }
            #expect(!code.contains("require("), "\(file.path)")
        }
    }
}

/// `# KEY=value`: a parameter line with its default, commented.
private func isCommentedAssignment(_ line: Substring) -> Bool {
    guard line.hasPrefix("# "), let equals = line.firstIndex(of: "=") else { return false }
    let key = line[line.index(line.startIndex, offsetBy: 2)..<equals]
    return !key.isEmpty && key.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
}

/// The functions aws.mjs exports.
private let helperExports: [String] = HandlerHelper.text.matches(of: /export (?:async )?(?:function|const) ([A-Za-z]+)/).map { String($0.1) }

@Suite("Generated imports")
struct ImportTests {
    @Test("aws.mjs exports the DynamoDB calls and postToConnection")
    func exports() {
        #expect(Set(helperExports).isSuperset(of: ["dynamodb", "getItem", "putItem", "deleteItem", "query", "postToConnection", "marshall", "unmarshall"]))
    }

    @Test("A handler imports exactly the aws.mjs functions it calls", arguments: [nil] + customConfigs)
    func importsWhatItCalls(_ text: String?) throws {
        let project = try Scaffolded(text)
        for route in project.config.routes {
            let code = try project.text(RealtimeContract.codeURI(handler: route.handler) + "index.mjs")
            let body = code.split(separator: "\n").filter { !$0.hasPrefix("import ") && !$0.hasPrefix("//") }.joined(separator: "\n")
            let called = Set(try helperExports.filter { name in
                // A call, not a method of something else (`.query(`) nor part of a longer name.
                ("\n" + body).contains(try Regex("[^A-Za-z0-9_.]\(name)\\("))
            })
            let importLine = code.split(separator: "\n").first { $0.hasSuffix("from './aws.mjs';") }
            let imported = Set(importLine.map { line in
                line.dropFirst("import { ".count).prefix { $0 != "}" }.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            } ?? [])
            #expect(imported == called, "\(route.key)")
            let usesUUID = body.contains("randomUUID(")
            #expect(code.contains("import { randomUUID } from 'node:crypto';") == usesUUID, "\(route.key)")
        }
    }
}

@Suite(".env.example")
struct EnvExampleTests {
    @Test("It parses with the env-file reader: required parameters empty, the others commented with their default")
    func parses() throws {
        let project = try Scaffolded(nil)
        let text = try project.text(".env.example")
        let template = try StackConfig.default.template()
        let entries = try EnvFile.parse(text, file: ".env.example")
        let required = template.parameters.filter(\.isRequired)
        #expect(entries.map(\.key) == required.map { ParameterValues.upperSnakeCase($0.id.rawValue) })
        #expect(entries.allSatisfy { $0.value.isEmpty })
        // Uncommented, every line names a parameter, the defaults read back exactly.
        let uncommented = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            isCommentedAssignment(line) ? line.dropFirst(2) : line
        }.joined(separator: "\n")
        let all = try EnvFile.parse(uncommented, file: ".env.example")
        #expect(all.map(\.key) == template.parameters.map { ParameterValues.upperSnakeCase($0.id.rawValue) })
        #expect(all.map(\.value) == template.parameters.map { $0.defaultValue ?? "" })
    }

    @Test("The default stack's file, line by line")
    func golden() throws {
        #expect(try Scaffolded(nil).text(".env.example") == """
            # The deploy values of the realtime stack: template.yaml's parameters, as
            # `menort params --env-file .env` and `menort validate --env-file .env` read them.
            # Copy this file to .env (keep .env out of version control) and fill in the empty
            # values; a commented line shows the template's default: uncomment it to change it.

            # ServiceName: Prefix of the API name, and the Service tag of every resource; letters, digits and hyphens.
            # SERVICE_NAME=meno-realtime

            # StageName: API Gateway stage, the last segment of the WebSocket URL.
            # STAGE_NAME=prod

            # ChatTableName (required): Existing DynamoDB table of chat messages.
            CHAT_TABLE_NAME=''

            # PresenceTableName (required): Existing DynamoDB table of presence.
            PRESENCE_TABLE_NAME=''

            # SessionTableName (required): Existing DynamoDB table of sessions.
            SESSION_TABLE_NAME=''

            # ConnectionsTableName: DynamoDB table of open WebSocket connections, created by this stack.
            # CONNECTIONS_TABLE_NAME=meno-connections

            # LambdaTimeout: Handler timeout in seconds; API Gateway gives up on an integration after 29.
            # LAMBDA_TIMEOUT=10

            """)
    }

    @Test("A route set without the presence table asks for no presence table name")
    func onlyUsedTables() throws {
        let text = try Scaffolded(customConfigs[2].replacingOccurrences(of: "presence: write, ", with: "")).text(".env.example")
        #expect(!text.contains("PRESENCE_TABLE_NAME"))
        #expect(text.contains("\nCHAT_TABLE_NAME=''\n"))
    }
}
