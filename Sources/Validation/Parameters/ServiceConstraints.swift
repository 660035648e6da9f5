import YAML

/// A service's own rule on a value a parameter flows into, inferred from the resources.
///
/// A parameter that becomes a DynamoDB table name must be a valid table name even when the
/// parameter declares no constraint: CloudFormation accepts the value, then DynamoDB fails
/// the deploy half way through. The value may be the parameter alone (`!Ref Name`,
/// `!Sub '${Name}'`) or a composition (`!Sub '${ServiceName}-chat'`, `!Join`); every
/// alternative of an `Fn::If` is a flow of its own.
public struct ServiceConstraint: Sendable, Hashable {
    /// The rule a service applies.
    public enum Service: Sendable, Hashable {
        /// DynamoDB table names: 3–255 of `A-Za-z0-9_.-`.
        case dynamoDBTableName
        /// DynamoDB index names: 3–255 of `A-Za-z0-9_.-`.
        case dynamoDBIndexName
        /// A WebSocket API's stage: `$default`, or 1–128 of `A-Za-z0-9_-`. AWS documents
        /// `$default` only for HTTP APIs, but WebSocket APIs deploy it too (clients connect to
        /// `wss://…/$default`), so it is not refused.
        case webSocketStageName
        /// An HTTP API's stage (or a V2 stage of an API menort cannot see): `$default`, or
        /// 1–128 of `A-Za-z0-9_-`.
        case httpStageName
        /// A REST API's stage (`AWS::ApiGateway::Stage`, `AWS::Serverless::Api`): 1–128 of
        /// `A-Za-z0-9_-`, as API Gateway's CreateStage documents.
        case restStageName
        /// The stage an `AWS::ApiGateway::Deployment` creates: CreateDeployment refuses
        /// anything but `A-Za-z0-9_` ("Stage name only allows a-zA-Z0-9_").
        case restDeploymentStageName
        /// A Lambda function's timeout: a whole number of seconds, 1–900.
        case lambdaTimeout

        /// The characters allowed, for the name rules.
        var allowed: (test: (Character) -> Bool, text: String)? {
            func alphanumeric(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }
            switch self {
            case .dynamoDBTableName, .dynamoDBIndexName:
                return ({ alphanumeric($0) || $0 == "_" || $0 == "." || $0 == "-" }, "A-Z a-z 0-9 _ . -")
            case .webSocketStageName, .httpStageName, .restStageName:
                return ({ alphanumeric($0) || $0 == "_" || $0 == "-" }, "A-Z a-z 0-9 _ -")
            case .restDeploymentStageName:
                return ({ alphanumeric($0) || $0 == "_" }, "A-Z a-z 0-9 _")
            case .lambdaTimeout:
                return nil
            }
        }

        /// Shortest and longest name.
        var length: ClosedRange<Int> {
            switch self {
            case .dynamoDBTableName, .dynamoDBIndexName: return 3...255
            case .webSocketStageName, .httpStageName, .restStageName, .restDeploymentStageName: return 1...128
            case .lambdaTimeout: return 1...3
            }
        }

        /// What the value is, for messages.
        var what: String {
            switch self {
            case .dynamoDBTableName: return "DynamoDB table name"
            case .dynamoDBIndexName: return "DynamoDB index name"
            case .webSocketStageName: return "WebSocket API stage name"
            case .httpStageName: return "API Gateway V2 stage name"
            case .restStageName: return "REST API stage name"
            case .restDeploymentStageName: return "REST API deployment stage name"
            case .lambdaTimeout: return "Lambda timeout"
            }
        }

        /// The rule in words, for messages.
        var rule: String {
            switch self {
            case .lambdaTimeout: return "Lambda takes a whole number of seconds from 1 to 900"
            case .webSocketStageName: return "WebSocket stage names are 1 to 128 characters of A-Z a-z 0-9 _ - (or $default)"
            case .httpStageName: return "stage names are $default or 1 to 128 characters of A-Z a-z 0-9 _ -"
            default:
                let range = length
                return "\(what)s are \(range.lowerBound) to \(range.upperBound) characters of \(allowed?.text ?? "")"
            }
        }
    }

    /// One piece of the composed value.
    public enum Piece: Sendable, Hashable {
        /// Text written in the template.
        case literal(String)
        /// A parameter's value.
        case parameter(String)
        /// A value known only at deploy time (`${AWS::StackName}`, a resource's id), as written.
        case unknown(String)
    }

    /// The rule.
    public let service: Service
    /// Slash path of the property (`Resources/ChatTable/Properties/TableName`).
    public let path: String
    /// Where the value is written.
    public let mark: Mark?
    /// The value as the template composes it.
    public let pieces: [Piece]

