import Contract
import Diff
import Foundation
import RealtimeStack
import Testing
import Validation

/// Diffs of the rendered realtime stack: cascades through references, the WebSocket URL,
/// the issue's own case (a route added), and templates that say the same thing differently.
@Suite("menort diff: the realtime stack")
struct StackDiffTests {
    static let routes = ["Connect", "Disconnect", "Default", "ChatSend", "PresenceUpdate"]

    /// The three lines that hold the URL, as `menort endpoints` prints them.
    static func settings(_ url: String) -> [String] {
        [
            "NEXT_PUBLIC_REALTIME_WEBSOCKET_URL=\(url)",
            "REALTIME_WEBSOCKET_URL=\(url)",
            "# app.json: {\"expo\": {\"extra\": {\"realtimeWsUrl\": \"\(url)\"}}}",
        ]
    }

    // MARK: Cascades

    @Test("A replaced API replaces every route, integration, the deployment and the stage (ApiId), and the permissions (SourceArn)")
    func apiReplacedCascades() throws {
        let old = try Rendered.stack()
        let new = try Rendered.edit(old, "ProtocolType: WEBSOCKET", "ProtocolType: HTTP")
        let result = try diff(old, new, region: "eu-west-1")
        var expected: [String: TemplateDiff.Action] = ["WebSocketApi": .replace, "WebSocketDeployment329bb91bac": .replace, "WebSocketStage": .replace]
        for route in Self.routes {
            expected["\(route)Integration"] = .replace
            expected["\(route)Route"] = .replace
            expected["\(route)Permission"] = .replace
        }
        // Functions that name the API in MANAGEMENT_ENDPOINT or their @connections policy are updated, not replaced.
        for function in ["Disconnect", "Default", "ChatSend", "PresenceUpdate"] { expected["\(function)Function"] = .update }
        #expect(result.actions == expected)
        let route = try #require(result.resource("ChatSendRoute"))
        #expect(route.reasons == ["ApiId changes: ApiId names WebSocketApi, which is replaced, so its value changes; 'ApiId' is createOnly in AWS::ApiGatewayV2::Route's schema: changing it replaces the resource"])
        let permission = try #require(result.resource("ChatSendPermission"))
        #expect(permission.reasons == ["SourceArn changes: SourceArn names WebSocketApi, which is replaced, so its value changes; 'SourceArn' is createOnly in AWS::Lambda::Permission's schema: changing it replaces the resource"])
        #expect(result.resources.allSatisfy { $0.dataLoss == nil })
        // The endpoint: a new API id.
        #expect(result.endpointChanges.count == 1)
        let endpoint = try #require(result.endpointChanges.first)
        #expect(endpoint.message == "the WebSocket API WebSocketApi is replaced: the new API gets a new id, so the URL changes")
        #expect(endpoint.newURL == "wss://<new id of WebSocketApi>.execute-api.eu-west-1.amazonaws.com/prod")
        #expect(endpoint.settings == Self.settings(endpoint.newURL))
    }

    @Test("A new KeySchema under the same TableName is refused: CloudFormation cannot replace a custom-named table, so nothing cascades and no data is lost")
    func customNamedTableReplacementIsRefused() throws {
        let old = try Rendered.stack()
        let new = try Rendered.edit(old,
            "KeySchema:\n      - AttributeName: sessionId\n        KeyType: HASH\n      - AttributeName: connectionId\n        KeyType: RANGE\n",
            "KeySchema:\n      - AttributeName: connectionId\n        KeyType: HASH\n      - AttributeName: sessionId\n        KeyType: RANGE\n")
        let result = try diff(old, new)
        // Each type's documentation: "If you specify a name, you cannot perform updates that
        // require replacement of this resource."
        #expect(result.actions == ["ConnectionsTable": .refused])
        let table = try #require(result.resource("ConnectionsTable"))
        #expect(table.reasons.last == "TableName stays meno-connections: CloudFormation cannot replace a resource with a name the template sets (\"cannot update a stack when a custom-named resource requires replacing\"); the update fails. Change TableName too, or remove it, to replace ConnectionsTable")
        #expect(table.dataLoss == nil)
    }

