import Contract
import Testing
import YAML
import CloudFormation
@testable import RealtimeStack

@Suite("The realtime stack's template")
struct StackTemplateTests {
    let template: Template

    init() throws {
        template = try StackConfig.default.template()
    }

    func properties(_ id: String) -> Value {
        .map(template.resource(id)?.properties ?? [])
    }

    @Test("The default stack renders byte for byte as templates/realtime/template.yaml")
    func goldenDefault() throws {
        let rendered = try StackConfig.default.render()
        if Fixture.recording { try Fixture.write(rendered, to: "templates/realtime/template.yaml") }
        #expect(rendered == (try Fixture.read("templates/realtime/template.yaml")))
    }

    @Test("A six-route config renders byte for byte as its golden file")
    func goldenSixRoutes() throws {
        let config = try StackConfig.parse(try Fixture.read("Tests/Fixtures/six-routes.menort.yaml"), file: "six", today: testDay)
        let rendered = try config.render()
        if Fixture.recording { try Fixture.write(rendered, to: "Tests/Fixtures/six-routes.template.yaml") }
        #expect(rendered == (try Fixture.read("Tests/Fixtures/six-routes.template.yaml")))
    }

    @Test("Rendering twice gives the same bytes")
    func deterministic() throws {
        #expect(try StackConfig.default.render() == StackConfig.default.render())
    }

