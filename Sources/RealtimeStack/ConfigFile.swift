import CloudFormation
import Contract
import YAML

/// A `menort.yaml` that cannot be used, located at the node that is wrong.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as the user named it.
    public var file: String
    /// Where the problem is, 1-based; `nil` when it concerns the whole file.
    public var mark: Mark?
    /// One sentence saying what is wrong and, where it helps, what is accepted.
    public var message: String

    /// Creates an error.
    public init(file: String, mark: Mark?, message: String) {
        self.file = file
        self.mark = mark
        self.message = message
    }

    /// `file:line:column: error: message`, the form editors and CI annotate.
    public var description: String {
        let location = mark.map { "\(file):\($0.line):\($0.column)" } ?? file
        return "\(location): error: \(message)"
    }
}

extension StackConfig {
    /// The keys a config file may hold at its top level.
    public static let topLevelKeys = [
        "routes", "runtime", "memorySize", "architecture", "tags", "logRetentionDays", "throttling", "stageLogging",
    ]
    /// The keys a route entry may hold: the contract's, and its function's settings.
    public static let routeKeys = ContractReader.routeKeys + functionKeys
    /// The keys of a route entry that set its function, not the contract.
    static let functionKeys = ["memorySize", "timeout"]

    /// Reads a config file's text. Absent keys keep the defaults; `routes`, when present,
    /// replaces the default route list. `today` (ISO `yyyy-mm-dd`) decides which runtimes
    /// are deprecated.
    public static func parse(_ text: String, file: String, today: String) throws(ConfigError) -> StackConfig {
        try parse(bytes: Array(text.utf8), file: file, today: today)
    }

    /// Reads a config file's bytes (invalid UTF-8 is reported with its position).
    public static func parse(bytes: [UInt8], file: String, today: String) throws(ConfigError) -> StackConfig {
        let reader = ConfigReader(file: file)
        let document: Node?
        do {
            document = try Parser.parse(bytes: bytes)
        } catch {
            throw ConfigError(file: file, mark: error.mark, message: error.description(withoutMark: true))
        }
        guard let document else { return .default }
        // A file holding only `~` or nothing but comments means "defaults".
        if document.isNull {
            return .default
        }
        let pairs = try reader.mapping(document, what: "the config file")
        try reader.checkKeys(pairs, allowed: topLevelKeys, in: "the config file")

        var config = StackConfig.default
        if let node = document["runtime"] {
            config.runtime = try reader.runtime(node, today: today)
        }
        if let node = document["memorySize"] {
            config.memorySize = try reader.memorySize(node)
        }
        if let node = document["architecture"] {
            let name = try reader.string(node, what: "architecture")
            guard let architecture = Architecture(rawValue: name) else {
                throw reader.error(node, "unknown architecture '\(name)' (expected \(Architecture.allCases.map(\.rawValue).joined(separator: " or ")))")
            }
            config.architecture = architecture
        }
        if let node = document["tags"] {
            config.tags = try reader.tags(node)
        }
        if let node = document["logRetentionDays"] {
            config.logRetentionDays = try reader.logRetentionDays(node)
        }
        if let node = document["throttling"] {
            config.throttling = try reader.throttling(node)
        }
        if let node = document["stageLogging"] {
            config.stageLogging = try reader.stageLogging(node)
        }
        if let node = document["routes"] {
            let routes = try reader.contract { () throws(ContractError) in
                try ContractReader().routes(node, extraKeys: functionKeys)
            }
            config.routes = routes.map(\.route)
            for (route, entry) in routes {
                let settings = try reader.functionSettings(entry)
                if settings != FunctionSettings() { config.functions[route.key] = settings }
            }
        }
        // Route-set problems (a shared handler, a logical id clash) are found by the
        // builder; run it here so they are reported against the file.
        do {
            _ = try config.template()
        } catch {
            throw reader.locate(error, in: document["routes"])
        }
        return config
    }
}

/// Turns config nodes into values, each failure located at its node.
struct ConfigReader {
    let file: String

    func error(_ node: Node, _ message: String) -> ConfigError {
        ConfigError(file: file, mark: node.mark, message: message)
    }

    /// Runs a read of the contract's reader, its errors located in this file.
    func contract<T>(_ read: () throws(ContractError) -> T) throws(ConfigError) -> T {
        do {
            return try read()
        } catch {
            throw ConfigError(file: file, mark: error.mark, message: error.message)
        }
    }

