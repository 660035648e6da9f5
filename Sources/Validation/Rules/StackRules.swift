import Contract
import YAML

/// The Meno realtime stack's contract (DESIGN.md §1), checked on the templates that declare
/// it and nowhere else.
///
/// A template declares the contract in its top-level `Metadata: menort:` block: `menort
/// render` writes the routes it rendered there (handler, tables, broadcast), and a
/// hand-written template opts in with `Metadata: {menort: {stack: realtime}}`, which means
/// the default contract. Nothing else (parameter names, folder names) switches the family
/// on, so other teams' WebSocket stacks are never judged by Meno's contract.
///
/// Against the declared contract it checks: a WebSocket API routing on
/// `$request.body.action`; every declared route; the connections table keyed `sessionId` +
/// `connectionId` with TTL and a `connectionId` index; each handler's access to the tables
/// its route declares and, for broadcasting routes, to `@connections`; a `wss://`
/// `WebSocketInvokeUrl`; and handler folders that exist.
public struct StackRules: RuleFamily {
    public static let family = Family.stack

    static let contract = Rule(
        "stack-contract", .stack, .warning, "The Metadata: menort: block cannot be read",
        "A template declares the Meno realtime contract in its top-level Metadata: menort: block (stack: realtime, and optionally the routes with their handler, tables and broadcast, as menort render writes them). When the block is malformed the contract cannot be read and is not checked; the deploy itself is unaffected, so this is a warning. Fix the block as the message says, or remove it if the template is not a realtime stack.")
    static let apiProtocol = Rule(
        "stack-api-protocol", .stack, .error, "The realtime stack's API is not a WebSocket API",
        "The realtime stack serves browsers and the companion app over one long-lived WebSocket; an HTTP API cannot hold connections, route on message bodies or post back to clients. Set ProtocolType: WEBSOCKET.")
    static let routeSelection = Rule(
        "stack-route-selection", .stack, .error, "The realtime API routes on something other than $request.body.action",
        "Every realtime client sends {\"action\": \"chat.send\", …}: the API must route on $request.body.action. Another field (type, event) sends every message to $default and the route handlers are never called. Set RouteSelectionExpression: $request.body.action.")
    static let connectionsTable = Rule(
        "stack-connections-table", .stack, .error, "No connections table",
        "The handlers record open connections in a DynamoDB table (TableName: !Ref ConnectionsTableName) to fan messages out; without it $connect has nowhere to write and nobody receives a broadcast. Declare the AWS::DynamoDB::Table.")
    static let connectionsKeys = Rule(
        "stack-connections-keys", .stack, .error, "The connections table is not keyed sessionId + connectionId",
        "The handlers read and write connection rows by sessionId (HASH) and connectionId (RANGE). Another key schema makes every PutItem and Query fail with ValidationException. Use KeySchema sessionId HASH, connectionId RANGE (changing it replaces the table).")
    static let connectionsTTL = Rule(
        "stack-connections-ttl", .stack, .error, "The connections table has no TTL",
        "Connections that drop without $disconnect (a closed laptop, a lost network) leave rows behind; the handlers set an expiry attribute and rely on DynamoDB TTL to delete them. Without TimeToLiveSpecification {AttributeName: expiresAt, Enabled: true} stale rows pile up and every broadcast posts to dead connections.")
    static let connectionsIndex = Rule(
        "stack-connections-index", .stack, .error, "The connections table has no index on connectionId",
        "$disconnect knows only the connection id, and the table is keyed sessionId + connectionId: it needs a global secondary index whose HASH key is connectionId to find the row to delete. Add one (IndexName: connectionId-index).")
    static let routeMissing = Rule(
        "stack-route-missing", .stack, .error, "A route the template's contract declares is missing",
        "The template's Metadata: menort: block declares the routes its clients rely on ($connect registers the connection, $disconnect removes it, each action such as chat.send has its handler). A declared route that the API does not have means connections are never recorded or messages of that action fall to $default. Add the route, its integration, function and permission (menort render does all four), or remove it from the contract.")
    static let defaultRouteMissing = Rule(
        "stack-default-route-missing", .stack, .warning, "The contract declares a $default route the API does not have",
        "Messages whose action matches no route, and messages that are not JSON, go to $default. Without it clients get an error frame instead of a helpful answer; the stack still works, so this is a warning. Add the $default route, or remove it from the contract.")
    static let handlerPost = Rule(
        "stack-handler-post", .stack, .error, "A broadcasting handler that cannot post to @connections",
        "A route the contract declares with broadcast: true answers and fans out through the API Gateway Management API. Without execute-api:ManageConnections on ${Api}/${StageName}/POST/@connections/* every PostToConnection fails with 403. Add the statement to the function's Policies.")
    static let handlerTable = Rule(
        "stack-handler-table", .stack, .error, "A handler without the table access its route declares",
        "The contract says which tables each route's handler reads or writes (chat.send writes the chat table, $connect the connections table, …). Without a policy that grants it (DynamoDBCrudPolicy or dynamodb:PutItem/UpdateItem/DeleteItem on the table's ARN for write, DynamoDBReadPolicy or GetItem/Query/Scan for read) the handler fails with AccessDeniedException on every message. Add the policy to its Policies.")
    static let disconnectDelete = Rule(
        "stack-disconnect-delete", .stack, .warning, "$disconnect may write but not delete connection rows",
        "$disconnect deletes the connection's row; DynamoDBWritePolicy grants PutItem, UpdateItem and BatchWriteItem but not DeleteItem, so the delete is refused and the row lives until TTL. Use DynamoDBCrudPolicy.")
    static let handlerTableAccess = Rule(
        "stack-handler-table-access", .stack, .warning, "A handler is given a table it has no policy for",
        "The function's environment names a DynamoDB table (a table of the stack, or one of the contract's table parameters), but none of its policies grants any access to that table: the first call fails with AccessDeniedException. Add DynamoDBReadPolicy or DynamoDBCrudPolicy for it, or drop the variable.")
    static let invokeURLMissing = Rule(
        "stack-invoke-url-missing", .stack, .error, "No WebSocketInvokeUrl output",
        "The deploy pipeline reads the WebSocketInvokeUrl output into NEXT_PUBLIC_REALTIME_WEBSOCKET_URL, REALTIME_WEBSOCKET_URL and the app's extra.realtimeWsUrl. Add Outputs: WebSocketInvokeUrl: Value: !Sub wss://${WebSocketApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${StageName}.")
    static let invokeURL = Rule(
        "stack-invoke-url", .stack, .error, "WebSocketInvokeUrl is not the wss:// URL of the API's stage",
        "Clients open wss://<api-id>.execute-api.<region>.amazonaws.com/<stage>. An https:// URL (that is the management endpoint), a URL naming another resource, or one without the stage fails to connect. Use !Sub wss://${WebSocketApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${StageName}.")
    static let codeURI = Rule(
        "stack-code-uri", .stack, .warning, "A handler's CodeUri folder does not exist",
        "SAM resolves CodeUri relative to the template's folder; when the folder is missing, sam build fails (or packages nothing). Create lambda/realtime/<handler>/ or fix the path.")