    @Test("Outputs whose text is unchanged but name a replaced resource are reported as changed values")
    func outputsNamingAReplacedResource() throws {
        let old = try Rendered.stack()
        let new = try Rendered.edit(old, "Default: meno-connections", "Default: meno-conns")
        let result = try diff(old, new)
        let changes = Dictionary(result.outputs.map { ($0.name, $0.change) }, uniquingKeysWith: { first, _ in first })
        #expect(changes["ConnectionsTableName"] == "value (ConnectionsTable replaced)")
        #expect(changes["ConnectionsTableArn"] == "value (ConnectionsTable replaced)")
    }

    @Test("A replaced table updates the functions that name it, and replaces nothing else")
    func tableReplacedCascades() throws {
        let old = try Rendered.stack()
        let new = try Rendered.edit(old, "Default: meno-connections", "Default: meno-conns")
        let result = try diff(old, new)
        #expect(result.actions == ["ConnectionsTable": .replace, "ConnectFunction": .update, "DisconnectFunction": .update,
                                   "ChatSendFunction": .update, "PresenceUpdateFunction": .update])
        let function = try #require(result.resource("ConnectFunction"))
        #expect(Set(function.properties.map(\.path)) == ["Environment", "Policies"])
        #expect(function.property("Environment")?.reason == "Environment names ConnectionsTable, which is replaced, so its value changes")
        #expect(function.property("Environment")?.replacement == TemplateDiff.Replacement.never)
    }

    @Test("A property edited in the template that also names a replaced resource keeps the old value it had")
    func cascadeKeepsWrittenOldValue() throws {
        func template(_ table: String, _ action: String) -> String {
            """
            Resources:
              Table:
                Type: AWS::DynamoDB::Table
                Properties: {TableName: \(table), BillingMode: PAY_PER_REQUEST, AttributeDefinitions: [{AttributeName: id, AttributeType: S}], KeySchema: [{AttributeName: id, KeyType: HASH}]}
              Role:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: 'sts:AssumeRole'}]}
                  Policies: [{PolicyName: read, PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: '\(action)', Resource: !GetAtt Table.Arn}]}}]
            """
        }
        let result = try diff(template("meno-t1", "dynamodb:GetItem"), template("meno-t2", "dynamodb:Query"))
        let policies = try #require(result.resource("Role")?.property("Policies"))
        #expect(policies.reason == "Policies names Table, which is replaced, so its value changes")
        #expect(policies.old?.json.serialized().contains("dynamodb:GetItem") == true)
        #expect(policies.new?.json.serialized().contains("dynamodb:Query") == true)
    }

    // MARK: The WebSocket URL

    @Test("A renamed API logical id removes the API: a new URL whose id is the new API's")
    func apiRenamed() throws {
        let old = try Rendered.stack()
        let new = old.replacingOccurrences(of: "WebSocketApi\n", with: "RealtimeApi\n")
            .replacingOccurrences(of: "WebSocketApi:", with: "RealtimeApi:")
            .replacingOccurrences(of: "${WebSocketApi}", with: "${RealtimeApi}")
        let result = try diff(old, new)
        #expect(result.resource("WebSocketApi")?.action == .remove)
        #expect(result.resource("RealtimeApi")?.action == .add)
        #expect(result.resource("ChatSendRoute")?.action == .replace)
        #expect(result.endpointChanges.map(\.message) == ["the WebSocket API WebSocketApi is removed: its URL stops answering"])
        #expect(result.endpointChanges.first?.newURL == "wss://<new id of RealtimeApi>.execute-api.<region>.amazonaws.com/prod")
    }

    @Test("A renamed stage changes the URL's path: the new URL and the three settings that hold it")
    func stageRenamed() throws {
        let old = try Rendered.stack()
        let new = try Rendered.edit(old, "Default: prod", "Default: v2")
        let result = try diff(old, new)
        #expect(result.resource("WebSocketStage")?.action == .replace)
        #expect(result.endpointChanges.count == 1)
        let endpoint = try #require(result.endpointChanges.first)
        #expect(endpoint.message == "the stage WebSocketStage is renamed prod → v2: the URL's path changes")
        #expect(endpoint.newURL == "wss://<WebSocketApi's id>.execute-api.<region>.amazonaws.com/v2")
        #expect(endpoint.settings == [
            "NEXT_PUBLIC_REALTIME_WEBSOCKET_URL=wss://<WebSocketApi's id>.execute-api.<region>.amazonaws.com/v2",
            "REALTIME_WEBSOCKET_URL=wss://<WebSocketApi's id>.execute-api.<region>.amazonaws.com/v2",
            "# app.json: {\"expo\": {\"extra\": {\"realtimeWsUrl\": \"wss://<WebSocketApi's id>.execute-api.<region>.amazonaws.com/v2\"}}}",
        ])
        #expect(result.parameters.map(\.name) == ["StageName"])
    }

    @Test("The URL is written with the region's own domain (China's is amazonaws.com.cn)")
    func regionDomain() throws {
        let old = try Rendered.stack()
        let new = try Rendered.edit(old, "Default: prod", "Default: v2")
        #expect(try diff(old, new, region: "eu-west-1").endpointChanges.first?.newURL == "wss://<WebSocketApi's id>.execute-api.eu-west-1.amazonaws.com/v2")
        #expect(try diff(old, new, region: "cn-north-1").endpointChanges.first?.newURL == "wss://<WebSocketApi's id>.execute-api.cn-north-1.amazonaws.com.cn/v2")
    }

    @Test("A changed WebSocketInvokeUrl output alone is an endpoint change with the output's new value")
    func outputChanged() throws {
        let old = try Rendered.stack()
        let new = try Rendered.edit(old, "Value: !Sub wss://${WebSocketApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${StageName}",
                                    "Value: wss://realtime.meno.app")
        let result = try diff(old, new)
        #expect(result.resources.isEmpty)
        #expect(result.outputs.map(\.name) == ["WebSocketInvokeUrl"])
        #expect(result.endpointChanges.map(\.message) == [
            "the WebSocketInvokeUrl output changes: !Sub wss://${WebSocketApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/prod → wss://realtime.meno.app",
        ])
        #expect(result.endpointChanges.first?.newURL == "wss://realtime.meno.app")
        #expect(result.endpointChanges.first?.settings == Self.settings("wss://realtime.meno.app"))
    }

    // MARK: The issue's case

    @Test("Adding a route adds its resources and renames the deployment, with no data loss and no endpoint change")
    func routeAdded() throws {
        var config = StackConfig.default
        config.routes.append(Route(key: try RouteKey("typing.start"), handler: "typing-start", tables: [.connections: .read], broadcast: true))
        let old = try Rendered.stack()
        let new = try Rendered.stack(config)
        let oldDeployment = try #require(try source(old, file: "old").resources(ofType: "AWS::ApiGatewayV2::Deployment").first?.id)
        let newDeployment = try #require(try source(new, file: "new").resources(ofType: "AWS::ApiGatewayV2::Deployment").first?.id)
        #expect(oldDeployment == "WebSocketDeployment329bb91bac")
        #expect(newDeployment != oldDeployment)
        let result = try diff(old, new)
        #expect(result.actions == [
            "TypingStartFunction": .add, "TypingStartIntegration": .add, "TypingStartRoute": .add, "TypingStartPermission": .add,
            "TypingStartLogs": .add, newDeployment: .add, oldDeployment: .remove,
            // The stage points at the new deployment: DeploymentId updates in place.
            "WebSocketStage": .update,
        ])
        #expect(result.resource(oldDeployment)?.reasons == ["the logical id becomes \(newDeployment): CloudFormation creates \(newDeployment), then deletes \(oldDeployment)"])
        #expect(result.resource(newDeployment)?.reasons == ["the logical id was \(oldDeployment): a new resource, not an update of it"])
        #expect(result.resource("WebSocketStage")?.properties.map(\.path) == ["DeploymentId"])
        #expect(result.resources.allSatisfy { $0.dataLoss == nil })
        #expect(result.endpointChanges.isEmpty)
        #expect(result.parameters.isEmpty)
        #expect(result.outputs.isEmpty)
        #expect(result.summaryLine == "1 updated, 6 added, 1 removed")
    }

    // MARK: The same stack written differently

    @Test("The rendered stack and the same template as JSON in long forms, every scalar quoted, are no change")
    func yamlAndJSON() throws {
        let yaml = try Rendered.stack()
        let json = try longFormJSON(yaml)
        // Really the long forms, every scalar quoted.
        #expect(!json.contains("!Ref") && !json.contains("!Sub") && !json.contains("!GetAtt"))
        #expect(json.contains("\"Fn::Sub\"") && json.contains("\"MemorySize\": \"256\""))
        let result = try diff(yaml, json)
        #expect(result.isEmpty, "\(result.render(.text, old: "yaml", new: "json"))")
        #expect(result.summaryLine == "no changes: the templates deploy the same stack")
    }

    static let connectSourceArn = "SourceArn: !Sub arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WebSocketApi}/${StageName}/$connect"
    static let connectIntegrationUri = "IntegrationUri: !Sub arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${ConnectFunction.Arn}/invocations"

    @Test("An !Sub rewritten as the !Join of its text, Refs and GetAtts is no change, even on a create-only property",
          arguments: [
            (connectSourceArn, "SourceArn: !Join ['', ['arn:', !Ref AWS::Partition, ':execute-api:', !Ref AWS::Region, ':', !Ref AWS::AccountId, ':', !Ref WebSocketApi, '/', !Ref StageName, '/$connect']]"),
            (connectSourceArn, "SourceArn: !Join [':', ['arn', !Ref AWS::Partition, execute-api, !Ref AWS::Region, !Ref AWS::AccountId, !Sub '${WebSocketApi}/${StageName}/$connect']]"),
            (connectIntegrationUri, "IntegrationUri: !Join ['', ['arn:', !Ref AWS::Partition, ':apigateway:', !Ref AWS::Region, ':lambda:path/2015-03-31/functions/', !GetAtt ConnectFunction.Arn, /invocations]]"),
            (connectSourceArn, "SourceArn: !Sub ['arn:${Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/${Stage}/$connect', {Partition: !Ref AWS::Partition, Api: !Ref WebSocketApi, Stage: !Ref StageName}]"),
          ])
    func joinIsSub(_ old: String, _ new: String) throws {
        let rendered = try Rendered.stack()
        let result = try diff(rendered, try Rendered.edit(rendered, old, new))
        #expect(result.isEmpty, "\(result.render(.text, old: "sub", new: "join"))")
    }

    @Test("A !Join that spells another value is still a change: the permission for another route is replaced")
    func differentJoin() throws {
        let rendered = try Rendered.stack()
        let new = try Rendered.edit(rendered, Self.connectSourceArn,
            "SourceArn: !Join ['', ['arn:', !Ref AWS::Partition, ':execute-api:', !Ref AWS::Region, ':', !Ref AWS::AccountId, ':', !Ref WebSocketApi, '/', !Ref StageName, '/*']]")
        let result = try diff(rendered, new)
        #expect(result.actions == ["ConnectPermission": .replace])
        #expect(result.resource("ConnectPermission")?.properties.map(\.path) == ["SourceArn"])
    }

    @Test("Short and long intrinsic forms, quoted and plain scalars, key order and a one-item DependsOn list are no change")
    func writtenDifferently() throws {
        let old = """
            Parameters:
              Stage: {Type: String, Default: prod}
            Conditions:
              IsProd: !Equals [!Ref Stage, prod]
            Resources:
              Api:
                Type: AWS::ApiGatewayV2::Api
                Properties: {Name: meno, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}
              Handler:
                Type: AWS::Lambda::Function
                Properties:
                  Code: {ZipFile: 'exports.handler = async () => ({statusCode: 200})'}
                  Handler: index.handler
                  MemorySize: 256
                  Role: !GetAtt HandlerRole.Arn
                  Runtime: nodejs24.x
                  Environment:
                    Variables:
                      ENDPOINT: !Sub https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${Stage}
                      TRACE: !If [IsProd, 'false', 'true']
                      NAME: !Join ['-', [meno, !Ref Stage]]
              HandlerRole:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: 'sts:AssumeRole'}]}
              Stage:
                Type: AWS::ApiGatewayV2::Stage
                DependsOn: Handler
                Properties: {ApiId: !Ref Api, StageName: !Ref Stage, AutoDeploy: true}
            Outputs:
              Url:
                Value: !Sub wss://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${Stage}
            """
        let new = """
            {
              "Outputs": {"Url": {"Value": {"Fn::Sub": ["wss://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${Stage}", {}]}}},
              "Resources": {
                "Stage": {
                  "Properties": {"StageName": {"Ref": "Stage"}, "AutoDeploy": "true", "ApiId": {"Ref": "Api"}},
                  "DependsOn": ["Handler"],
                  "Type": "AWS::ApiGatewayV2::Stage"
                },
                "HandlerRole": {
                  "Type": "AWS::IAM::Role",
                  "Properties": {"AssumeRolePolicyDocument": {"Statement": [{"Action": "sts:AssumeRole", "Principal": {"Service": "lambda.amazonaws.com"}, "Effect": "Allow"}], "Version": "2012-10-17"}}
                },
                "Handler": {
                  "Type": "AWS::Lambda::Function",
                  "Properties": {
                    "Runtime": "nodejs24.x",
                    "Role": {"Fn::GetAtt": ["HandlerRole", "Arn"]},
                    "MemorySize": "256",
                    "Handler": "index.handler",
                    "Environment": {"Variables": {
                      "NAME": "meno-prod",
                      "TRACE": {"Fn::If": ["IsProd", "false", "true"]},
                      "ENDPOINT": {"Fn::Sub": "https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${Stage}"}
                    }},
                    "Code": {"ZipFile": "exports.handler = async () => ({statusCode: 200})"}
                  }
                },
                "Api": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"RouteSelectionExpression": "$request.body.action", "ProtocolType": "WEBSOCKET", "Name": "meno"}}
              },
              "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}},
              "Parameters": {"Stage": {"Default": "prod", "Type": "String"}}
            }
            """
        let result = try diff(old, new)
        #expect(result.isEmpty, "\(result.render(.text, old: "yaml", new: "json"))")
    }

    @Test("A changed SAM Globals.Function value changes every function that does not set it itself")
    func globalsChange() throws {
        let old = try Rendered.stack()
        let new = try Rendered.edit(old, "    Runtime: nodejs24.x\n", "    Runtime: nodejs22.x\n")
        let result = try diff(old, new)
        #expect(result.actions == Dictionary(uniqueKeysWithValues: Self.routes.map { ("\($0)Function", TemplateDiff.Action.update) }))
        let function = try #require(result.resource("ChatSendFunction"))
        #expect(function.properties.map(\.path) == ["Runtime"])
        #expect(function.property("Runtime")?.old == .scalar("nodejs24.x"))
        #expect(function.property("Runtime")?.new == .scalar("nodejs22.x"))
        // A function's own value wins over the global one.
        let pinned = try Rendered.edit(old, "      Description: Handles the chat.send route\n", "      Description: Handles the chat.send route\n      Runtime: nodejs24.x\n")
        let pinnedNew = try Rendered.edit(pinned, "    Runtime: nodejs24.x\n    Handler", "    Runtime: nodejs22.x\n    Handler")
        let partial = try diff(pinned, pinnedNew)
        #expect(partial.resource("ChatSendFunction") == nil)
        #expect(partial.resource("ConnectFunction")?.action == .update)
    }
}