    @Test("Parameters are the seed's, in its order, with its defaults")
    func parameters() {
        #expect(template.parameters.map(\.id.rawValue) == [
            "ServiceName", "StageName", "ChatTableName", "PresenceTableName", "SessionTableName", "ConnectionsTableName", "LambdaTimeout",
        ])
        #expect(template.parameters.map(\.defaultValue) == ["meno-realtime", "prod", nil, nil, nil, "meno-connections", "10"])
        let timeout = template.parameters.last
        #expect(timeout?.type == .number)
        #expect(timeout?.minValue == "1")
        #expect(timeout?.maxValue == "29")
    }

    @Test("Table name parameters carry DynamoDB's naming rule")
    func tableNameConstraints() {
        for parameter in template.parameters where parameter.id.rawValue.hasSuffix("TableName") {
            #expect(parameter.allowedPattern == "^[A-Za-z0-9_.-]+$")
            #expect(parameter.minLength == 3)
            #expect(parameter.maxLength == 255)
        }
    }

    @Test("The API is a WebSocket API routing on request.body.action")
    func api() {
        #expect(template.resource("WebSocketApi")?.type == "AWS::ApiGatewayV2::Api")
        #expect(properties("WebSocketApi")["ProtocolType"] == "WEBSOCKET")
        #expect(properties("WebSocketApi")["RouteSelectionExpression"] == "$request.body.action")
    }

    @Test("Each route's five resources stand together, in route order")
    func grouping() {
        let ids = template.resources.map(\.id.rawValue)
        let start = ids.firstIndex(of: "ConnectFunction")
        #expect(start != nil)
        guard let start else { return }
        #expect(Array(ids[start..<(start + 10)]) == [
            "ConnectFunction", "ConnectIntegration", "ConnectRoute", "ConnectPermission", "ConnectLogs",
            "DisconnectFunction", "DisconnectIntegration", "DisconnectRoute", "DisconnectPermission", "DisconnectLogs",
        ])
    }

    @Test("A route targets its own integration, which invokes its own function")
    func wiring() {
        #expect(properties("ChatSendRoute")["RouteKey"] == "chat.send")
        #expect(properties("ChatSendRoute")["Target"] == .sub("integrations/${ChatSendIntegration}", []))
        #expect(properties("ChatSendIntegration")["IntegrationType"] == "AWS_PROXY")
        #expect(properties("ChatSendIntegration")["IntegrationUri"] == .sub(
            "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${ChatSendFunction.Arn}/invocations", []))
        #expect(properties("ChatSendFunction")["CodeUri"] == "lambda/realtime/chat-send/")
    }

    @Test("The invoke permission is scoped to this API, this stage and this route")
    func permission() {
        let permission = properties("ChatSendPermission")
        #expect(permission["Principal"] == "apigateway.amazonaws.com")
        #expect(permission["Action"] == "lambda:InvokeFunction")
        #expect(permission["FunctionName"] == .ref("ChatSendFunction"))
        #expect(permission["SourceArn"] == .sub(
            "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WebSocketApi}/${StageName}/chat.send", []))
    }

    @Test("A route key holding ${ is escaped in the permission's Sub")
    func subEscape() throws {
        let config = StackConfig(routes: [Route(key: try RouteKey("a${b}"), handler: "ab")])
        let permission = Value.map(try config.template().resource("AbPermission")?.properties ?? [])
        #expect(permission["SourceArn"] == .sub(
            "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WebSocketApi}/${StageName}/a${!b}", []))
    }

    @Test("The deployment depends on every route and the stage deploys it")
    func deployment() throws {
        let deployment = try #require(template.resources.first { $0.type == "AWS::ApiGatewayV2::Deployment" })
        #expect(deployment.dependsOn.map(\.rawValue) == ["ConnectRoute", "DisconnectRoute", "DefaultRoute", "ChatSendRoute", "PresenceUpdateRoute"])
        #expect(properties("WebSocketStage")["DeploymentId"] == .ref(deployment.id.rawValue))
        #expect(properties("WebSocketStage")["StageName"] == .ref("StageName"))
    }

    func deploymentID(_ config: StackConfig) throws -> String? {
        try config.template().resources.first { $0.type == "AWS::ApiGatewayV2::Deployment" }?.id.rawValue
    }

    @Test("Adding a route gives the deployment a new logical id")
    func deploymentChangesWithRoutes() throws {
        var grown = StackConfig.default
        grown.routes.append(Route(key: try RouteKey("chat.typing"), handler: "chat-typing", broadcast: true))
        let before = try deploymentID(.default)
        let after = try deploymentID(grown)
        #expect(before != nil)
        #expect(after != nil)
        #expect(before != after)
    }

    @Test("Moving a route to another handler gives the deployment a new logical id")
    func deploymentChangesWithHandler() throws {
        var moved = StackConfig.default
        moved.routes[3].handler = "chat-send-v2"
        #expect(try deploymentID(.default) != deploymentID(moved))
    }

    @Test("Reordering routes or changing a function setting keeps the deployment's id")
    func deploymentStable() throws {
        var reordered = StackConfig.default
        reordered.routes.reverse()
        reordered.functions[reordered.routes[0].key] = FunctionSettings(memorySize: 1024)
        reordered.memorySize = 512
        #expect(try deploymentID(.default) == deploymentID(reordered))
    }

    @Test("The connections table is keyed sessionId + connectionId, indexed on connectionId, with TTL")
    func connectionsTable() throws {
        let table = properties("ConnectionsTable")
        #expect(table["TableName"] == .ref("ConnectionsTableName"))
        #expect(table["KeySchema"] == [["AttributeName": "sessionId", "KeyType": "HASH"], ["AttributeName": "connectionId", "KeyType": "RANGE"]])
        #expect(table["AttributeDefinitions"] == [["AttributeName": "sessionId", "AttributeType": "S"], ["AttributeName": "connectionId", "AttributeType": "S"]])
        let index = table["GlobalSecondaryIndexes"]
        #expect(index == [["IndexName": "connectionId-index", "KeySchema": [["AttributeName": "connectionId", "KeyType": "HASH"]], "Projection": ["ProjectionType": "ALL"]]])
        #expect(table["TimeToLiveSpecification"] == ["AttributeName": "expiresAt", "Enabled": true])
        #expect(table["BillingMode"] == "PAY_PER_REQUEST")
        #expect(table["SSESpecification"] == ["SSEEnabled": true])
    }

    @Test("A handler gets exactly the table policies its route lists")
    func leastPrivilegeTables() {
        guard case .list(let policies)? = properties("ChatSendFunction")["Policies"] else {
            Issue.record("ChatSendFunction has no Policies list")
            return
        }
        #expect(Array(policies.prefix(3)) == [
            ["DynamoDBCrudPolicy": ["TableName": .ref("ConnectionsTable")]],
            ["DynamoDBCrudPolicy": ["TableName": .ref("ChatTableName")]],
            ["DynamoDBReadPolicy": ["TableName": .ref("SessionTableName")]],
        ])
        #expect(policies.count == 4)
    }

    @Test("A broadcasting handler may ManageConnections on this API's stage only")
    func manageConnections() {
        guard case .list(let policies)? = properties("DefaultFunction")["Policies"] else {
            Issue.record("DefaultFunction has no Policies list")
            return
        }
        #expect(policies == [[
            "Version": "2012-10-17",
            "Statement": [[
                "Effect": "Allow",
                "Action": "execute-api:ManageConnections",
                "Resource": .sub("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WebSocketApi}/${StageName}/POST/@connections/*", []),
            ]],
        ]])
    }

    @Test("A handler that neither broadcasts nor uses tables gets no policies and no environment")
    func noPolicies() throws {
        let config = StackConfig(routes: [Route(key: .connect, handler: "connect")])
        let function = Value.map(try config.template().resource("ConnectFunction")?.properties ?? [])
        #expect(function["Policies"] == nil)
        #expect(function["Environment"] == nil)
    }

    @Test("Environment variables name each table the handler uses and the management endpoint")
    func environment() {
        let variables = properties("ChatSendFunction")["Environment"]?["Variables"]
        #expect(variables == [
            "CONNECTIONS_TABLE_NAME": .ref("ConnectionsTable"),
            "CONNECTIONS_INDEX_NAME": "connectionId-index",
            "CHAT_TABLE_NAME": .ref("ChatTableName"),
            "SESSION_TABLE_NAME": .ref("SessionTableName"),
            "MANAGEMENT_ENDPOINT": .sub("https://${WebSocketApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${StageName}", []),
        ])
        #expect(properties("ConnectFunction")["Environment"]?["Variables"]?["MANAGEMENT_ENDPOINT"] == nil)
    }

    @Test("Outputs give the wss:// URL, the management endpoint, the API id and the connections table")
    func outputs() {
        #expect(template.outputs.map(\.id.rawValue) == ["WebSocketInvokeUrl", "ManagementEndpoint", "WebSocketApiId", "ConnectionsTableName", "ConnectionsTableArn"])
        #expect(template.outputs.first?.value == .sub("wss://${WebSocketApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${StageName}", []))
        #expect(template.outputs.last?.value == .getAtt("ConnectionsTable", "Arn"))
    }

    @Test("Functions share runtime, handler, timeout, memory and the stack's tags through Globals")
    func globals() {
        let function = template.globals.first { $0.key == "Function" }?.value
        #expect(function == ["Runtime": "nodejs24.x", "Handler": "index.handler", "Timeout": .ref("LambdaTimeout"), "MemorySize": 256,
                             "Tags": ["Service": .ref("ServiceName"), "Stage": .ref("StageName")]])
    }

    @Test("A config without routes is refused")
    func noRoutes() {
        #expect(throws: StackError.noRoutes) { try StackConfig(routes: []).template() }
    }

    @Test("The default handler folder is the route key in kebab case", arguments: [
        ("$connect", "connect"), ("chat.send", "chat-send"), ("presence.update", "presence-update"),
        ("Chat/Send Now", "chat-send-now"), ("a..b", "a-b"), ("$default", "default"),
    ])
    func defaultHandler(_ key: String, _ folder: String) throws {
        #expect(try RouteKey(key).defaultHandler == folder)
    }
}
