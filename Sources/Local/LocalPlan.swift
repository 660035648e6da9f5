import CloudFormation
import Validation
import YAML

/// What `menort local` serves for one template: the WebSocket API's routes, the function
/// behind each, how to start each function's worker and with which environment, and the
/// tables to create in a local DynamoDB. A value, read once before anything listens.
///
/// The wiring is read through `WebSocketModel`, the model `validate`'s websocket family
/// checks, so `local` serves exactly the routes → integrations → functions `validate` sees.
public struct LocalPlan: Sendable {
    /// The WebSocket API's logical id.
    public var api: String
    /// The API id events carry (`requestContext.apiId`), ten characters derived from the
    /// logical id, as API Gateway's ids look.
    public var apiId: String
    /// The stage the client URL ends with.
    public var stage: String
    /// `RouteSelectionExpression` as a path into the message body (`$request.body.action` → `["action"]`).
    public var selectionPath: [String]
    /// Routes by key (`$connect`, `$disconnect`, `$default`, `chat.send`, …).
    public var routes: [String: LocalRoute]
    /// Functions by logical id.
    public var functions: [String: LocalFunction]
    /// `AWS::DynamoDB::Table` (and SAM `SimpleTable`) resources, for `--dynamodb-endpoint`.
    public var tables: [LocalTable]
    /// Things served differently from AWS, said once at start (a value menort cannot know).
    public var notes: [String]
}

/// One route of the API.
public struct LocalRoute: Sendable, Equatable {
    /// `RouteKey`.
    public var key: String
    /// The function's logical id.
    public var function: String
    /// Whether an `AWS::ApiGatewayV2::RouteResponse` makes the route two-way: the handler's
    /// `body` goes back to the client.
    public var twoWay: Bool
}

/// The language a function's worker runs.
public enum LocalRuntime: String, Sendable, Equatable {
    case node
    case python
}

/// One Lambda function as a worker runs it.
public struct LocalFunction: Sendable, Equatable {
    /// The logical id.
    public var id: String
    /// The function's name (`FunctionName`, else `<stack>-<logical id>` as CloudFormation
    /// would generate it, without the random suffix).
    public var name: String
    /// `Runtime` as written (`nodejs24.x`, `python3.11`).
    public var runtimeName: String
    public var runtime: LocalRuntime
    /// `Handler`.
    public var handler: String
    /// The code folder, absolute.
    public var codeDirectory: String
    /// `Timeout` in seconds (Lambda's default 3).
    public var timeout: Int
    /// `MemorySize` in MB (Lambda's default 128).
    public var memory: Int
    /// The function's ARN in the plan's region and account (`context.invokedFunctionArn`).
    public var arn: String
    /// `Environment.Variables` (Globals merged under the function's own), resolved.
    public var environment: [(String, String)]

    public static func == (lhs: LocalFunction, rhs: LocalFunction) -> Bool {
        lhs.id == rhs.id && lhs.name == rhs.name && lhs.runtimeName == rhs.runtimeName && lhs.handler == rhs.handler
            && lhs.codeDirectory == rhs.codeDirectory && lhs.timeout == rhs.timeout && lhs.memory == rhs.memory && lhs.arn == rhs.arn
            && lhs.environment.map { "\($0.0)=\($0.1)" } == rhs.environment.map { "\($0.0)=\($0.1)" }
    }
}

/// A DynamoDB table of the template, as the `CreateTable` request that makes it locally.
public struct LocalTable: Sendable, Equatable {
    /// The logical id.
    public var id: String
    /// The table's name.
    public var name: String
    /// The `CreateTable` request body (`TableName`, `KeySchema`, `AttributeDefinitions`,
    /// indexes, billing).
    public var createRequest: JSON
    /// `TimeToLiveSpecification.AttributeName` when enabled.
    public var timeToLiveAttribute: String?
}

/// Why a template cannot be served, located like `validate`'s findings.
public struct LocalRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var logicalId: String?
    public var message: String

    public init(file: String, at mark: Mark?, logicalId: String?, message: String) {
        self.file = file
        self.line = mark?.line ?? 1
        self.column = mark?.column ?? 1
        self.logicalId = logicalId
        self.message = message
    }

    /// `file:line:column: error: [Id] message`, the shape of `validate`'s text output.
    public var description: String {
        "\(file):\(line):\(column): error: \(logicalId.map { "\($0): " } ?? "")\(message) [local]"
    }
}