    public static let rules: [Rule] = [
        contract, apiProtocol, routeSelection, connectionsTable, connectionsKeys, connectionsTTL, connectionsIndex, routeMissing,
        defaultRouteMissing, handlerPost, handlerTable, disconnectDelete, handlerTableAccess, invokeURLMissing, invokeURL,
        codeURI,
    ]

    public init() {}

    /// Whether `template` declares a stack kind in `Metadata: menort:` (read or not): the
    /// family has something to say about it, so the WebSocket wiring is worth resolving.
    static func declaresContract(_ template: SourceTemplate) -> Bool {
        template.root["Metadata"]?["menort"]?["stack"] != nil
    }

    public func check(_ context: ValidationContext, into report: inout Report) {
        let template = context.template
        guard let block = template.root["Metadata"]?["menort"] else { return }
        let contract: RealtimeContract
        do {
            guard let declared = try RealtimeContract.read(metadata: block) else { return }
            contract = declared
        } catch {
            report.add(StackRules.contract, "\(error.message); the realtime contract is not checked",
                       at: error.mark ?? block.mark, logicalId: nil, path: "Metadata/menort")
            return
        }
        let model = context.webSocket
        guard let api = model.webSocketAPIs.first, let apiEntry = model.apis[api]?.entry else {
            for entry in template.resources where entry.resourceType == "AWS::ApiGatewayV2::Api" {
                let node = entry.properties?["ProtocolType"]
                let written = literalText(node)
                guard written == nil || written != RealtimeContract.protocolType, node.map({ Intrinsic($0) == nil }) ?? true else { continue }
                report.add(StackRules.apiProtocol,
                           "API '\(entry.id)' has ProtocolType \(written ?? "(none)"), but the realtime stack needs a WebSocket API; set ProtocolType: WEBSOCKET",
                           at: node ?? entry.key, logicalId: entry.id, path: "Resources/\(entry.id)/Properties/ProtocolType")
            }
            return
        }
        let tables = Tables(model)
        checkSelection(model, into: &report)
        // What is absent can be reported only when every resource could be read.
        if model.isComplete {
            checkConnectionsTable(tables.connections, template, into: &report)
            if !model.hasUnreadableRoute { checkRoutes(contract, api, apiEntry, model, into: &report) }
            checkHandlers(contract, model, tables, into: &report)
        }
        checkInvokeURL(api, model, into: &report)
        checkCodeURIs(context, into: &report)
    }

