import Testing
import Validation

@Suite("websocket rules")
struct WebSocketRulesTests {
    typealias Edit = WebSocketFixture.Edit

    /// A one-edit (or few-edit) defect of the rendered stack and every websocket finding it gives.
    struct Defect: CustomTestStringConvertible, Sendable {
        let name: String
        let edits: [Edit]
        let expected: [Expected]
        var testDescription: String { name }

        init(_ name: String, _ edits: [Edit], _ expected: [Expected]) {
            self.name = name
            self.edits = edits
            self.expected = expected
        }
    }

    /// A variant of the rendered stack that is still correct: the rule must stay silent.
    struct NearMiss: CustomTestStringConvertible, Sendable {
        let name: String
        let rule: String
        let edits: [Edit]
        var testDescription: String { name }

        init(_ name: String, _ rule: String, _ edits: [Edit]) {
            self.name = name
            self.rule = rule
            self.edits = edits
        }
    }

    static let chatSendURI = "IntegrationUri: !Sub arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${ChatSendFunction.Arn}/invocations"
    static let chatSendSourceArn = "${WebSocketApi}/${StageName}/chat.send"
    static let chatSendPost = "${WebSocketApi}/${StageName}/POST/@connections/*\n  ChatSendIntegration:"
    static let stageBlock = """
          WebSocketStage:
            Type: AWS::ApiGatewayV2::Stage
            Properties:
              ApiId: !Ref WebSocketApi
              StageName: !Ref StageName
              DeploymentId: !Ref WebSocketDeployment329bb91bac

        """
    static let dependsOn = """
            DependsOn:
            - ConnectRoute
            - DisconnectRoute
            - DefaultRoute
            - ChatSendRoute
            - PresenceUpdateRoute

        """
    static let deployment = "WebSocketDeployment329bb91bac"

