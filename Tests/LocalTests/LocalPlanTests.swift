import Foundation
import Local
import Testing
import Validation
import YAML

/// A template read by `LocalPlan.read` in a fresh folder holding the code folders it names.
enum PlanFixture {
    /// The repository's root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The realtime stack as `menort render` writes it (`Tests/Fixtures/local-plan/`).
    static let realtime: String = (try? String(contentsOfFile: root + "/Tests/Fixtures/local-plan/realtime.template.yaml", encoding: .utf8)) ?? ""

    /// The realtime stack's handler folders.
    static let realtimeFolders = ["connect", "disconnect", "default", "chat-send", "presence-update"].map { "lambda/realtime/\($0)" }

    /// Parameter values as `ParameterValues.resolve` hands them over (defaults included).
    static let realtimeParameters = [
        "ServiceName": "meno-realtime", "StageName": "prod", "ChatTableName": "meno-chat", "PresenceTableName": "meno-presence",
        "SessionTableName": "meno-sessions", "ConnectionsTableName": "meno-connections", "LambdaTimeout": "10",
    ]

    /// Reads `yaml` as `template.yaml` in a new folder where exactly `folders` exist; the
    /// folder is removed afterwards. `body` gets the result and the folder's path.
    static func read<T>(_ yaml: String, folders: [String], parameters: [String: String],
                        _ body: (Result<LocalPlan, LocalRefusals>, String) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("menort-local-plan-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for folder in folders {
            try FileManager.default.createDirectory(atPath: directory + "/" + folder, withIntermediateDirectories: true)
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let root = try #require(try YAML.Parser.parse(yaml))
        let template = SourceTemplate(file: "template.yaml", root: root)
        let settings = LocalSettings(templateDirectory: directory, authority: "127.0.0.1:3001", parameters: parameters)
        return try body(LocalPlan.read(template, settings: settings), directory)
    }

    /// The plan of `yaml`, which must be servable.
    static func plan(_ yaml: String, folders: [String] = sampleFolders, parameters: [String: String] = sampleParameters) throws -> (LocalPlan, String) {
        try read(yaml, folders: folders, parameters: parameters) { result, directory in
            switch result {
            case .success(let plan): return (plan, directory)
            case .failure(let refusals):
                Issue.record("refused: \(refusals.refusals.map(\.description))")
                throw refusals
            }
        }
    }

    /// The refusals of `yaml`, which must not be servable; `{dir}` in messages stands for the folder.
    static func refusals(_ yaml: String, folders: [String] = sampleFolders, parameters: [String: String] = sampleParameters) throws -> [LocalRefusal] {
        try read(yaml, folders: folders, parameters: parameters) { result, directory in
            switch result {
            case .success: return []
            case .failure(let refusals):
                return refusals.refusals.map { refusal in
                    var refusal = refusal
                    refusal.message = refusal.message.replacingOccurrences(of: directory, with: "{dir}")
                    return refusal
                }
            }
        }
    }

    static let sampleFolders = ["src/send", "connect"]
    static let sampleParameters = ["Stage": "dev"]

    /// A small chat API: a SAM function with Globals (two-way `chat.send`) and a plain
    /// `AWS::Lambda::Function` (`$connect`), a table and a SAM simple table. Line numbers
    /// matter: the refusal table points into this text.
    static let sample = """
        AWSTemplateFormatVersion: '2010-09-09'
        Transform: AWS::Serverless-2016-10-31
        Parameters:
          Stage:
            Type: String
        Globals:
          Function:
            Runtime: python3.12
            Handler: app.handler
            Timeout: 7
            Environment:
              Variables:
                SHARED: from-globals
                OVERRIDDEN: from-globals
                REMOVED: from-globals
        Resources:
          Api:
            Type: AWS::ApiGatewayV2::Api
            Properties:
              Name: chat
              ProtocolType: WEBSOCKET
              RouteSelectionExpression: $request.body.action
          ApiStage:
            Type: AWS::ApiGatewayV2::Stage
            Properties:
              ApiId: !Ref Api
              StageName: !Ref Stage
              AutoDeploy: true
          Messages:
            Type: AWS::DynamoDB::Table
            Properties:
              TableName: !Sub ${AWS::StackName}-messages
              AttributeDefinitions:
                - AttributeName: room
                  AttributeType: S
                - AttributeName: sentAt
                  AttributeType: N
              KeySchema:
                - AttributeName: room
                  KeyType: HASH
                - AttributeName: sentAt
                  KeyType: RANGE
              ProvisionedThroughput:
                ReadCapacityUnits: 5
                WriteCapacityUnits: '2'
              StreamSpecification:
                StreamViewType: NEW_IMAGE
              TimeToLiveSpecification:
                AttributeName: expiresAt
                Enabled: true
          Sessions:
            Type: AWS::Serverless::SimpleTable
            Properties:
              PrimaryKey:
                Name: sessionId
                Type: Number
          SendFunction:
            Type: AWS::Serverless::Function
            Properties:
              CodeUri: src/send/
              Environment:
                Variables:
                  OVERRIDDEN: mine
                  REMOVED: !Ref AWS::NoValue
                  TABLE: !Ref Messages
                  TABLE_ARN: !GetAtt Messages.Arn
                  SESSIONS: !Ref Sessions
                  STAGE: !Ref Stage
                  WHERE: !Sub ${AWS::AccountId}/${AWS::Region}/${AWS::Partition}/${AWS::URLSuffix}
                  ENDPOINT: !Sub https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${Stage}
                  CLIENT_URL: !Sub wss://${Api}.execute-api.${AWS::Region}.amazonaws.com/${Stage}
                  CONNECT_ARN: !GetAtt ConnectFunction.Arn
                  COUNT: 42
          SendIntegration:
            Type: AWS::ApiGatewayV2::Integration
            Properties:
              ApiId: !Ref Api
              IntegrationType: AWS_PROXY
              IntegrationUri: !Sub arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${SendFunction.Arn}/invocations
          SendRoute:
            Type: AWS::ApiGatewayV2::Route
            Properties:
              ApiId: !Ref Api
              RouteKey: chat.send
              Target: !Sub integrations/${SendIntegration}
          SendRouteResponse:
            Type: AWS::ApiGatewayV2::RouteResponse
            Properties:
              ApiId: !Ref Api
              RouteId: !Ref SendRoute
              RouteResponseKey: $default
          ConnectFunction:
            Type: AWS::Lambda::Function
            Properties:
              FunctionName: on-connect
              Code: ./connect
              Handler: index.handler
              Runtime: nodejs22.x
              MemorySize: 512
              Role: arn:aws:iam::123456789012:role/connect
              Environment:
                Variables:
                  MESSAGES: !Ref Messages
          ConnectIntegration:
            Type: AWS::ApiGatewayV2::Integration
            Properties:
              ApiId: !Ref Api
              IntegrationType: AWS_PROXY
              IntegrationUri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${ConnectFunction.Arn}/invocations
          ConnectRoute:
            Type: AWS::ApiGatewayV2::Route
            Properties:
              ApiId: !Ref Api
              RouteKey: $connect
              Target: !Join ['/', [integrations, !Ref ConnectIntegration]]

        """

    /// `sample` with each `old` (which must occur exactly once) replaced by `new`.
    static func edited(_ edits: [(String, String)]) throws -> String {
        var text = sample
        for (old, new) in edits {
            try #require(text.components(separatedBy: old).count == 2, "'\(old)' does not occur exactly once in the sample")
            text = text.replacingOccurrences(of: old, with: new)
        }
        return text
    }
}

@Suite("local plan")
struct LocalPlanTests {
    /// The plan's routes as `key → function`, sorted, two-way ones marked.
    static func routes(_ plan: LocalPlan) -> [String] {
        plan.routes.values.map { route in
            #expect(plan.routes[route.key]?.key == route.key)
            return "\(route.key) → \(route.function)\(route.twoWay ? " (two-way)" : "")"
        }.sorted()
    }

