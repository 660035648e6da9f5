import YAML

/// The Meno realtime stack's contract (DESIGN.md §1): a WebSocket API routing on
/// `$request.body.action`, the five routes, a connections table keyed `sessionId` +
/// `connectionId` with TTL and a `connectionId` index, handlers that can write their tables
/// and post to `@connections`, a `wss://` `WebSocketInvokeUrl`, and handler folders that exist.
///
/// It applies only to templates that are realtime stacks, so it never fires on other teams'
/// templates: the template declares an `AWS::ApiGatewayV2::Api` (of any protocol, so that a
/// stack switched to HTTP is still recognised) AND at least one of
/// - a parameter named `ConnectionsTableName`,
/// - a resource whose `CodeUri` lies under `lambda/realtime/`,
/// - top-level `Metadata: {menort: {stack: realtime}}`.
public struct StackRules: RuleFamily {
    public static let family = Family.stack

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
        "stack-route-missing", .stack, .error, "A route of the realtime contract is missing",
        "The clients rely on $connect (register the connection), $disconnect (remove it), chat.send and presence.update. A missing route means connections are never recorded or messages of that action fall to $default. Add the route, its integration, function and permission (menort render does all four).")
    static let defaultRouteMissing = Rule(
        "stack-default-route-missing", .stack, .warning, "The realtime API has no $default route",
        "Messages whose action matches no route, and messages that are not JSON, go to $default. Without it clients get an error frame instead of a helpful answer; the stack still works, so this is a warning. Add a $default route.")
    static let handlerPost = Rule(
        "stack-handler-post", .stack, .error, "A message handler that cannot post to @connections",
        "Handlers of client messages ($default, chat.send, presence.update, …) answer and broadcast through the API Gateway Management API. Without execute-api:ManageConnections on ${Api}/${StageName}/POST/@connections/* every PostToConnection fails with 403. Add the statement to the function's Policies.")
    static let handlerTable = Rule(
        "stack-handler-table", .stack, .error, "A handler that cannot write the table its route owns",
        "chat.send writes the chat table, presence.update the presence table, $connect and $disconnect the connections table. Without DynamoDBCrudPolicy (or dynamodb:PutItem/UpdateItem/DeleteItem on the table's ARN) the handler fails with AccessDeniedException on every message. Add DynamoDBCrudPolicy: {TableName: …} to its Policies.")
    static let disconnectDelete = Rule(
        "stack-disconnect-delete", .stack, .warning, "$disconnect may write but not delete connection rows",
        "$disconnect deletes the connection's row; DynamoDBWritePolicy grants PutItem, UpdateItem and BatchWriteItem but not DeleteItem, so the delete is refused and the row lives until TTL. Use DynamoDBCrudPolicy.")
    static let handlerTableAccess = Rule(
        "stack-handler-table-access", .stack, .warning, "A handler is given a table it has no policy for",
        "The function's environment names a DynamoDB table (a table of the stack, or a *TableName parameter), but none of its policies grants any access to that table: the first call fails with AccessDeniedException. Add DynamoDBReadPolicy or DynamoDBCrudPolicy for it, or drop the variable.")
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
        apiProtocol, routeSelection, connectionsTable, connectionsKeys, connectionsTTL, connectionsIndex, routeMissing,
        defaultRouteMissing, handlerPost, handlerTable, disconnectDelete, handlerTableAccess, invokeURLMissing, invokeURL,
        codeURI,
    ]

    /// The routes the contract requires; `$default` is a warning of its own.
    static let requiredRoutes = ["$connect", "$disconnect", "chat.send", "presence.update"]

    public init() {}

    /// Whether `template` is a Meno realtime stack (see the type's documentation).
    static func isRealtimeStack(_ template: SourceTemplate) -> Bool {
        guard template.resources.contains(where: { $0.resourceType == "AWS::ApiGatewayV2::Api" }) else { return false }
        if template.parameter("ConnectionsTableName") != nil { return true }
        if literalText(template.root["Metadata"]?["menort"]?["stack"]) == "realtime" { return true }
        return template.resources.contains { entry in
            guard let uri = literalText(entry.properties?["CodeUri"]) else { return false }
            let path = uri.hasPrefix("./") ? String(uri.dropFirst(2)) : uri
            return path.hasPrefix("lambda/realtime/")
        }
    }

    public func check(_ context: ValidationContext, into report: inout Report) {
        let template = context.template
        guard StackRules.isRealtimeStack(template) else { return }
        let model = context.webSocket
        guard let api = model.webSocketAPIs.first, let apiEntry = model.apis[api]?.entry else {
            for entry in template.resources where entry.resourceType == "AWS::ApiGatewayV2::Api" {
                let node = entry.properties?["ProtocolType"]
                let written = literalText(node)
                guard written == nil || written != "WEBSOCKET", node.map({ Intrinsic($0) == nil }) ?? true else { continue }
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
            if !model.hasUnreadableRoute { checkRoutes(api, apiEntry, model, into: &report) }
            checkHandlers(model, tables, into: &report)
        }
        checkInvokeURL(api, model, into: &report)
        checkCodeURIs(context, into: &report)
    }

    // MARK: - API

    private func checkSelection(_ model: WebSocketModel, into report: inout Report) {
        for api in model.webSocketAPIs {
            guard let node = model.apis[api]?.entry.properties?["RouteSelectionExpression"], let text = literalText(node),
                  WebSocketRules.isSelectionExpression(text),
                  text != "$request.body.action", text != "${request.body.action}" else { continue }
            report.add(StackRules.routeSelection,
                       "API '\(api)' routes on '\(text)', but realtime clients send the route in the action field; use $request.body.action",
                       at: node, logicalId: api, path: "Resources/\(api)/Properties/RouteSelectionExpression")
        }
    }

    private func checkRoutes(_ api: String, _ apiEntry: SourceTemplate.Entry, _ model: WebSocketModel, into report: inout Report) {
        let keys = Set(model.routes.compactMap(\.key))
        for key in StackRules.requiredRoutes where !keys.contains(key) {
            report.add(StackRules.routeMissing,
                       "API '\(api)' has no '\(key)' route, which realtime clients rely on; add the route with its integration, function and permission",
                       at: apiEntry.key, logicalId: api, path: "Resources/\(api)")
        }
        if !keys.contains("$default") {
            report.add(StackRules.defaultRouteMissing,
                       "API '\(api)' has no '$default' route, so unknown actions and non-JSON messages get an error frame; add one",
                       at: apiEntry.key, logicalId: api, path: "Resources/\(api)")
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
            if keys["HASH"] != "sessionId" || keys["RANGE"] != "connectionId" || keys.count != 2 {
                let written = ["HASH", "RANGE"].compactMap { kind in keys[kind].map { "\($0) (\(kind))" } }.joined(separator: " + ")
                report.add(StackRules.connectionsKeys,
                           "connections table '\(id)' is keyed \(written.isEmpty ? "on nothing" : written); the handlers expect sessionId (HASH) + connectionId (RANGE)",
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
                               "connections table '\(id)' enables TTL without an AttributeName; set AttributeName: expiresAt",
                               at: ttl, logicalId: id, path: "\(base)/TimeToLiveSpecification")
                }
            }
        } else if properties == nil || properties.map({ Intrinsic($0) == nil }) == true {
            report.add(StackRules.connectionsTTL,
                       "connections table '\(id)' has no TimeToLiveSpecification, so rows of dropped connections are never deleted; add {AttributeName: expiresAt, Enabled: true}",
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
            found = found.or(Tri(keys["HASH"] == "connectionId"))
        }
        if found == .no, properties.map({ Intrinsic($0) == nil }) ?? true {
            report.add(StackRules.connectionsIndex,
                       "connections table '\(id)' has no global secondary index keyed on connectionId, so $disconnect cannot find the row to delete; add one (IndexName: connectionId-index)",
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

    private func checkHandlers(_ model: WebSocketModel, _ tables: Tables, into report: inout Report) {
        var reported: Set<String> = []
        var posted: Set<String> = []
        for route in model.routes {
            guard let key = route.key, let function = model.handler(of: route)?.function else { continue }
            let entry = model.functions[function]
            let policies = entry?.properties?["Policies"]
            let at = policies ?? entry?.key
            let path = policies == nil ? "Resources/\(function)" : "Resources/\(function)/Properties/Policies"
            // Client messages answer and broadcast.
            if (key == "$default" || !key.hasPrefix("$")), posted.insert(function).inserted,
               model.mayPost(function, api: route.api) == .no,
               model.statements(of: function, mentioning: "@connections").isEmpty {
                report.add(StackRules.handlerPost,
                           "'\(function)' handles '\(key)' but cannot post to @connections; grant execute-api:ManageConnections on ${\(route.api)}/${StageName}/POST/@connections/*",
                           at: at, logicalId: function, path: path)
            }
            let table: TableIdentity?
            switch key {
            case "chat.send": table = tables.chat
            case "presence.update": table = tables.presence
            case "$connect", "$disconnect": table = tables.connections
            default: table = nil
            }
            guard let table else { continue }
            let write = tables.mayWrite(function, table)
            if write == .no, reported.insert("\(function)|\(table.label)").inserted {
                report.add(StackRules.handlerTable,
                           "'\(function)' handles '\(key)' but cannot write the \(table.label) table; add DynamoDBCrudPolicy with TableName: \(table.reference)",
                           at: at, logicalId: function, path: path)
            } else if key == "$disconnect", write == .yes, tables.may(function, "dynamodb:DeleteItem", table) == .no {
                report.add(StackRules.disconnectDelete,
                           "'\(function)' handles '$disconnect' but may not delete from the connections table (DynamoDBWritePolicy has no DeleteItem); use DynamoDBCrudPolicy",
                           at: at, logicalId: function, path: path)
            }
        }
        // Tables a handler is given in its environment.
        var handlers: [String] = []
        for route in model.routes {
            if let function = model.handler(of: route)?.function, !handlers.contains(function) { handlers.append(function) }
        }
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
        guard let output = template.outputs.first(where: { $0.id == "WebSocketInvokeUrl" }) else {
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

/// The stack's tables and what a function may do with them.
struct Tables {
    let model: WebSocketModel
    let connections: TableIdentity?
    let chat: TableIdentity?
    let presence: TableIdentity?

    init(_ model: WebSocketModel) {
        self.model = model
        let template = model.template
        let tables = template.resources.filter { $0.resourceType == "AWS::DynamoDB::Table" || $0.resourceType == "AWS::DynamoDB::GlobalTable" }
        func identity(_ entry: SourceTemplate.Entry, label: String) -> TableIdentity {
            let name = entry.properties?["TableName"].flatMap(Symbolic.init)
            let parameter = name?.singleRef.flatMap { template.parameter($0) != nil ? $0 : nil }
            return TableIdentity(resource: entry.id, parameter: parameter, name: name?.literal, label: label)
        }
        func find(_ parameter: String, _ word: String, label: String) -> TableIdentity? {
            if let entry = tables.first(where: { $0.properties?["TableName"].flatMap(Symbolic.init)?.singleRef == parameter })
                ?? tables.first(where: { $0.id.lowercased().contains(word) })
                ?? tables.first(where: { literalText($0.properties?["TableName"])?.lowercased().contains(word) == true }) {
                return identity(entry, label: label)
            }
            if template.parameter(parameter) != nil {
                return TableIdentity(resource: nil, parameter: parameter, name: nil, label: label)
            }
            return nil
        }
        connections = find("ConnectionsTableName", "connection", label: "connections")
        chat = find("ChatTableName", "chat", label: "chat")
        presence = find("PresenceTableName", "presence", label: "presence")
    }

    /// The table a `!Ref` in a function's environment names: a table resource, or a
    /// parameter named `…TableName`.
    func identity(named name: String) -> TableIdentity? {
        for table in [connections, chat, presence].compactMap({ $0 }) where table.resource == name || table.parameter == name {
            return table
        }
        if let entry = model.template.resource(name), entry.resourceType == "AWS::DynamoDB::Table" {
            return TableIdentity(resource: name, parameter: nil, name: literalText(entry.properties?["TableName"]), label: name)
        }
        if model.template.parameter(name) != nil, name.hasSuffix("TableName"), name.count > "TableName".count {
            return TableIdentity(resource: nil, parameter: name, name: nil, label: name)
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
    static let accessActions = writeActions + ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:BatchGetItem"]

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

    /// Whether `function` may read or write items of `table`.
    func mayAccess(_ function: String, _ table: TableIdentity) -> Tri {
        Tables.accessActions.reduce(Tri.no) { $0.or(may(function, $1, table)) }
    }
}
