import Contract
import Foundation
import Testing
import YAML
import CloudFormation
@testable import RealtimeStack

/// A day on which nodejs22.x and nodejs24.x are current and nodejs18.x is deprecated, so the
/// tests do not change meaning as the calendar moves.
let testDay = "2026-11-27"

@Suite("menort.yaml")
struct ConfigFileTests {
    @Test("An empty or comment-only file means the built-in stack", arguments: ["", "# nothing yet\n", "~\n"])
    func emptyMeansDefault(_ text: String) throws {
        #expect(try StackConfig.parse(text, file: "menort.yaml", today: testDay) == .default)
    }

    @Test("The checked-in example config is the built-in stack")
    func exampleIsDefault() throws {
        let text = try String(contentsOfFile: Fixture.root + "/templates/realtime/menort.yaml", encoding: .utf8)
        #expect(try StackConfig.parse(text, file: "menort.yaml", today: testDay) == .default)
    }

    @Test("Adding a route is one entry, and its handler folder is derived from its key")
    func oneEntryAddsARoute() throws {
        let config = try StackConfig.parse("""
            routes:
              $connect: { tables: { connections: write } }
              chat.typing: { broadcast: true }
            """, file: "menort.yaml", today: testDay)
        #expect(config.routes.map(\.key.rawValue) == ["$connect", "chat.typing"])
        #expect(config.routes.map(\.handler) == ["connect", "chat-typing"])
        #expect(config.routes[0].tables == [.connections: .write])
        #expect(config.routes[1].broadcast)
    }

    @Test("Top-level settings replace the defaults and keep the default routes")
    func settings() throws {
        let config = try StackConfig.parse("runtime: nodejs22.x\nmemorySize: 512\narchitecture: arm64\n", file: "m.yaml", today: testDay)
        #expect(config.runtime == "nodejs22.x")
        #expect(config.memorySize == 512)
        #expect(config.architecture == .arm64)
        #expect(config.routes == StackConfig.default.routes)
    }

    @Test("A route's memory and timeout override the stack's")
    func routeOverrides() throws {
        let config = try StackConfig.parse("routes:\n  a.b:\n    memorySize: 1024\n    timeout: 5\n", file: "m.yaml", today: testDay)
        #expect(config.functions[config.routes[0].key] == FunctionSettings(memorySize: 1024, timeout: 5))
    }

