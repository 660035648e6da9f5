import Foundation
import Testing
import Validation

@Suite("schema rules")
struct SchemaRulesTests {
    typealias Edit = WebSocketFixture.Edit

    /// A one-edit defect of the rendered stack, the schema findings it must give, and a
    /// fragment of the first one's message.
    struct Defect: CustomTestStringConvertible, Sendable {
        let name: String
        let edits: [Edit]
        let expected: [Expected]
        let message: String
        var testDescription: String { name }

        init(_ name: String, _ edits: [Edit], _ expected: [Expected], _ message: String) {
            self.name = name
            self.edits = edits
            self.expected = expected
            self.message = message
        }
    }

    /// A variant of the rendered stack that CloudFormation accepts: the family stays silent.
    struct NearMiss: CustomTestStringConvertible, Sendable {
        let name: String
        let edits: [Edit]
        var testDescription: String { name }

        init(_ name: String, _ edits: [Edit]) {
            self.name = name
            self.edits = edits
        }
    }

    /// The Connect integration's type, written once in the rendered stack.
    static let connectIntegration = "      IntegrationType: AWS_PROXY\n      IntegrationUri: !Sub arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${ConnectFunction.Arn}/invocations"

    static func connectIntegration(type: String) -> Edit {
        Edit(connectIntegration, connectIntegration.replacingOccurrences(of: "AWS_PROXY", with: type))
    }