    static let defects: [Defect] = [
        Defect("a missing route selection expression",
               [Edit("      RouteSelectionExpression: $request.body.action\n", "")],
               [Expected("ws-route-selection", 71, 5, "WebSocketApi")]),
        Defect("a route selection expression on a header",
               [Edit("RouteSelectionExpression: $request.body.action", "RouteSelectionExpression: $request.header.action")],
               [Expected("ws-route-selection", 75, 33, "WebSocketApi")]),
        Defect("two routes with the route key chat.send",
               [Edit("RouteKey: presence.update", "RouteKey: chat.send")],
               [Expected("ws-route-key-duplicate", 355, 17, "PresenceUpdateRoute"),
                Expected("ws-permission-route", 363, 18, "PresenceUpdatePermission")]),
        Defect("a $-prefixed route key API Gateway does not define",
               [Edit("RouteKey: presence.update", "RouteKey: $presence")],
               [Expected("ws-route-key-reserved", 355, 17, "PresenceUpdateRoute"),
                Expected("ws-permission-route", 363, 18, "PresenceUpdatePermission")]),
        Defect("a route whose ApiId names a function",
               [Edit("      ApiId: !Ref WebSocketApi\n      RouteKey: chat.send", "      ApiId: !Ref ChatSendFunction\n      RouteKey: chat.send")],
               [Expected("ws-api-id", 300, 14, "ChatSendRoute")]),
        Defect("a Target that is the integration id without integrations/",
               [Edit("Target: !Sub integrations/${ChatSendIntegration}", "Target: !Ref ChatSendIntegration")],
               [Expected("ws-route-target", 302, 15, "ChatSendRoute")]),
        Defect("a Target naming the function instead of the integration",
               [Edit("Target: !Sub integrations/${ChatSendIntegration}", "Target: !Sub integrations/${ChatSendFunction}")],
               [Expected("ws-route-target", 302, 15, "ChatSendRoute")]),
        Defect("a Target naming an undeclared integration",
               [Edit("Target: !Sub integrations/${ChatSendIntegration}", "Target: !Sub integrations/${ChatSendIntegrationX}")],
               [Expected("ws-route-target", 302, 15, "ChatSendRoute")]),
        Defect("a route without Target",
               [Edit("      Target: !Sub integrations/${ChatSendIntegration}\n", "")],
               [Expected("ws-route-no-target", 297, 3, "ChatSendRoute")]),
        Defect("a bare function ARN as integration URI, whose effect is uncertain",
               [Edit(chatSendURI, "IntegrationUri: !GetAtt ChatSendFunction.Arn")],
               [Expected("ws-integration-uri-bare-arn", 296, 23, "ChatSendIntegration")]),
        Defect("a bare function ARN written out as text",
               [Edit(chatSendURI, "IntegrationUri: arn:aws:lambda:eu-west-1:123456789012:function:chat-send")],
               [Expected("ws-integration-uri-bare-arn", 296, 23, "ChatSendIntegration")]),
        Defect("an invocation URI without /invocations",
               [Edit("functions/${ChatSendFunction.Arn}/invocations", "functions/${ChatSendFunction.Arn}")],
               [Expected("ws-integration-uri", 296, 23, "ChatSendIntegration")]),
        Defect("a wrong Lambda API version in the integration URI",
               [Edit("lambda:path/2015-03-31/functions/${ChatSendFunction.Arn}", "lambda:path/2015-03-32/functions/${ChatSendFunction.Arn}")],
               [Expected("ws-integration-uri", 296, 23, "ChatSendIntegration")]),
        Defect("an integration URI invoking a table",
               [Edit("functions/${ChatSendFunction.Arn}/invocations", "functions/${ConnectionsTable.Arn}/invocations")],
               [Expected("ws-integration-uri", 296, 23, "ChatSendIntegration")]),
        Defect("an AWS_PROXY integration pointed at an HTTP URL",
               [Edit(chatSendURI, "IntegrationUri: https://example.com/chat")],
               [Expected("ws-integration-uri", 296, 23, "ChatSendIntegration")]),
        Defect("an HTTP_PROXY integration pointed at Lambda",
               [Edit("      IntegrationType: AWS_PROXY\n      " + chatSendURI, "      IntegrationType: HTTP_PROXY\n      " + chatSendURI)],
               [Expected("ws-integration-uri", 295, 24, "ChatSendIntegration")]),
        Defect("a routed function with no invoke permission",
               [Edit("      FunctionName: !Ref ChatSendFunction\n", "      FunctionName: !Ref PresenceUpdateFunction\n")],
               [Expected("ws-route-permission", 301, 17, "ChatSendRoute")]),
        Defect("a permission for the Lambda service principal",
               [Edit("      FunctionName: !Ref ChatSendFunction\n      Principal: apigateway.amazonaws.com",
                     "      FunctionName: !Ref ChatSendFunction\n      Principal: lambda.amazonaws.com")],
               [Expected("ws-permission-principal", 308, 18, "ChatSendPermission")]),
        Defect("a permission for lambda:InvokeAsync",
               [Edit("lambda:InvokeFunction\n      FunctionName: !Ref ChatSendFunction", "lambda:InvokeAsync\n      FunctionName: !Ref ChatSendFunction")],
               [Expected("ws-permission-action", 306, 15, "ChatSendPermission")]),
        Defect("a permission whose SourceArn names the table",
               [Edit(chatSendSourceArn, "${ConnectionsTable}/${StageName}/chat.send")],
               [Expected("ws-permission-api", 309, 18, "ChatSendPermission")]),
        Defect("a permission whose SourceArn is not an execute-api ARN",
               [Edit("SourceArn: !Sub arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:" + chatSendSourceArn,
                     "SourceArn: !Sub arn:${AWS::Partition}:apigateway:${AWS::Region}::/apis/${WebSocketApi}")],
               [Expected("ws-permission-api", 309, 18, "ChatSendPermission")]),
        Defect("a permission for stage prod when the stage is live",
               [Edit("      StageName: !Ref StageName\n      DeploymentId", "      StageName: live\n      DeploymentId"),
                Edit(chatSendSourceArn, "${WebSocketApi}/prod/chat.send")],
               [Expected("ws-permission-stage", 309, 18, "ChatSendPermission")]),
        Defect("a permission for a misspelled route",
               [Edit(chatSendSourceArn, "${WebSocketApi}/${StageName}/chat.sned")],
               [Expected("ws-permission-route", 309, 18, "ChatSendPermission")]),
        Defect("a permission joined from pieces for another route",
               [Edit("SourceArn: !Sub arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:" + chatSendSourceArn,
                     "SourceArn: !Join ['', ['arn:aws:execute-api:', !Ref 'AWS::Region', ':', !Ref 'AWS::AccountId', ':', !Ref WebSocketApi, '/*/chat.recv']]")],
               [Expected("ws-permission-route", 309, 18, "ChatSendPermission")]),
        Defect("AuthorizationType on chat.send",
               [Edit("      RouteKey: chat.send\n", "      RouteKey: chat.send\n      AuthorizationType: AWS_IAM\n")],
               [Expected("ws-route-authorization", 302, 26, "ChatSendRoute")]),
        Defect("an authorizer on chat.send",
               [Edit("      RouteKey: chat.send\n", "      RouteKey: chat.send\n      AuthorizerId: !Ref Authorizer\n")],
               [Expected("ws-route-authorization", 302, 21, "ChatSendRoute")]),
        Defect("a stage without deployment",
               [Edit("      DeploymentId: !Ref WebSocketDeployment329bb91bac\n", "")],
               [Expected("ws-stage-not-deployed", 387, 3, "WebSocketStage")]),
        Defect("an API without stage",
               [Edit(stageBlock, "")],
               [Expected("ws-api-no-stage", 69, 3, "WebSocketApi")]),
        Defect("a deployment that waits for four routes but not for chat.send",
               [Edit("    - ChatSendRoute\n", "")],
               [Expected("ws-deployment-route-order", 379, 5, deployment)]),
        Defect("a deployment that waits for $connect only",
               [Edit("    - DisconnectRoute\n    - DefaultRoute\n    - ChatSendRoute\n    - PresenceUpdateRoute\n", "")],
               Array(repeating: Expected("ws-deployment-route-order", 379, 5, deployment), count: 4)),
        Defect("a deployment with no DependsOn, so it waits for no route at all",
               [Edit(dependsOn, "")],
               [Expected("ws-deployment-route", 376, 3, deployment)]),
        Defect("a deployment that waits for no route while a route without Target needs only the API, a race",
               [Edit(dependsOn, ""), Edit("      Target: !Sub integrations/${ChatSendIntegration}\n", "")],
               [Expected("ws-route-no-target", 297, 3, "ChatSendRoute"),
                Expected("ws-deployment-route-order", 375, 3, deployment)]),
        Defect("a deployment whose DependsOn names only the API",
               [Edit(dependsOn, "    DependsOn: WebSocketApi\n")],
               [Expected("ws-deployment-route", 378, 16, deployment)]),
        Defect("execute-api:Invoke instead of ManageConnections",
               [Edit("          Action: execute-api:ManageConnections\n          Resource: !Sub arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:" + chatSendPost,
                     "          Action: execute-api:Invoke\n          Resource: !Sub arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:" + chatSendPost)],
               [Expected("ws-manage-connections", 289, 19, "ChatSendFunction")]),
        Defect("an @connections ARN without POST",
               [Edit(chatSendPost, "${WebSocketApi}/${StageName}/@connections/*\n  ChatSendIntegration:")],
               [Expected("ws-manage-connections", 290, 21, "ChatSendFunction")]),
        Defect("an @connections ARN for GET",
               [Edit(chatSendPost, "${WebSocketApi}/${StageName}/GET/@connections/*\n  ChatSendIntegration:")],
               [Expected("ws-manage-connections", 290, 21, "ChatSendFunction")]),
        Defect("an @connections ARN naming the stage resource as API",
               [Edit(chatSendPost, "${WebSocketStage}/${StageName}/POST/@connections/*\n  ChatSendIntegration:")],
               [Expected("ws-manage-connections", 290, 21, "ChatSendFunction")]),
        Defect("an integration timeout of 30 s",
               [Edit("      IntegrationType: AWS_PROXY\n      " + chatSendURI, "      IntegrationType: AWS_PROXY\n      TimeoutInMillis: 30000\n      " + chatSendURI)],
               [Expected("ws-integration-timeout", 296, 24, "ChatSendIntegration")]),
        Defect("a handler timeout of 30 s",
               [Edit("      Description: Handles the chat.send route\n", "      Description: Handles the chat.send route\n      Timeout: 30\n")],
               [Expected("ws-function-timeout", 269, 16, "ChatSendFunction")]),
        Defect("a LambdaTimeout parameter defaulting to 60 s",
               [Edit("    Default: 10\n    MinValue: 1\n    MaxValue: 29", "    Default: 60\n    MinValue: 1\n    MaxValue: 60")],
               ["ChatSendFunction", "ConnectFunction", "DefaultFunction", "DisconnectFunction", "PresenceUpdateFunction"]
                   .map { Expected("ws-function-timeout", 63, 14, $0) }),
    ]

