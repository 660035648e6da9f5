import Testing
import Validation

@Suite("stack rules")
struct StackRulesTests {
    typealias Edit = WebSocketFixture.Edit
    typealias Defect = WebSocketRulesTests.Defect
    typealias NearMiss = WebSocketRulesTests.NearMiss

    static let post = """
              - Version: '2012-10-17'
                Statement:
                - Effect: Allow
                  Action: execute-api:ManageConnections
                  Resource: !Sub arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WebSocketApi}/${StageName}/POST/@connections/*

        """
    static let invokeURL = "Value: !Sub wss://${WebSocketApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${StageName}"
    static let keySchema = """
              - AttributeName: sessionId
                KeyType: HASH
              - AttributeName: connectionId
                KeyType: RANGE
        """
    static let index = """
              GlobalSecondaryIndexes:
              - IndexName: connectionId-index
                KeySchema:
                - AttributeName: connectionId
                  KeyType: HASH
                Projection:
                  ProjectionType: ALL

        """
    static let ttl = """
              TimeToLiveSpecification:
                AttributeName: expiresAt
                Enabled: true

        """
    /// DisconnectFunction's policies, up to its integration.
    static let disconnectPolicies = """
              - DynamoDBCrudPolicy:
                  TableName: !Ref ConnectionsTable
              - DynamoDBCrudPolicy:
                  TableName: !Ref PresenceTableName

        """ + post + "  DisconnectIntegration:"

    static let defects: [Defect] = [
        Defect("an HTTP API", [Edit("ProtocolType: WEBSOCKET", "ProtocolType: HTTP")],
               [Expected("stack-api-protocol", 74, 21, "WebSocketApi")]),
        Defect("routing on request.body.type", [Edit("RouteSelectionExpression: $request.body.action", "RouteSelectionExpression: $request.body.type")],
               [Expected("stack-route-selection", 75, 33, "WebSocketApi")]),
        Defect("no connections table", [Edit("  ConnectionsTable:\n    Type: AWS::DynamoDB::Table\n", "  ConnectionsTable:\n    Type: AWS::SQS::Queue\n")],
               [Expected("stack-connections-table", 68, 1)]),
        Defect("a connections table keyed on connectionId alone",
               [Edit(keySchema, "      - AttributeName: connectionId\n        KeyType: HASH")],
               [Expected("stack-connections-keys", 92, 7, "ConnectionsTable")]),
        Defect("TTL disabled", [Edit("        Enabled: true", "        Enabled: false")],
               [Expected("stack-connections-ttl", 105, 18, "ConnectionsTable")]),
        Defect("no TTL", [Edit(ttl, "")], [Expected("stack-connections-ttl", 79, 3, "ConnectionsTable")]),
        Defect("no index on connectionId", [Edit(index, "")], [Expected("stack-connections-index", 79, 3, "ConnectionsTable")]),
        Defect("presence.update renamed", [Edit("      RouteKey: presence.update\n", "      RouteKey: presence.set\n")],
               [Expected("stack-route-missing", 69, 3, "WebSocketApi")]),
        Defect("$default renamed", [Edit("      RouteKey: $default\n", "      RouteKey: chat.ping\n")],
               [Expected("stack-default-route-missing", 69, 3, "WebSocketApi")]),
        Defect("chat.send without ManageConnections",
               [Edit("          TableName: !Ref SessionTableName\n" + post + "  ChatSendIntegration:", "          TableName: !Ref SessionTableName\n  ChatSendIntegration:")],
               [Expected("stack-handler-post", 280, 7, "ChatSendFunction")]),
        Defect("chat.send reading the chat table only",
               [Edit("      - DynamoDBCrudPolicy:\n          TableName: !Ref ChatTableName", "      - DynamoDBReadPolicy:\n          TableName: !Ref ChatTableName")],
               [Expected("stack-handler-table", 280, 7, "ChatSendFunction")]),
        Defect("presence.update reading the presence table only",
               [Edit("      - DynamoDBCrudPolicy:\n          TableName: !Ref PresenceTableName\n" + post + "  PresenceUpdateIntegration:",
                     "      - DynamoDBReadPolicy:\n          TableName: !Ref PresenceTableName\n" + post + "  PresenceUpdateIntegration:")],
               [Expected("stack-handler-table", 336, 7, "PresenceUpdateFunction")]),
        Defect("$connect reading the connections table only",
               [Edit("      - DynamoDBCrudPolicy:\n          TableName: !Ref ConnectionsTable\n      - DynamoDBCrudPolicy:\n          TableName: !Ref PresenceTableName\n      - DynamoDBReadPolicy:",
                     "      - DynamoDBReadPolicy:\n          TableName: !Ref ConnectionsTable\n      - DynamoDBCrudPolicy:\n          TableName: !Ref PresenceTableName\n      - DynamoDBReadPolicy:")],
               [Expected("stack-handler-table", 127, 7, "ConnectFunction")]),
        Defect("$disconnect with DynamoDBWritePolicy",
               [Edit(disconnectPolicies, disconnectPolicies.replacingOccurrences(of: "- DynamoDBCrudPolicy:\n          TableName: !Ref ConnectionsTable", with: "- DynamoDBWritePolicy:\n          TableName: !Ref ConnectionsTable"))],
               [Expected("stack-disconnect-delete", 178, 7, "DisconnectFunction")]),
        Defect("chat.send given the session table without a policy",
               [Edit("      - DynamoDBReadPolicy:\n          TableName: !Ref SessionTableName\n" + post + "  ChatSendIntegration:", post + "  ChatSendIntegration:")],
               [Expected("stack-handler-table", 280, 7, "ChatSendFunction")]),
        Defect("an https:// invoke URL", [Edit(invokeURL, "Value: !Sub https://${WebSocketApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${StageName}")],
               [Expected("stack-invoke-url", 402, 12, "WebSocketInvokeUrl")]),
        Defect("an invoke URL without stage", [Edit(invokeURL, "Value: !Sub wss://${WebSocketApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}")],
               [Expected("stack-invoke-url", 402, 12, "WebSocketInvokeUrl")]),
        Defect("an invoke URL naming the table", [Edit(invokeURL, "Value: !Sub wss://${ConnectionsTable}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${StageName}")],
               [Expected("stack-invoke-url", 402, 12, "WebSocketInvokeUrl")]),
        Defect("the invoke URL output renamed", [Edit("  WebSocketInvokeUrl:\n", "  WebSocketUrl:\n")],
               [Expected("stack-invoke-url-missing", 399, 1)]),
        Defect("a CodeUri folder that does not exist", [Edit("CodeUri: lambda/realtime/chat-send/", "CodeUri: lambda/realtime/chat_send/")],
               [Expected("stack-code-uri", 269, 16, "ChatSendFunction")]),
    ]

