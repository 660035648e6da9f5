import CloudFormation
import Contract

/// What a team decides about its realtime stack: the contract it serves (routes, handlers,
/// tables, broadcast) and how its functions run.
///
/// Everything else (the API, the stage, the connections table, permissions, policies) follows
/// from it; `template()` builds the CloudFormation model and records the contract in the
/// template's `Metadata: menort:`, where `validate` reads it back.
public struct StackConfig: Sendable, Equatable {
    /// The routes and what each handler may do.
    public var contract: RealtimeContract
    /// Function settings of single routes, where they differ from the stack's.
    public var functions: [RouteKey: FunctionSettings]
    /// The Node.js runtime of every function.
    public var runtime: String
    /// Memory of every function unless its route says otherwise, in MB.
    public var memorySize: Int
    /// The instruction set of every function.
    public var architecture: Architecture
    /// Tags of the team's own (`tags:` in `menort.yaml`), on every resource that takes tags,
    /// after the two the stack always sets (`Service`, `Stage`).
    public var tags: [Tag] = []
    /// Days CloudWatch keeps the functions' logs (and the stage's, when it logs).
    public var logRetentionDays: Int = StackConfig.defaultLogRetentionDays
    /// The stage's limits on messages, for every route.
    public var throttling: Throttling = .default
    /// The stage's own logs; off unless the config turns them on.
    public var stageLogging: StageLogging = .off

    /// API Gateway's default quota of routes (and of integrations) per API.
    public static let maxRoutes = 300

    /// The runtime used when the config names none: current Node.js LTS on Lambda.
    public static let defaultRuntime = "nodejs24.x"
    /// Memory used when the config names none, in MB.
    public static let defaultMemorySize = 256

    /// Retention used when the config names none: a month of logs, not forever.
    public static let defaultLogRetentionDays = 30
    /// The retention periods CloudWatch Logs accepts (`PutRetentionPolicy`), in days.
    public static let logRetentionValues = [
        1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
    ]

    /// Creates a config.
    public init(routes: [Route], functions: [RouteKey: FunctionSettings] = [:], runtime: String = StackConfig.defaultRuntime,
                memorySize: Int = StackConfig.defaultMemorySize, architecture: Architecture = .x86_64) {
        self.contract = RealtimeContract(routes: routes)
        self.functions = functions
        self.runtime = runtime
        self.memorySize = memorySize
        self.architecture = architecture
    }

    /// The contract's routes, in the order their resources appear in the template.
    /// API Gateway's default quota is 300 routes per API.
    public var routes: [Route] {
        get { contract.routes }
        set { contract.routes = newValue }
    }

    /// The stack the project was made from: the default contract with default settings.
    public static let `default` = StackConfig(routes: RealtimeContract.default.routes)
}

/// A resource tag of `menort.yaml`'s `tags:`.
public struct Tag: Sendable, Equatable {
    /// The tag's key.
    public var key: String
    /// The tag's value (may be empty).
    public var value: String

    /// Creates a tag.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// The tags the stack sets itself, each the value of a parameter, before the config's own.
    public static let stackTags: [(key: String, parameter: String)] = [("Service", "ServiceName"), ("Stage", "StageName")]
    /// The keys the stack sets itself, which `tags:` may not use.
    public static var reserved: [String] { stackTags.map(\.key) }
    /// How many tags `tags:` may hold: the services' 50 a resource, less the stack's two and
    /// the `lambda:createdBy` SAM adds to every function.
    public static let maxOwn = 50 - reserved.count - 1
}

/// The stage's default route throttling: a token bucket of `burst` messages refilled at
/// `rate` a second, shared by every client of every route.
///
/// Without it the stage takes the account's limits (10,000 a second in a region, across
/// all of the account's APIs), so one runaway broadcast loop can starve every other API.
public struct Throttling: Sendable, Equatable {
    /// The bucket's size: messages accepted at once above the steady rate.
    public var burst: Int
    /// Messages a second, steady state; may be fractional.
    public var rate: Double

    /// Creates limits.
    public init(burst: Int, rate: Double) {
        self.burst = burst
        self.rate = rate
    }

    /// A tenth of the account's default quotas: room for a busy chat, a cap on a loop.
    public static let `default` = Throttling(burst: 500, rate: 1000)
    /// API Gateway's default account quota of burst; a stage cannot exceed its account's.
    public static let maxBurst = 5000
    /// API Gateway's default account quota of messages a second.
    public static let maxRate = 10000.0

    /// The rate as a template number: `1000`, not `1000.0`.
    public var rateText: String {
        rate == rate.rounded() && abs(rate) < 1e15 ? String(Int(rate)) : String(rate)
    }
}

/// The stage's logs, which API Gateway writes only once the account has a CloudWatch role
/// (`aws apigateway update-account`), a setting no stack can see: hence off by default.
public struct StageLogging: Sendable, Equatable {
    /// One JSON line per connect, message and disconnect, in a log group of the stack's.
    public var access: Bool
    /// Execution logs: API Gateway's own account of each request.
    public var level: LoggingLevel

    /// Creates settings.
    public init(access: Bool, level: LoggingLevel) {
        self.access = access
        self.level = level
    }

    /// No stage logs: the default, which deploys in any account.
    public static let off = StageLogging(access: false, level: .off)

    /// The access log's fields: a JSON key and the WebSocket `$context` variable it holds.
    /// Every value is quoted, so an empty variable (API Gateway writes `-`) keeps the line JSON.
    public static let accessLogFields: [(key: String, variable: String)] = [
        ("requestId", "$context.requestId"),
        ("requestTime", "$context.requestTime"),
        ("connectionId", "$context.connectionId"),
        ("eventType", "$context.eventType"),
        ("routeKey", "$context.routeKey"),
        ("status", "$context.status"),
        ("integrationStatus", "$context.integration.status"),
        ("integrationError", "$context.integration.error"),
        ("integrationLatency", "$context.integration.latency"),
        ("errorMessage", "$context.error.message"),
        ("sourceIp", "$context.identity.sourceIp"),
    ]

    /// The access log's `Format`: one JSON object a line.
    public static var accessLogFormat: String {
        "{" + accessLogFields.map { "\"\($0.key)\":\"\($0.variable)\"" }.joined(separator: ",") + "}"
    }
}

/// API Gateway's execution-log levels.
public enum LoggingLevel: String, Sendable, Equatable, CaseIterable {
    /// No execution logs.
    case off = "OFF"
    /// Failures only.
    case error = "ERROR"
    /// Every request, without its body (menort never turns on data tracing: chat messages
    /// would land in the logs).
    case info = "INFO"
}

/// How one route's function differs from the stack's settings.
public struct FunctionSettings: Sendable, Equatable {
    /// Memory in MB.
    public var memorySize: Int?
    /// Timeout in seconds, instead of the `LambdaTimeout` parameter.
    public var timeout: Int?

    /// Creates settings.
    public init(memorySize: Int? = nil, timeout: Int? = nil) {
        self.memorySize = memorySize
        self.timeout = timeout
    }
}

/// Lambda's instruction sets.
public enum Architecture: String, Sendable, Equatable, CaseIterable {
    /// Intel/AMD, Lambda's default.
    case x86_64
    /// Graviton: cheaper per millisecond, but native modules must be built for it.
    case arm64
}