    static let defects: [Defect] = [
        Defect("an API without Name, which CreateApi requires though the schema does not", [Edit("      Name: !Sub ${ServiceName}-${StageName}\n", "")],
               [Expected("schema-required", 71, 5, "WebSocketApi")], "AWS::ApiGatewayV2::Api Properties: 'Name' is required by API Gateway's CreateApi unless the API is imported from Body or BodyS3Location"),
        Defect("an integration type outside API Gateway's values", [connectIntegration(type: "AWS_PROXYY")],
               [Expected("schema-enum", 137, 24, "ConnectIntegration")], "'AWS_PROXYY' is not one of AWS, HTTP, MOCK, HTTP_PROXY, AWS_PROXY (the service's API model); did you mean AWS_PROXY?"),
        Defect("an integration type in lower case", [connectIntegration(type: "aws_proxy")],
               [Expected("schema-enum-case", 137, 24, "ConnectIntegration")], "'aws_proxy' differs from AWS_PROXY only in case"),
        Defect("a route authorization type API Gateway does not have", [Edit("      RouteKey: $connect\n", "      RouteKey: $connect\n      AuthorizationType: IAM\n")],
               [Expected("schema-enum", 144, 26, "ConnectRoute")], "'IAM' is not one of NONE, AWS_IAM, CUSTOM, JWT (the service's API model)"),
        Defect("a misspelled top-level property", [Edit("RouteSelectionExpression: $request.body.action", "RouteSelectionExpresion: $request.body.action")],
               [Expected("schema-unknown-property", 75, 7, "WebSocketApi")], "has no property 'RouteSelectionExpresion'; did you mean 'RouteSelectionExpression'?"),
        Defect("a misspelled property inside a list item", [Edit("        AttributeType: S\n      - AttributeName: connectionId", "        AttributeTyp: S\n      - AttributeName: connectionId")],
               [Expected("schema-required", 87, 9, "ConnectionsTable"), Expected("schema-unknown-property", 88, 9, "ConnectionsTable")],
               "'AttributeDefinitions/0': required property 'AttributeType' is missing"),
        Defect("a billing mode outside the enum", [Edit("BillingMode: PAY_PER_REQUEST", "BillingMode: PAY_PER_REQEST")],
               [Expected("schema-enum", 85, 20, "ConnectionsTable")], "'PAY_PER_REQEST' is not one of PAY_PER_REQUEST, PROVISIONED; did you mean PAY_PER_REQUEST?"),
        Defect("a key type outside DynamoDB's values, inside the list branch of KeySchema's oneOf", [Edit("      - AttributeName: sessionId\n        KeyType: HASH", "      - AttributeName: sessionId\n        KeyType: HASHH")],
               [Expected("schema-enum", 93, 18, "ConnectionsTable")], "'KeySchema/0/KeyType': 'HASHH' is not one of HASH, RANGE (the service's API model); did you mean HASH?"),
        Defect("a route without its RouteKey", [Edit("      RouteKey: presence.update\n", "")],
               [Expected("schema-required", 353, 5, "PresenceUpdateRoute")], "required property 'RouteKey' is missing"),
        Defect("a boolean that is no boolean", [Edit("        SSEEnabled: true", "        SSEEnabled: enabled")],
               [Expected("schema-type", 107, 21, "ConnectionsTable")], "'enabled' is not a boolean"),
        Defect("a mapping where a string belongs", [Edit("      Description: Meno realtime chat, presence and sessions", "      Description: {Text: chat}")],
               [Expected("schema-type", 73, 20, "WebSocketApi")], "'Description' must be a string, not a mapping"),
        Defect("a string where a list belongs", [Edit("      GlobalSecondaryIndexes:\n      - IndexName: connectionId-index\n        KeySchema:\n        - AttributeName: connectionId\n          KeyType: HASH\n        Projection:\n          ProjectionType: ALL\n", "      GlobalSecondaryIndexes: connectionId-index\n")],
               [Expected("schema-type", 96, 31, "ConnectionsTable")], "'GlobalSecondaryIndexes' must be an array, not the value 'connectionId-index'"),
        Defect("Fn::Sub where a list belongs", [Edit("      GlobalSecondaryIndexes:\n      - IndexName: connectionId-index\n        KeySchema:\n        - AttributeName: connectionId\n          KeyType: HASH\n        Projection:\n          ProjectionType: ALL\n", "      GlobalSecondaryIndexes: !Sub ${ConnectionsTableName}-index\n")],
               [Expected("schema-type", 96, 31, "ConnectionsTable")], "but Fn::Sub returns a string"),
        Defect("a recovery period above the maximum", [Edit("        SSEEnabled: true", "        SSEEnabled: true\n      PointInTimeRecoverySpecification:\n        PointInTimeRecoveryEnabled: true\n        RecoveryPeriodInDays: 40")],
               [Expected("schema-range", 110, 31, "ConnectionsTable")], "40 is greater than the maximum of 35 (allowed: 1–35)"),
        Defect("an empty index name", [Edit("IndexName: connectionId-index", "IndexName: ''")],
               [Expected("schema-length", 97, 20, "ConnectionsTable")], "'' is 0 characters long, at least 3 needed"),
        Defect("an account id that is not 12 digits", [Edit("      FunctionName: !Ref ConnectFunction\n      Principal: apigateway.amazonaws.com\n", "      FunctionName: !Ref ConnectFunction\n      Principal: apigateway.amazonaws.com\n      SourceAccount: '12345678901a'\n")],
               [Expected("schema-pattern", 151, 22, "ConnectPermission")], "'12345678901a' does not match the pattern ^\\d{12}$"),
        Defect("an organization id outside its pattern, matched by the regular-expression compiler", [Edit("      FunctionName: !Ref ConnectFunction\n      Principal: apigateway.amazonaws.com\n", "      FunctionName: !Ref ConnectFunction\n      Principal: apigateway.amazonaws.com\n      PrincipalOrgID: o-ABCDEFGHIJ\n")],
               [Expected("schema-pattern", 151, 23, "ConnectPermission")], "'o-ABCDEFGHIJ' does not match the pattern ^o-[a-z0-9]{10,32}$"),
        Defect("an empty key schema", [Edit("        KeySchema:\n        - AttributeName: connectionId\n          KeyType: HASH\n", "        KeySchema: []\n")],
               [Expected("schema-items", 98, 20, "ConnectionsTable")], "'GlobalSecondaryIndexes/0/KeySchema' has 0 items, at least 1 needed"),
        Defect("a value assembled by Fn::Join that is outside the enum", [Edit("BillingMode: PAY_PER_REQUEST", "BillingMode: !Join ['', [PAY_PER, _REQEST]]")],
               [Expected("schema-enum", 85, 20, "ConnectionsTable")], "'PAY_PER_REQEST' is not one of"),
        Defect("both branches of Fn::If are checked", [Edit("BillingMode: PAY_PER_REQUEST", "BillingMode: !If [Cheap, PAY_PER_REQUEST, PROVISIONNED]")],
               [Expected("schema-enum", 85, 49, "ConnectionsTable")], "'PROVISIONNED' is not one of PAY_PER_REQUEST, PROVISIONED; did you mean PROVISIONED?"),
        Defect("a parameter whose every allowed value is refused", [
            Edit("  LambdaTimeout:\n", "  Billing:\n    Type: String\n    AllowedValues: [ON_DEMAND, RESERVED]\n  LambdaTimeout:\n"),
            Edit("BillingMode: PAY_PER_REQUEST", "BillingMode: !Ref Billing")],
               [Expected("schema-enum", 88, 20, "ConnectionsTable")], "parameter 'Billing' allows only values the property refuses: 'ON_DEMAND' is not one of"),
        Defect("a parameter that allows one refused value", [
            Edit("  LambdaTimeout:\n", "  Billing:\n    Type: String\n    AllowedValues: [PAY_PER_REQUEST, ON_DEMAND]\n  LambdaTimeout:\n"),
            Edit("BillingMode: PAY_PER_REQUEST", "BillingMode: !Ref Billing")],
               [Expected("schema-parameter-value", 88, 20, "ConnectionsTable")], "parameter 'Billing' allows 'ON_DEMAND', which the property refuses"),
        Defect("a dependent property missing", [Edit("        SSEEnabled: true", "        SSEEnabled: true\n        KMSMasterKeyId: alias/meno")],
               [Expected("schema-required", 106, 7, "ConnectionsTable")], "'SSESpecification': 'KMSMasterKeyId' is given, so 'SSEType' must be too"),
    ]

