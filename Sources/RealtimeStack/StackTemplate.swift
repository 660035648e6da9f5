import CloudFormation
import Contract
import YAML

extension StackConfig {
    /// The CloudFormation/SAM model of the realtime stack.
    ///
    /// Resources come in reading order: the API, the connections table, then each route's
    /// function, integration, route and permission together, then the deployment and stage.
    public func template() throws(StackError) -> Template {
        let groups = try routeGroups()
        var resources: [Resource] = [try api(), try connectionsTable()]
        for group in groups { resources += try group.resources(in: self) }
        let deployment = try deploymentID(groups)
        resources.append(Resource(
            deployment, type: "AWS::ApiGatewayV2::Deployment",
            properties: [
                .init("ApiId", .ref(Names.api)),
                .init("Description", .string("Deploys routes " + routes.map(\.key.rawValue).joined(separator: ", "))),
            ],
            dependsOn: groups.map(\.routeID)))
        resources += try stageResources(deployment: deployment)

        return Template(
            transforms: [Template.serverlessTransform],
            description: "Meno realtime stack. API Gateway WebSocket API routing on request.body.action, one Lambda per action, DynamoDB connections table. Rendered by menort.",
            // The contract, so `validate` checks the template against what it was rendered from.
            metadata: [.init("menort", contract.metadata)],
            parameters: try parameters(),
            globals: [.init("Function", .map(globalFunctionProperties()))],
            resources: resources,
            outputs: try outputs())
    }

    // MARK: Parameters

    private func parameters() throws(StackError) -> [Parameter] {
        func tableName(_ name: String, _ description: String, defaultValue: String? = nil) throws(StackError) -> Parameter {
            Parameter(
                try id(name), defaultValue: defaultValue, description: description,
                allowedPattern: "^[A-Za-z0-9_.-]+$", minLength: 3, maxLength: 255,
                constraintDescription: "DynamoDB table names are 3 to 255 characters of A-Z a-z 0-9 _ . -")
        }
        // A table parameter is declared only when some route uses the table: an unused one
        // would be a value every deploy must supply for nothing.
        let used = contract.tablesInUse
        var tables: [Parameter] = []
        if used.contains(.chat) { tables.append(try tableName(Table.chat.parameterName, "Existing DynamoDB table of chat messages.")) }
        if used.contains(.presence) { tables.append(try tableName(Table.presence.parameterName, "Existing DynamoDB table of presence.")) }
        if used.contains(.sessions) { tables.append(try tableName(Table.sessions.parameterName, "Existing DynamoDB table of sessions.")) }
        tables.append(try tableName(Table.connections.parameterName, "DynamoDB table of open WebSocket connections, created by this stack.",
                                    defaultValue: "meno-connections"))
        return [
            Parameter(
                try id("ServiceName"), defaultValue: "meno-realtime",
                description: "Prefix of the API name, and the Service tag of every resource; letters, digits and hyphens.",
                allowedPattern: "^[A-Za-z0-9-]+$", minLength: 1, maxLength: 64,
                constraintDescription: "1 to 64 characters of A-Z a-z 0-9 -"),
            Parameter(
                try id("StageName"), defaultValue: "prod",
                description: "API Gateway stage, the last segment of the WebSocket URL.",
                allowedPattern: "^[A-Za-z0-9_-]+$", minLength: 1, maxLength: 128,
                constraintDescription: "API Gateway stage names are 1 to 128 characters of A-Z a-z 0-9 _ -"),
        ] + tables + [
            Parameter(
                try id("LambdaTimeout"), type: .number, defaultValue: "10",
                description: "Handler timeout in seconds; API Gateway gives up on an integration after 29.",
                minValue: "1", maxValue: "29",
                constraintDescription: "1 to 29 seconds, since API Gateway stops waiting for an integration after 29"),
        ]
    }

    private func globalFunctionProperties() -> [Value.Field] {
        var fields: [Value.Field] = [
            .init("Runtime", .string(runtime)),
            .init("Handler", "index.handler"),
            .init("Timeout", .ref("LambdaTimeout")),
            .init("MemorySize", .int(memorySize)),
        ]
        if architecture != .x86_64 {
            fields.append(.init("Architectures", [.string(architecture.rawValue)]))
        }
        // Every function: SAM writes them on the function and on the role it makes.
        fields.append(.init("Tags", tagMap()))
        return fields
    }

