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

    /// API Gateway's default quota of routes (and of integrations) per API.
    public static let maxRoutes = 300

    /// The runtime used when the config names none: current Node.js LTS on Lambda.
    public static let defaultRuntime = "nodejs24.x"
    /// Memory used when the config names none, in MB.
    public static let defaultMemorySize = 256

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