    static let nearMisses: [NearMiss] = [
        NearMiss("an API imported from an OpenAPI body, which names it", [Edit("      Name: !Sub ${ServiceName}-${StageName}\n", "      BodyS3Location: {Bucket: specs, Key: realtime.yaml}\n")]),
        NearMiss("the rendered stack", []),
        NearMiss("a quoted boolean", [Edit("        SSEEnabled: true", "        SSEEnabled: 'true'")]),
        NearMiss("an integer written as a string", [Edit("      IntegrationType: AWS_PROXY\n      IntegrationUri: !Sub arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${ConnectFunction.Arn}/invocations", "      IntegrationType: AWS_PROXY\n      TimeoutInMillis: '29000'\n      IntegrationUri: !Sub arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${ConnectFunction.Arn}/invocations")]),
        NearMiss("a number where a string belongs", [Edit("      Description: Meno realtime chat, presence and sessions", "      Description: 42")]),
        NearMiss("a property removed by AWS::NoValue", [Edit("BillingMode: PAY_PER_REQUEST", "BillingMode: !Ref AWS::NoValue")]),
        NearMiss("a required property given through Fn::If with AWS::NoValue", [Edit("RouteKey: presence.update", "RouteKey: !If [Always, presence.update, !Ref AWS::NoValue]")]),
        NearMiss("a value from a parameter without AllowedValues", [Edit("BillingMode: PAY_PER_REQUEST", "BillingMode: !Ref ServiceName")]),
        NearMiss("a list parameter's allowed values, which are items, not the value", [
            Edit("  LambdaTimeout:\n", "  Billing:\n    Type: CommaDelimitedList\n    AllowedValues: [ON_DEMAND]\n  LambdaTimeout:\n"),
            Edit("BillingMode: PAY_PER_REQUEST", "BillingMode: !Ref Billing")]),
        NearMiss("a mapping with a YAML merge key, which CloudFormation's reader may or may not merge", [Edit("        SSEEnabled: true", "        <<: {SSEEnabled: true}")]),
        NearMiss("an account id that matches its pattern", [Edit("      FunctionName: !Ref ConnectFunction\n      Principal: apigateway.amazonaws.com\n", "      FunctionName: !Ref ConnectFunction\n      Principal: apigateway.amazonaws.com\n      SourceAccount: '123456789012'\n")]),
        NearMiss("a value outside ASCII, where regular-expression dialects differ", [Edit("      FunctionName: !Ref ConnectFunction\n      Principal: apigateway.amazonaws.com\n", "      FunctionName: !Ref ConnectFunction\n      Principal: apigateway.amazonaws.com\n      SourceAccount: '١٢٣٤٥٦٧٨٩٠١٢'\n")]),
        NearMiss("a value from Fn::ImportValue", [Edit("BillingMode: PAY_PER_REQUEST", "BillingMode: !ImportValue Billing")]),
        NearMiss("a YAML 1.1 word whose meaning depends on the reader", [Edit("        SSEEnabled: true", "        SSEEnabled: yes")]),
        NearMiss("a list item removed by AWS::NoValue does not count", [Edit("        KeySchema:\n        - AttributeName: connectionId\n          KeyType: HASH\n", "        KeySchema:\n        - AttributeName: connectionId\n          KeyType: HASH\n        - !Ref AWS::NoValue\n")]),
        NearMiss("a resource rewritten by Fn::Transform", [Edit("      BillingMode: PAY_PER_REQUEST\n", "      BillingMode: PAY_PER_REQEST\n      Fn::Transform: {Name: AWS::Include, Parameters: {Location: s3://b/k}}\n")]),
        NearMiss("a template a macro rewrites", [Edit("Transform: AWS::Serverless-2016-10-31", "Transform: [AWS::Serverless-2016-10-31, Expand]"), Edit("BillingMode: PAY_PER_REQUEST", "BillingMode: PAY_PER_REQEST")]),
    ]