    // MARK: Tags

    /// The stack's tags: `Service` and `Stage` from their parameters (so cost reports and
    /// the console tell this stack's resources from others), then the config's own.
    private var tagPairs: [(String, Value)] {
        Tag.stackTags.map { ($0.key, .ref($0.parameter)) } + tags.map { ($0.key, .string($0.value)) }
    }

    /// Tags as a map, the form of `AWS::ApiGatewayV2::*` and `AWS::Serverless::Function`.
    private func tagMap() -> Value {
        .map(tagPairs.map { Value.Field($0.0, $0.1) })
    }

    /// Tags as a Key/Value list, the form of `AWS::DynamoDB::Table` (and most native types).
    private func tagList() -> Value {
        .list(tagPairs.map { .map([Value.Field("Key", .string($0.0)), Value.Field("Value", $0.1)]) })
    }

    // MARK: Stage

    /// The stage, with its limits and (when the config turns them on) its logs and their
    /// log groups.
    private func stageResources(deployment: LogicalID) throws(StackError) -> [Resource] {
        var resources: [Resource] = []
        var routeSettings: [Value.Field] = [
            .init("ThrottlingBurstLimit", .int(throttling.burst)),
            .init("ThrottlingRateLimit", .number(throttling.rateText)),
        ]
        var properties: [Value.Field] = [
            .init("ApiId", .ref(Names.api)),
            .init("StageName", .ref("StageName")),
            .init("DeploymentId", .ref(deployment.rawValue)),
        ]
        var dependsOn: [LogicalID] = []
        if stageLogging.access {
            let logs = try id(Names.accessLogs)
            resources.append(logGroup(logs, name: .sub("/aws/apigateway/${\(Names.api)}/${StageName}/access", [])))
            properties.append(.init("AccessLogSettings", [
                "DestinationArn": .getAtt(logs.rawValue, "Arn"),
                "Format": .string(StageLogging.accessLogFormat),
            ]))
        }
        if stageLogging.level != .off {
            // API Gateway writes execution logs to a group of this fixed name, creating it
            // (with no retention) unless it exists: the stack creates it first.
            let logs = try id(Names.executionLogs)
            resources.append(logGroup(logs, name: .sub("API-Gateway-Execution-Logs_${\(Names.api)}/${StageName}", [])))
            routeSettings.append(.init("LoggingLevel", .string(stageLogging.level.rawValue)))
            dependsOn.append(logs)
        }
        properties.append(.init("DefaultRouteSettings", .map(routeSettings)))
        properties.append(.init("Tags", tagMap()))
        resources.append(Resource(try id(Names.stage), type: "AWS::ApiGatewayV2::Stage", properties: properties, dependsOn: dependsOn))
        return resources
    }

    /// A log group of the stack's, kept `logRetentionDays` and deleted with the stack: logs
    /// of a stack that no longer exists are a bill, not a record.
    func logGroup(_ logicalID: LogicalID, name: Value) -> Resource {
        Resource(
            logicalID, type: "AWS::Logs::LogGroup",
            properties: [
                .init("LogGroupName", name),
                .init("RetentionInDays", .int(logRetentionDays)),
                .init("Tags", tagList()),
            ],
            deletionPolicy: .delete, updateReplacePolicy: .delete)
    }

    // MARK: Shared resources

    private func api() throws(StackError) -> Resource {
        Resource(
            try id(Names.api), type: "AWS::ApiGatewayV2::Api",
            properties: [
                .init("Name", .sub("${ServiceName}-${StageName}", [])),
                .init("Description", "Meno realtime chat, presence and sessions"),
                .init("ProtocolType", .string(RealtimeContract.protocolType)),
                .init("RouteSelectionExpression", .string(RealtimeContract.routeSelectionExpression)),
                .init("Tags", tagMap()),
            ])
    }

