import YAML

/// A value a deploy would pass for a parameter, and where it came from.
public struct SuppliedParameter: Sendable, Equatable {
    /// Where a value was given: on the command line, or in an env file.
    public enum Origin: Sendable, Equatable, CustomStringConvertible {
        /// `--param KEY=VALUE`: a key that names no parameter is an error.
        case flag
        /// A dotenv file and the line: keys that name no parameter are ignored.
        case file(String, line: Int)

        /// `--param` or `file:line`.
        public var description: String {
            switch self {
            case .flag: return "--param"
            case .file(let file, let line): return "\(file):\(line)"
            }
        }
    }

    /// The key as written (`ChatTableName` or `CHAT_TABLE_NAME`).
    public var key: String
    /// The value.
    public var value: String
    /// Where it was given.
    public var origin: Origin

    /// Creates a supplied value.
    public init(key: String, value: String, origin: Origin) {
        self.key = key
        self.value = value
        self.origin = origin
    }
}

/// What every rule may look at.
public struct ValidationContext: Sendable {
    /// The template, parsed and indexed.
    public let template: SourceTemplate
    /// Values a deploy would supply, lowest precedence first; `nil` when none were given,
    /// in which case supplied-value checks do not run.
    public let supplied: [SuppliedParameter]?
    /// The template's folder, for paths in it (`CodeUri`); `nil` when read from stdin.
    public let directory: String?
    /// Whether a path exists (injected so tests need no files).
    public let fileExists: @Sendable (String) -> Bool
    /// Today, `yyyy-mm-dd`, for runtime deprecation.
    public let today: String
    /// The WebSocket wiring, resolved once by the validator for the `websocket` and `stack`
    /// families (and the graph) instead of once by each; `nil` when nothing built it.
    var webSocketModel: WebSocketModel?

    /// The wiring: the shared one, or built now.
    var webSocket: WebSocketModel { webSocketModel ?? WebSocketModel(template) }

    /// Creates a context.
    public init(template: SourceTemplate, supplied: [SuppliedParameter]?, directory: String?,
                fileExists: @escaping @Sendable (String) -> Bool, today: String) {
        self.template = template
        self.supplied = supplied
        self.directory = directory
        self.fileExists = fileExists
        self.today = today
    }
}

/// The findings of one template, collected by the rules.
public struct Report: Sendable {
    /// The file findings are located in.
    public let file: String
    /// The findings so far, unsorted.
    public private(set) var diagnostics: [Diagnostic] = []

    /// An empty report for `file`.
    public init(file: String) { self.file = file }

    /// Adds a finding of `rule` at `node`'s mark.
    public mutating func add(_ rule: Rule, _ message: String, at node: Node?, logicalId: String? = nil, path: String? = nil) {
        diagnostics.append(Diagnostic(rule, message, file: file, at: node?.mark, logicalId: logicalId, path: path))
    }

    /// Adds a finding of `rule` at `mark`.
    public mutating func add(_ rule: Rule, _ message: String, at mark: Mark?, logicalId: String? = nil, path: String? = nil) {
        diagnostics.append(Diagnostic(rule, message, file: file, at: mark, logicalId: logicalId, path: path))
    }
}

/// The rules of one family and the check that applies them.
public protocol RuleFamily: Sendable {
    /// The family.
    static var family: Family { get }
    /// Every rule it can report, for `--explain`, `menort rules` and SARIF.
    static var rules: [Rule] { get }
    /// Adds the family's findings on `context.template` to `report`.
    func check(_ context: ValidationContext, into report: inout Report)
}

/// Runs the rule families over a template, then applies selection and suppression.
public struct Validator: Sendable {
    /// Families to run (`--rules`); all by default.
    public var families: Set<Family> = Set(Family.allCases)
    /// Rule ids to drop (`--ignore`).
    public var ignored: Set<String> = []
    /// Values a deploy would supply; `nil` when none were given.
    public var supplied: [SuppliedParameter]?
    /// Whether a path exists.
    public var fileExists: @Sendable (String) -> Bool
    /// Today, `yyyy-mm-dd`.
    public var today: String
    /// Parser limits for untrusted input.
    public var limits: ParserLimits = .default

    /// Every family, in report order.
    public static let allFamilies: [any RuleFamily] = [
        YAMLRules(), TemplateRules(), RefsRules(), ParamsRules(), WebSocketRules(), StackRules(), IAMRules(), SAMRules(), SchemaRules(),
    ]

    /// Every rule of every family.
    public static let allRules: [Rule] = allFamilies.flatMap { type(of: $0).rules }

    /// The rule with this id.
    public static func rule(_ id: String) -> Rule? { allRules.first { $0.id == id } }

    /// A validator that runs everything.
    public init(today: String, fileExists: @escaping @Sendable (String) -> Bool) {
        self.today = today
        self.fileExists = fileExists
    }

    /// The findings for one template's bytes, sorted in source order.
    ///
    /// `file` is the name findings carry; `directory` is where relative paths in the
    /// template resolve (`nil` for standard input).
    public func validate(file: String, bytes: [UInt8], directory: String?) -> [Diagnostic] {
        var report = Report(file: file)
        if let root = YAMLRules.read(bytes, limits: limits, into: &report) {
            let template = SourceTemplate(file: file, root: root)
            var context = ValidationContext(template: template, supplied: supplied, directory: directory,
                                            fileExists: fileExists, today: today)
            if families.contains(.websocket) || (families.contains(.stack) && StackRules.declaresContract(template)) {
                context.webSocketModel = WebSocketModel(template)
            }
            for family in Validator.allFamilies where families.contains(type(of: family).family) {
                family.check(context, into: &report)
            }
            return select(report.diagnostics, suppressed: Suppressions(template))
        }
        // A file that is no template at all (unparsable, not a mapping) is reported whatever
        // --rules and --ignore say: selecting families must never turn a broken file green.
        return report.diagnostics.sorted(by: Diagnostic.sourceOrder)
    }

    private func select(_ diagnostics: [Diagnostic], suppressed: Suppressions) -> [Diagnostic] {
        diagnostics
            .filter { families.contains($0.family) && !ignored.contains($0.rule.id) && !suppressed.covers($0) }
            .sorted(by: Diagnostic.sourceOrder)
    }
}

/// `Metadata: {menort: {ignore: [rule-id, …]}}` on a resource (or any section entry), or at
/// the template's top level for the whole file.
struct Suppressions {
    private var everywhere: Set<String> = []
    private var byLogicalID: [String: Set<String>] = [:]

    init() {}

    init(_ template: SourceTemplate) {
        everywhere = Suppressions.ids(template.root["Metadata"])
        for entry in template.resources + template.parameters + template.outputs {
            let ids = Suppressions.ids(entry.value["Metadata"])
            if !ids.isEmpty { byLogicalID[entry.id] = ids }
        }
    }

    private static func ids(_ metadata: Node?) -> Set<String> {
        guard let list = metadata?["menort"]?["ignore"] else { return [] }
        if let single = list.scalar { return [single] }
        return Set((list.items ?? []).compactMap(\.scalar))
    }

    func covers(_ diagnostic: Diagnostic) -> Bool {
        if everywhere.contains(diagnostic.rule.id) { return true }
        guard let id = diagnostic.logicalId else { return false }
        return byLogicalID[id]?.contains(diagnostic.rule.id) ?? false
    }
}