    // MARK: - API

    private func checkSelection(_ model: WebSocketModel, into report: inout Report) {
        for api in model.webSocketAPIs {
            guard let node = model.apis[api]?.entry.properties?["RouteSelectionExpression"], let text = literalText(node),
                  WebSocketRules.isSelectionExpression(text),
                  text != RealtimeContract.routeSelectionExpression, text != "${request.body.action}" else { continue }
            report.add(StackRules.routeSelection,
                       "API '\(api)' routes on '\(text)', but realtime clients send the route in the action field; use $request.body.action",
                       at: node, logicalId: api, path: "Resources/\(api)/Properties/RouteSelectionExpression")
        }
    }

    private func checkRoutes(_ contract: RealtimeContract, _ api: String, _ apiEntry: SourceTemplate.Entry, _ model: WebSocketModel,
                             into report: inout Report) {
        let keys = Set(model.routes.compactMap(\.key))
        for route in contract.routes where !keys.contains(route.key.rawValue) {
            if route.key == .default {
                report.add(StackRules.defaultRouteMissing,
                           "API '\(api)' has no '$default' route, which the contract declares, so unknown actions and non-JSON messages get an error frame; add it",
                           at: apiEntry.key, logicalId: api, path: "Resources/\(api)")
            } else {
                report.add(StackRules.routeMissing,
                           "API '\(api)' has no '\(route.key)' route, which the contract declares; add the route with its integration, function and permission",
                           at: apiEntry.key, logicalId: api, path: "Resources/\(api)")
            }
        }
    }

    // MARK: - Connections table

    private func checkConnectionsTable(_ table: TableIdentity?, _ template: SourceTemplate, into report: inout Report) {
        guard let table, let id = table.resource, let entry = template.resource(id) else {
            let resources = template.root.pairs?.first { $0.key.scalar == "Resources" }?.key
            report.add(StackRules.connectionsTable,
                       "the realtime stack has no connections table; declare an AWS::DynamoDB::Table with TableName: !Ref ConnectionsTableName",
                       at: resources ?? template.root, logicalId: nil, path: "Resources")
            return
        }
        let properties = entry.properties
        let base = "Resources/\(id)/Properties"
        // Keys.
        if let schema = properties?["KeySchema"], let keys = StackRules.keys(schema) {
            if keys["HASH"] != Shape.partitionKey || keys["RANGE"] != Shape.sortKey || keys.count != 2 {
                let written = ["HASH", "RANGE"].compactMap { kind in keys[kind].map { "\($0) (\(kind))" } }.joined(separator: " + ")
                report.add(StackRules.connectionsKeys,
                           "connections table '\(id)' is keyed \(written.isEmpty ? "on nothing" : written); the handlers expect \(Shape.partitionKey) (HASH) + \(Shape.sortKey) (RANGE)",
                           at: schema, logicalId: id, path: "\(base)/KeySchema")
            }
        }
        // TTL.
        if let ttl = properties?["TimeToLiveSpecification"] {
            if Intrinsic(ttl) == nil {
                let enabled = ttl["Enabled"]
                if enabled == nil || literalText(enabled).map({ $0.lowercased() != "true" }) == true {
                    report.add(StackRules.connectionsTTL,
                               "connections table '\(id)' has TTL disabled, so rows of dropped connections are never deleted; set Enabled: true",
                               at: enabled ?? ttl, logicalId: id, path: "\(base)/TimeToLiveSpecification\(enabled == nil ? "" : "/Enabled")")
                } else if ttl["AttributeName"] == nil {
                    report.add(StackRules.connectionsTTL,
                               "connections table '\(id)' enables TTL without an AttributeName; set AttributeName: \(Shape.ttlAttribute)",
                               at: ttl, logicalId: id, path: "\(base)/TimeToLiveSpecification")
                }
            }
        } else if properties == nil || properties.map({ Intrinsic($0) == nil }) == true {
            report.add(StackRules.connectionsTTL,
                       "connections table '\(id)' has no TimeToLiveSpecification, so rows of dropped connections are never deleted; add {AttributeName: \(Shape.ttlAttribute), Enabled: true}",
                       at: entry.key, logicalId: id, path: "Resources/\(id)")
        }
        // Index on connectionId.
        let indexes = properties?["GlobalSecondaryIndexes"]
        var found = Tri.no
        for index in listOrSingle(indexes) {
            guard Intrinsic(index) == nil, let schema = index["KeySchema"], let keys = StackRules.keys(schema) else {
                found = found.or(.unknown)
                continue
            }
            found = found.or(Tri(keys["HASH"] == Shape.sortKey))
        }
        if found == .no, properties.map({ Intrinsic($0) == nil }) ?? true {
            report.add(StackRules.connectionsIndex,
                       "connections table '\(id)' has no global secondary index keyed on \(Shape.sortKey), so $disconnect cannot find the row to delete; add one (IndexName: \(Shape.index))",
                       at: indexes ?? entry.key, logicalId: id,
                       path: indexes == nil ? "Resources/\(id)" : "\(base)/GlobalSecondaryIndexes")
        }
    }