    static let nearMisses: [NearMiss] = [
        NearMiss("a protocol from a parameter", "stack-api-protocol", [Edit("ProtocolType: WEBSOCKET", "ProtocolType: !Ref Protocol")]),
        NearMiss("routing on ${request.body.action}", "stack-route-selection",
                 [Edit("RouteSelectionExpression: $request.body.action", "RouteSelectionExpression: ${request.body.action}")]),
        NearMiss("a malformed selection expression, which is the websocket family's", "stack-route-selection",
                 [Edit("RouteSelectionExpression: $request.body.action", "RouteSelectionExpression: $request.header.action")]),
        NearMiss("a connections table with a literal name", "stack-connections-table",
                 [Edit("      TableName: !Ref ConnectionsTableName\n", "      TableName: meno-connections\n")]),
        NearMiss("the key schema listed RANGE first", "stack-connections-keys",
                 [Edit(keySchema, "      - AttributeName: connectionId\n        KeyType: RANGE\n      - AttributeName: sessionId\n        KeyType: HASH")]),
        NearMiss("TTL enabled with a quoted 'true'", "stack-connections-ttl", [Edit("        Enabled: true", "        Enabled: 'true'")]),
        NearMiss("the connectionId index under another name", "stack-connections-index",
                 [Edit("IndexName: connectionId-index", "IndexName: byConnection")]),
        NearMiss("a route key from a parameter", "stack-route-missing", [Edit("RouteKey: presence.update", "RouteKey: !Ref PresenceRouteKey")]),
        NearMiss("the rendered $default route", "stack-default-route-missing", []),
        NearMiss("posting through AmazonAPIGatewayInvokeFullAccess", "stack-handler-post",
                 [Edit("          TableName: !Ref SessionTableName\n" + post + "  ChatSendIntegration:",
                       "          TableName: !Ref SessionTableName\n      - AmazonAPIGatewayInvokeFullAccess\n  ChatSendIntegration:")]),
        NearMiss("writing the chat table through an IAM statement on its ARN", "stack-handler-table",
                 [Edit("      - DynamoDBCrudPolicy:\n          TableName: !Ref ChatTableName",
                       "      - Statement:\n        - Effect: Allow\n          Action: [dynamodb:PutItem, dynamodb:Query]\n          Resource: !Sub arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${ChatTableName}")]),
        NearMiss("DynamoDBWritePolicy with DeleteItem granted beside it", "stack-disconnect-delete",
                 [Edit(disconnectPolicies, disconnectPolicies.replacingOccurrences(
                    of: "- DynamoDBCrudPolicy:\n          TableName: !Ref ConnectionsTable",
                    with: "- DynamoDBWritePolicy:\n          TableName: !Ref ConnectionsTable\n      - Statement:\n        - {Effect: Allow, Action: dynamodb:DeleteItem, Resource: !GetAtt ConnectionsTable.Arn}"))]),
        NearMiss("the session table read through AmazonDynamoDBReadOnlyAccess", "stack-handler-table-access",
                 [Edit("      - DynamoDBReadPolicy:\n          TableName: !Ref SessionTableName\n" + post + "  ChatSendIntegration:",
                       "      - AmazonDynamoDBReadOnlyAccess\n" + post + "  ChatSendIntegration:")]),
        NearMiss("an invoke URL from the API's endpoint", "stack-invoke-url",
                 [Edit(invokeURL, "Value: !Sub ${WebSocketApi.ApiEndpoint}/${StageName}")]),
        NearMiss("an invoke URL joined from pieces with the stage resource", "stack-invoke-url",
                 [Edit(invokeURL, "Value: !Join ['', ['wss://', !Ref WebSocketApi, '.execute-api.', !Ref 'AWS::Region', '.amazonaws.com/', !Ref WebSocketStage]]")]),
        NearMiss("the rendered WebSocketInvokeUrl", "stack-invoke-url-missing", []),
        NearMiss("a CodeUri in S3", "stack-code-uri", [Edit("CodeUri: lambda/realtime/chat-send/", "CodeUri: s3://bucket/chat-send.zip")]),
    ]

