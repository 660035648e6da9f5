import Diff
import Foundation
import Testing

/// One resource, `Subject`, whose `Properties` go from `old` to `new` (YAML flow mappings):
/// what `menort diff` must say of it. The expectations are written out, not computed from
/// `ResourceSchema.replacement(for:changedAt:)`; the comment above each row names the fact.
struct PropertyRow: Sendable, CustomTestStringConvertible {
    let type: String
    let old: String
    let new: String
    /// The property path the row is about.
    let path: String
    let action: TemplateDiff.Action
    let replacement: TemplateDiff.Replacement
    let loss: Loss
    /// Every changed path, when the edit cannot change `path` alone (a new key needs its definition).
    let paths: [String]

    init(_ type: String, _ old: String, _ new: String, _ path: String, _ action: TemplateDiff.Action,
         _ replacement: TemplateDiff.Replacement, _ loss: Loss, paths: [String]? = nil) {
        (self.type, self.old, self.new, self.path, self.action, self.replacement, self.loss) = (type, old, new, path, action, replacement, loss)
        self.paths = paths ?? [path]
    }

    /// `update` rows whose change is conditional are reported as "may replace".
    var mayReplace: Bool { action == .update && replacement != .never }

    var testDescription: String { "\(type) \(path) → \(mayReplace ? "may replace" : action.rawValue) (\(loss))" }

    func template(_ properties: String) -> String {
        """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Subject:
            Type: \(type)
            Properties: \(properties)
        """
    }
}

// Base property sets, one per type, realistic enough to deploy. A resource with a custom name
// cannot be replaced under the same name ("CloudFormation cannot update a stack when a
// custom-named resource requires replacing"), so only the rows that change the name give one.
private let namedTable = "TableName: meno-connections, \(table)"
private let table = "BillingMode: PAY_PER_REQUEST, AttributeDefinitions: [{AttributeName: sessionId, AttributeType: S}, {AttributeName: connectionId, AttributeType: S}], KeySchema: [{AttributeName: sessionId, KeyType: HASH}, {AttributeName: connectionId, KeyType: RANGE}]"
private let api = "Name: meno-realtime-prod, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action"
private let stage = "ApiId: a1b2c3d4e5, StageName: prod, DeploymentId: dep123"
private let route = "ApiId: a1b2c3d4e5, RouteKey: chat.send, Target: integrations/int123"
private let integration = "ApiId: a1b2c3d4e5, IntegrationType: AWS_PROXY, IntegrationUri: 'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:chat-send/invocations'"
private let deployment = "ApiId: a1b2c3d4e5, Description: 'Deploys routes $connect, chat.send'"
private let routeResponse = "ApiId: a1b2c3d4e5, RouteId: route123, RouteResponseKey: $default"
private let permission = "Action: lambda:InvokeFunction, FunctionName: chat-send, Principal: apigateway.amazonaws.com, SourceArn: 'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/prod/chat.send'"
private let namedLambda = "FunctionName: meno-chat-send, \(lambda)"
private let lambda = "Runtime: nodejs24.x, Handler: index.handler, Role: 'arn:aws:iam::123456789012:role/meno', Code: {S3Bucket: artifacts, S3Key: chat-send.zip}"
private let sam = "CodeUri: lambda/realtime/chat-send/, Handler: index.handler, Runtime: nodejs24.x, MemorySize: 256, Environment: {Variables: {STAGE: prod}}"
private let simpleTable = "PrimaryKey: {Name: userId, Type: String}"
private let namedSimpleTable = "TableName: meno-presence, \(simpleTable)"

/// `base` with `extra` properties added.
private func with(_ base: String, _ extra: String) -> String { "{\(base), \(extra)}" }
/// `base` with `old` replaced by `new`.
private func edit(_ base: String, _ old: String, _ new: String) -> String {
    precondition(base.contains(old), "\(old) not in \(base)")
    return "{" + base.replacingOccurrences(of: old, with: new) + "}"
}
private func plain(_ base: String) -> String { "{\(base)}" }