    /// Creates a constraint.
    public init(service: Service, path: String, mark: Mark?, pieces: [Piece]) {
        self.service = service
        self.path = path
        self.mark = mark
        self.pieces = pieces
    }

    /// The parameters the value is made of, in order (a parameter may appear twice).
    public var parameters: [String] {
        pieces.compactMap { if case .parameter(let name) = $0 { return name } else { return nil } }
    }

    /// Whether the value is exactly one parameter's.
    public var isDirect: Bool { pieces.count == 1 && parameters.count == 1 }

    // MARK: - Checking

    /// A violation: which parameter to blame and why.
    struct Violation {
        let parameter: String
        let reason: String
    }

    /// Checks the value composed from `values` (parameter name → value; a parameter
    /// missing from it is unknown). `preferred` picks whom to blame for a composed value
    /// when several parameters make it (the supplied ones first).
    func violation(values: [String: String], preferred: (String) -> Bool) -> Violation? {
        let names = parameters
        guard let first = names.first else { return nil }
        let known = names.allSatisfy { values[$0] != nil } && !pieces.contains { if case .unknown = $0 { return true } else { return false } }
        let blamed = names.first(where: { values[$0] != nil && preferred($0) }) ?? names.first(where: { values[$0] != nil }) ?? first
        if known {
            let composed = pieces.map { piece -> String in
                switch piece {
                case .literal(let text): return text
                case .parameter(let name): return values[name] ?? ""
                case .unknown(let text): return text
                }
            }.joined()
            guard let reason = check(composed) else { return nil }
            // Blame the parameter whose own text holds the bad character, when one does.
            if let allowed = service.allowed, !isDirect,
               let culprit = names.first(where: { values[$0]?.contains(where: { !allowed.test($0) }) == true }) {
                return Violation(parameter: culprit, reason: reason)
            }
            return Violation(parameter: blamed, reason: reason)
        }
        // Part of the value is known only at deploy time: a parameter's bad character spoils
        // any composition, and known pieces already longer than the limit spoil it too.
        guard let allowed = service.allowed else { return nil }
        for name in names {
            if let value = values[name], let bad = value.first(where: { !allowed.test($0) }) {
                return Violation(parameter: name, reason: "it contains \(ServiceConstraint.describe(bad)), and \(service.rule)")
            }
        }
        let knownLength = pieces.reduce(0) { total, piece in
            switch piece {
            case .literal(let text): return total + text.count
            case .parameter(let name): return total + (values[name]?.count ?? 0)
            case .unknown: return total
            }
        }
        if knownLength > service.length.upperBound {
            return Violation(parameter: blamed, reason: "it is at least \(knownLength) characters, and \(service.rule)")
        }
        return nil
    }

    /// Why `value` breaks the service's rule, or `nil`.
    func check(_ value: String) -> String? {
        if service == .lambdaTimeout {
            let trimmed = value.trimmingSpaces()
            guard !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                return "it is not a whole number, and \(service.rule)"
            }
            guard let seconds = Int(trimmed.prefix(6)), trimmed.count <= 6, (1...900).contains(seconds) else {
                return "it is outside 1–900, and \(service.rule)"
            }
            return nil
        }
        if service == .httpStageName || service == .webSocketStageName, value == "$default" { return nil }
        guard let allowed = service.allowed else { return nil }
        if let bad = value.first(where: { !allowed.test($0) }) {
            return "it contains \(ServiceConstraint.describe(bad)), and \(service.rule)"
        }
        if !service.length.contains(value.count) {
            let unit = value.count == 1 ? "character" : "characters"
            return "it is \(value.count) \(unit), and \(service.rule)"
        }
        return nil
    }

    static func describe(_ character: Character) -> String {
        switch character {
        case " ": return "a space"
        case "\t": return "a tab"
        case "\n", "\r": return "a line break"
        default: return "'\(character)'"
        }
    }

    // MARK: - Inference

    /// The places in `template` where a parameter's value becomes a service's name or
    /// setting, in source order.
    public static func inferred(in template: SourceTemplate) -> [ServiceConstraint] {
        var inference = Inference(template: template)
        inference.run()
        return inference.constraints
    }

    /// DynamoDB's policy templates whose `TableName` is a table's name.
    static let dynamoDBPolicyTemplates: Set<String> = [
        "DynamoDBCrudPolicy", "DynamoDBReadPolicy", "DynamoDBWritePolicy", "DynamoDBReconfigurePolicy",
        "DynamoDBStreamReadPolicy", "DynamoDBBackupFullAccessAndRestorePolicy", "DynamoDBRestoreFromBackupPolicy",
    ]
}

/// Walks the resources that name tables and stages and set timeouts.
private struct Inference {
    let template: SourceTemplate
    var constraints: [ServiceConstraint] = []

    init(template: SourceTemplate) { self.template = template }