    static let nearMisses: [NearMiss] = [
        NearMiss("a ${request.body.action} selection expression", "ws-route-selection",
                 [Edit("RouteSelectionExpression: $request.body.action", "RouteSelectionExpression: ${request.body.action}")]),
        NearMiss("a selection expression on another body field", "ws-route-selection",
                 [Edit("RouteSelectionExpression: $request.body.action", "RouteSelectionExpression: $request.body.type")]),
        NearMiss("a selection expression from a parameter", "ws-route-selection",
                 [Edit("RouteSelectionExpression: $request.body.action", "RouteSelectionExpression: !Ref Selection")]),
        NearMiss("ApiId through GetAtt ApiId", "ws-api-id",
                 [Edit("      ApiId: !Ref WebSocketApi\n      RouteKey: chat.send", "      ApiId: !GetAtt WebSocketApi.ApiId\n      RouteKey: chat.send")]),
        NearMiss("a Target joined with Fn::Join", "ws-route-target",
                 [Edit("Target: !Sub integrations/${ChatSendIntegration}", "Target: !Join ['/', [integrations, !Ref ChatSendIntegration]]")]),
        NearMiss("a Target in the long form", "ws-route-no-target",
                 [Edit("Target: !Sub integrations/${ChatSendIntegration}", "Target: {'Fn::Sub': 'integrations/${ChatSendIntegration}'}")]),
        NearMiss("SAM's Sub with a variable map as integration URI", "ws-integration-uri",
                 [Edit(chatSendURI, "IntegrationUri: !Sub ['arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${FunctionArn}/invocations', {FunctionArn: !GetAtt ChatSendFunction.Arn}]")]),
        NearMiss("an imported integration URI", "ws-integration-uri",
                 [Edit(chatSendURI, "IntegrationUri: !ImportValue shared-uri")]),
        NearMiss("a permission naming the function by ARN", "ws-route-permission",
                 [Edit("      FunctionName: !Ref ChatSendFunction\n", "      FunctionName: !GetAtt ChatSendFunction.Arn\n")]),
        NearMiss("an integration that invokes through a role", "ws-route-permission",
                 [Edit("      FunctionName: !Ref ChatSendFunction\n", "      FunctionName: !Ref PresenceUpdateFunction\n"),
                  Edit("      IntegrationType: AWS_PROXY\n      " + chatSendURI, "      IntegrationType: AWS_PROXY\n      CredentialsArn: !GetAtt InvokeRole.Arn\n      " + chatSendURI)]),
        NearMiss("a permission whose function is imported", "ws-route-permission",
                 [Edit("      FunctionName: !Ref ChatSendFunction\n", "      FunctionName: !ImportValue shared-function\n")]),
        NearMiss("a principal written with AWS::URLSuffix", "ws-permission-principal",
                 [Edit("      FunctionName: !Ref ChatSendFunction\n      Principal: apigateway.amazonaws.com",
                       "      FunctionName: !Ref ChatSendFunction\n      Principal: !Sub apigateway.${AWS::URLSuffix}")]),
        NearMiss("a permission for lambda:*", "ws-permission-action",
                 [Edit("lambda:InvokeFunction\n      FunctionName: !Ref ChatSendFunction", "'lambda:*'\n      FunctionName: !Ref ChatSendFunction")]),
        NearMiss("a SourceArn with ${Api.ApiId}", "ws-permission-api",
                 [Edit(chatSendSourceArn, "${WebSocketApi.ApiId}/${StageName}/chat.send")]),
        NearMiss("a literal stage in the SourceArn against a parameter stage", "ws-permission-stage",
                 [Edit(chatSendSourceArn, "${WebSocketApi}/prod/chat.send")]),
        NearMiss("a SourceArn for every route of the stage", "ws-permission-route",
                 [Edit(chatSendSourceArn, "${WebSocketApi}/${StageName}/*")]),
        NearMiss("a SourceArn for every stage and route", "ws-permission-route",
                 [Edit(chatSendSourceArn, "${WebSocketApi}/*")]),
        NearMiss("a permission without SourceArn", "ws-permission-route",
                 [Edit("      SourceArn: !Sub arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:" + chatSendSourceArn + "\n", "")]),
        NearMiss("AuthorizationType on $connect", "ws-route-authorization",
                 [Edit("      RouteKey: $connect\n", "      RouteKey: $connect\n      AuthorizationType: AWS_IAM\n")]),
        NearMiss("AuthorizationType NONE on chat.send", "ws-route-authorization",
                 [Edit("      RouteKey: chat.send\n", "      RouteKey: chat.send\n      AuthorizationType: NONE\n")]),
        NearMiss("a stage that deploys itself", "ws-stage-not-deployed",
                 [Edit("      DeploymentId: !Ref WebSocketDeployment329bb91bac\n", "      AutoDeploy: true\n")]),
        NearMiss("a deployment that creates the stage", "ws-api-no-stage",
                 [Edit(stageBlock, ""),
                  Edit("      ApiId: !Ref WebSocketApi\n      Description: Deploys", "      ApiId: !Ref WebSocketApi\n      StageName: prod\n      Description: Deploys")]),
        NearMiss("a deployment missing a route under AutoDeploy", "ws-deployment-route",
                 [Edit("    - ChatSendRoute\n", ""),
                  Edit("      DeploymentId: !Ref WebSocketDeployment329bb91bac\n", "      DeploymentId: !Ref WebSocketDeployment329bb91bac\n      AutoDeploy: true\n")]),
        NearMiss("ManageConnections on every API of the account", "ws-manage-connections",
                 [Edit("!Sub arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:" + chatSendPost, "arn:aws:execute-api:*:*:**/@connections/*\n  ChatSendIntegration:")]),
        NearMiss("ManageConnections on a pattern starting at the stage", "ws-manage-connections",
                 [Edit(chatSendPost, "${WebSocketApi}/*@connections/*\n  ChatSendIntegration:")]),
        NearMiss("ManageConnections on the stage resource's name", "ws-manage-connections",
                 [Edit(chatSendPost, "${WebSocketApi}/${WebSocketStage}/POST/@connections/*\n  ChatSendIntegration:")]),
        NearMiss("an integration timeout of 29 s", "ws-integration-timeout",
                 [Edit("      IntegrationType: AWS_PROXY\n      " + chatSendURI, "      IntegrationType: AWS_PROXY\n      TimeoutInMillis: 29000\n      " + chatSendURI)]),
        NearMiss("a handler timeout of 29 s", "ws-function-timeout",
                 [Edit("      Description: Handles the chat.send route\n", "      Description: Handles the chat.send route\n      Timeout: 29\n")]),
    ]