    /// `KeyType → AttributeName` of a literal key schema; `nil` when some part is not literal.
    static func keys(_ schema: Node) -> [String: String]? {
        guard Intrinsic(schema) == nil, let items = schema.items else { return nil }
        var keys: [String: String] = [:]
        for item in items {
            guard let name = literalText(item["AttributeName"]), let type = literalText(item["KeyType"]) else { return nil }
            keys[type.uppercased()] = name
        }
        return keys
    }

    // MARK: - Handlers

    private func checkHandlers(_ contract: RealtimeContract, _ model: WebSocketModel, _ tables: Tables, into report: inout Report) {
        var reported: Set<String> = []
        var posted: Set<String> = []
        var handlers: [String] = []
        for declared in contract.routes {
            guard let route = model.routes.first(where: { $0.key == declared.key.rawValue }),
                  let function = model.handler(of: route)?.function else { continue }
            if !handlers.contains(function) { handlers.append(function) }
            let key = declared.key.rawValue
            let entry = model.functions[function]
            let policies = entry?.properties?["Policies"]
            let at = policies ?? entry?.key
            let path = policies == nil ? "Resources/\(function)" : "Resources/\(function)/Properties/Policies"
            if declared.broadcast, posted.insert(function).inserted,
               model.mayPost(function, api: route.api) == .no,
               model.statements(of: function, mentioning: "@connections").isEmpty {
                report.add(StackRules.handlerPost,
                           "'\(function)' handles '\(key)', which the contract says broadcasts, but cannot post to @connections; grant execute-api:ManageConnections on ${\(route.api)}/${StageName}/POST/@connections/*",
                           at: at, logicalId: function, path: path)
            }
            for (name, access) in declared.orderedTables {
                guard let table = tables.identity(of: name) else { continue }
                let granted = access == .write ? tables.mayWrite(function, table) : tables.mayRead(function, table)
                if granted == .no, reported.insert("\(function)|\(table.label)").inserted {
                    let verb = access == .write ? "write" : "read"
                    report.add(StackRules.handlerTable,
                               "'\(function)' handles '\(key)' but cannot \(verb) the \(table.label) table, which the contract says it \(verb)s; add \(access.policyTemplate) with TableName: \(table.reference)",
                               at: at, logicalId: function, path: path)
                } else if declared.key == .disconnect, name == .connections, access == .write, granted == .yes,
                          tables.may(function, "dynamodb:DeleteItem", table) == .no {
                    report.add(StackRules.disconnectDelete,
                               "'\(function)' handles '$disconnect' but may not delete from the connections table (DynamoDBWritePolicy has no DeleteItem); use DynamoDBCrudPolicy",
                               at: at, logicalId: function, path: path)
                }
            }
        }
        // Tables a handler is given in its environment.
        for function in handlers {
            guard let variables = model.functions[function]?.properties?["Environment"]?["Variables"]?.pairs else { continue }
            for pair in variables {
                guard let value = Symbolic(pair.value), let name = value.singleRef, let table = tables.identity(named: name),
                      !reported.contains("\(function)|\(table.label)"),
                      tables.mayAccess(function, table) == .no else { continue }
                reported.insert("\(function)|\(table.label)")
                let variable = pair.key.scalar ?? "?"
                report.add(StackRules.handlerTableAccess,
                           "'\(function)' is given table \(table.reference) in \(variable) but no policy on it; add DynamoDBReadPolicy or DynamoDBCrudPolicy with TableName: \(table.reference)",
                           at: pair.value, logicalId: function, path: "Resources/\(function)/Properties/Environment/Variables/\(variable)")
            }
        }
    }