    @Test("A defect of the rendered stack gives exactly its located findings", arguments: defects)
    func defect(_ row: Defect) throws {
        let text = try #require(WebSocketFixture.mutated(row.edits), "an edit no longer matches the rendered stack")
        let diagnostics = validate(text, families: [.stack], existing: WebSocketFixture.handlerFolders)
        #expect(diagnostics.map(Expected.init) == row.expected)
        #expect(diagnostics.allSatisfy { $0.family == .stack && !$0.message.isEmpty && $0.path != nil })
    }

    @Test("A correct variant of the rendered stack gives no finding", arguments: nearMisses)
    func nearMiss(_ row: NearMiss) throws {
        let text = try #require(WebSocketFixture.mutated(row.edits), "an edit no longer matches the rendered stack")
        let diagnostics = validate(text, families: [.stack], existing: WebSocketFixture.handlerFolders)
        #expect(findings(row.rule, in: diagnostics).isEmpty)
        #expect(diagnostics.map(Expected.init) == [])
    }

    @Test("The rendered stack with its handler folders gives no finding from either family")
    func rendered() {
        let diagnostics = validate(WebSocketFixture.rendered, families: [.websocket, .stack], existing: WebSocketFixture.handlerFolders)
        #expect(diagnostics.map(\.description) == [])
    }

    @Test("Every handler folder of the rendered stack is looked up under the template's folder")
    func folders() {
        let diagnostics = validate(WebSocketFixture.rendered, families: [.stack], existing: [])
        #expect(diagnostics.map(\.rule.id) == Array(repeating: "stack-code-uri", count: 5))
        #expect(diagnostics.first?.message == "'ConnectFunction' has CodeUri 'lambda/realtime/connect/', but no such folder exists beside the template, so sam build fails; create the folder or fix the path")
        #expect(validate(WebSocketFixture.rendered, families: [.stack], existing: [], directory: nil).isEmpty)
    }