    @Test("A defect of the rendered stack gives exactly its located findings", arguments: defects)
    func defect(_ row: Defect) throws {
        let text = try #require(WebSocketFixture.mutated(row.edits), "an edit no longer matches the rendered stack")
        let diagnostics = validate(text, families: [.websocket], existing: WebSocketFixture.handlerFolders)
        #expect(diagnostics.map(Expected.init) == row.expected)
        #expect(diagnostics.allSatisfy { $0.family == .websocket && !$0.message.isEmpty && $0.path != nil })
    }

    @Test("A correct variant of the rendered stack gives no finding", arguments: nearMisses)
    func nearMiss(_ row: NearMiss) throws {
        let text = try #require(WebSocketFixture.mutated(row.edits), "an edit no longer matches the rendered stack")
        let diagnostics = validate(text, families: [.websocket], existing: WebSocketFixture.handlerFolders)
        #expect(findings(row.rule, in: diagnostics).isEmpty)
        #expect(diagnostics.map(Expected.init) == [])
    }

    @Test("The rendered stack gives no websocket finding")
    func rendered() {
        #expect(!WebSocketFixture.rendered.isEmpty)
        let diagnostics = validate(WebSocketFixture.rendered, families: [.websocket], existing: WebSocketFixture.handlerFolders)
        #expect(diagnostics.map(\.description) == [])
    }