/// Where the plan is served and how names resolve.
public struct LocalSettings: Sendable {
    /// The folder relative `CodeUri`/`Code` paths start from (the template's folder).
    public var templateDirectory: String
    /// `AWS::Region`.
    public var region: String
    /// `AWS::StackName` and the prefix of generated names.
    public var stackName: String
    /// `AWS::AccountId`: the account the AWS documentation uses in examples (moto's too).
    public var accountId: String
    /// `host:port` the gateway listens on; management endpoint values are pointed there.
    public var authority: String
    /// Parameter values, already resolved and checked (`ParameterValues.resolve`).
    public var parameters: [String: String]

    public init(templateDirectory: String, region: String = "us-east-1", stackName: String = "menort-local", accountId: String = "123456789012", authority: String, parameters: [String: String]) {
        self.templateDirectory = templateDirectory
        self.region = region
        self.stackName = stackName
        self.accountId = accountId
        self.authority = authority
        self.parameters = parameters
    }
}

extension LocalPlan {
    /// Reads what to serve from `template`; every reason it cannot be served, in source order.
    public static func read(_ template: SourceTemplate, settings: LocalSettings) -> Result<LocalPlan, LocalRefusals> {
        var reader = PlanReader(template: template, settings: settings)
        return reader.read()
    }
}

/// Every refusal of one template.
public struct LocalRefusals: Error, Sendable, Equatable {
    public var refusals: [LocalRefusal]
}

private struct PlanReader {
    let template: SourceTemplate
    let settings: LocalSettings
    let model: WebSocketModel
    /// The served API's id, for pointing endpoint values at the local gateway.
    let apiId: String
    var refusals: [LocalRefusal] = []
    var notes: [String] = []

    init(template: SourceTemplate, settings: LocalSettings) {
        self.template = template
        self.settings = settings
        self.model = WebSocketModel(template)
        self.apiId = PlanReader.apiId(for: model.webSocketAPIs.first ?? "")
    }

    /// Records a refusal once (two routes sharing one unservable integration give one).
    mutating func refuse(_ node: Node?, _ id: String?, _ message: String) {
        let refusal = LocalRefusal(file: template.file, at: node?.mark, logicalId: id, message: message)
        if !refusals.contains(refusal) { refusals.append(refusal) }
    }

    mutating func read() -> Result<LocalPlan, LocalRefusals> {
        guard let api = model.webSocketAPIs.first, let apiEntry = template.resource(api) else {
            refuse(template.root["Resources"]?.pairs?.first?.key, nil, "the template has no AWS::ApiGatewayV2::Api with ProtocolType WEBSOCKET to serve")
            return .failure(LocalRefusals(refusals: refusals))
        }
        if model.webSocketAPIs.count > 1 {
            notes.append("serving \(api), the first of \(model.webSocketAPIs.count) WebSocket APIs (\(model.webSocketAPIs.joined(separator: ", ")))")
        }
        let selectionNode = apiEntry.properties?["RouteSelectionExpression"]
        var selectionPath: [String] = []
        if let text = selectionNode.flatMap({ resolved($0, owner: api, what: "RouteSelectionExpression") }),
           let path = PlanReader.selectionPath(text) {
            selectionPath = path
        } else {
            refuse(selectionNode ?? apiEntry.key, api, "RouteSelectionExpression must be $request.body.<field> for menort local to choose routes (API Gateway's only documented form for WebSocket APIs)")
        }

        var stage = "local"
        if let stageEntry = model.stagesByAPI[api]?.first {
            if let node = stageEntry.properties?["StageName"], let name = resolved(node, owner: stageEntry.id, what: "StageName") {
                stage = name
            } else {
                notes.append("\(stageEntry.id): StageName cannot be read without deploying; serving \(api) at stage '\(stage)'")
            }
        } else {
            notes.append("the template has no AWS::ApiGatewayV2::Stage for \(api); serving it at stage '\(stage)'")
        }

        let twoWay = twoWayRoutes()
        var routes: [String: LocalRoute] = [:]
        var functionIds: [String] = []
        for route in model.routesByAPI[api] ?? [] {
            guard let key = route.key else {
                refuse(route.keyNode ?? route.entry.key, route.entry.id, "the route's RouteKey cannot be read without deploying")
                continue
            }
            guard let (integration, function) = model.handler(of: route) else {
                refuseUnservedRoute(route)
                continue
            }
            if let integrationEntry = template.resource(integration) {
                let typeNode = integrationEntry.properties?["IntegrationType"]
                let type = typeNode.flatMap { resolved($0, owner: integration, what: "IntegrationType") }
                guard type == "AWS_PROXY" else {
                    refuse(typeNode ?? integrationEntry.key, integration, "IntegrationType \(type ?? "(unreadable)") is not served: menort local runs Lambda proxy integrations (AWS_PROXY) only")
                    continue
                }
            }
            routes[key] = LocalRoute(key: key, function: function, twoWay: twoWay.contains(route.entry.id))
            if !functionIds.contains(function) { functionIds.append(function) }
        }

        var functions: [String: LocalFunction] = [:]
        for id in functionIds {
            if let function = readFunction(id) { functions[id] = function }
        }
        let tables = readTables()
        guard refusals.isEmpty else {
            return .failure(LocalRefusals(refusals: refusals.sorted { ($0.line, $0.column) < ($1.line, $1.column) }))
        }
        return .success(LocalPlan(api: api, apiId: apiId, stage: stage, selectionPath: selectionPath, routes: routes, functions: functions, tables: tables, notes: notes))
    }

