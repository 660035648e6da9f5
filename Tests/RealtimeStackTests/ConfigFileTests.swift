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

    static let retentionList = StackConfig.logRetentionValues.map(String.init).joined(separator: ", ")

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
                  message: "unknown key 'route' in the config file (expected one of: routes, runtime, memorySize, architecture, tags, logRetentionDays, throttling, stageLogging)"),
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
        BadConfig(name: "tags not a mapping", text: "tags:\n  - team\n", line: 2, column: 3,
                  message: "tags must be a mapping"),
        BadConfig(name: "a tag key AWS keeps", text: "tags:\n  aws:team: chat\n", line: 2, column: 3,
                  message: "tag key 'aws:team' starts with 'aws:', which AWS keeps for its own tags"),
        BadConfig(name: "a tag the stack sets itself", text: "tags:\n  Stage: dev\n", line: 2, column: 3,
                  message: "tag 'Stage' is set by the stack itself (from the StageName parameter); choose another key"),
        BadConfig(name: "a tag key over 128 characters", text: "tags:\n  \(String(repeating: "k", count: 129)): x\n", line: 2, column: 3,
                  message: "tag key '\(String(repeating: "k", count: 129))' must be 1 to 128 characters"),
        BadConfig(name: "a tag value with a character the services refuse", text: "tags:\n  team: chat#1\n", line: 2, column: 9,
                  message: "the value of tag 'team' may hold only letters, digits, spaces and _ . : / = + - @"),
        BadConfig(name: "a tag value over 256 characters", text: "tags:\n  team: \(String(repeating: "v", count: 257))\n", line: 2, column: 9,
                  message: "the value of tag 'team' is 257 characters; at most 256"),
        BadConfig(name: "a tag value that is a list", text: "tags:\n  team: [a]\n", line: 2, column: 9,
                  message: "the value of tag 'team' must be a string"),
        BadConfig(name: "more tags than a function can hold beside the stack's and SAM's",
                  text: "tags:\n" + (1...48).map { "  t\($0): v\n" }.joined(), line: 2, column: 3,
                  message: "tags holds 48 tags; at most 47: a resource holds 50, and the stack sets Service and Stage, and SAM sets lambda:createdBy on every function"),
        BadConfig(name: "a retention CloudWatch does not offer", text: "logRetentionDays: 31\n", line: 1, column: 19,
                  message: "logRetentionDays 31 is not a period CloudWatch Logs accepts (nearest: 30 or 60; all: \(retentionList))"),
        BadConfig(name: "a retention of zero days", text: "logRetentionDays: 0\n", line: 1, column: 19,
                  message: "logRetentionDays 0 is not a period CloudWatch Logs accepts (nearest: 1; all: \(retentionList))"),
        BadConfig(name: "a retention beyond ten years", text: "logRetentionDays: 5000\n", line: 1, column: 19,
                  message: "logRetentionDays 5000 is not a period CloudWatch Logs accepts (nearest: 3653; all: \(retentionList))"),
        BadConfig(name: "a retention in words", text: "logRetentionDays: thirty\n", line: 1, column: 19,
                  message: "logRetentionDays must be a whole number"),
        BadConfig(name: "throttling that is not a mapping", text: "throttling: 100\n", line: 1, column: 13,
                  message: "throttling must be a mapping"),
        BadConfig(name: "a misspelled throttling key", text: "throttling:\n  burts: 10\n", line: 2, column: 3,
                  message: "unknown key 'burts' in throttling (expected one of: burst, rate)"),
        BadConfig(name: "a burst of zero", text: "throttling:\n  burst: 0\n", line: 2, column: 10,
                  message: "throttling.burst 0 is outside 1–5000 (0 refuses every message; API Gateway's default account quota is 5000)"),
        BadConfig(name: "a burst above the account quota", text: "throttling:\n  burst: 5001\n", line: 2, column: 10,
                  message: "throttling.burst 5001 is outside 1–5000 (0 refuses every message; API Gateway's default account quota is 5000)"),
        BadConfig(name: "a fractional burst", text: "throttling:\n  burst: 2.5\n", line: 2, column: 10,
                  message: "throttling.burst must be a whole number"),
        BadConfig(name: "a rate of zero", text: "throttling:\n  rate: 0\n", line: 2, column: 9,
                  message: "throttling.rate 0 must be above 0 (0 refuses every message) and at most 10000 (API Gateway's default account quota a second)"),
        BadConfig(name: "a rate above the account quota", text: "throttling:\n  rate: 10000.5\n", line: 2, column: 9,
                  message: "throttling.rate 10000.5 must be above 0 (0 refuses every message) and at most 10000 (API Gateway's default account quota a second)"),
        BadConfig(name: "a rate in words", text: "throttling:\n  rate: fast\n", line: 2, column: 9,
                  message: "throttling.rate must be a number of messages a second"),
        BadConfig(name: "a rate that is not a number", text: "throttling:\n  rate: nan\n", line: 2, column: 9,
                  message: "throttling.rate must be a number of messages a second"),
        BadConfig(name: "stage logging that is not a mapping", text: "stageLogging: true\n", line: 1, column: 15,
                  message: "stageLogging must be a mapping"),
        BadConfig(name: "a misspelled stage logging key", text: "stageLogging:\n  acess: true\n", line: 2, column: 3,
                  message: "unknown key 'acess' in stageLogging (expected one of: access, level)"),
        BadConfig(name: "access logging as yes", text: "stageLogging:\n  access: yes\n", line: 2, column: 11,
                  message: "stageLogging.access must be true or false"),
        BadConfig(name: "a log level API Gateway does not have", text: "stageLogging:\n  level: DEBUG\n", line: 2, column: 10,
                  message: "unknown stageLogging.level 'DEBUG' (expected OFF, ERROR, INFO)"),
        BadConfig(name: "a log level in lower case", text: "stageLogging:\n  level: info\n", line: 2, column: 10,
                  message: "unknown stageLogging.level 'info' (expected OFF, ERROR, INFO)"),
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