    private func connectionsTable() throws(StackError) -> Resource {
        func key(_ name: String, _ type: String) -> Value { ["AttributeName": .string(name), "KeyType": .string(type)] }
        func attribute(_ name: String) -> Value { ["AttributeName": .string(name), "AttributeType": "S"] }
        // Connection rows are ephemeral (TTL expires them), so replacing or deleting the
        // table loses nothing worth keeping; saying so keeps the choice visible.
        return Resource(
            try id(Names.connectionsTable), type: "AWS::DynamoDB::Table",
            properties: [
                .init("TableName", .ref(Table.connections.parameterName)),
                .init("BillingMode", "PAY_PER_REQUEST"),
                .init("AttributeDefinitions", [attribute(Shape.partitionKey), attribute(Shape.sortKey)]),
                .init("KeySchema", [key(Shape.partitionKey, "HASH"), key(Shape.sortKey, "RANGE")]),
                // $disconnect knows only the connection id: it finds the row through this index.
                .init("GlobalSecondaryIndexes", [[
                    "IndexName": .string(Shape.index),
                    "KeySchema": [key(Shape.sortKey, "HASH")],
                    "Projection": ["ProjectionType": "ALL"],
                ]]),
                .init("TimeToLiveSpecification", ["AttributeName": .string(Shape.ttlAttribute), "Enabled": true]),
                .init("SSESpecification", ["SSEEnabled": true]),
                .init("Tags", tagList()),
            ],
            deletionPolicy: .delete, updateReplacePolicy: .delete)
    }

    private func outputs() throws(StackError) -> [Output] {
        [
            Output(try id(RealtimeContract.invokeURLOutput),
                   description: "Where clients connect; set it as NEXT_PUBLIC_REALTIME_WEBSOCKET_URL, REALTIME_WEBSOCKET_URL and app.json extra.realtimeWsUrl.",
                   value: .sub("wss://${\(Names.api)}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${StageName}", [])),
            Output(try id("ManagementEndpoint"),
                   description: "API Gateway Management API endpoint for PostToConnection.",
                   value: Names.managementEndpoint),
            Output(try id("WebSocketApiId"), description: "The WebSocket API id.", value: .ref(Names.api)),
            Output(try id("ConnectionsTableName"), description: "The connections table.", value: .ref(Names.connectionsTable)),
            Output(try id("ConnectionsTableArn"), description: "The connections table ARN.",
                   value: .getAtt(Names.connectionsTable, "Arn")),
        ]
    }

    // MARK: Routes

    private func routeGroups() throws(StackError) -> [RouteGroup] {
        guard !routes.isEmpty else { throw .noRoutes }
        guard routes.count <= StackConfig.maxRoutes else { throw .tooManyRoutes(routes.count) }
        var byPrefix: [String: Route] = [:]
        var byKey: [RouteKey: Route] = [:]
        var byHandler: [String: Route] = [:]
        var groups: [RouteGroup] = []
        for route in routes {
            if let other = byKey.updateValue(route, forKey: route.key) {
                throw .duplicateRouteKey(route.key, other.handler)
            }
            if let other = byHandler.updateValue(route, forKey: route.handler) {
                throw .sharedHandler(route.handler, other.key, route.key)
            }
            let prefix = RouteGroup.prefix(forHandler: route.handler)
            guard !prefix.isEmpty else { throw .invalidHandler(route.handler, RealtimeContract.handlerRule) }
            if let other = byPrefix.updateValue(route, forKey: prefix) {
                throw .sharedLogicalID(prefix, other.handler, route.handler)
            }
            groups.append(try RouteGroup(route: route, prefix: prefix))
        }
        return groups
    }

    /// The Deployment's logical id carries a digest of the route set.
    ///
    /// CloudFormation deploys an API only when an `AWS::ApiGatewayV2::Deployment` is
    /// created; a route added to an existing stack would otherwise never reach clients. A new
    /// id per route set makes `sam deploy` create a fresh deployment and point the stage at
    /// it. This is preferred over `AutoDeploy: true` because the deployment is then part of
    /// the stack update: a failed update rolls the stage back to the previous deployment
    /// instead of leaving API Gateway serving a half-updated route set.
    private func deploymentID(_ groups: [RouteGroup]) throws(StackError) -> LogicalID {
        var digest = FNV1a()
        for group in groups.sorted(by: { $0.route.key.rawValue < $1.route.key.rawValue }) {
            digest.add(group.route.key.rawValue)
            digest.add(group.prefix)
        }
        return try id(Names.deploymentPrefix + digest.hex(length: 10))
    }
}