    @Test("Messages name the values involved and the fix")
    func messages() throws {
        let cases: [(Edit, String)] = [
            (Edit(Self.chatSendSourceArn, "${WebSocketApi}/${StageName}/chat.sned"),
             "permission 'ChatSendPermission' covers route 'chat.sned', not 'chat.send' that API 'WebSocketApi' routes to 'ChatSendFunction'; end the SourceArn with /chat.send or /*"),
            (Edit("      FunctionName: !Ref ChatSendFunction\n", "      FunctionName: !Ref PresenceUpdateFunction\n"),
             "route 'chat.send' invokes 'ChatSendFunction', which has no AWS::Lambda::Permission for apigateway.amazonaws.com, so clients get Internal server error; add one with SourceArn …:${WebSocketApi}/*/chat.send"),
            (Edit("Target: !Sub integrations/${ChatSendIntegration}", "Target: !Sub integrations/${ChatSendFunction}"),
             "route 'chat.send' targets 'ChatSendFunction', an AWS::Serverless::Function, not an AWS::ApiGatewayV2::Integration; name the route's integration"),
            (Edit(Self.chatSendPost, "${WebSocketApi}/${StageName}/@connections/*\n  ChatSendIntegration:"),
             "'ChatSendFunction' is granted '@connections/*' after the stage, which does not cover POST/@connections/*; end the Resource with /POST/@connections/*"),
            (Edit(Self.chatSendURI, "IntegrationUri: !GetAtt ChatSendFunction.Arn"),
             "IntegrationUri is the bare function ARN, not the invocation URI AWS documents; whether API Gateway invokes the function with it is uncertain (aws-cdk #13679 reports a broken API, aws-cdk #13820 only a broken console view), so write arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Function.Arn}/invocations"),
            (Edit("    - ChatSendRoute\n", ""),
             "deployment 'WebSocketDeployment329bb91bac' waits for ConnectRoute, DisconnectRoute, DefaultRoute and PresenceUpdateRoute but not for route 'ChatSendRoute' (chat.send), so whether the stage serves that route depends on the order CloudFormation happens to create them in; add ChatSendRoute to DependsOn"),
            (Edit(Self.dependsOn, ""),
             "deployment 'WebSocketDeployment329bb91bac' depends on no route of API 'WebSocketApi', while every route waits for its integration, so CloudFormation creates the deployment first and API Gateway refuses it ('At least one route is required before deploying the Api'); add the routes (ConnectRoute, DisconnectRoute, DefaultRoute, ChatSendRoute, PresenceUpdateRoute) to DependsOn"),
            (Edit("      Description: Handles the chat.send route\n", "      Description: Handles the chat.send route\n      Timeout: 30\n"),
             "'ChatSendFunction' handles route 'chat.send' with a 30 s timeout, but API Gateway waits at most 29 s: a response the function returns later is lost (posting to @connections still reaches the client); use at most 29, or answer through @connections"),
        ]
        for (edit, message) in cases {
            let text = try #require(WebSocketFixture.mutated([edit]))
            let diagnostics = validate(text, families: [.websocket], existing: WebSocketFixture.handlerFolders)
            #expect(diagnostics.map(\.message) == [message])
        }
    }