    func mapping(_ node: Node, what: String) throws(ConfigError) -> [Node.Pair] {
        try contract { () throws(ContractError) in try ContractReader().mapping(node, what: what) }
    }

    func checkKeys(_ pairs: [Node.Pair], allowed: [String], in what: String) throws(ConfigError) {
        try contract { () throws(ContractError) in try ContractReader().checkKeys(pairs, allowed: allowed, in: what) }
    }

    func string(_ node: Node, what: String) throws(ConfigError) -> String {
        try contract { () throws(ContractError) in try ContractReader().string(node, what: what) }
    }

    func integer(_ node: Node, what: String, range: ClosedRange<Int>, why: String) throws(ConfigError) -> Int {
        guard node.tag == nil, case .scalar(let text, .plain) = node.kind, let value = Int(text) else {
            throw error(node, "\(what) must be a whole number")
        }
        guard range.contains(value) else {
            throw error(node, "\(what) \(value) is outside \(range.lowerBound)–\(range.upperBound) (\(why))")
        }
        return value
    }

    func runtime(_ node: Node, today: String) throws(ConfigError) -> String {
        let name = try string(node, what: "runtime")
        guard name.hasPrefix("nodejs") else {
            throw error(node, "runtime '\(name)' is not Node.js; the realtime handlers are Node.js (e.g. \(StackConfig.defaultRuntime))")
        }
        guard let runtime = LambdaRuntime.catalog[name] else {
            let known = LambdaRuntime.catalog.keys.filter { $0.hasPrefix("nodejs") }.sorted()
            throw error(node, "unknown runtime '\(name)' (Lambda's Node.js runtimes: \(known.joined(separator: ", ")))")
        }
        if runtime.isDeprecated(on: today) {
            let successor = runtime.successor.map { "; use \($0)" } ?? ""
            throw error(node, "runtime '\(name)' has been deprecated since \(runtime.deprecated)\(successor)")
        }
        return name
    }

    /// `tags:`, a mapping of tag keys to values, checked as the services that take tags
    /// check them (API Gateway, Lambda and DynamoDB share these limits): keys of 1 to 128
    /// characters, values of 0 to 256, letters, digits, spaces and `_ . : / = + - @`; no
    /// `aws:` prefix (AWS's own); not `Service` or `Stage`, which the stack sets.
    func tags(_ node: Node) throws(ConfigError) -> [Tag] {
        let pairs = try mapping(node, what: "tags")
        guard pairs.count <= Tag.maxOwn else {
            throw error(node, "tags holds \(pairs.count) tags; at most \(Tag.maxOwn): a resource holds 50, and the stack sets "
                        + "Service and Stage, and SAM sets lambda:createdBy on every function")
        }
        var tags: [Tag] = []
        for pair in pairs {
            let key = try string(pair.key, what: "a tag key")
            guard (1...128).contains(key.count) else { throw error(pair.key, "tag key '\(key)' must be 1 to 128 characters") }
            guard !key.lowercased().hasPrefix("aws:") else { throw error(pair.key, "tag key '\(key)' starts with 'aws:', which AWS keeps for its own tags") }
            if let own = Tag.stackTags.first(where: { $0.key == key }) {
                throw error(pair.key, "tag '\(key)' is set by the stack itself (from the \(own.parameter) parameter); choose another key")
            }
            guard ConfigReader.isTagText(key) else {
                throw error(pair.key, "tag key '\(key)' may hold only letters, digits, spaces and _ . : / = + - @")
            }
            let value = try string(pair.value, what: "the value of tag '\(key)'")
            guard value.count <= 256 else { throw error(pair.value, "the value of tag '\(key)' is \(value.count) characters; at most 256") }
            guard ConfigReader.isTagText(value) else {
                throw error(pair.value, "the value of tag '\(key)' may hold only letters, digits, spaces and _ . : / = + - @")
            }
            tags.append(Tag(key: key, value: value))
        }
        return tags
    }