    // MARK: - The rendered realtime stack

    @Test("the rendered realtime stack serves its five routes, one function each, none two-way")
    func realtimeRoutes() throws {
        let (plan, _) = try PlanFixture.plan(PlanFixture.realtime, folders: PlanFixture.realtimeFolders, parameters: PlanFixture.realtimeParameters)
        #expect(plan.api == "WebSocketApi")
        #expect(Self.routes(plan) == [
            "$connect → ConnectFunction", "$default → DefaultFunction", "$disconnect → DisconnectFunction",
            "chat.send → ChatSendFunction", "presence.update → PresenceUpdateFunction",
        ])
        #expect(plan.selectionPath == ["action"])
        #expect(plan.stage == "prod")
        #expect(plan.notes == [])
    }

    @Test("the rendered stack's stage follows the StageName parameter")
    func realtimeStageFromParameter() throws {
        var parameters = PlanFixture.realtimeParameters
        parameters["StageName"] = "staging"
        let (plan, _) = try PlanFixture.plan(PlanFixture.realtime, folders: PlanFixture.realtimeFolders, parameters: parameters)
        #expect(plan.stage == "staging")
        #expect(plan.functions["DefaultFunction"]?.environment.first { $0.0 == "MANAGEMENT_ENDPOINT" }?.1 == "http://127.0.0.1:3001/staging")
    }

    @Test("the rendered stack's functions take Globals' runtime, handler, timeout and memory, and their own code folder")
    func realtimeFunctions() throws {
        let (plan, directory) = try PlanFixture.plan(PlanFixture.realtime, folders: PlanFixture.realtimeFolders, parameters: PlanFixture.realtimeParameters)
        #expect(plan.functions.keys.sorted() == ["ChatSendFunction", "ConnectFunction", "DefaultFunction", "DisconnectFunction", "PresenceUpdateFunction"])
        let folders = ["ConnectFunction": "connect", "DisconnectFunction": "disconnect", "DefaultFunction": "default",
                       "ChatSendFunction": "chat-send", "PresenceUpdateFunction": "presence-update"]
        for (id, folder) in folders {
            let function = try #require(plan.functions[id])
            #expect(function.id == id)
            #expect(function.name == "menort-local-\(id)")
            #expect(function.runtimeName == "nodejs24.x")
            #expect(function.runtime == .node)
            #expect(function.handler == "index.handler")
            // `CodeUri: lambda/realtime/connect/`: absolute, without the trailing slash.
            #expect(function.codeDirectory == "\(directory)/lambda/realtime/\(folder)")
            #expect(function.timeout == 10)
            #expect(function.memory == 256)
        }
    }

    @Test("the rendered stack's environments: table names from Ref, parameters, and the management endpoint pointed locally")
    func realtimeEnvironment() throws {
        let (plan, _) = try PlanFixture.plan(PlanFixture.realtime, folders: PlanFixture.realtimeFolders, parameters: PlanFixture.realtimeParameters)
        func environment(_ id: String) -> [String] { plan.functions[id]?.environment.map { "\($0.0)=\($0.1)" } ?? [] }
        #expect(environment("ConnectFunction") == [
            "CONNECTIONS_TABLE_NAME=meno-connections", "CONNECTIONS_INDEX_NAME=connectionId-index",
            "PRESENCE_TABLE_NAME=meno-presence", "SESSION_TABLE_NAME=meno-sessions",
        ])
        #expect(environment("DisconnectFunction") == [
            "CONNECTIONS_TABLE_NAME=meno-connections", "CONNECTIONS_INDEX_NAME=connectionId-index",
            "PRESENCE_TABLE_NAME=meno-presence", "MANAGEMENT_ENDPOINT=http://127.0.0.1:3001/prod",
        ])
        #expect(environment("DefaultFunction") == ["MANAGEMENT_ENDPOINT=http://127.0.0.1:3001/prod"])
        #expect(environment("ChatSendFunction") == [
            "CONNECTIONS_TABLE_NAME=meno-connections", "CONNECTIONS_INDEX_NAME=connectionId-index", "CHAT_TABLE_NAME=meno-chat",
            "SESSION_TABLE_NAME=meno-sessions", "MANAGEMENT_ENDPOINT=http://127.0.0.1:3001/prod",
        ])
        #expect(environment("PresenceUpdateFunction") == [
            "CONNECTIONS_TABLE_NAME=meno-connections", "CONNECTIONS_INDEX_NAME=connectionId-index",
            "PRESENCE_TABLE_NAME=meno-presence", "MANAGEMENT_ENDPOINT=http://127.0.0.1:3001/prod",
        ])
    }

    @Test("the rendered stack's connections table becomes its CreateTable request, with the TTL attribute beside it")
    func realtimeTable() throws {
        let (plan, _) = try PlanFixture.plan(PlanFixture.realtime, folders: PlanFixture.realtimeFolders, parameters: PlanFixture.realtimeParameters)
        #expect(plan.tables.map(\.id) == ["ConnectionsTable"])
        let table = try #require(plan.tables.first)
        #expect(table.name == "meno-connections")
        #expect(table.timeToLiveAttribute == "expiresAt")
        // SSESpecification and TimeToLiveSpecification are not CreateTable members.
        #expect(table.createRequest.text == """
            {"TableName":"meno-connections",\
            "AttributeDefinitions":[{"AttributeName":"sessionId","AttributeType":"S"},{"AttributeName":"connectionId","AttributeType":"S"}],\
            "KeySchema":[{"AttributeName":"sessionId","KeyType":"HASH"},{"AttributeName":"connectionId","KeyType":"RANGE"}],\
            "GlobalSecondaryIndexes":[{"IndexName":"connectionId-index","KeySchema":[{"AttributeName":"connectionId","KeyType":"HASH"}],\
            "Projection":{"ProjectionType":"ALL"}}],\
            "BillingMode":"PAY_PER_REQUEST"}
            """)
    }

    @Test("the API id is ten lowercase letters and digits, the same on every read")
    func apiId() throws {
        let (first, _) = try PlanFixture.plan(PlanFixture.realtime, folders: PlanFixture.realtimeFolders, parameters: PlanFixture.realtimeParameters)
        let (second, _) = try PlanFixture.plan(PlanFixture.realtime, folders: PlanFixture.realtimeFolders, parameters: PlanFixture.realtimeParameters)
        #expect(first.apiId.count == 10)
        #expect(first.apiId.allSatisfy { ($0.isLetter && $0.isLowercase) || $0.isNumber })
        #expect(first.apiId == second.apiId)
        let (sample, _) = try PlanFixture.plan(PlanFixture.sample)
        #expect(sample.apiId != first.apiId)
    }

    // MARK: - Routes, selection, stage

    @Test("a route with an AWS::ApiGatewayV2::RouteResponse is two-way; one without is not")
    func twoWay() throws {
        let (plan, _) = try PlanFixture.plan(PlanFixture.sample)
        #expect(Self.routes(plan) == ["$connect → ConnectFunction", "chat.send → SendFunction (two-way)"])
    }

    @Test("a RouteResponse naming its route with GetAtt RouteId makes it two-way too")
    func twoWayThroughGetAtt() throws {
        let text = try PlanFixture.edited([("RouteId: !Ref SendRoute", "RouteId: !GetAtt SendRoute.RouteId")])
        let (plan, _) = try PlanFixture.plan(text)
        #expect(plan.routes["chat.send"]?.twoWay == true)
    }

    @Test("the selection path is the body field after $request.body.", arguments: [
        ("$request.body.action", ["action"]),
        ("$request.body.type", ["type"]),
        ("$request.body.a.b", ["a", "b"]),
        ("$request.body.message.meta.kind", ["message", "meta", "kind"]),
        ("${request.body.action}", ["action"]),
        ("${request.body.a.b}", ["a", "b"]),
    ])
    func selectionPath(_ expression: String, _ path: [String]) throws {
        let text = try PlanFixture.edited([("RouteSelectionExpression: $request.body.action", "RouteSelectionExpression: '\(expression)'")])
        let (plan, _) = try PlanFixture.plan(text)
        #expect(plan.selectionPath == path)
    }

    @Test("a selection expression from a parameter is read with the parameter's value")
    func selectionFromParameter() throws {
        let text = try PlanFixture.edited([
            ("  Stage:\n    Type: String\n", "  Stage:\n    Type: String\n  Selection:\n    Type: String\n"),
            ("RouteSelectionExpression: $request.body.action", "RouteSelectionExpression: !Ref Selection"),
        ])
        let (plan, _) = try PlanFixture.plan(text, parameters: ["Stage": "dev", "Selection": "$request.body.op"])
        #expect(plan.selectionPath == ["op"])
    }

    @Test("the stage is the Stage resource's StageName, read through a parameter")
    func stageFromParameter() throws {
        let (plan, _) = try PlanFixture.plan(PlanFixture.sample, parameters: ["Stage": "blue"])
        #expect(plan.stage == "blue")
        let literal = try PlanFixture.edited([("StageName: !Ref Stage", "StageName: v1")])
        #expect(try PlanFixture.plan(literal).0.stage == "v1")
    }

    @Test("without a Stage resource the API is served at stage 'local', said in a note")
    func noStage() throws {
        let text = try PlanFixture.edited([("""
              ApiStage:
                Type: AWS::ApiGatewayV2::Stage
                Properties:
                  ApiId: !Ref Api
                  StageName: !Ref Stage
                  AutoDeploy: true

            """, "")])
        let (plan, _) = try PlanFixture.plan(text)
        #expect(plan.stage == "local")
        #expect(plan.notes == ["the template has no AWS::ApiGatewayV2::Stage for Api; serving it at stage 'local'"])
    }

    @Test("a StageName that cannot be read is served at 'local', and the note names the stage, not a missing one")
    func unreadableStage() throws {
        let text = try PlanFixture.edited([("StageName: !Ref Stage", "StageName: !ImportValue shared-stage")])
        let (plan, _) = try PlanFixture.plan(text)
        #expect(plan.stage == "local")
        #expect(plan.notes.contains("ApiStage: StageName cannot be read without deploying; serving Api at stage 'local'"))
        #expect(!plan.notes.contains { $0.contains("has no AWS::ApiGatewayV2::Stage") })
    }

    @Test("a second WebSocket API is not served, and a note says which one is")
    func secondAPI() throws {
        let text = try PlanFixture.edited([("  ApiStage:\n", """
              OtherApi:
                Type: AWS::ApiGatewayV2::Api
                Properties:
                  Name: other
                  ProtocolType: WEBSOCKET
                  RouteSelectionExpression: $request.body.action
              ApiStage:

            """)])
        let (plan, _) = try PlanFixture.plan(text)
        #expect(plan.api == "Api")
        #expect(plan.notes == ["serving Api, the first of 2 WebSocket APIs (Api, OtherApi)"])
    }

    // MARK: - Functions and their environment

    @Test("a SAM function takes Globals under its own properties, and its code folder from CodeUri")
    func samFunction() throws {
        let (plan, directory) = try PlanFixture.plan(PlanFixture.sample)
        let function = try #require(plan.functions["SendFunction"])
        #expect(function.name == "menort-local-SendFunction")
        #expect(function.runtimeName == "python3.12")
        #expect(function.runtime == .python)
        #expect(function.handler == "app.handler")
        #expect(function.codeDirectory == directory + "/src/send")
        #expect(function.timeout == 7)
        #expect(function.memory == 128)
    }

    @Test("a plain AWS::Lambda::Function runs from Code: ./folder, with its FunctionName and no Globals")
    func plainFunction() throws {
        let (plan, directory) = try PlanFixture.plan(PlanFixture.sample)
        let function = try #require(plan.functions["ConnectFunction"])
        #expect(function.name == "on-connect")
        #expect(function.runtimeName == "nodejs22.x")
        #expect(function.runtime == .node)
        #expect(function.handler == "index.handler")
        // `Code: ./connect`: the folder beside the template.
        #expect(function.codeDirectory == directory + "/connect")
        // Lambda's default timeout; Globals (SAM's) do not reach a plain function.
        #expect(function.timeout == 3)
        #expect(function.memory == 512)
        #expect(function.environment.map { "\($0.0)=\($0.1)" } == ["MESSAGES=menort-local-messages"])
    }

    @Test("environment values resolve: Globals merged under the function's own, AWS::NoValue dropping a Globals variable")
    func environmentMerge() throws {
        let (plan, _) = try PlanFixture.plan(PlanFixture.sample)
        let environment = try #require(plan.functions["SendFunction"]?.environment)
        #expect(environment.map(\.0) == [
            "SHARED", "OVERRIDDEN", "TABLE", "TABLE_ARN", "SESSIONS", "STAGE", "WHERE", "ENDPOINT", "CLIENT_URL", "CONNECT_ARN", "COUNT",
        ])
        let values = Dictionary(environment, uniquingKeysWith: { first, _ in first })
        #expect(values["SHARED"] == "from-globals")
        #expect(values["OVERRIDDEN"] == "mine")
        #expect(values["REMOVED"] == nil)
    }

    @Test("Ref of a table is its TableName, resolved; of a SimpleTable without one, the generated name")
    func refTable() throws {
        let (plan, _) = try PlanFixture.plan(PlanFixture.sample)
        let values = Dictionary(try #require(plan.functions["SendFunction"]?.environment), uniquingKeysWith: { first, _ in first })
        #expect(values["TABLE"] == "menort-local-messages")
        #expect(values["SESSIONS"] == "menort-local-Sessions")
    }

    @Test("GetAtt Table.Arn and Function.Arn are ARNs in the plan's region and account")
    func getAttArns() throws {
        let (plan, _) = try PlanFixture.plan(PlanFixture.sample)
        let values = Dictionary(try #require(plan.functions["SendFunction"]?.environment), uniquingKeysWith: { first, _ in first })
        #expect(values["TABLE_ARN"] == "arn:aws:dynamodb:us-east-1:123456789012:table/menort-local-messages")
        #expect(values["CONNECT_ARN"] == "arn:aws:lambda:us-east-1:123456789012:function:on-connect")
    }

    @Test("Sub resolves pseudo parameters and parameters; numbers stay their text")
    func subPseudoParameters() throws {
        let (plan, _) = try PlanFixture.plan(PlanFixture.sample)
        let values = Dictionary(try #require(plan.functions["SendFunction"]?.environment), uniquingKeysWith: { first, _ in first })
        #expect(values["WHERE"] == "123456789012/us-east-1/aws/amazonaws.com")
        #expect(values["STAGE"] == "dev")
        #expect(values["COUNT"] == "42")
    }

    @Test("the API's https:// and wss:// endpoints point at the local gateway as http:// and ws://, stage kept")
    func endpointsPointedLocally() throws {
        let (plan, _) = try PlanFixture.plan(PlanFixture.sample)
        let values = Dictionary(try #require(plan.functions["SendFunction"]?.environment), uniquingKeysWith: { first, _ in first })
        #expect(values["ENDPOINT"] == "http://127.0.0.1:3001/dev")
        #expect(values["CLIENT_URL"] == "ws://127.0.0.1:3001/dev")
    }

    @Test("a value menort cannot know is left unset, with a note naming the function and variable")
    func unknowableValue() throws {
        let text = try PlanFixture.edited([("          COUNT: 42\n", "          COUNT: 42\n          SHARED_URL: !ImportValue shared-url\n")])
        let (plan, _) = try PlanFixture.plan(text)
        #expect(plan.functions["SendFunction"]?.environment.contains { $0.0 == "SHARED_URL" } == false)
        #expect(plan.notes == ["SendFunction: environment variable SHARED_URL uses !ImportValue shared-url, which menort local cannot evaluate; it is left unset"])
    }

    @Test("only functions some route reaches are planned")
    func unroutedFunction() throws {
        let text = try PlanFixture.edited([("  ConnectIntegration:\n", """
              Unused:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: nowhere/
                  Runtime: java21
              ConnectIntegration:

            """)])
        let (plan, _) = try PlanFixture.plan(text)
        #expect(plan.functions.keys.sorted() == ["ConnectFunction", "SendFunction"])
    }

    // MARK: - Tables

    @Test("a table with provisioned throughput: numbers stay numbers, quoted ones too; streams enabled; no billing mode added")
    func provisionedTable() throws {
        let (plan, _) = try PlanFixture.plan(PlanFixture.sample)
        let table = try #require(plan.tables.first { $0.id == "Messages" })
        #expect(table.name == "menort-local-messages")
        #expect(table.timeToLiveAttribute == "expiresAt")
        #expect(table.createRequest.text == """
            {"TableName":"menort-local-messages",\
            "AttributeDefinitions":[{"AttributeName":"room","AttributeType":"S"},{"AttributeName":"sentAt","AttributeType":"N"}],\
            "KeySchema":[{"AttributeName":"room","KeyType":"HASH"},{"AttributeName":"sentAt","KeyType":"RANGE"}],\
            "ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":2},\
            "StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"}}
            """)
    }

    @Test("capacity from a Number parameter is written as a number")
    func capacityFromParameter() throws {
        let text = try PlanFixture.edited([
            ("  Stage:\n    Type: String\n", "  Stage:\n    Type: String\n  Reads:\n    Type: Number\n"),
            ("ReadCapacityUnits: 5", "ReadCapacityUnits: !Ref Reads"),
        ])
        let (plan, _) = try PlanFixture.plan(text, parameters: ["Stage": "dev", "Reads": "25"])
        let request = try #require(plan.tables.first { $0.id == "Messages" }?.createRequest)
        #expect(request["ProvisionedThroughput"]?["ReadCapacityUnits"] == .number("25"))
    }

    @Test("a SAM SimpleTable becomes a one-key on-demand table")
    func simpleTable() throws {
        let (plan, _) = try PlanFixture.plan(PlanFixture.sample)
        let table = try #require(plan.tables.first { $0.id == "Sessions" })
        #expect(table.name == "menort-local-Sessions")
        #expect(table.timeToLiveAttribute == nil)
        #expect(table.createRequest.text == """
            {"TableName":"menort-local-Sessions",\
            "AttributeDefinitions":[{"AttributeName":"sessionId","AttributeType":"N"}],\
            "KeySchema":[{"AttributeName":"sessionId","KeyType":"HASH"}],\
            "BillingMode":"PAY_PER_REQUEST"}
            """)
    }

    @Test("a TTL specification that is not enabled gives no TTL attribute")
    func disabledTTL() throws {
        let text = try PlanFixture.edited([("        AttributeName: expiresAt\n        Enabled: true", "        AttributeName: expiresAt\n        Enabled: false")])
        let (plan, _) = try PlanFixture.plan(text)
        #expect(plan.tables.first { $0.id == "Messages" }?.timeToLiveAttribute == nil)
    }

    // MARK: - Refusals

    /// A one-edit variant of the sample that cannot be served, and every refusal it gives.
    struct Refused: CustomTestStringConvertible, Sendable {
        let name: String
        let edits: [(String, String)]
        let expected: [String]
        var testDescription: String { name }

        init(_ name: String, _ edits: [(String, String)], _ expected: [String]) {
            self.name = name
            self.edits = edits
            self.expected = expected
        }
    }

    static let selection = "RouteSelectionExpression must be $request.body.<field> for menort local to choose routes (API Gateway's only documented form for WebSocket APIs)"
    static let notAFolder = "must be a local folder for menort local (an S3 location or inline code is what `sam package` or `aws cloudformation package` writes, not source)"
    static let sendURI = "      IntegrationUri: !Sub arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${SendFunction.Arn}/invocations\n"

    /// Rows: `line:column [logical id] message`, as `LocalRefusal.description` locates them.
    static let refused: [Refused] = [
        Refused("no WebSocket API", [("ProtocolType: WEBSOCKET", "ProtocolType: HTTP")],
                ["17:3 [-] the template has no AWS::ApiGatewayV2::Api with ProtocolType WEBSOCKET to serve"]),
        Refused("a selection expression on a header", [("$request.body.action", "$request.header.action")],
                ["22:33 [Api] \(selection)"]),
        Refused("a selection expression with no field", [("$request.body.action", "$request.body.")],
                ["22:33 [Api] \(selection)"]),
        Refused("a selection expression with an empty segment", [("$request.body.action", "$request.body.a..b")],
                ["22:33 [Api] \(selection)"]),
        Refused("a selection expression with a JSONPath index", [("$request.body.action", "$request.body.items[0]")],
                ["22:33 [Api] \(selection)"]),
        Refused("a selection expression on the whole body", [("$request.body.action", "$request.body")],
                ["22:33 [Api] \(selection)"]),
        Refused("a MOCK integration", [("      IntegrationType: AWS_PROXY\n" + sendURI, "      IntegrationType: MOCK\n")],
                ["78:24 [SendIntegration] IntegrationType MOCK is not served: menort local runs Lambda proxy integrations (AWS_PROXY) only"]),
        Refused("an HTTP_PROXY integration", [("      IntegrationType: AWS_PROXY\n" + sendURI, "      IntegrationType: HTTP_PROXY\n      IntegrationUri: https://example.com/chat\n")],
                ["78:24 [SendIntegration] IntegrationType HTTP_PROXY is not served: menort local runs Lambda proxy integrations (AWS_PROXY) only"]),
        Refused("a non-proxy AWS integration of the function", [("      IntegrationType: AWS_PROXY\n" + sendURI, "      IntegrationType: AWS\n" + sendURI)],
                ["78:24 [SendIntegration] IntegrationType AWS is not served: menort local runs Lambda proxy integrations (AWS_PROXY) only"]),
        Refused("a route without Target", [("      Target: !Sub integrations/${SendIntegration}\n", "")],
                ["80:3 [SendRoute] route 'chat.send' has no Target: nothing to invoke (API Gateway answers such a route with an error)"]),
        Refused("a Target naming an integration id menort cannot know", [("Target: !Sub integrations/${SendIntegration}", "Target: integrations/abc123")],
                ["85:15 [SendRoute] route 'chat.send': its Target does not lead to a Lambda function of this template through an AWS_PROXY integration"]),
        Refused("a RouteKey from a parameter", [("RouteKey: chat.send", "RouteKey: !Ref Stage")],
                ["84:17 [SendRoute] the route's RouteKey cannot be read without deploying"]),
        Refused("a missing code folder", [("CodeUri: src/send/", "CodeUri: src/gone/")],
                ["60:16 [SendFunction] the code folder src/gone/ does not exist (looked for {dir}/src/gone)"]),
        Refused("CodeUri as an S3 object", [("CodeUri: src/send/", "CodeUri: {Bucket: artifacts, Key: send.zip}")],
                ["60:16 [SendFunction] CodeUri \(notAFolder)"]),
        Refused("CodeUri as an s3:// URI", [("CodeUri: src/send/", "CodeUri: s3://artifacts/send.zip")],
                ["60:16 [SendFunction] CodeUri \(notAFolder)"]),
        Refused("InlineCode", [("CodeUri: src/send/", "InlineCode: 'def handler(event, context): pass'")],
                ["60:19 [SendFunction] InlineCode is not served: put the handler in a folder and name it in CodeUri"]),
        Refused("PackageType Image", [("CodeUri: src/send/", "PackageType: Image")],
                ["60:20 [SendFunction] container-image functions are not served: menort local runs zip functions with a local code folder"]),
        Refused("Code as inline ZipFile", [("Code: ./connect", "Code: {ZipFile: 'exports.handler = async () => ({})'}")],
                ["96:13 [ConnectFunction] Code \(notAFolder)"]),
        Refused("Code as an S3 object", [("Code: ./connect", "Code: {S3Bucket: artifacts, S3Key: connect.zip}")],
                ["96:13 [ConnectFunction] Code \(notAFolder)"]),
        Refused("a plain function without Code", [("      Code: ./connect\n", "")],
                ["92:3 [ConnectFunction] the function has no Code"]),
        Refused("a java21 function", [("Runtime: nodejs22.x", "Runtime: java21")],
                ["98:16 [ConnectFunction] runtime java21 has no interpreter in menort local, which runs nodejs* and python3.* functions"]),
        Refused("a provided.al2023 runtime from Globals", [("Runtime: python3.12", "Runtime: provided.al2023")],
                ["8:14 [SendFunction] runtime provided.al2023 has no interpreter in menort local, which runs nodejs* and python3.* functions"]),
        Refused("a plain function without Runtime", [("      Runtime: nodejs22.x\n", "")],
                ["92:3 [ConnectFunction] the function has no Runtime"]),
        Refused("a plain function without Handler", [("      Handler: index.handler\n", "")],
                ["92:3 [ConnectFunction] the function has no Handler"]),
        Refused("a SAM function without Handler anywhere", [("    Handler: app.handler\n", "")],
                ["56:3 [SendFunction] the function has no Handler"]),
        Refused("two faults, given in source order", [("Runtime: nodejs22.x", "Runtime: dotnet8"), ("$request.body.action", "$request.querystring.action")],
                ["22:33 [Api] \(selection)",
                 "98:16 [ConnectFunction] runtime dotnet8 has no interpreter in menort local, which runs nodejs* and python3.* functions"]),
    ]

    @Test("a template that cannot be served is refused with every located reason", arguments: refused)
    func refusal(_ row: Refused) throws {
        let refusals = try PlanFixture.refusals(try PlanFixture.edited(row.edits))
        #expect(refusals.map { "\($0.line):\($0.column) [\($0.logicalId ?? "-")] \($0.message)" } == row.expected)
        #expect(refusals.allSatisfy { $0.file == "template.yaml" })
    }

    @Test("two routes through one unservable integration give one refusal")
    func sharedIntegrationRefusedOnce() throws {
        let text = try PlanFixture.edited([
            ("      IntegrationType: AWS_PROXY\n" + Self.sendURI, "      IntegrationType: MOCK\n"),
            ("Target: !Join ['/', [integrations, !Ref ConnectIntegration]]", "Target: !Sub integrations/${SendIntegration}"),
        ])
        let refusals = try PlanFixture.refusals(text)
        #expect(refusals.map { "\($0.line):\($0.column) \($0.logicalId ?? "-")" } == ["78:24 SendIntegration"])
    }

    @Test("a refusal reads as validate's text output: file:line:column: error: Id: message [local]")
    func refusalDescription() {
        let refusal = LocalRefusal(file: "stack/template.yaml", at: Mark(line: 8, column: 14), logicalId: "SendFunction", message: "runtime java21 has no interpreter")
        #expect(refusal.description == "stack/template.yaml:8:14: error: SendFunction: runtime java21 has no interpreter [local]")
        let unlocated = LocalRefusal(file: "t.yaml", at: nil, logicalId: nil, message: "m")
        #expect(unlocated.description == "t.yaml:1:1: error: m [local]")
    }
}