    @Test("Where AWS's behaviour is uncertain the finding is a warning, where it is certain an error")
    func severities() throws {
        let cases: [(Edit, String, Severity)] = [
            (Edit(Self.chatSendURI, "IntegrationUri: !GetAtt ChatSendFunction.Arn"), "ws-integration-uri-bare-arn", .warning),
            (Edit("functions/${ChatSendFunction.Arn}/invocations", "functions/${ConnectionsTable.Arn}/invocations"), "ws-integration-uri", .error),
            (Edit("    - ChatSendRoute\n", ""), "ws-deployment-route-order", .warning),
            (Edit(Self.dependsOn, ""), "ws-deployment-route", .error),
        ]
        for (edit, rule, severity) in cases {
            let text = try #require(WebSocketFixture.mutated([edit]))
            let diagnostics = validate(text, families: [.websocket], existing: WebSocketFixture.handlerFolders)
            #expect(diagnostics.map(\.rule.id) == [rule])
            #expect(diagnostics.map(\.severity) == [severity])
        }
    }

    @Test("A finding carries the slash path of the offending node")
    func paths() throws {
        let text = try #require(WebSocketFixture.mutated([Edit(Self.chatSendSourceArn, "${WebSocketApi}/${StageName}/chat.sned")]))
        let diagnostics = validate(text, families: [.websocket])
        #expect(diagnostics.map(\.path) == ["Resources/ChatSendPermission/Properties/SourceArn"])
        #expect(diagnostics.first?.severity == .error)
    }

    // MARK: - Other styles

    /// SAM's own output for a WebSocket API: Join targets, Sub with a variable map,
    /// `${Api.ApiId}` in SourceArn, AutoDeploy.
    static let samStyle = """
        {
          "Resources": {
            "ConnectFunction": {
              "Type": "AWS::Lambda::Function",
              "Properties": {
                "Code": {"ZipFile": "x"}, "Handler": "index.handler", "Runtime": "nodejs20.x",
                "Role": {"Fn::GetAtt": ["ConnectFunctionRole", "Arn"]}
              }
            },
            "ConnectFunctionRole": {
              "Type": "AWS::IAM::Role",
              "Properties": {"AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Action": ["sts:AssumeRole"], "Principal": {"Service": ["lambda.amazonaws.com"]}}]}}
            },
            "MyApi": {
              "Type": "AWS::ApiGatewayV2::Api",
              "Properties": {"Name": "MyApi", "ProtocolType": "WEBSOCKET", "RouteSelectionExpression": "$request.body.action"}
            },
            "MyApiConnectIntegration": {
              "Type": "AWS::ApiGatewayV2::Integration",
              "Properties": {
                "ApiId": {"Ref": "MyApi"}, "IntegrationType": "AWS_PROXY",
                "IntegrationUri": {"Fn::Sub": ["arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${FunctionArn}/invocations", {"FunctionArn": {"Fn::GetAtt": ["ConnectFunction", "Arn"]}}]}
              }
            },
            "MyApiConnectPermission": {
              "Type": "AWS::Lambda::Permission",
              "Properties": {
                "Action": "lambda:InvokeFunction", "FunctionName": {"Fn::GetAtt": ["ConnectFunction", "Arn"]},
                "Principal": "apigateway.amazonaws.com",
                "SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${MyApi.ApiId}/default/$connect"}
              }
            },
            "MyApiConnectRoute": {
              "Type": "AWS::ApiGatewayV2::Route",
              "Properties": {
                "ApiId": {"Ref": "MyApi"}, "RouteKey": "$connect",
                "Target": {"Fn::Join": ["/", ["integrations", {"Ref": "MyApiConnectIntegration"}]]}
              }
            },
            "MyApiDefaultStage": {
              "Type": "AWS::ApiGatewayV2::Stage",
              "Properties": {"ApiId": {"Ref": "MyApi"}, "AutoDeploy": true, "StageName": "default"}
            }
          }
        }
        """

    @Test("SAM's generated WebSocket wiring validates clean")
    func samStyleClean() {
        #expect(validate(Self.samStyle, families: [.websocket, .stack]).map(\.description) == [])
    }

    @Test("SAM's generated wiring with a permission for another stage is reported")
    func samStyleStage() {
        let text = Self.samStyle.replacingOccurrences(of: "${MyApi.ApiId}/default/$connect", with: "${MyApi.ApiId}/Prod/$connect")
        #expect(validate(text, families: [.websocket]).map(Expected.init) == [Expected("ws-permission-stage", 30, 22, "MyApiConnectPermission")])
    }