    /// `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`, the tag pattern of the services' APIs.
    static func isTagText(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            let properties = scalar.properties
            // Letters and numbers; the switch adds the separators.
            if properties.isAlphabetic || properties.numericType != nil { return true }
            switch properties.generalCategory {
            case .spaceSeparator, .lineSeparator, .paragraphSeparator:
                return true
            default:
                return "_.:/=+-@".unicodeScalars.contains(scalar)
            }
        }
    }

    /// `logRetentionDays:`, one of the periods CloudWatch Logs accepts.
    func logRetentionDays(_ node: Node) throws(ConfigError) -> Int {
        let allowed = StackConfig.logRetentionValues
        let days = try integer(node, what: "logRetentionDays", range: Int.min...Int.max, why: "")
        guard allowed.contains(days) else {
            let nearest = [allowed.last { $0 < days }, allowed.first { $0 > days }].compactMap { $0 }
            throw error(node, "logRetentionDays \(days) is not a period CloudWatch Logs accepts (nearest: "
                        + nearest.map(String.init).joined(separator: " or ") + "; all: \(allowed.map(String.init).joined(separator: ", ")))")
        }
        return days
    }

    /// `throttling: {burst, rate}`, each optional, within API Gateway's default account
    /// quotas (a stage's limits cannot exceed its account's) and above zero (a zero limit
    /// refuses every message, connections included).
    func throttling(_ node: Node) throws(ConfigError) -> Throttling {
        let pairs = try mapping(node, what: "throttling")
        try checkKeys(pairs, allowed: ["burst", "rate"], in: "throttling")
        var limits = Throttling.default
        if let burst = node["burst"] {
            limits.burst = try integer(burst, what: "throttling.burst", range: 1...Throttling.maxBurst,
                                       why: "0 refuses every message; API Gateway's default account quota is \(Throttling.maxBurst)")
        }
        if let rate = node["rate"] {
            guard rate.tag == nil, case .scalar(let text, .plain) = rate.kind, let value = Double(text), value.isFinite else {
                throw error(rate, "throttling.rate must be a number of messages a second")
            }
            guard value > 0, value <= Throttling.maxRate else {
                throw error(rate, "throttling.rate \(text) must be above 0 (0 refuses every message) and at most \(Int(Throttling.maxRate)) "
                            + "(API Gateway's default account quota a second)")
            }
            limits.rate = value
        }
        return limits
    }

    /// `stageLogging: {access, level}`, each optional.
    func stageLogging(_ node: Node) throws(ConfigError) -> StageLogging {
        let pairs = try mapping(node, what: "stageLogging")
        try checkKeys(pairs, allowed: ["access", "level"], in: "stageLogging")
        var logging = StageLogging.off
        if let access = node["access"] {
            logging.access = try contract { () throws(ContractError) in try ContractReader().bool(access, what: "stageLogging.access") }
        }
        if let level = node["level"] {
            let name = try string(level, what: "stageLogging.level")
            guard let value = LoggingLevel(rawValue: name) else {
                throw error(level, "unknown stageLogging.level '\(name)' (expected \(LoggingLevel.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            logging.level = value
        }
        return logging
    }

    func memorySize(_ node: Node) throws(ConfigError) -> Int {
        try integer(node, what: "memorySize", range: 128...10240, why: "Lambda's memory range in MB")
    }

    /// A route entry's function settings (`memorySize`, `timeout`).
    func functionSettings(_ entry: Node) throws(ConfigError) -> FunctionSettings {
        var settings = FunctionSettings()
        if let memory = entry["memorySize"] { settings.memorySize = try memorySize(memory) }
        if let timeout = entry["timeout"] {
            settings.timeout = try integer(timeout, what: "timeout", range: 1...29, why: "API Gateway stops waiting for an integration after 29 seconds")
        }
        return settings
    }

    /// Places a builder error on the route it concerns.
    func locate(_ stackError: StackError, in routes: Node?) -> ConfigError {
        let pairs = routes?.pairs ?? []
        func route(_ key: RouteKey) -> Node.Pair? { pairs.first { $0.key.scalar == key.rawValue } }
        func handlerNode(_ key: RouteKey) -> Node? {
            guard let pair = route(key) else { return nil }
            return pair.value["handler"] ?? pair.key
        }
        let node: Node?
        switch stackError {
        case .sharedHandler(_, _, let second):
            node = handlerNode(second)
        case .sharedLogicalID(_, _, let second):
            node = pairs.first { ($0.value["handler"]?.scalar ?? RouteKey(unchecked: $0.key.scalar ?? "").defaultHandler) == second }
                .map { $0.value["handler"] ?? $0.key }
        case .duplicateRouteKey(let key, _):
            node = route(key)?.key
        case .noRoutes, .tooManyRoutes, .invalidHandler, .model, .emitter:
            node = routes
        }
        return ConfigError(file: file, mark: node?.mark, message: stackError.description)
    }
}

extension YAMLError {
    /// The message with libyaml's context, for callers that print the location themselves.
    public func description(withoutMark: Bool) -> String {
        guard withoutMark else { return description }
        var copy = self
        copy.mark = nil
        return copy.description
    }
}
