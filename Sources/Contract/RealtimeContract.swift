import CloudFormation

/// The Meno realtime contract as data: which routes a realtime stack serves, which handler
/// serves each, the tables each handler may read or write, which handlers post to
/// `@connections`, and the fixed shape every realtime stack shares (the API's route
/// selection, the connections table, the `WebSocketInvokeUrl` output).
///
/// It is defined once and read twice: `RealtimeStack` renders a template from it and writes
/// it into the template's `Metadata: menort:`; the `stack` family of `Validation` reads it
/// back from there and checks the template against exactly what it declares. A template
/// that declares no contract is not a realtime stack, whatever its names look like.
public struct RealtimeContract: Sendable, Equatable {
    /// The routes, in the order the template declares their resources.
    public var routes: [Route]

    /// Creates a contract.
    public init(routes: [Route]) {
        self.routes = routes
    }

    /// The stack the project was made from: the three WebSocket lifecycle routes and the two
    /// client actions of the seed (`chat.send`, `presence.update`). `Metadata: {menort: {stack:
    /// realtime}}` without `routes` declares this contract.
    public static let `default` = RealtimeContract(routes: [
        Route(key: .connect, handler: "connect", tables: [.connections: .write, .sessions: .read, .presence: .write]),
        Route(key: .disconnect, handler: "disconnect", tables: [.connections: .write, .presence: .write], broadcast: true),
        Route(key: .default, handler: "default", broadcast: true),
        Route(key: RouteKey(unchecked: "chat.send"), handler: "chat-send",
              tables: [.connections: .write, .chat: .write, .sessions: .read], broadcast: true),
        Route(key: RouteKey(unchecked: "presence.update"), handler: "presence-update",
              tables: [.connections: .write, .presence: .write], broadcast: true),
    ])

    /// The route with this key.
    public func route(_ key: String) -> Route? { routes.first { $0.key.rawValue == key } }

    /// The tables some route uses, in the stack's fixed order. The connections table is
    /// always among them: the stack creates it, whichever handler writes it.
    public var tablesInUse: [Table] {
        Table.allCases.filter { table in table == .connections || routes.contains { $0.tables[table] != nil } }
    }

    // MARK: The fixed shape

    /// What `Metadata: menort: stack:` says of a realtime stack.
    public static let stackKind = "realtime"
    /// The API's protocol: browsers and the app hold one long-lived connection.
    public static let protocolType = "WEBSOCKET"
    /// Clients send `{"action": "chat.send", …}`.
    public static let routeSelectionExpression = "$request.body.action"
    /// The output the deploy pipeline reads into the clients' settings.
    public static let invokeURLOutput = "WebSocketInvokeUrl"

    /// The connections table: one row per open connection, found by session to fan out and
    /// by connection id (through `index`) when `$disconnect` removes it.
    public enum Connections {
        /// The partition key (`HASH`).
        public static let partitionKey = "sessionId"
        /// The sort key (`RANGE`).
        public static let sortKey = "connectionId"
        /// The global secondary index keyed on `sortKey`: `$disconnect` knows only the connection id.
        public static let index = "connectionId-index"
        /// The attribute DynamoDB's TTL reads, so rows of dropped connections expire.
        public static let ttlAttribute = "expiresAt"
        /// The environment variable that tells a handler the index's name.
        public static let indexVariable = "CONNECTIONS_INDEX_NAME"
    }

    /// The environment variable that tells a broadcasting handler where to post.
    public static let managementEndpointVariable = "MANAGEMENT_ENDPOINT"

    /// Where a handler's code lives, relative to the template.
    public static func codeURI(handler: String) -> String { "lambda/realtime/\(handler)/" }

    /// A handler folder is letters, digits, `.`, `_` and `-`, starting with a letter or digit,
    /// so it is a folder name on every system and spells a logical id.
    public static let handlerRule = "a handler folder is letters, digits, '.', '_' and '-', starting with a letter or digit"

    /// Whether `handler` follows `handlerRule`.
    public static func isValidHandler(_ handler: String) -> Bool {
        func alphanumeric(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))
        }
        guard let first = handler.unicodeScalars.first, alphanumeric(first) else { return false }
        return handler.unicodeScalars.allSatisfy { alphanumeric($0) || "._-".unicodeScalars.contains($0) }
    }
}

/// One realtime action: a WebSocket route, the handler folder that serves it, and what the
/// handler may do.
public struct Route: Sendable, Equatable {
    /// The value of `request.body.action` (or `$connect`, `$disconnect`, `$default`).
    public var key: RouteKey
    /// The folder under `lambda/realtime/` that holds the handler's code.
    public var handler: String
    /// The tables the handler may use, and how.
    public var tables: [Table: Access]
    /// Whether the handler posts to connections through the API Gateway Management API.
    public var broadcast: Bool