    /// Routes named by some `AWS::ApiGatewayV2::RouteResponse`'s `RouteId`.
    func twoWayRoutes() -> Set<String> {
        var ids = Set<String>()
        for entry in template.resources where entry.type == "AWS::ApiGatewayV2::RouteResponse" {
            guard let node = entry.properties?["RouteId"], let value = Symbolic(node), value.pieces.count == 1 else { continue }
            switch value.pieces[0] {
            case .ref(let route), .att(let route, "RouteId"): ids.insert(route)
            default: continue
            }
        }
        return ids
    }

    mutating func refuseUnservedRoute(_ route: WebSocketModel.Route) {
        let properties = route.entry.properties
        guard let target = properties?["Target"] else {
            refuse(route.entry.key, route.entry.id, "route '\(route.key ?? "")' has no Target: nothing to invoke (API Gateway answers such a route with an error)")
            return
        }
        // A Target naming an integration of another type (MOCK, HTTP_PROXY, …) is refused
        // where the type is written: that, not the Target, is what menort local cannot serve.
        if case .integration(let id) = model.target(target), let integration = template.resource(id) {
            let typeNode = integration.properties?["IntegrationType"]
            if let type = typeNode.flatMap({ resolved($0, owner: id, what: "IntegrationType") }), type != "AWS_PROXY" {
                refuse(typeNode, id, "IntegrationType \(type) is not served: menort local runs Lambda proxy integrations (AWS_PROXY) only")
                return
            }
        }
        refuse(target, route.entry.id, "route '\(route.key ?? "")': its Target does not lead to a Lambda function of this template through an AWS_PROXY integration")
    }

    // MARK: - Functions