    @Test("Messages name the table, the handler and the fix")
    func messages() throws {
        let text = try #require(WebSocketFixture.mutated([
            Edit("      - DynamoDBCrudPolicy:\n          TableName: !Ref ChatTableName", "      - DynamoDBReadPolicy:\n          TableName: !Ref ChatTableName"),
        ]))
        #expect(validate(text, families: [.stack], existing: WebSocketFixture.handlerFolders).map(\.message) == [
            "'ChatSendFunction' handles 'chat.send' but cannot write the chat table, which the contract says it writes; add DynamoDBCrudPolicy with TableName: !Ref ChatTableName",
        ])
        let url = try #require(WebSocketFixture.mutated([Edit(Self.invokeURL, "Value: !Sub https://${WebSocketApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${StageName}")]))
        #expect(validate(url, families: [.stack], existing: WebSocketFixture.handlerFolders).map(\.message) == [
            "WebSocketInvokeUrl starts with https://, but clients connect with wss://; use !Sub wss://${WebSocketApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${StageName}",
        ])
    }

    // MARK: - Which templates are realtime stacks

    @Test("A WebSocket template of another team gets no stack finding")
    func otherTeams() {
        #expect(validate(WebSocketRulesTests.roleStyle, families: [.stack]).isEmpty)
        #expect(validate(WebSocketRulesTests.samStyle, families: [.stack]).isEmpty)
    }

    @Test("Metadata menort stack realtime makes a template a realtime stack with the default contract")
    func metadataMarker() {
        let text = "Metadata:\n  menort:\n    stack: realtime\n" + WebSocketRulesTests.roleStyle
        let rules = validate(text, families: [.stack]).map(\.rule.id)
        #expect(rules == ["stack-invoke-url-missing", "stack-connections-table", "stack-route-missing", "stack-route-missing",
                          "stack-route-missing", "stack-route-missing"])
    }

    @Test("Names alone (a ConnectionsTableName parameter, a CodeUri under lambda/realtime) do not make a realtime stack")
    func noGuessing() {
        let text = """
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              ConnectionsTableName: {Type: String}
            Resources:
              Api:
                Type: AWS::ApiGatewayV2::Api
                Properties: {Name: x, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.type}
              Fn:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: ./lambda/realtime/connect/, Handler: index.handler, Runtime: nodejs20.x}
            """
        #expect(validate(text, families: [.stack], existing: []).isEmpty)
        // The same template, opted in, is checked.
        let optedIn = text + "\nMetadata:\n  menort:\n    stack: realtime\n"
        let diagnostics = validate(optedIn, families: [.stack], existing: ["/stack/./lambda/realtime/connect/"])
        #expect(findings("stack-route-selection", in: diagnostics).map(Expected.init) == [Expected("stack-route-selection", 7, 78, "Api")])
    }

    @Test("A menort block holding only ignore does not opt in")
    func ignoreOnly() {
        let text = "Metadata:\n  menort:\n    ignore: [refs-unused-parameter]\n" + WebSocketRulesTests.roleStyle
        #expect(validate(text, families: [.stack]).isEmpty)
    }

    @Test("The contract declared in the template is checked, not the default one")
    func declaredContract() throws {
        // The rendered stack declares presence.update; dropping it from the contract (but not
        // the template) leaves nothing to report, and declaring typing.start, which the
        // template lacks, is reported.
        let text = try #require(WebSocketFixture.mutated([
            Edit("      presence.update:\n        handler: presence-update\n", "      typing.start:\n        handler: typing-start\n"),
        ]))
        let diagnostics = validate(text, families: [.stack], existing: WebSocketFixture.handlerFolders)
        #expect(diagnostics.map(Expected.init) == [Expected("stack-route-missing", 69, 3, "WebSocketApi")])
        #expect(diagnostics.first?.message == "API 'WebSocketApi' has no 'typing.start' route, which the contract declares; add the route with its integration, function and permission")
    }

    @Test("A contract block that cannot be read is one located warning, and nothing else is checked")
    func unreadableContract() throws {
        let text = try #require(WebSocketFixture.mutated([Edit("    stack: realtime\n", "    stack: realtime\n    flavour: spicy\n")]))
        let diagnostics = validate(text, families: [.stack], existing: WebSocketFixture.handlerFolders)
        #expect(diagnostics.map(Expected.init) == [Expected("stack-contract", 418, 5)])
        #expect(diagnostics.first?.severity == .warning)
        #expect(diagnostics.first?.message == "unknown key 'flavour' in Metadata: menort: (expected one of: stack, routes, ignore); the realtime contract is not checked")
    }

    @Test("Every rule has the stack- prefix, a title and an explanation, and can be looked up")
    func ruleCatalog() {
        let ids = StackRules.rules.map(\.id)
        #expect(Set(ids).count == ids.count)
        for rule in StackRules.rules {
            #expect(rule.id.hasPrefix("stack-") && rule.family == .stack)
            #expect(!rule.title.isEmpty && rule.explanation.count > 80)
            #expect(Validator.rule(rule.id) == rule)
        }
    }

    @Test("No template of the corpus is taken for a realtime stack",
          .enabled(if: WebSocketFixture.corpus != nil, "MENORT_CORPUS names no corpus folder: corpus check skipped"))
    func corpus() {
        let files = WebSocketFixture.corpusFiles("sam/output") { $0.hasSuffix(".json") }
            + WebSocketFixture.corpusFiles("sam/input") { $0.hasSuffix(".yaml") }
            + WebSocketFixture.corpusFiles("cfn-lint/good") { _ in true }
        #expect(files.count > 1000)
        for file in files {
            #expect(WebSocketFixture.validateFile(file, families: [.stack]).isEmpty, "\(file)")
        }
    }
}