let propertyRows: [PropertyRow] = [
    // MARK: AWS::DynamoDB::Table
    // Schema createOnly; documentation (aws-resource-dynamodb-table, TableName): "Update requires: Replacement".
    // No policy written: UpdateReplacePolicy defaults to Delete.
    .init("AWS::DynamoDB::Table", plain(namedTable), edit(namedTable, "TableName: meno-connections", "TableName: meno-conns"),
          "TableName", .replace, .always, .destroyed),
    // Schema: conditionalCreateOnly only; documented correction (#cfn-dynamodb-table-keyschema): "Update requires: Replacement"
    // (UpdateTable takes no KeySchema).
    .init("AWS::DynamoDB::Table", plain(table),
          edit(table, "KeySchema: [{AttributeName: sessionId, KeyType: HASH}, {AttributeName: connectionId, KeyType: RANGE}]",
               "KeySchema: [{AttributeName: connectionId, KeyType: HASH}, {AttributeName: sessionId, KeyType: RANGE}]"),
          "KeySchema", .replace, .always, .destroyed),
    // Schema: in neither list; documented correction (#cfn-dynamodb-table-lsi): "Update requires: Replacement"
    // ("A local secondary index can only be created when its parent table is created"). Its new sort key needs a
    // definition, and adding one is AttributeDefinitions' conditional case.
    .init("AWS::DynamoDB::Table", plain(table),
          edit(table, "{AttributeName: connectionId, AttributeType: S}]",
               "{AttributeName: connectionId, AttributeType: S}, {AttributeName: createdAt, AttributeType: N}], LocalSecondaryIndexes: [{IndexName: byCreatedAt, KeySchema: [{AttributeName: sessionId, KeyType: HASH}, {AttributeName: createdAt, KeyType: RANGE}], Projection: {ProjectionType: KEYS_ONLY}}]"),
          "LocalSecondaryIndexes", .replace, .always, .destroyed, paths: ["AttributeDefinitions", "LocalSecondaryIndexes"]),
    // Schema createOnly (newer than the archived documentation page).
    .init("AWS::DynamoDB::Table", plain(table), with(table, "ImportSourceSpecification: {InputFormat: CSV, S3BucketSource: {S3Bucket: meno-imports}}"),
          "ImportSourceSpecification", .replace, .always, .destroyed),
    // Documentation (#cfn-dynamodb-table-billingmode): "Update requires: No interruption"; in neither schema list.
    .init("AWS::DynamoDB::Table", plain(table),
          edit(table, "BillingMode: PAY_PER_REQUEST", "BillingMode: PROVISIONED, ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}"),
          "BillingMode", .update, .never, .none, paths: ["BillingMode", "ProvisionedThroughput"]),
    // Documented correction (#cfn-dynamodb-table-attributedef): "Replacement if you edit an existing AttributeDefinition":
    // conditional, so "may replace"; the table's data may go with it, which is said.
    .init("AWS::DynamoDB::Table", plain(table),
          edit(table, "{AttributeName: connectionId, AttributeType: S}", "{AttributeName: connectionId, AttributeType: B}"),
          // A possible replacement of a table is a possible loss: said, so --fail-on data-loss stops it.
          "AttributeDefinitions", .update, .conditional, .destroyed),

    // MARK: AWS::ApiGatewayV2::Api — createOnlyProperties: [ProtocolType]
    // Schema createOnly; documentation (aws-resource-apigatewayv2-api, ProtocolType): "Update requires: Replacement".
    .init("AWS::ApiGatewayV2::Api", plain(api), edit(api, "ProtocolType: WEBSOCKET", "ProtocolType: HTTP"),
          "ProtocolType", .replace, .always, .none),
    // Documentation: Name "Update requires: No interruption".
    .init("AWS::ApiGatewayV2::Api", plain(api), edit(api, "Name: meno-realtime-prod", "Name: meno-realtime"),
          "Name", .update, .never, .none),
    // Documentation: RouteSelectionExpression "Update requires: No interruption".
    .init("AWS::ApiGatewayV2::Api", plain(api), edit(api, "$request.body.action", "$request.body.type"),
          "RouteSelectionExpression", .update, .never, .none),

    // MARK: AWS::ApiGatewayV2::Stage — createOnlyProperties: [StageName, ApiId]
    // Documentation (aws-resource-apigatewayv2-stage): StageName and ApiId "Update requires: Replacement".
    .init("AWS::ApiGatewayV2::Stage", plain(stage), edit(stage, "StageName: prod", "StageName: v2"),
          "StageName", .replace, .always, .none),
    .init("AWS::ApiGatewayV2::Stage", plain(stage), edit(stage, "ApiId: a1b2c3d4e5", "ApiId: f6g7h8i9j0"),
          "ApiId", .replace, .always, .none),
    // DeploymentId: "Update requires: No interruption".
    .init("AWS::ApiGatewayV2::Stage", plain(stage), edit(stage, "DeploymentId: dep123", "DeploymentId: dep456"),
          "DeploymentId", .update, .never, .none),

    // MARK: AWS::ApiGatewayV2::Route — createOnlyProperties: [ApiId]
    // Documentation (aws-resource-apigatewayv2-route): ApiId "Update requires: Replacement", RouteKey "No interruption".
    .init("AWS::ApiGatewayV2::Route", plain(route), edit(route, "ApiId: a1b2c3d4e5", "ApiId: f6g7h8i9j0"),
          "ApiId", .replace, .always, .none),
    .init("AWS::ApiGatewayV2::Route", plain(route), edit(route, "RouteKey: chat.send", "RouteKey: chat.post"),
          "RouteKey", .update, .never, .none),

    // MARK: AWS::ApiGatewayV2::Integration — createOnlyProperties: [ApiId]
    // Documentation (aws-resource-apigatewayv2-integration): ApiId "Update requires: Replacement", IntegrationUri "No interruption".
    .init("AWS::ApiGatewayV2::Integration", plain(integration), edit(integration, "ApiId: a1b2c3d4e5", "ApiId: f6g7h8i9j0"),
          "ApiId", .replace, .always, .none),
    .init("AWS::ApiGatewayV2::Integration", plain(integration), edit(integration, "function:chat-send", "function:chat-send-v2"),
          "IntegrationUri", .update, .never, .none),

    // MARK: AWS::ApiGatewayV2::Deployment — createOnlyProperties: [ApiId]
    // Documentation (aws-resource-apigatewayv2-deployment): ApiId "Update requires: Replacement", Description "No interruption".
    .init("AWS::ApiGatewayV2::Deployment", plain(deployment), edit(deployment, "ApiId: a1b2c3d4e5", "ApiId: f6g7h8i9j0"),
          "ApiId", .replace, .always, .none),
    .init("AWS::ApiGatewayV2::Deployment", plain(deployment), edit(deployment, "chat.send'", "chat.send, typing.start'"),
          "Description", .update, .never, .none),

    // MARK: AWS::ApiGatewayV2::RouteResponse — createOnlyProperties: [ApiId, RouteId]
    // Documentation (aws-resource-apigatewayv2-routeresponse): ApiId and RouteId "Update requires: Replacement".
    .init("AWS::ApiGatewayV2::RouteResponse", plain(routeResponse), edit(routeResponse, "ApiId: a1b2c3d4e5", "ApiId: f6g7h8i9j0"),
          "ApiId", .replace, .always, .none),
    .init("AWS::ApiGatewayV2::RouteResponse", plain(routeResponse), edit(routeResponse, "RouteId: route123", "RouteId: route456"),
          "RouteId", .replace, .always, .none),
    // RouteResponseKey: "Update requires: No interruption".
    .init("AWS::ApiGatewayV2::RouteResponse", plain(routeResponse), edit(routeResponse, "RouteResponseKey: $default", "RouteResponseKey: $other"),
          "RouteResponseKey", .update, .never, .none),

    // MARK: AWS::Lambda::Permission — every property is createOnly
    // Documentation (aws-resource-lambda-permission): every property "Update requires: Replacement"; the schema's
    // createOnlyProperties list all nine.
    .init("AWS::Lambda::Permission", plain(permission), edit(permission, "Action: lambda:InvokeFunction", "Action: lambda:InvokeFunctionUrl"),
          "Action", .replace, .always, .none),
    .init("AWS::Lambda::Permission", plain(permission), edit(permission, "FunctionName: chat-send", "FunctionName: chat-post"),
          "FunctionName", .replace, .always, .none),
    .init("AWS::Lambda::Permission", plain(permission), edit(permission, "Principal: apigateway.amazonaws.com", "Principal: events.amazonaws.com"),
          "Principal", .replace, .always, .none),
    .init("AWS::Lambda::Permission", plain(permission), edit(permission, "/prod/chat.send", "/prod/*"),
          "SourceArn", .replace, .always, .none),
    .init("AWS::Lambda::Permission", plain(permission), with(permission, "SourceAccount: '123456789012'"),
          "SourceAccount", .replace, .always, .none),
    .init("AWS::Lambda::Permission", plain(permission), with(permission, "PrincipalOrgID: o-a1b2c3d4e5"),
          "PrincipalOrgID", .replace, .always, .none),
    .init("AWS::Lambda::Permission", plain(permission), with(permission, "EventSourceToken: alexa-skill-token"),
          "EventSourceToken", .replace, .always, .none),
    .init("AWS::Lambda::Permission", plain(permission), with(permission, "FunctionUrlAuthType: NONE"),
          "FunctionUrlAuthType", .replace, .always, .none),
    .init("AWS::Lambda::Permission", plain(permission), with(permission, "InvokedViaFunctionUrl: true"),
          "InvokedViaFunctionUrl", .replace, .always, .none),

    // MARK: AWS::Lambda::Function (what SAM makes of each handler)
    // Schema createOnly: FunctionName (documentation: "Update requires: Replacement"), PackageType, TenancyConfig.
    .init("AWS::Lambda::Function", plain(namedLambda), edit(namedLambda, "FunctionName: meno-chat-send", "FunctionName: meno-chat-post"),
          "FunctionName", .replace, .always, .none),
    .init("AWS::Lambda::Function", plain(lambda), with(lambda, "PackageType: Image"),
          "PackageType", .replace, .always, .none),
    .init("AWS::Lambda::Function", plain(lambda), with(lambda, "TenancyConfig: {TenancyIsolationMode: PER_TENANT}"),
          "TenancyConfig", .replace, .always, .none),
    // Schema conditionalCreateOnly.
    .init("AWS::Lambda::Function", plain(lambda), with(lambda, "DurableConfig: {ExecutionTimeout: 3600}"),
          "DurableConfig", .update, .conditional, .none),
    // Documentation: Runtime and Code "Update requires: No interruption"; a change inside Code is judged as Code.
    .init("AWS::Lambda::Function", plain(lambda), edit(lambda, "Runtime: nodejs24.x", "Runtime: nodejs22.x"),
          "Runtime", .update, .never, .none),
    .init("AWS::Lambda::Function", plain(lambda), edit(lambda, "S3Key: chat-send.zip", "S3Key: chat-send-2.zip"),
          "Code.S3Key", .update, .never, .none),

    // MARK: AWS::Serverless::Function, judged by the AWS::Lambda::Function it becomes (SAMFunctionMapping)
    // FunctionName is passed to the Lambda function unchanged, where it is createOnly.
    .init("AWS::Serverless::Function", plain(sam), with(sam, "FunctionName: meno-chat-send"),
          "FunctionName", .replace, .always, .none),
    // PackageType is passed unchanged; createOnly on the Lambda function.
    .init("AWS::Serverless::Function", plain(sam), with(sam, "PackageType: Image"),
          "PackageType", .replace, .always, .none),
    // CodeUri becomes Code (S3Bucket/S3Key after packaging): "No interruption".
    .init("AWS::Serverless::Function", plain(sam), edit(sam, "CodeUri: lambda/realtime/chat-send/", "CodeUri: lambda/realtime/chat-post/"),
          "CodeUri", .update, .never, .none),
    // Runtime and MemorySize are passed unchanged: "No interruption".
    .init("AWS::Serverless::Function", plain(sam), edit(sam, "Runtime: nodejs24.x", "Runtime: nodejs22.x"),
          "Runtime", .update, .never, .none),
    .init("AWS::Serverless::Function", plain(sam), edit(sam, "MemorySize: 256", "MemorySize: 1024"),
          "MemorySize", .update, .never, .none),
    // Environment is passed unchanged; a variable inside it is judged as Environment: "No interruption".
    .init("AWS::Serverless::Function", plain(sam), edit(sam, "STAGE: prod", "STAGE: v2"),
          "Environment.Variables.STAGE", .update, .never, .none),
    // A property the SAM translator does not have: unknown, so "may replace", never a false "update".
    .init("AWS::Serverless::Function", plain(sam), with(sam, "Colour: blue"),
          "Colour", .update, .conditional, .none),

    // MARK: AWS::Serverless::SimpleTable, judged by the AWS::DynamoDB::Table it becomes
    // PrimaryKey becomes the table's KeySchema (documented: "Update requires: Replacement"); the default policy deletes it.
    .init("AWS::Serverless::SimpleTable", plain(simpleTable), edit(simpleTable, "Name: userId", "Name: sessionId"),
          "PrimaryKey.Name", .replace, .always, .destroyed),
    // TableName is the table's TableName: createOnly.
    .init("AWS::Serverless::SimpleTable", plain(namedSimpleTable), edit(namedSimpleTable, "TableName: meno-presence", "TableName: meno-presence-v2"),
          "TableName", .replace, .always, .destroyed),

    // MARK: a type without a provider schema: nothing is known, so "may replace"
    .init("Custom::Seeder", "{ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:seed', Rows: 10}",
          "{ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:seed', Rows: 20}",
          "Rows", .update, .conditional, .none),
]

