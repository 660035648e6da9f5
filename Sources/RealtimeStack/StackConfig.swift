import CloudFormation

/// What a team decides about its realtime stack: the routes and the function settings.
///
/// Everything else (the API, the stage, the connections table, permissions, policies) follows
/// from it; `template()` builds the CloudFormation model.
public struct StackConfig: Sendable, Equatable {
    /// The routes, in the order their resources appear in the template.
    /// API Gateway's default quota is 300 routes per API.
    public var routes: [Route]
    /// The Node.js runtime of every function.
    public var runtime: String
    /// Memory of every function unless its route says otherwise, in MB.
    public var memorySize: Int
    /// The instruction set of every function.
    public var architecture: Architecture

    /// API Gateway's default quota of routes (and of integrations) per API.
    public static let maxRoutes = 300

    /// The runtime used when the config names none: current Node.js LTS on Lambda.
    public static let defaultRuntime = "nodejs24.x"
    /// Memory used when the config names none, in MB.
    public static let defaultMemorySize = 256

    /// Creates a config.
    public init(routes: [Route], runtime: String = StackConfig.defaultRuntime,
                memorySize: Int = StackConfig.defaultMemorySize, architecture: Architecture = .x86_64) {
        self.routes = routes
        self.runtime = runtime
        self.memorySize = memorySize
        self.architecture = architecture
    }

    /// The stack the project was made from: the three WebSocket lifecycle routes and the two
    /// client actions of the seed (`chat.send`, `presence.update`).
    public static let `default` = StackConfig(routes: [
        Route(key: .connect, handler: "connect", tables: [.connections: .write, .sessions: .read, .presence: .write]),
        Route(key: .disconnect, handler: "disconnect", tables: [.connections: .write, .presence: .write], broadcast: true),
        Route(key: .default, handler: "default", broadcast: true),
        Route(key: RouteKey(unchecked: "chat.send"), handler: "chat-send",
              tables: [.connections: .write, .chat: .write, .sessions: .read], broadcast: true),
        Route(key: RouteKey(unchecked: "presence.update"), handler: "presence-update",
              tables: [.connections: .write, .presence: .write], broadcast: true),
    ])
}

/// Lambda's instruction sets.
public enum Architecture: String, Sendable, Equatable, CaseIterable {
    /// Intel/AMD, Lambda's default.
    case x86_64
    /// Graviton: cheaper per millisecond, but native modules must be built for it.
    case arm64
}

/// One realtime action: a WebSocket route and the Lambda that handles it.
public struct Route: Sendable, Equatable {
    /// The value of `request.body.action` (or `$connect`, `$disconnect`, `$default`).
    public var key: RouteKey
    /// The folder under `lambda/realtime/` that holds the handler's code.
    public var handler: String
    /// The tables the handler may use, and how.
    public var tables: [Table: Access]
    /// Whether the handler posts to connections through the API Gateway Management API.
    public var broadcast: Bool
    /// Memory in MB, when this route differs from the stack's.
    public var memorySize: Int?
    /// Timeout in seconds, when this route should not use the `LambdaTimeout` parameter.
    public var timeout: Int?

    /// Creates a route.
    public init(key: RouteKey, handler: String, tables: [Table: Access] = [:], broadcast: Bool = false,
                memorySize: Int? = nil, timeout: Int? = nil) {
        self.key = key
        self.handler = handler
        self.tables = tables
        self.broadcast = broadcast
        self.memorySize = memorySize
        self.timeout = timeout
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

    init(unchecked rawValue: String) { self.rawValue = rawValue }

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