    /// A plain CloudFormation handler whose role gets its @connections statement from an
    /// `AWS::IAM::Policy`, with a resource joined from pieces.
    static let roleStyle = """
        Parameters:
          Stage:
            Type: String
            Default: dev
        Resources:
          Api:
            Type: AWS::ApiGatewayV2::Api
            Properties:
              Name: x
              ProtocolType: WEBSOCKET
              RouteSelectionExpression: $request.body.action
          Role:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument:
                Statement:
                - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
              ManagedPolicyArns:
              - !Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
          PostPolicy:
            Type: AWS::IAM::Policy
            Properties:
              PolicyName: post
              Roles: [!Ref Role]
              PolicyDocument:
                Statement:
                - Effect: Allow
                  Action: ['execute-api:ManageConnections']
                  Resource: !Join ['', ['arn:aws:execute-api:', !Ref 'AWS::Region', ':', !Ref 'AWS::AccountId', ':', !Ref Api, '/', !Ref Stage, '/POST/@connections/*']]
          Fn:
            Type: AWS::Lambda::Function
            Properties:
              Role: !GetAtt Role.Arn
              Runtime: nodejs20.x
              Handler: index.handler
              Code: {ZipFile: x}
          Integration:
            Type: AWS::ApiGatewayV2::Integration
            Properties:
              ApiId: !Ref Api
              IntegrationType: AWS_PROXY
              IntegrationUri: !Join ['', ['arn:', !Ref 'AWS::Partition', ':apigateway:', !Ref 'AWS::Region', ':lambda:path/2015-03-31/functions/', !GetAtt Fn.Arn, '/invocations']]
          Default:
            Type: AWS::ApiGatewayV2::Route
            Properties:
              ApiId: !Ref Api
              RouteKey: $default
              Target: !Join ['/', [integrations, !Ref Integration]]
          Permission:
            Type: AWS::Lambda::Permission
            Properties:
              Action: lambda:InvokeFunction
              FunctionName: !GetAtt Fn.Arn
              Principal: apigateway.amazonaws.com
              SourceArn: !Sub arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${Api.ApiId}/*
          Stage0:
            Type: AWS::ApiGatewayV2::Stage
            Properties:
              ApiId: !Ref Api
              StageName: !Ref Stage
              AutoDeploy: true
        """

    @Test("A role-based handler with an attached IAM policy validates clean")
    func roleStyleClean() {
        #expect(validate(Self.roleStyle, families: [.websocket, .stack]).map(\.description) == [])
    }

    @Test("An attached IAM policy with execute-api:Invoke on @connections is reported on the policy")
    func roleStyleInvoke() {
        let text = Self.roleStyle.replacingOccurrences(of: "['execute-api:ManageConnections']", with: "['execute-api:Invoke']")
        let diagnostics = validate(text, families: [.websocket])
        #expect(diagnostics.map(Expected.init) == [Expected("ws-manage-connections", 28, 19, "PostPolicy")])
        #expect(diagnostics.first?.path == "Resources/PostPolicy/Properties/PolicyDocument/Statement/0/Action")
    }