    mutating func readFunction(_ id: String) -> LocalFunction? {
        guard let entry = template.resource(id), let type = entry.type else { return nil }
        let properties = entry.properties
        let isSAM = type == "AWS::Serverless::Function"
        let globals = isSAM ? template.root["Globals"]?["Function"] : nil
        func property(_ name: String) -> Node? { properties?[name] ?? globals?[name] }

        if let packageType = property("PackageType").flatMap({ resolved($0, owner: id, what: "PackageType") }), packageType == "Image" {
            refuse(property("PackageType"), id, "container-image functions are not served: menort local runs zip functions with a local code folder")
            return nil
        }
        let codeNode = isSAM ? property("CodeUri") : properties?["Code"]
        var folder: String?
        if let codeNode {
            if let text = codeNode.scalar, codeNode.tag == nil, !text.lowercased().hasPrefix("s3://") {
                folder = text
            } else {
                let what = isSAM ? "CodeUri" : "Code"
                refuse(codeNode, id, "\(what) must be a local folder for menort local (an S3 location or inline code is what `sam package` or `aws cloudformation package` writes, not source)")
                return nil
            }
        } else if isSAM {
            if property("InlineCode") != nil {
                refuse(property("InlineCode"), id, "InlineCode is not served: put the handler in a folder and name it in CodeUri")
                return nil
            }
            // SAM packages the template's folder when CodeUri is absent.
            folder = "."
        } else {
            refuse(entry.key, id, "the function has no Code")
            return nil
        }
        let codeDirectory = PlanReader.absolute(folder ?? ".", from: settings.templateDirectory)
        guard LocalFileSystem.isDirectory(codeDirectory) else {
            refuse(codeNode ?? entry.key, id, "the code folder \(folder ?? ".") does not exist (looked for \(codeDirectory))")
            return nil
        }
        guard let handlerNode = property("Handler"), let handler = resolved(handlerNode, owner: id, what: "Handler"), !handler.isEmpty else {
            refuse(property("Handler") ?? entry.key, id, "the function has no Handler")
            return nil
        }
        guard let runtimeNode = property("Runtime"), let runtimeName = resolved(runtimeNode, owner: id, what: "Runtime") else {
            refuse(property("Runtime") ?? entry.key, id, "the function has no Runtime")
            return nil
        }
        let runtime: LocalRuntime
        if runtimeName.hasPrefix("nodejs") {
            runtime = .node
        } else if runtimeName.hasPrefix("python3") {
            runtime = .python
        } else {
            refuse(runtimeNode, id, "runtime \(runtimeName) has no interpreter in menort local, which runs nodejs* and python3.* functions")
            return nil
        }
        let timeout = property("Timeout").flatMap { resolved($0, owner: id, what: "Timeout") }.flatMap { Int($0) } ?? 3
        let memory = property("MemorySize").flatMap { resolved($0, owner: id, what: "MemorySize") }.flatMap { Int($0) } ?? 128
        let name = properties?["FunctionName"].flatMap { resolved($0, owner: id, what: "FunctionName") } ?? "\(settings.stackName)-\(id)"

        var variables: [(String, String)] = []
        var seen: [String: Int] = [:]
        for source in [globals?["Environment"]?["Variables"], properties?["Environment"]?["Variables"]] {
            for pair in source?.pairs ?? [] {
                guard let key = pair.key.scalar else { continue }
                // `!Ref AWS::NoValue` removes the variable, one Globals set included.
                if Intrinsic.isNoValue(pair.value) {
                    if let index = seen.removeValue(forKey: key) {
                        variables.remove(at: index)
                        for (name, later) in seen where later > index { seen[name] = later - 1 }
                    }
                    continue
                }
                guard let value = resolved(pair.value, owner: id, what: "environment variable \(key)") else { continue }
                if let index = seen[key] {
                    variables[index].1 = value
                } else {
                    seen[key] = variables.count
                    variables.append((key, value))
                }
            }
        }
        return LocalFunction(id: id, name: name, runtimeName: runtimeName, runtime: runtime, handler: handler, codeDirectory: codeDirectory, timeout: timeout, memory: memory,
                             arn: "arn:aws:lambda:\(settings.region):\(settings.accountId):function:\(name)", environment: variables)
    }

    // MARK: - Tables

    mutating func readTables() -> [LocalTable] {
        var tables: [LocalTable] = []
        for entry in template.resources {
            let properties = entry.properties
            switch entry.type {
            case "AWS::DynamoDB::Table":
                let name = properties?["TableName"].flatMap { resolved($0, owner: entry.id, what: "TableName") } ?? generatedTableName(entry.id)
                var members: [(String, JSON)] = [("TableName", .string(name))]
                for key in ["AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "LocalSecondaryIndexes", "BillingMode", "ProvisionedThroughput", "StreamSpecification"] {
                    guard let node = properties?[key] else { continue }
                    var value = json(node, owner: entry.id)
                    if key == "StreamSpecification", case .object(let fields) = value {
                        // CloudFormation's StreamSpecification has only the view type; the API wants StreamEnabled too.
                        value = .object([("StreamEnabled", .bool(true))] + fields)
                    }
                    members.append((key, value))
                }
                if properties?["BillingMode"] == nil, properties?["ProvisionedThroughput"] == nil {
                    members.append(("BillingMode", .string("PAY_PER_REQUEST")))
                }
                var ttl: String?
                if let spec = properties?["TimeToLiveSpecification"],
                   spec["Enabled"].flatMap({ resolved($0, owner: entry.id, what: "TimeToLiveSpecification.Enabled") })?.lowercased() == "true" {
                    ttl = spec["AttributeName"].flatMap { resolved($0, owner: entry.id, what: "TimeToLiveSpecification.AttributeName") }
                }
                tables.append(LocalTable(id: entry.id, name: name, createRequest: .object(members), timeToLiveAttribute: ttl))
            case "AWS::Serverless::SimpleTable":
                let name = properties?["TableName"].flatMap { resolved($0, owner: entry.id, what: "TableName") } ?? generatedTableName(entry.id)
                let keyName = properties?["PrimaryKey"]?["Name"].flatMap { resolved($0, owner: entry.id, what: "PrimaryKey.Name") } ?? "id"
                let keyType = properties?["PrimaryKey"]?["Type"].flatMap { resolved($0, owner: entry.id, what: "PrimaryKey.Type") } ?? "String"
                let attributeType = ["String": "S", "Number": "N", "Binary": "B"][keyType] ?? "S"
                tables.append(LocalTable(id: entry.id, name: name, createRequest: .object([
                    ("TableName", .string(name)),
                    ("AttributeDefinitions", .array([.object([("AttributeName", .string(keyName)), ("AttributeType", .string(attributeType))])])),
                    ("KeySchema", .array([.object([("AttributeName", .string(keyName)), ("KeyType", .string("HASH"))])])),
                    ("BillingMode", .string("PAY_PER_REQUEST")),
                ]), timeToLiveAttribute: nil))
            default:
                continue
            }
        }
        return tables
    }

