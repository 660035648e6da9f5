import CloudFormation
import YAML

/// A contract (in `Metadata: menort:` or in `menort.yaml`) that cannot be read, located at
/// the node that is wrong.
public struct ContractError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the problem is; `nil` for nodes built in code.
    public var mark: Mark?
    /// One sentence saying what is wrong and what is accepted.
    public var message: String

    /// Creates an error at `node`.
    public init(_ node: Node, _ message: String) {
        self.mark = node.mark
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

extension RealtimeContract {
    /// The keys of the `menort:` block under a template's `Metadata`: the stack kind, the
    /// routes, and the rule ids `validate` should not report for the whole file.
    public static let metadataKeys = ["stack", "routes", "ignore"]

    /// The contract as `menort render` writes it under `Metadata: menort:`.
    ///
    /// Routes are written in full (handler, tables, broadcast) so the template alone says
    /// what it must provide; a hand edit of the resources is then checked against it.
    public var metadata: Value {
        .map([
            .init("stack", .string(RealtimeContract.stackKind)),
            .init("routes", .map(routes.map { route in
                var fields: [Value.Field] = [.init("handler", .string(route.handler))]
                if !route.tables.isEmpty {
                    fields.append(.init("tables", .map(route.orderedTables.map { .init($0.0.rawValue, .string($0.1.rawValue)) })))
                }
                if route.broadcast { fields.append(.init("broadcast", true)) }
                return .init(route.key.rawValue, .map(fields))
            })),
        ])
    }

    /// Reads the `menort:` block of a template's `Metadata`.
    ///
    /// Returns `nil` when the block declares no stack kind (it may hold only `ignore`): the
    /// template has not opted in. `stack: realtime` without `routes` declares the default
    /// contract.
    public static func read(metadata menort: Node) throws(ContractError) -> RealtimeContract? {
        let reader = ContractReader()
        let pairs = try reader.mapping(menort, what: "Metadata: menort:")
        try reader.checkKeys(pairs, allowed: metadataKeys, in: "Metadata: menort:")
        guard let stack = menort["stack"] else {
            if let routes = menort["routes"] {
                throw ContractError(routes, "Metadata: menort: declares routes but no 'stack: \(stackKind)'; add it, or the routes are not checked")
            }
            return nil
        }
        let kind = try reader.string(stack, what: "Metadata: menort: stack")
        guard kind == stackKind else {
            throw ContractError(stack, "unknown stack kind '\(kind)' (menort knows '\(stackKind)')")
        }
        guard let routes = menort["routes"] else { return .default }
        return RealtimeContract(routes: try reader.routes(routes).map(\.route))
    }
}

/// Reads contract values from YAML nodes, each failure located at its node. `menort.yaml`
/// and `Metadata: menort:` share it, so a route is written the same way in both.
public struct ContractReader: Sendable {
    /// The keys of a route entry that the contract defines.
    public static let routeKeys = ["handler", "tables", "broadcast"]

    /// Creates a reader.
    public init() {}

    /// The routes of a `routes:` mapping (route key → entry), with each entry's node so a
    /// caller can read keys of its own from it (`extraKeys`, allowed beside `routeKeys`).
    public func routes(_ node: Node, extraKeys: [String] = []) throws(ContractError) -> [(route: Route, node: Node)] {
        let pairs = try mapping(node, what: "routes")
        var routes: [(route: Route, node: Node)] = []
        for pair in pairs {
            let text = try string(pair.key, what: "a route key")
            let key: RouteKey
            do {
                key = try RouteKey(text)
            } catch {
                throw ContractError(pair.key, error.description)
            }
            routes.append((try route(key, pair.value, keyNode: pair.key, extraKeys: extraKeys), pair.value))
        }
        return routes
    }

    private func route(_ key: RouteKey, _ node: Node, keyNode: Node, extraKeys: [String]) throws(ContractError) -> Route {
        var route = Route(key: key, handler: key.defaultHandler)
        // `chat.typing: {}` or a bare `chat.typing:` is a route with every default.
        if !node.isNull {
            let pairs = try mapping(node, what: "route '\(key)'")
            try checkKeys(pairs, allowed: ContractReader.routeKeys + extraKeys, in: "route '\(key)'")
            if let handler = node["handler"] {
                route.handler = try string(handler, what: "handler")
                guard RealtimeContract.isValidHandler(route.handler) else {
                    throw ContractError(handler, "handler folder '\(route.handler)' is not valid: \(RealtimeContract.handlerRule)")
                }
            }
            if let tables = node["tables"] { route.tables = try self.tables(tables, route: key) }
            if let broadcast = node["broadcast"] { route.broadcast = try bool(broadcast, what: "broadcast") }
        }
        guard !route.handler.isEmpty else {
            throw ContractError(keyNode, "route '\(key)' needs a 'handler' folder: none can be derived from its key")
        }
        return route
    }

    private func tables(_ node: Node, route: RouteKey) throws(ContractError) -> [Table: Access] {
        let pairs = try mapping(node, what: "tables of route '\(route)'")
        var tables: [Table: Access] = [:]
        for pair in pairs {
            let name = try string(pair.key, what: "a table name")
            guard let table = Table(rawValue: name) else {
                throw ContractError(pair.key, "unknown table '\(name)' (expected one of: \(Table.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let level = try string(pair.value, what: "an access level")
            guard let access = Access(rawValue: level) else {
                throw ContractError(pair.value, "unknown access '\(level)' for table '\(name)' (expected read or write)")
            }
            tables[table] = access
        }
        return tables
    }

    // MARK: Primitives

    /// The pairs of a mapping.
    public func mapping(_ node: Node, what: String) throws(ContractError) -> [Node.Pair] {
        guard let pairs = node.pairs else { throw ContractError(node, "\(what) must be a mapping") }
        return pairs
    }

    /// Refuses a key outside `allowed`, naming the ones that are.
    public func checkKeys(_ pairs: [Node.Pair], allowed: [String], in what: String) throws(ContractError) {
        for pair in pairs {
            let key = pair.key.scalar ?? pair.key.description
            guard allowed.contains(key) else {
                throw ContractError(pair.key, "unknown key '\(key)' in \(what) (expected one of: \(allowed.joined(separator: ", ")))")
            }
        }
    }

    /// An untagged scalar's text.
    public func string(_ node: Node, what: String) throws(ContractError) -> String {
        guard node.tag == nil, let value = node.scalar else { throw ContractError(node, "\(what) must be a string") }
        return value
    }

    /// `true` or `false`: only the YAML 1.2 spellings, since `yes`/`on` mean true to some
    /// readers and a string to others.
    public func bool(_ node: Node, what: String) throws(ContractError) -> Bool {
        guard node.tag == nil, case .scalar(let text, .plain) = node.kind, text == "true" || text == "false" else {
            throw ContractError(node, "\(what) must be true or false")
        }
        return text == "true"
    }
}