    @Test("A macro that may add the permission silences the missing-permission finding")
    func macro() throws {
        let text = try #require(WebSocketFixture.mutated([
            Edit("Transform: AWS::Serverless-2016-10-31\n", "Transform: [AWS::Serverless-2016-10-31, AddPermissions]\n"),
            Edit("      FunctionName: !Ref ChatSendFunction\n", "      FunctionName: !Ref PresenceUpdateFunction\n"),
        ]))
        #expect(validate(text, families: [.websocket], existing: WebSocketFixture.handlerFolders).isEmpty)
    }

    @Test("An HTTP API is left alone")
    func httpAPI() {
        let diagnostics = validate("""
            Resources:
              Api:
                Type: AWS::ApiGatewayV2::Api
                Properties: {Name: x, ProtocolType: HTTP}
              Route:
                Type: AWS::ApiGatewayV2::Route
                Properties:
                  ApiId: !Ref Api
                  RouteKey: GET /items
              Again:
                Type: AWS::ApiGatewayV2::Route
                Properties:
                  ApiId: !Ref Api
                  RouteKey: GET /items
            """, families: [.websocket, .stack])
        #expect(diagnostics.isEmpty)
    }

    @Test("The same route key on two APIs is no duplicate")
    func keysPerAPI() {
        let diagnostics = validate("""
            Resources:
              A:
                Type: AWS::ApiGatewayV2::Api
                Properties: {Name: a, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}
              B:
                Type: AWS::ApiGatewayV2::Api
                Properties: {Name: b, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}
              RouteA:
                Type: AWS::ApiGatewayV2::Route
                Properties: {ApiId: !Ref A, RouteKey: $connect, Target: !Sub 'integrations/${IntegrationA}'}
              RouteB:
                Type: AWS::ApiGatewayV2::Route
                Properties: {ApiId: !Ref B, RouteKey: $connect, Target: !Sub 'integrations/${IntegrationB}'}
              IntegrationA:
                Type: AWS::ApiGatewayV2::Integration
                Properties: {ApiId: !Ref A, IntegrationType: MOCK}
              IntegrationB:
                Type: AWS::ApiGatewayV2::Integration
                Properties: {ApiId: !Ref B, IntegrationType: MOCK}
              StageA:
                Type: AWS::ApiGatewayV2::Stage
                Properties: {ApiId: !Ref A, StageName: a, AutoDeploy: true}
              StageB:
                Type: AWS::ApiGatewayV2::Stage
                Properties: {ApiId: !Ref B, StageName: b, AutoDeploy: true}
            """, families: [.websocket])
        #expect(diagnostics.map(\.description) == [])
    }

    @Test("A route targeting an integration of another API is reported")
    func crossAPITarget() {
        let diagnostics = validate("""
            Resources:
              A:
                Type: AWS::ApiGatewayV2::Api
                Properties: {Name: a, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}
              B:
                Type: AWS::ApiGatewayV2::Api
                Properties: {Name: b, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}
              RouteA:
                Type: AWS::ApiGatewayV2::Route
                Properties: {ApiId: !Ref A, RouteKey: $connect, Target: !Sub 'integrations/${IntegrationB}'}
              IntegrationB:
                Type: AWS::ApiGatewayV2::Integration
                Properties: {ApiId: !Ref B, IntegrationType: MOCK}
              StageA:
                Type: AWS::ApiGatewayV2::Stage
                Properties: {ApiId: !Ref A, StageName: a, AutoDeploy: true}
              StageB:
                Type: AWS::ApiGatewayV2::Stage
                Properties: {ApiId: !Ref B, StageName: b, AutoDeploy: true}
            """, families: [.websocket])
        #expect(diagnostics.map(Expected.init) == [Expected("ws-route-target", 10, 61, "RouteA")])
    }

    @Test("Values of every shape never crash the rules", arguments: [
        "Resources: []", "Resources: {A: {Type: [x]}}", "Resources: {A: {Type: AWS::ApiGatewayV2::Api, Properties: [1]}}",
        "Resources: {A: {Type: AWS::ApiGatewayV2::Api, Properties: {ProtocolType: WEBSOCKET, RouteSelectionExpression: [1]}}}",
        "Resources: {R: {Type: AWS::ApiGatewayV2::Route, Properties: {ApiId: {Ref: [1]}, Target: {'Fn::Join': 1}}}}",
        "Resources: {P: {Type: AWS::Lambda::Permission, Properties: {FunctionName: {'Fn::Sub': [x, 1]}, SourceArn: !Sub '${'}}}",
        "Resources: {F: {Type: AWS::Serverless::Function, Properties: {Policies: {Statement: {Resource: {'Fn::If': [c]}}}, Role: 3}}}",
        "Resources: {D: {Type: AWS::ApiGatewayV2::Deployment, DependsOn: {a: b}, Properties: {ApiId: !GetAtt A}}}",
    ])
    func shapes(_ text: String) {
        let diagnostics = validate(text, families: [.websocket, .stack])
        #expect(diagnostics.allSatisfy { $0.family == .websocket || $0.family == .stack })
    }

    // MARK: - Rules and corpus

    @Test("Every rule has the ws- prefix, a title and an explanation, and can be looked up")
    func ruleCatalog() {
        let ids = WebSocketRules.rules.map(\.id)
        #expect(Set(ids).count == ids.count)
        for rule in WebSocketRules.rules {
            #expect(rule.id.hasPrefix("ws-") && rule.family == .websocket)
            #expect(!rule.title.isEmpty && rule.explanation.count > 80)
            #expect(Validator.rule(rule.id) == rule)
        }
    }

    @Test("SAM's generated WebSocket templates give no websocket finding",
          .enabled(if: WebSocketFixture.corpus != nil, "MENORT_CORPUS names no corpus folder: corpus check skipped"))
    func samCorpus() {
        let files = WebSocketFixture.corpusFiles("sam/output") { $0.hasPrefix("websocket_api_") && $0.hasSuffix(".json") }
        #expect(files.count >= 20)
        for file in files {
            let diagnostics = WebSocketFixture.validateFile(file, families: [.websocket, .stack])
            #expect(diagnostics.map(\.description) == [], "\(file)")
        }
    }

    @Test("SAM's connector fixtures declare a WebSocket API without selection expression or stage",
          .enabled(if: WebSocketFixture.corpus != nil, "MENORT_CORPUS names no corpus folder: corpus check skipped"))
    func connectorFixture() throws {
        let file = try #require(WebSocketFixture.corpusFiles("sam/input") { $0 == "connector_api_to_function.yaml" }.first)
        let diagnostics = WebSocketFixture.validateFile(file, families: [.websocket])
        #expect(diagnostics.map(Expected.init) == [
            Expected("ws-api-no-stage", 28, 3, "MyApiGatewayV2"), Expected("ws-route-selection", 30, 5, "MyApiGatewayV2"),
        ])
    }
}
