import Contract
import RealtimeStack
import Testing
import Validation
import YAML

/// menort agrees with itself: whatever `render` writes for a valid config, `validate
/// --strict` accepts with no finding at any level.
@Suite("render, then validate")
struct RenderValidatePropertyTests {
    /// SplitMix64: a small seeded generator, so a failing config can be rebuilt from its seed.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Route keys clients might send, beyond the default ones; some need a handler folder
    /// named explicitly because none (or a clashing one) derives from the key.
    static let customKeys = ["typing.start", "room.join", "room.leave", "chat.edit", "ping", "presence.query",
                             "game/move", "Chat.Send.V2", "a", "消息.send"]

    /// A valid config drawn from `seed`: any non-empty subset of the default routes plus up
    /// to three custom ones, any table/access/broadcast mix, some per-route memory and
    /// timeout, any runtime setting the config file accepts, any tags, retention, throttling
    /// and stage logging.
    static func config(seed: UInt64) throws -> StackConfig {
        var random = SplitMix64(state: seed)
        var routes: [Route] = RealtimeContract.default.routes.filter { _ in Bool.random(using: &random) }
        let extra = Int.random(in: 0...3, using: &random)
        for key in customKeys.shuffled(using: &random).prefix(extra) {
            let routeKey = try RouteKey(key)
            let handler = routeKey.defaultHandler.isEmpty ? "custom-\(routes.count)" : routeKey.defaultHandler + "-h"
            routes.append(Route(key: routeKey, handler: handler))
        }
        if routes.isEmpty { routes.append(Route(key: .connect, handler: "connect")) }
        var functions: [RouteKey: FunctionSettings] = [:]
        for index in routes.indices {
            var tables: [Table: Access] = [:]
            for table in Table.allCases where Bool.random(using: &random) {
                tables[table] = Access.allCases.randomElement(using: &random)
            }
            routes[index].tables = tables
            routes[index].broadcast = Bool.random(using: &random)
            if Int.random(in: 0..<4, using: &random) == 0 {
                functions[routes[index].key] = FunctionSettings(
                    memorySize: [128, 512, 1769, 10240].randomElement(using: &random),
                    timeout: Bool.random(using: &random) ? Int.random(in: 1...29, using: &random) : nil)
            }
        }
        routes.shuffle(using: &random)
        var config = StackConfig(routes: routes, functions: functions,
                                 runtime: ["nodejs22.x", "nodejs24.x"].randomElement(using: &random)!,
                                 memorySize: [128, 256, 1024].randomElement(using: &random)!,
                                 architecture: Architecture.allCases.randomElement(using: &random)!)
        // The operations keys, any accepted value of each.
        config.tags = [Tag(key: "team", value: "realtime"), Tag(key: "cost:center", value: "C-42"), Tag(key: "empty", value: "")]
            .filter { _ in Bool.random(using: &random) }
        config.logRetentionDays = StackConfig.logRetentionValues.randomElement(using: &random)!
        config.throttling = Throttling(burst: Int.random(in: 1...Throttling.maxBurst, using: &random),
                                       rate: [0.5, 1, 1000, 2500.25, Throttling.maxRate].randomElement(using: &random)!)
        config.stageLogging = StageLogging(access: Bool.random(using: &random), level: LoggingLevel.allCases.randomElement(using: &random)!)
        return config
    }

    @Test("Every one of 240 generated configs renders a template that validate accepts with no finding")
    func agreement() throws {
        var shapes: Set<String> = []
        for seed in UInt64(1)...240 {
            let config = try Self.config(seed: seed)
            let text = try config.render()
            // Every handler folder exists, as it does in a project that has its code.
            let diagnostics = validate(text, existing: Set(config.routes.map { "/stack/" + RealtimeContract.codeURI(handler: $0.handler) }))
            #expect(diagnostics.map(\.description) == [], "seed \(seed): \(config.routes.map(\.key.rawValue))")
            shapes.insert(config.routes.map(\.key.rawValue).sorted().joined(separator: ","))
        }
        // The generator really varies the route sets, not one shape 240 times.
        #expect(shapes.count > 100)
    }

    @Test("A rendered template declares exactly the contract it was rendered from")
    func declaresItsContract() throws {
        for seed in UInt64(1)...40 {
            let config = try Self.config(seed: seed)
            let text = try config.render()
            let root = try #require(try Parser.parse(text))
            let declared = try RealtimeContract.read(metadata: try #require(root["Metadata"]?["menort"]))
            #expect(declared == config.contract, "seed \(seed)")
        }
    }

    @Test("A table parameter is rendered exactly when some route uses the table")
    func tableParameters() throws {
        for seed in UInt64(1)...60 {
            let config = try Self.config(seed: seed)
            let root = try #require(try Parser.parse(try config.render()))
            let declared = Set((root["Parameters"]?.pairs ?? []).compactMap(\.key.scalar))
            for table in Table.allCases {
                let used = table == .connections || config.routes.contains { $0.tables[table] != nil }
                #expect(declared.contains(table.parameterName) == used, "seed \(seed): \(table)")
            }
        }
    }
}