    mutating func run() {
        if let function = template.root["Globals"]?["Function"] {
            flow(function["Timeout"], .lambdaTimeout, "Globals/Function/Timeout")
            policies(function["Policies"], "Globals/Function/Policies")
        }
        for resource in template.resources {
            guard let type = resource.type, let properties = resource.properties, properties.pairs != nil else { continue }
            let base = "Resources/\(resource.id)/Properties"
            switch type {
            case "AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable":
                flow(properties["TableName"], .dynamoDBTableName, "\(base)/TableName")
                for section in ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"] {
                    for (offset, index) in (properties[section]?.items ?? []).enumerated() {
                        flow(index["IndexName"], .dynamoDBIndexName, "\(base)/\(section)/\(offset)/IndexName")
                    }
                }
            case "AWS::Serverless::SimpleTable":
                flow(properties["TableName"], .dynamoDBTableName, "\(base)/TableName")
            case "AWS::Lambda::Function":
                flow(properties["Timeout"], .lambdaTimeout, "\(base)/Timeout")
            case "AWS::Serverless::Function":
                flow(properties["Timeout"], .lambdaTimeout, "\(base)/Timeout")
                policies(properties["Policies"], "\(base)/Policies")
            case "AWS::Serverless::StateMachine":
                policies(properties["Policies"], "\(base)/Policies")
            case "AWS::ApiGatewayV2::Stage":
                flow(properties["StageName"], stageService(apiId: properties["ApiId"]), "\(base)/StageName")
            case "AWS::Serverless::HttpApi":
                flow(properties["StageName"], .httpStageName, "\(base)/StageName")
            case "AWS::ApiGateway::Stage", "AWS::Serverless::Api":
                flow(properties["StageName"], .restStageName, "\(base)/StageName")
            case "AWS::ApiGateway::Deployment":
                flow(properties["StageName"], .restDeploymentStageName, "\(base)/StageName")
            default:
                break
            }
        }
    }

    /// A V2 stage of a WebSocket API, or of an HTTP API (or of one menort cannot see).
    func stageService(apiId: Node?) -> ServiceConstraint.Service {
        guard let apiId, let ref = Intrinsic(apiId), ref.name == "Ref", let id = ref.argument.scalar,
              let api = template.resource(id), api.type == "AWS::ApiGatewayV2::Api",
              api.properties?["ProtocolType"]?.scalar == "WEBSOCKET" else { return .httpStageName }
        return .webSocketStageName
    }

    /// SAM policy templates (`- DynamoDBCrudPolicy: {TableName: …}`) in a list, or alone.
    mutating func policies(_ node: Node?, _ path: String) {
        guard let node else { return }
        let items: [(Node, String)]
        if let list = node.items {
            items = list.enumerated().map { ($1, "\(path)/\($0)") }
        } else {
            items = [(node, path)]
        }
        for (item, itemPath) in items {
            for pair in item.pairs ?? [] {
                guard let name = pair.key.scalar, ServiceConstraint.dynamoDBPolicyTemplates.contains(name) else { continue }
                flow(pair.value["TableName"], .dynamoDBTableName, "\(itemPath)/\(name)/TableName")
            }
        }
    }

    /// Records a constraint for each way `node` composes a value from parameters: every
    /// possibility the value resolver gives (each `Fn::If` taking either branch).
    mutating func flow(_ node: Node?, _ service: ServiceConstraint.Service, _ path: String) {
        guard let node else { return }
        var seen: Set<[ServiceConstraint.Piece]> = []
        for value in Symbolic.possibilities(of: node) ?? [] {
            // `Symbolic` merges adjacent text and drops empty text, so `${A}` is exactly `[.parameter(A)]`.
            let pieces = value.pieces.map(piece)
            guard seen.insert(pieces).inserted, pieces.contains(where: { if case .parameter = $0 { return true } else { return false } })
            else { continue }
            constraints.append(ServiceConstraint(service: service, path: path, mark: node.mark, pieces: pieces))
        }
    }

    /// A resolved piece as the params family sees it: a `Ref` of a usable parameter is that
    /// parameter's value; every other reference is known only at deploy time.
    func piece(_ piece: Piece) -> ServiceConstraint.Piece {
        switch piece {
        case .text(let text): return .literal(text)
        case .ref(let name): return usable(name) ? .parameter(name) : .unknown("${\(name)}")
        case .att(let resource, let attribute): return .unknown("${\(resource).\(attribute)}")
        case .unknown(let written): return .unknown(written)
        }
    }

    /// A parameter whose value is used as written: String and Number. (A list cannot be
    /// a name, and an SSM parameter's value is known only at deploy time.)
    func usable(_ name: String) -> Bool {
        guard let parameter = template.parameter(name) else { return false }
        let kind = ParameterKind(parameter.value["Type"]?.scalar ?? "")
        return kind == .string || kind == .number
    }
}