    /// Creates a route.
    public init(key: RouteKey, handler: String, tables: [Table: Access] = [:], broadcast: Bool = false) {
        self.key = key
        self.handler = handler
        self.tables = tables
        self.broadcast = broadcast
    }

    /// The tables in the stack's fixed order, so the template does not depend on how a
    /// config file happened to list them.
    public var orderedTables: [(Table, Access)] {
        Table.allCases.compactMap { table in tables[table].map { (table, $0) } }
    }
}

/// A WebSocket route key, checked as API Gateway checks it.
public struct RouteKey: Sendable, Hashable, CustomStringConvertible {
    /// The key as API Gateway matches it.
    public let rawValue: String

    /// The route called when a client connects (the only one that may have an authorizer).
    public static let connect = RouteKey(unchecked: "$connect")
    /// The route called after a connection closes.
    public static let disconnect = RouteKey(unchecked: "$disconnect")
    /// The route for messages no other route matches, including non-JSON ones.
    public static let `default` = RouteKey(unchecked: "$default")
    /// The `$` keys API Gateway knows; it refuses every other key that starts with `$`.
    public static let reserved: [RouteKey] = [.connect, .disconnect, .default]

    /// Checks `rawValue` the way API Gateway would.
    public init(_ rawValue: String) throws(RouteKeyError) {
        if rawValue.isEmpty { throw .empty }
        if rawValue.hasPrefix("$"), !RouteKey.reserved.contains(where: { $0.rawValue == rawValue }) {
            throw .reservedPrefix(rawValue)
        }
        if rawValue.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw .controlCharacter(rawValue)
        }
        self.rawValue = rawValue
    }

    /// A key known to be valid (the reserved ones, the seed's actions).
    package init(unchecked rawValue: String) { self.rawValue = rawValue }

    /// Whether this is `$connect`, `$disconnect` or `$default`.
    public var isReserved: Bool { rawValue.hasPrefix("$") }

    /// The folder name a route gets when its config names none: `$connect` → `connect`,
    /// `chat.send` → `chat-send`.
    public var defaultHandler: String {
        var folder = ""
        for scalar in rawValue.unicodeScalars where scalar != "$" {
            let keep = scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
            if keep && scalar.isASCII {
                folder.unicodeScalars.append(scalar)
            } else if !folder.isEmpty, !folder.hasSuffix("-") {
                folder += "-"
            }
        }
        while folder.hasSuffix("-") { folder.removeLast() }
        return folder.lowercased()
    }

    /// The key itself.
    public var description: String { rawValue }
}

/// Why API Gateway would refuse a route key.
public enum RouteKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An empty key.
    case empty
    /// A `$` key other than `$connect`, `$disconnect`, `$default`.
    case reservedPrefix(String)
    /// Holds a control character, which no client can send as an action.
    case controlCharacter(String)

    /// One sentence for a person.
    public var description: String {
        switch self {
        case .empty:
            return "a route key cannot be empty"
        case .reservedPrefix(let key):
            return "route key '\(key)' starts with '$', which API Gateway reserves for $connect, $disconnect and $default"
        case .controlCharacter(let key):
            return "route key '\(key.debugDescription.dropFirst().dropLast())' holds a control character"
        }
    }
}

/// A DynamoDB table the realtime handlers use.
public enum Table: String, Sendable, Hashable, CaseIterable {
    /// The stack's own table of open connections.
    case connections
    /// The existing chat messages table.
    case chat
    /// The existing presence table.
    case presence
    /// The existing sessions table.
    case sessions

    /// The template parameter that names the table.
    public var parameterName: String {
        switch self {
        case .connections: return "ConnectionsTableName"
        case .chat: return "ChatTableName"
        case .presence: return "PresenceTableName"
        case .sessions: return "SessionTableName"
        }
    }

    /// The environment variable that tells a handler the table's name.
    public var environmentVariable: String {
        switch self {
        case .connections: return "CONNECTIONS_TABLE_NAME"
        case .chat: return "CHAT_TABLE_NAME"
        case .presence: return "PRESENCE_TABLE_NAME"
        case .sessions: return "SESSION_TABLE_NAME"
        }
    }
}

/// How a handler may use a table.
public enum Access: String, Sendable, Equatable, CaseIterable {
    /// `GetItem`, `Query`, `Scan`, `BatchGetItem`: SAM's `DynamoDBReadPolicy`.
    case read
    /// Everything `read` allows, plus put, update and delete: SAM's `DynamoDBCrudPolicy`.
    /// (`DynamoDBWritePolicy` has no `DeleteItem`, and stale connections must be deleted.)
    case write

    /// The SAM policy template that grants this access.
    public var policyTemplate: String {
        switch self {
        case .read: return "DynamoDBReadPolicy"
        case .write: return "DynamoDBCrudPolicy"
        }
    }
}