/// The resources of one route: its function, integration, route and permission.
struct RouteGroup {
    let route: Route
    /// The logical id prefix shared by the four resources, from the handler folder.
    let prefix: String
    let functionID: LogicalID
    let integrationID: LogicalID
    let routeID: LogicalID
    let permissionID: LogicalID
    let logsID: LogicalID

    init(route: Route, prefix: String) throws(StackError) {
        self.route = route
        self.prefix = prefix
        functionID = try id(prefix + "Function")
        integrationID = try id(prefix + "Integration")
        routeID = try id(prefix + "Route")
        permissionID = try id(prefix + "Permission")
        logsID = try id(prefix + "Logs")
    }

    /// `chat-send` → `ChatSend`: alphanumeric runs, each capitalised; empty when the folder
    /// name is not acceptable.
    static func prefix(forHandler handler: String) -> String {
        guard RealtimeContract.isValidHandler(handler) else { return "" }
        return handler.split(whereSeparator: { "._-".contains($0) })
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined()
    }

    func resources(in config: StackConfig) throws(StackError) -> [Resource] {
        let key = route.key.rawValue
        return [
            Resource(functionID, type: "AWS::Serverless::Function",
                     properties: functionProperties(config.functions[route.key] ?? FunctionSettings())),
            Resource(
                integrationID, type: "AWS::ApiGatewayV2::Integration",
                properties: [
                    .init("ApiId", .ref(Names.api)),
                    .init("IntegrationType", "AWS_PROXY"),
                    .init("IntegrationUri", .sub(
                        "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${\(functionID).Arn}/invocations", [])),
                ]),
            Resource(
                routeID, type: "AWS::ApiGatewayV2::Route",
                properties: [
                    .init("ApiId", .ref(Names.api)),
                    .init("RouteKey", .string(key)),
                    .init("Target", .sub("integrations/${\(integrationID)}", [])),
                ]),
            Resource(
                permissionID, type: "AWS::Lambda::Permission",
                properties: [
                    .init("Action", "lambda:InvokeFunction"),
                    .init("FunctionName", .ref(functionID.rawValue)),
                    .init("Principal", "apigateway.amazonaws.com"),
                    // Scoped to this API, this stage and this route: another API or route
                    // cannot invoke the function. `${` in a route key is escaped for Sub.
                    .init("SourceArn", .sub(
                        "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${\(Names.api)}/${StageName}/"
                            + key.replacing("${", with: "${!"), [])),
                ]),
            // Named after the function as Lambda would name its own group, but under the
            // stack's name: SAM's generated function name is not known before the function
            // exists, and LoggingConfig points the function here.
            config.logGroup(logsID, name: .sub("/aws/lambda/${AWS::StackName}-\(functionID)", [])),
        ]
    }

    private func functionProperties(_ settings: FunctionSettings) -> [Value.Field] {
        var properties: [Value.Field] = [
            .init("Description", .string("Handles the \(route.key.rawValue) route")),
            .init("CodeUri", .string(RealtimeContract.codeURI(handler: route.handler))),
            .init("LoggingConfig", ["LogGroup": .ref(logsID.rawValue)]),
        ]
        if let timeout = settings.timeout { properties.append(.init("Timeout", .int(timeout))) }
        if let memorySize = settings.memorySize { properties.append(.init("MemorySize", .int(memorySize))) }

        var variables: [Value.Field] = []
        var policies: [Value] = []
        for (table, access) in route.orderedTables {
            let tableRef: Value = table == .connections ? .ref(Names.connectionsTable) : .ref(table.parameterName)
            variables.append(.init(table.environmentVariable, tableRef))
            if table == .connections {
                variables.append(.init(Shape.indexVariable, .string(Shape.index)))
            }
            policies.append([access.policyTemplate: ["TableName": tableRef]])
        }
        if route.broadcast {
            variables.append(.init(RealtimeContract.managementEndpointVariable, Names.managementEndpoint))
            // ManageConnections (not Invoke) is the action PostToConnection checks; the
            // resource names this API's stage and nothing wider.
            policies.append([
                "Version": "2012-10-17",
                "Statement": [[
                    "Effect": "Allow",
                    "Action": "execute-api:ManageConnections",
                    "Resource": .sub(
                        "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${\(Names.api)}/${StageName}/POST/@connections/*", []),
                ]],
            ])
        }
        if !variables.isEmpty { properties.append(.init("Environment", ["Variables": .map(variables)])) }
        if !policies.isEmpty { properties.append(.init("Policies", .list(policies))) }
        return properties
    }
}