    // MARK: - Output

    private func checkInvokeURL(_ api: String, _ model: WebSocketModel, into report: inout Report) {
        let template = model.template
        guard let output = template.outputs.first(where: { $0.id == RealtimeContract.invokeURLOutput }) else {
            let outputs = template.root.pairs?.first { $0.key.scalar == "Outputs" }?.key
            report.add(StackRules.invokeURLMissing,
                       "the realtime stack has no WebSocketInvokeUrl output for the clients' configuration; add Value: !Sub wss://${\(api)}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${StageName}",
                       at: outputs ?? template.root, logicalId: nil, path: "Outputs")
            return
        }
        let id = output.id
        guard let node = output.value["Value"], let value = Symbolic(node), let first = value.pieces.first else { return }
        let path = "Outputs/\(id)/Value"
        let fix = "use !Sub wss://${\(api)}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${StageName}"
        var apiOfURL = api
        let segments = value.split("/")
        var stage: Symbolic?
        switch first {
        case .text(let text):
            let lower = text.lowercased()
            for scheme in ["https://", "http://", "ws://"] where lower.hasPrefix(scheme) {
                report.add(StackRules.invokeURL,
                           "WebSocketInvokeUrl starts with \(scheme), but clients connect with wss://; \(fix)",
                           at: node, logicalId: id, path: path)
                return
            }
            guard lower.hasPrefix("wss://"), segments.count >= 3 else { return }
            // wss://<host>/<stage>: the host names the API when it starts with a reference.
            let host = segments[2]
            guard let hostFirst = host.pieces.first else { return }
            if case .text = hostFirst { return }  // a custom domain
            let named = Symbolic([hostFirst])
            switch model.apiReference(named) {
            case .api(let other):
                guard model.apis[other]?.isWebSocket == true else {
                    report.add(StackRules.invokeURL,
                               "WebSocketInvokeUrl names '\(other)', which is not the WebSocket API; \(fix)",
                               at: node, logicalId: id, path: path)
                    return
                }
                apiOfURL = other
            case .notAnAPI(let other, _):
                report.add(StackRules.invokeURL,
                           "WebSocketInvokeUrl names '\(other)', which is not the WebSocket API; \(fix)",
                           at: node, logicalId: id, path: path)
                return
            case .unknown:
                return
            }
            stage = segments.count >= 4 ? segments[3] : nil
        case .att(let resource, let attribute) where attribute == "ApiEndpoint":
            guard model.apis[resource]?.isWebSocket == true else { return }
            apiOfURL = resource
            stage = segments.count >= 2 ? segments[1] : nil
        default:
            return
        }
        guard let stage, !stage.pieces.isEmpty else {
            report.add(StackRules.invokeURL,
                       "WebSocketInvokeUrl has no stage path, so connections fail; \(fix)",
                       at: node, logicalId: id, path: path)
            return
        }
        if model.matchStage(stage, api: apiOfURL) == .no {
            report.add(StackRules.invokeURL,
                       "WebSocketInvokeUrl names stage '\(stage)', which is not a stage of '\(apiOfURL)'; \(fix)",
                       at: node, logicalId: id, path: path)
        }
    }

    // MARK: - Handler folders