    func generatedTableName(_ id: String) -> String { "\(settings.stackName)-\(id)" }

    /// The `CreateTable` members that are numbers whatever the template wrote: CloudFormation
    /// takes `ReadCapacityUnits: '5'` or `!Ref Capacity` (a Number parameter, a string once
    /// resolved) for an integer; DynamoDB's JSON API wants a number.
    static let integerMembers: Set<String> = ["ReadCapacityUnits", "WriteCapacityUnits", "MaxReadRequestUnits", "MaxWriteRequestUnits"]

    /// `node` as JSON, every string resolved; plain scalars that are numbers or booleans in
    /// YAML become JSON numbers and booleans (the API wants `ReadCapacityUnits: 5` as a number),
    /// and so does any integer text under a member of `integerMembers`.
    mutating func json(_ node: Node, owner: String, member: String? = nil) -> JSON {
        let isInteger = member.map(PlanReader.integerMembers.contains) == true
        if node.tag != nil || Intrinsic(node) != nil {
            let text = resolved(node, owner: owner, what: "a table property") ?? ""
            return isInteger && Int(text) != nil ? .number(text) : .string(text)
        }
        if let items = node.items { return .array(items.map { json($0, owner: owner) }) }
        if let pairs = node.pairs {
            return .object(pairs.compactMap { pair in pair.key.scalar.map { ($0, json(pair.value, owner: owner, member: $0)) } })
        }
        let text = node.scalar ?? ""
        if isInteger, Int(text) != nil { return .number(text) }
        if case .scalar(_, .plain) = node.kind {
            if Int(text) != nil { return .number(text) }
            if text == "true" || text == "false" { return .bool(text == "true") }
        }
        return .string(text)
    }

    // MARK: - Values

    /// The value `node` takes when deployed with the plan's parameters, or `nil` (with a
    /// note) when it depends on something menort cannot know locally.
    mutating func resolved(_ node: Node, owner: String, what: String) -> String? {
        let value: Symbolic
        if let symbolic = Symbolic(node) {
            value = symbolic
        } else {
            return nil
        }
        var text = ""
        for piece in value.pieces {
            switch piece {
            case .text(let literal):
                text += literal
            case .ref(let name):
                guard let piece = reference(name, owner: owner, what: what) else { return nil }
                text += piece
            case .att(let resource, let name):
                guard let piece = self.attribute(resource, name, owner: owner, what: what) else { return nil }
                text += piece
            case .unknown(let written):
                notes.append("\(owner): \(what) uses \(written), which menort local cannot evaluate; it is left unset")
                return nil
            }
        }
        return PlanReader.pointedLocally(text, apiId: apiId, region: settings.region, authority: settings.authority)
    }

    mutating func reference(_ name: String, owner: String, what: String) -> String? {
        switch name {
        case "AWS::Region": return settings.region
        case "AWS::AccountId": return settings.accountId
        case "AWS::Partition": return "aws"
        case "AWS::URLSuffix": return "amazonaws.com"
        case "AWS::StackName": return settings.stackName
        case "AWS::StackId": return "arn:aws:cloudformation:\(settings.region):\(settings.accountId):stack/\(settings.stackName)/00000000-0000-0000-0000-000000000000"
        case "AWS::NotificationARNs": return ""
        default: break
        }
        if let value = settings.parameters[name] { return value }
        guard let entry = template.resource(name) else {
            notes.append("\(owner): \(what) uses Ref \(name), which names nothing menort local knows; it is left unset")
            return nil
        }
        let properties = entry.properties
        switch entry.type {
        case "AWS::DynamoDB::Table", "AWS::Serverless::SimpleTable":
            return properties?["TableName"].flatMap { resolved($0, owner: name, what: "TableName") } ?? generatedTableName(name)
        case "AWS::Lambda::Function", "AWS::Serverless::Function":
            return properties?["FunctionName"].flatMap { resolved($0, owner: name, what: "FunctionName") } ?? "\(settings.stackName)-\(name)"
        case "AWS::ApiGatewayV2::Api":
            return PlanReader.apiId(for: name)
        case "AWS::ApiGatewayV2::Stage":
            return properties?["StageName"].flatMap { resolved($0, owner: name, what: "StageName") } ?? name
        default:
            notes.append("\(owner): \(what) uses Ref \(name) (\(entry.type ?? "a resource")), whose value exists only once deployed; it gets '\(name)'")
            return name
        }
    }

