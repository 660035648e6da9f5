import CloudFormation
import Contract
import Testing
import YAML

@Suite("the contract in Metadata: menort:")
struct ContractMetadataTests {
    /// The `menort:` node of a template's text.
    static func menort(_ text: String) throws -> Node {
        let root = try #require(try Parser.parse(text))
        return try #require(root["Metadata"]?["menort"])
    }

    static func read(_ text: String) throws -> Result<RealtimeContract?, ContractError> {
        let node = try menort(text)
        do {
            return .success(try RealtimeContract.read(metadata: node))
        } catch {
            return .failure(error)
        }
    }

    @Test("the default contract written as metadata reads back as itself")
    func defaultRoundTrip() throws {
        let text = try Emitter.emit(try Value.map([.init("Metadata", .map([.init("menort", RealtimeContract.default.metadata)]))]).node())
        #expect(try Self.read(text) == .success(.default))
    }

    @Test("a custom contract keeps its route order, handlers, tables and broadcast through metadata")
    func customRoundTrip() throws {
        let contract = RealtimeContract(routes: [
            Route(key: .connect, handler: "connect", tables: [.connections: .write]),
            Route(key: try RouteKey("typing.start"), handler: "typing", tables: [.presence: .read], broadcast: true),
            Route(key: try RouteKey("room.join"), handler: "room-join", tables: [.sessions: .write, .chat: .read]),
        ])
        let text = try Emitter.emit(try Value.map([.init("Metadata", .map([.init("menort", contract.metadata)]))]).node())
        #expect(try Self.read(text) == .success(contract))
    }

    @Test("stack: realtime without routes declares the default contract")
    func minimalOptIn() throws {
        #expect(try Self.read("Metadata:\n  menort:\n    stack: realtime\n") == .success(.default))
    }

    @Test("a menort block holding only ignore declares no contract")
    func ignoreOnly() throws {
        #expect(try Self.read("Metadata:\n  menort:\n    ignore: [refs-unused-parameter]\n") == .success(nil))
    }

    struct Bad: Sendable, CustomStringConvertible {
        let name: String
        let text: String
        let line: Int
        let column: Int
        let message: String
        var description: String { name }
    }

    static let bad: [Bad] = [
        Bad(name: "an unknown stack kind", text: "Metadata:\n  menort:\n    stack: realtme\n", line: 3, column: 12,
            message: "unknown stack kind 'realtme' (menort knows 'realtime')"),
        Bad(name: "routes without a stack kind", text: "Metadata:\n  menort:\n    routes: {}\n", line: 3, column: 13,
            message: "Metadata: menort: declares routes but no 'stack: realtime'; add it, or the routes are not checked"),
        Bad(name: "an unknown key in the block", text: "Metadata:\n  menort:\n    stack: realtime\n    route: {}\n", line: 4, column: 5,
            message: "unknown key 'route' in Metadata: menort: (expected one of: stack, routes, ignore)"),
        Bad(name: "a reserved-prefix route key", text: "Metadata:\n  menort:\n    stack: realtime\n    routes:\n      $typing: {}\n", line: 5, column: 7,
            message: "route key '$typing' starts with '$', which API Gateway reserves for $connect, $disconnect and $default"),
        Bad(name: "an unknown table", text: "Metadata:\n  menort:\n    stack: realtime\n    routes:\n      a:\n        tables: {rooms: read}\n", line: 6, column: 18,
            message: "unknown table 'rooms' (expected one of: connections, chat, presence, sessions)"),
        Bad(name: "an unknown access level", text: "Metadata:\n  menort:\n    stack: realtime\n    routes:\n      a:\n        tables: {chat: admin}\n", line: 6, column: 24,
            message: "unknown access 'admin' for table 'chat' (expected read or write)"),
        Bad(name: "broadcast spelled yes", text: "Metadata:\n  menort:\n    stack: realtime\n    routes:\n      a:\n        broadcast: yes\n", line: 6, column: 20,
            message: "broadcast must be true or false"),
        Bad(name: "a handler folder with a slash", text: "Metadata:\n  menort:\n    stack: realtime\n    routes:\n      a:\n        handler: ../x\n", line: 6, column: 18,
            message: "handler folder '../x' is not valid: a handler folder is letters, digits, '.', '_' and '-', starting with a letter or digit"),
        Bad(name: "a block that is a list", text: "Metadata:\n  menort: [stack]\n", line: 2, column: 11,
            message: "Metadata: menort: must be a mapping"),
    ]

    @Test("a contract that cannot be read is refused at the node that is wrong", arguments: bad)
    func refused(_ bad: Bad) throws {
        guard case .failure(let error) = try Self.read(bad.text) else {
            Issue.record("accepted: \(bad.name)")
            return
        }
        #expect(error.message == bad.message)
        #expect(error.mark == Mark(line: bad.line, column: bad.column))
    }

    @Test("the tables in use always include the connections table, in the stack's order")
    func tablesInUse() throws {
        let contract = RealtimeContract(routes: [Route(key: try RouteKey("a"), handler: "a", tables: [.sessions: .read, .chat: .write])])
        #expect(contract.tablesInUse == [.connections, .chat, .sessions])
        #expect(RealtimeContract.default.tablesInUse == Table.allCases)
    }
}