/// The fixed names of the stack, in one place so the template and its consumers agree.
enum Names {
    static let api = "WebSocketApi"
    static let stage = "WebSocketStage"
    static let deploymentPrefix = "WebSocketDeployment"
    static let connectionsTable = "ConnectionsTable"
    /// The stage's access log group, when `stageLogging.access` is on.
    static let accessLogs = "WebSocketAccessLogs"
    /// The stage's execution log group, when `stageLogging.level` is not OFF.
    static let executionLogs = "WebSocketExecutionLogs"
    /// Built from the API id and the `StageName` parameter, not from the Stage resource:
    /// the functions that need it are created before the stage, and a reference to the
    /// stage would close a dependency cycle.
    ///
    /// Computed, not a stored global: stored, its one-time box (a `Value` is an indirect enum)
    /// was reported by LeakSanitizer as a leak at the end of `make fuzz`, which failed the run;
    /// the reference from the global (likely a tagged enum pointer) is not one it follows.
    static var managementEndpoint: Value {
        .sub("https://${\(api)}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${StageName}", [])
    }
}

/// The connections table's shape, as the contract defines it.
private typealias Shape = RealtimeContract.Connections

private func id(_ raw: String) throws(StackError) -> LogicalID {
    do {
        return try LogicalID(raw)
    } catch {
        throw .model(error)
    }
}

/// 64-bit FNV-1a: a stable digest (Swift's `Hasher` is seeded per process) that is small
/// enough to spell in a logical id.
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ text: String) {
        for byte in text.utf8 { mix(byte) }
        mix(0)  // a separator, so ("ab", "c") and ("a", "bc") differ
    }

    private mutating func mix(_ byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* 0x0000_0100_0000_01b3
    }

    func hex(length: Int) -> String {
        let full = String(value, radix: 16)
        let padded = String(repeating: "0", count: max(0, 16 - full.count)) + full
        return String(padded.prefix(length))
    }
}

/// Why a config cannot become a template.
public enum StackError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No routes at all: API Gateway cannot deploy an API without one.
    case noRoutes
    /// More routes than API Gateway's quota.
    case tooManyRoutes(Int)
    /// Two routes with one key.
    case duplicateRouteKey(RouteKey, String)
    /// Two routes on one handler folder.
    case sharedHandler(String, RouteKey, RouteKey)
    /// Two handler folders that spell the same logical id prefix.
    case sharedLogicalID(String, String, String)
    /// A handler folder that cannot be a folder or a logical id.
    case invalidHandler(String, String)
    /// The model refused something (a logical id, an intrinsic).
    case model(ModelError)
    /// libyaml refused to write the document.
    case emitter(YAMLError)

    /// One sentence for a person.
    public var description: String {
        switch self {
        case .noRoutes:
            return "at least one route is required: API Gateway cannot deploy an API without routes"
        case .tooManyRoutes(let count):
            return "\(count) routes exceed API Gateway's quota of \(StackConfig.maxRoutes) routes per API"
        case .duplicateRouteKey(let key, _):
            return "route '\(key)' is declared twice"
        case .sharedHandler(let handler, let first, let second):
            return "routes '\(first)' and '\(second)' share the handler folder '\(handler)'; each route needs its own Lambda"
        case .sharedLogicalID(let prefix, let first, let second):
            return "handler folders '\(first)' and '\(second)' both give the logical id prefix '\(prefix)'; rename one"
        case .invalidHandler(let handler, let rule):
            return "handler folder '\(handler)' is not valid: \(rule)"
        case .model(let error):
            return error.description
        case .emitter(let error):
            return "could not write YAML: \(error)"
        }
    }
}