    @Test("A defect of the rendered stack gives exactly its located schema findings", arguments: defects)
    func defect(_ row: Defect) throws {
        let text = try #require(WebSocketFixture.mutated(row.edits), "an edit no longer matches the rendered stack")
        let diagnostics = validate(text, families: [.schema])
        #expect(diagnostics.map(Expected.init) == row.expected)
        #expect(diagnostics.first?.message.contains(row.message) == true, "\(diagnostics.first?.message ?? "no finding")")
        #expect(diagnostics.allSatisfy { $0.path?.hasPrefix("Resources/\($0.logicalId ?? "")/Properties") == true })
    }

    /// What a SAM function hands to Lambda, judged by the Lambda schema where the user wrote it.
    static let serverless: [Defect] = [
        Defect("SAM Tracing becomes Lambda's TracingConfig.Mode", [Edit("    MemorySize: 256\n", "    MemorySize: 256\n    Tracing: Enabled\n")],
               [Expected("schema-enum", 65, 14)], "'Tracing': 'Enabled' is not one of Active, PassThrough"),
        Defect("an architecture Lambda does not have, in Globals", [Edit("    MemorySize: 256\n", "    MemorySize: 256\n    Architectures: [x86]\n")],
               [Expected("schema-enum", 65, 21)], "'x86' is not one of x86_64, arm64"),
        Defect("ephemeral storage below Lambda's minimum, on a function", [Edit("      CodeUri: lambda/realtime/default/\n", "      CodeUri: lambda/realtime/default/\n      EphemeralStorage:\n        Size: 100\n")],
               [Expected("schema-range", 224, 15, "DefaultFunction")], "'EphemeralStorage/Size': 100 is less than the minimum of 512"),
        Defect("a log format Lambda does not have", [Edit("        LogGroup: !Ref DefaultLogs\n", "        LogGroup: !Ref DefaultLogs\n        LogFormat: XML\n")],
               [Expected("schema-enum", 225, 20, "DefaultFunction")], "'XML' is not one of"),
        Defect("negative reserved concurrency", [Edit("      CodeUri: lambda/realtime/default/\n", "      CodeUri: lambda/realtime/default/\n      ReservedConcurrentExecutions: -1\n")],
               [Expected("schema-range", 223, 37, "DefaultFunction")], "'ReservedConcurrentExecutions': -1 is less than the minimum of 0"),
    ]