    private func checkCodeURIs(_ context: ValidationContext, into report: inout Report) {
        guard let directory = context.directory else { return }
        let template = context.template
        let global = template.root["Globals"]?["Function"]?["CodeUri"]
        for entry in template.resources {
            let properties = entry.properties
            var node: Node?
            var path: String
            switch entry.resourceType {
            case "AWS::Serverless::Function":
                if properties?["InlineCode"] != nil || literalText(properties?["PackageType"]) == "Image" { continue }
                node = properties?["CodeUri"]
                path = "Resources/\(entry.id)/Properties/CodeUri"
                if node == nil {
                    node = global
                    path = "Globals/Function/CodeUri"
                }
            case "AWS::Lambda::Function":
                node = properties?["Code"]  // a local path that `aws cloudformation package` uploads
                path = "Resources/\(entry.id)/Properties/Code"
            default:
                continue
            }
            guard let node, let uri = literalText(node), !uri.isEmpty, !uri.containsText("://") else { continue }
            let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
            let full = uri.hasPrefix("/") ? uri : base + "/" + uri
            guard !context.fileExists(full) else { continue }
            report.add(StackRules.codeURI,
                       "'\(entry.id)' has CodeUri '\(uri)', but no such folder exists\(uri.hasPrefix("/") ? "" : " beside the template"), so sam build fails; create the folder or fix the path",
                       at: node, logicalId: entry.id, path: path)
        }
    }
}

/// The connections table's shape, as the contract defines it.
private typealias Shape = RealtimeContract.Connections

/// A table as the stack's policies and environment may name it.
struct TableIdentity {
    /// The table resource, when the stack declares it.
    let resource: String?
    /// The parameter holding its name (`ChatTableName`).
    let parameter: String?
    /// Its literal name, when written.
    let name: String?
    /// `connections`, `chat`, `presence`, … for messages.
    let label: String

    /// How a policy should name it.
    var reference: String {
        if let resource { return "!Ref \(resource)" }
        if let parameter { return "!Ref \(parameter)" }
        return name ?? label
    }

    /// Whether a table name (a SAM template's `TableName`, the name part of an ARN) is this table.
    func matchesName(_ value: Symbolic, _ model: WebSocketModel) -> Tri {
        if let ref = value.singleRef {
            if ref == resource || ref == parameter { return .yes }
            // Another table of the stack, or another table-name parameter: another table.
            if let other = model.template.resource(ref) { return other.resourceType?.hasPrefix("AWS::DynamoDB::") == true ? .no : .unknown }
            if model.template.parameter(ref) != nil { return ref.hasSuffix("TableName") ? .no : .unknown }
            return .unknown
        }
        if let text = value.literal {
            if text == "*" { return .yes }
            if let name { return Tri(wildcardMatch(text, name)) }
            return .unknown
        }
        return .unknown
    }

    /// Whether an IAM `Resource` covers the table itself (not only its indexes or streams).
    func matchesARN(_ value: Symbolic, _ model: WebSocketModel) -> Tri {
        if value.literal == "*" { return .yes }
        if let att = value.singleAtt, att.attribute == "Arn" {
            if att.resource == resource { return .yes }
            return model.template.resource(att.resource)?.resourceType?.hasPrefix("AWS::DynamoDB::") == true ? .no : .unknown
        }
        let parts = value.split(":")
        guard parts.count >= 6 else { return .unknown }
        if let service = parts[2].literal, !wildcardMatch(service, "dynamodb") { return .no }
        let segments = Symbolic.join(parts[5...], separator: ":").split("/")
        // `table/*` and `*` cover every table.
        if segments.count == 1 { return segments[0].literal.map { wildcardMatch($0, "table/x") ? .yes : .no } ?? .unknown }
        if let kind = segments[0].literal, kind != "table", kind != "*" { return .no }
        if segments.count > 2 {
            // `table/T/index/*` alone does not cover the table.
            if let last = segments.last?.literal, last == "*", segments.count == 3 { return matchesName(segments[1], model) }
            return .no
        }
        return matchesName(segments[1], model)
    }
}

/// The contract's tables as this template declares them, and what a function may do with them.
struct Tables {
    let model: WebSocketModel
    /// Each contract table the template names: a table resource whose `TableName` is the
    /// table's parameter or that a handler's variable for the table (`CONNECTIONS_TABLE_NAME`)
    /// names, or else the parameter itself (an existing table).
    let byTable: [Table: TableIdentity]

    /// The connections table, which the stack must create.
    var connections: TableIdentity? { byTable[.connections].flatMap { $0.resource == nil ? nil : $0 } }