    struct BadConfig: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        let line: Int
        let column: Int
        let message: String
        var testDescription: String { name }
    }

    static let badConfigs: [BadConfig] = [
        BadConfig(name: "unknown top-level key", text: "route:\n  a: {}\n", line: 1, column: 1,
                  message: "unknown key 'route' in the config file (expected one of: routes, runtime, memorySize, architecture)"),
        BadConfig(name: "unknown route key", text: "routes:\n  a:\n    handlr: x\n", line: 3, column: 5,
                  message: "unknown key 'handlr' in route 'a' (expected one of: handler, tables, broadcast, memorySize, timeout)"),
        BadConfig(name: "unknown table", text: "routes:\n  a:\n    tables: { chats: read }\n", line: 3, column: 15,
                  message: "unknown table 'chats' (expected one of: connections, chat, presence, sessions)"),
        BadConfig(name: "unknown access level", text: "routes:\n  a:\n    tables:\n      chat: readwrite\n", line: 4, column: 13,
                  message: "unknown access 'readwrite' for table 'chat' (expected read or write)"),
        BadConfig(name: "reserved $ route key", text: "routes:\n  $connected: {}\n", line: 2, column: 3,
                  message: "route key '$connected' starts with '$', which API Gateway reserves for $connect, $disconnect and $default"),
        BadConfig(name: "two routes on one handler folder", text: "routes:\n  a.b:\n    handler: shared\n  c.d:\n    handler: shared\n", line: 5, column: 14,
                  message: "routes 'a.b' and 'c.d' share the handler folder 'shared'; each route needs its own Lambda"),
        BadConfig(name: "a derived handler that clashes with a named one", text: "routes:\n  a:\n    handler: chat-send\n  chat.send: {}\n", line: 4, column: 3,
                  message: "routes 'a' and 'chat.send' share the handler folder 'chat-send'; each route needs its own Lambda"),
        BadConfig(name: "handler folders spelling one logical id", text: "routes:\n  a:\n    handler: chat-send\n  b:\n    handler: chat_send\n", line: 5, column: 14,
                  message: "handler folders 'chat-send' and 'chat_send' both give the logical id prefix 'ChatSend'; rename one"),
        BadConfig(name: "a handler folder with a slash", text: "routes:\n  a:\n    handler: ../etc\n", line: 3, column: 14,
                  message: "handler folder '../etc' is not valid: a handler folder is letters, digits, '.', '_' and '-', starting with a letter or digit"),
        BadConfig(name: "duplicate route key", text: "routes:\n  a: {}\n  a: {}\n", line: 3, column: 3,
                  message: "duplicate key 'a' (first defined at 2:3)"),
        BadConfig(name: "no routes", text: "routes: {}\n", line: 1, column: 9,
                  message: "at least one route is required: API Gateway cannot deploy an API without routes"),
        BadConfig(name: "routes not a mapping", text: "routes:\n  - chat.send\n", line: 2, column: 3,
                  message: "routes must be a mapping"),
        BadConfig(name: "broadcast not a boolean", text: "routes:\n  a:\n    broadcast: yes\n", line: 3, column: 16,
                  message: "broadcast must be true or false"),
        BadConfig(name: "timeout beyond API Gateway's", text: "routes:\n  a:\n    timeout: 30\n", line: 3, column: 14,
                  message: "timeout 30 is outside 1–29 (API Gateway stops waiting for an integration after 29 seconds)"),
        BadConfig(name: "memory below Lambda's minimum", text: "memorySize: 64\n", line: 1, column: 13,
                  message: "memorySize 64 is outside 128–10240 (Lambda's memory range in MB)"),
        BadConfig(name: "a runtime that is not Node.js", text: "runtime: python3.13\n", line: 1, column: 10,
                  message: "runtime 'python3.13' is not Node.js; the realtime handlers are Node.js (e.g. nodejs24.x)"),
        BadConfig(name: "a deprecated runtime", text: "runtime: nodejs18.x\n", line: 1, column: 10,
                  message: "runtime 'nodejs18.x' has been deprecated since 2025-09-01; use nodejs24.x"),
        BadConfig(name: "an unknown architecture", text: "architecture: arm\n", line: 1, column: 15,
                  message: "unknown architecture 'arm' (expected x86_64 or arm64)"),
        BadConfig(name: "a top level that is a list", text: "- routes\n", line: 1, column: 1,
                  message: "the config file must be a mapping"),
        BadConfig(name: "a YAML syntax error", text: "routes:\n  a: {\n", line: 3, column: 1,
                  message: "did not find expected node content (while parsing a flow node at 3:1)"),
    ]

    @Test("A bad config is refused at the node that is wrong", arguments: badConfigs)
    func badConfig(_ bad: BadConfig) {
        do {
            _ = try StackConfig.parse(bad.text, file: "menort.yaml", today: testDay)
            Issue.record("\(bad.name) was accepted")
        } catch {
            #expect(error.message == bad.message)
            #expect(error.mark == Mark(line: bad.line, column: bad.column))
            #expect(error.description == "menort.yaml:\(bad.line):\(bad.column): error: \(bad.message)")
        }
    }

    @Test("Invalid UTF-8 is refused with its position")
    func invalidUTF8() {
        #expect(throws: ConfigError.self) {
            try StackConfig.parse(bytes: Array("routes:\n  a".utf8) + [0xFF] + Array(": {}\n".utf8), file: "m.yaml", today: testDay)
        }
    }
}