    @Test("A SAM function's values are judged by the Lambda function's schema where they are written", arguments: serverless)
    func serverlessFunction(_ row: Defect) throws {
        let text = try #require(WebSocketFixture.mutated(row.edits), "an edit no longer matches the rendered stack")
        let diagnostics = validate(text, families: [.schema])
        #expect(diagnostics.map(Expected.init) == row.expected)
        #expect(diagnostics.first?.message.contains(row.message) == true, "\(diagnostics.first?.message ?? "no finding")")
        #expect(diagnostics.allSatisfy { $0.path?.hasPrefix($0.logicalId.map { "Resources/\($0)/Properties/" } ?? "Globals/Function/") == true })
    }

    @Test("SAM's own Tracing values and what SAM reshapes are not Lambda's to judge")
    func serverlessNearMisses() throws {
        let text = try #require(WebSocketFixture.mutated([
            Edit("    MemorySize: 256\n", "    MemorySize: 256\n    Tracing: Disabled\n    Architectures: [arm64]\n"),
            Edit("      CodeUri: lambda/realtime/default/\n", "      CodeUri: lambda/realtime/default/\n      Tags: {team: realtime}\n      Tracing: Active\n      AutoPublishAlias: live\n"),
        ]))
        #expect(validate(text, families: [.schema]).map(\.description) == [])
    }

    @Test("A variant of the rendered stack that CloudFormation accepts gives no schema finding", arguments: nearMisses)
    func nearMiss(_ row: NearMiss) throws {
        let text = try #require(WebSocketFixture.mutated(row.edits), "an edit no longer matches the rendered stack")
        #expect(validate(text, families: [.schema]).map(\.description) == [])
    }

    @Test("A resource without Properties is missing every required property, reported at its id")
    func noProperties() {
        let diagnostics = validate("""
            Resources:
              Route:
                Type: AWS::ApiGatewayV2::Route
            """, families: [.schema])
        #expect(diagnostics.map(Expected.init) == [Expected("schema-required", 2, 3, "Route")])
        #expect(diagnostics.first?.message == "AWS::ApiGatewayV2::Route Properties: required property 'RouteKey', 'ApiId' are missing")
    }

    @Test("A list whose items must be unique repeats a string, and only strings certain to be equal count")
    func uniqueItems() {
        let diagnostics = validate("""
            Resources:
              Balancer:
                Type: AWS::ElasticLoadBalancingV2::LoadBalancer
                Properties:
                  Subnets: [subnet-0a1b2c3d, subnet-0e1f2a3b, subnet-0a1b2c3d]
                  SecurityGroups: ['1', 1, !Ref Group, !Ref Group]
            """, families: [.schema])
        #expect(diagnostics.map(Expected.init) == [Expected("schema-unique-items", 5, 51, "Balancer")])
        #expect(diagnostics.first?.message == "'Subnets' holds 'subnet-0a1b2c3d' twice (items 0 and 2); its items must be unique")
    }

    @Test("SAM's and custom resources are not checked against provider schemas")
    func samAndCustom() {
        let diagnostics = validate("""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: {Whatever: 1}
              Custom:
                Type: Custom::Thing
                Properties: {ServiceToken: arn, Anything: 1}
            """, families: [.schema])
        #expect(diagnostics.isEmpty)
    }

    @Test("A string where an object belongs is fine where aws cloudformation package replaces it")
    func packagedPath() {
        let diagnostics = validate("""
            Resources:
              Fn:
                Type: AWS::Lambda::Function
                Properties:
                  Code: ./src
                  Role: arn:aws:iam::123456789012:role/r
                  Handler: index.handler
                  Runtime: nodejs22.x
                  TracingConfig: Active
            """, families: [.schema])
        #expect(diagnostics.map(Expected.init) == [Expected("schema-type", 9, 22, "Fn")])
    }
}