    init(_ model: WebSocketModel) {
        self.model = model
        let template = model.template
        let resources = template.resources.filter { $0.resourceType == "AWS::DynamoDB::Table" || $0.resourceType == "AWS::DynamoDB::GlobalTable" }
        var byTable: [Table: TableIdentity] = [:]
        for table in Table.allCases {
            let parameter = template.parameter(table.parameterName) == nil ? nil : table.parameterName
            // The names the contract gives the table: its parameter, and its variable in a handler's environment.
            let named = resources.first { $0.properties?["TableName"].flatMap(Symbolic.init)?.singleRef == table.parameterName }
                ?? template.resources.lazy.filter { model.functions[$0.id] != nil }.compactMap { function -> SourceTemplate.Entry? in
                    guard let variable = function.properties?["Environment"]?["Variables"]?[table.environmentVariable],
                          let ref = Symbolic(variable)?.singleRef else { return nil }
                    return resources.first { $0.id == ref }
                }.first
            if let entry = named {
                byTable[table] = TableIdentity(resource: entry.id, parameter: parameter, name: nil, label: table.rawValue)
            } else if let parameter {
                byTable[table] = TableIdentity(resource: nil, parameter: parameter, name: nil, label: table.rawValue)
            }
        }
        self.byTable = byTable
    }

    /// How the template names a contract table, when it does.
    func identity(of table: Table) -> TableIdentity? { byTable[table] }

    /// The table a `!Ref` in a function's environment names: a table resource, or one of
    /// the contract's table parameters.
    func identity(named name: String) -> TableIdentity? {
        for table in Table.allCases.compactMap({ byTable[$0] }) where table.resource == name || table.parameter == name {
            return table
        }
        if let entry = model.template.resource(name), entry.resourceType == "AWS::DynamoDB::Table" {
            return TableIdentity(resource: name, parameter: nil, name: literalText(entry.properties?["TableName"]), label: name)
        }
        return nil
    }

    static let templateActions: [String: Set<String>] = [
        "DynamoDBCrudPolicy": ["GetItem", "DeleteItem", "PutItem", "Scan", "Query", "UpdateItem", "BatchWriteItem",
                               "BatchGetItem", "DescribeTable", "ConditionCheckItem"],
        "DynamoDBWritePolicy": ["PutItem", "UpdateItem", "BatchWriteItem"],
        "DynamoDBReadPolicy": ["GetItem", "Scan", "Query", "BatchGetItem", "DescribeTable"],
        "DynamoDBRestoreFromBackupPolicy": ["PutItem", "UpdateItem", "DeleteItem", "GetItem", "Query", "Scan", "BatchWriteItem"],
    ]

    static let writeActions = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"]
    static let readActions = ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:BatchGetItem"]
    static let accessActions = writeActions + readActions

    /// Whether `function` may call `action` (`dynamodb:PutItem`) on `table`.
    func may(_ function: String, _ action: String, _ table: TableIdentity) -> Tri {
        let short = String(action.dropFirst("dynamodb:".count))
        return model.mayCall(function, action: action,
                             resource: { table.matchesARN($0, model) },
                             template: { name, parameters in
                                 if let actions = Tables.templateActions[name] {
                                     guard actions.contains(short) else { return .no }
                                     guard let node = parameters["TableName"], let value = Symbolic(node) else { return .unknown }
                                     return table.matchesName(value, model)
                                 }
                                 return WebSocketModel.unrelatedTemplates.contains(name) ? .no : .unknown
                             },
                             managed: { name in
                                 if WebSocketModel.allPowerfulPolicies.contains(name) || name == "AmazonDynamoDBFullAccess" { return .yes }
                                 if name == "AmazonDynamoDBReadOnlyAccess" {
                                     return Tri(["GetItem", "Query", "Scan", "BatchGetItem"].contains(short))
                                 }
                                 return WebSocketModel.unrelatedManagedPolicies.contains(name) ? .no : .unknown
                             })
    }

    /// Whether `function` may write items of `table`.
    func mayWrite(_ function: String, _ table: TableIdentity) -> Tri {
        Tables.writeActions.reduce(Tri.no) { $0.or(may(function, $1, table)) }
    }

    /// Whether `function` may read items of `table`.
    func mayRead(_ function: String, _ table: TableIdentity) -> Tri {
        Tables.readActions.reduce(Tri.no) { $0.or(may(function, $1, table)) }
    }

    /// Whether `function` may read or write items of `table`.
    func mayAccess(_ function: String, _ table: TableIdentity) -> Tri {
        Tables.accessActions.reduce(Tri.no) { $0.or(may(function, $1, table)) }
    }
}