    mutating func attribute(_ resource: String, _ attribute: String, owner: String, what: String) -> String? {
        let region = settings.region
        let account = settings.accountId
        guard let entry = template.resource(resource) else {
            notes.append("\(owner): \(what) uses GetAtt \(resource).\(attribute), which names nothing menort local knows; it is left unset")
            return nil
        }
        switch (entry.type ?? "", attribute) {
        case ("AWS::DynamoDB::Table", "Arn"), ("AWS::Serverless::SimpleTable", "Arn"):
            guard let name = reference(resource, owner: owner, what: what) else { return nil }
            return "arn:aws:dynamodb:\(region):\(account):table/\(name)"
        case ("AWS::Lambda::Function", "Arn"), ("AWS::Serverless::Function", "Arn"):
            guard let name = reference(resource, owner: owner, what: what) else { return nil }
            return "arn:aws:lambda:\(region):\(account):function:\(name)"
        case ("AWS::ApiGatewayV2::Api", "ApiEndpoint"):
            return "wss://\(PlanReader.apiId(for: resource)).execute-api.\(region).amazonaws.com"
        case ("AWS::ApiGatewayV2::Api", "ApiId"):
            return PlanReader.apiId(for: resource)
        default:
            notes.append("\(owner): \(what) uses GetAtt \(resource).\(attribute), which exists only once deployed; it gets '\(resource).\(attribute)'")
            return "\(resource).\(attribute)"
        }
    }

    // MARK: - Helpers

    /// The body path a `RouteSelectionExpression` selects on: `$request.body.a.b` (or
    /// `${request.body.a.b}`, the form API Gateway's documentation also writes) → `["a", "b"]`;
    /// `nil` for any other expression, an empty segment, or a JSONPath form (`[0]`, `*`) menort
    /// local does not evaluate.
    static func selectionPath(_ text: String) -> [String]? {
        let path: Substring
        if text.hasPrefix("$request.body.") {
            path = text.dropFirst("$request.body.".count)
        } else if text.hasPrefix("${request.body."), text.hasSuffix("}") {
            path = text.dropFirst("${request.body.".count).dropLast()
        } else {
            return nil
        }
        let segments = path.split(separator: ".", omittingEmptySubsequences: false)
        guard segments.allSatisfy({ !$0.isEmpty && !$0.contains(where: { "[]'\"*{}$".contains($0) }) }) else { return nil }
        return segments.map(String.init)
    }

    /// A deterministic API id: ten lowercase letters and digits, like API Gateway's.
    static func apiId(for logicalId: String) -> String {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in logicalId.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100000001b3
        }
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var id = ""
        for _ in 0..<10 {
            id.append(alphabet[Int(hash % 36)])
            hash /= 36
        }
        return id
    }

    /// `text` with every URL of the API's deployed endpoint pointed at the local gateway:
    /// `https://<id>.execute-api.<region>.amazonaws.com` (the management endpoint's base)
    /// and `wss://…` (the client URL) become `http://` and `ws://` `authority`, paths kept.
    static func pointedLocally(_ text: String, apiId: String, region: String, authority: String) -> String {
        let domain = "\(apiId).execute-api.\(region).amazonaws.com"
        guard text.firstTextRange(of: domain) != nil else { return text }
        return text
            .replacingText("https://\(domain)", with: "http://\(authority)")
            .replacingText("wss://\(domain)", with: "ws://\(authority)")
            .replacingText(domain, with: authority)
    }

    static func absolute(_ path: String, from directory: String) -> String {
        var path = path
        while path.hasSuffix("/") && path.count > 1 { path.removeLast() }
        if path.hasPrefix("/") { return path }
        if path == "." { return directory }
        if path.hasPrefix("./") { path.removeFirst(2) }
        return directory.hasSuffix("/") ? directory + path : directory + "/" + path
    }
}