@Suite("menort diff: what each property change does")
struct ReplacementTableTests {
    @Test("A changed property gets the action, replacement class and data-loss state its schema or documentation says", arguments: propertyRows)
    func row(_ row: PropertyRow) throws {
        let result = try diff(row.template(row.old), row.template(row.new))
        #expect(result.resources.map(\.logicalId) == ["Subject"])
        let change = try #require(result.resource("Subject"))
        #expect(change.action == row.action)
        #expect(change.mayReplace == row.mayReplace)
        #expect(change.properties.map(\.path).sorted() == row.paths.sorted())
        let property = try #require(change.property(row.path))
        #expect(property.replacement == row.replacement)
        #expect(!property.possible)
        #expect(Loss(change.dataLoss) == row.loss)
        if row.action == .replace {
            // The reason names the property that forces the replacement.
            #expect(change.reasons.contains { $0.hasPrefix("\(row.path) changes: ") }, "\(change.reasons)")
        }
        if row.mayReplace {
            #expect(change.reasons.contains { $0.hasPrefix("\(row.path) may change: ") }, "\(change.reasons)")
        }
    }

    @Test("Every createOnly property of the stack's own types has a replacing row")
    func everyCreateOnlyHasARow() {
        // The schemas' createOnlyProperties (cfn-lint 1.58's), written out.
        let createOnly: [String: [String]] = [
            "AWS::DynamoDB::Table": ["TableName", "ImportSourceSpecification"],
            "AWS::ApiGatewayV2::Api": ["ProtocolType"],
            "AWS::ApiGatewayV2::Stage": ["StageName", "ApiId"],
            "AWS::ApiGatewayV2::Route": ["ApiId"],
            "AWS::ApiGatewayV2::Integration": ["ApiId"],
            "AWS::ApiGatewayV2::Deployment": ["ApiId"],
            "AWS::ApiGatewayV2::RouteResponse": ["ApiId", "RouteId"],
            "AWS::Lambda::Permission": ["FunctionName", "FunctionUrlAuthType", "InvokedViaFunctionUrl", "SourceAccount", "SourceArn",
                                        "Principal", "PrincipalOrgID", "Action", "EventSourceToken"],
            "AWS::Lambda::Function": ["FunctionName", "PackageType", "TenancyConfig"],
        ]
        for (type, paths) in createOnly {
            let replacing = Set(propertyRows.filter { $0.type == type && $0.action == .replace }.map(\.path))
            #expect(replacing.isSuperset(of: paths), "\(type): no replacing row for \(Set(paths).subtracting(replacing).sorted())")
        }
    }
}
