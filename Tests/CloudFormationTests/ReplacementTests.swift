import Testing
import CloudFormation

typealias Path = ResourceSchema.PropertyPath

/// One expected answer: a change of `path` on `type` does `expected`, for the reason `because`.
struct ReplacementRow: Sendable, CustomTestStringConvertible {
    enum Because: Sendable { case createOnly, conditionalCreateOnly, documentation, noRule }
    let type: String
    let path: Path
    let expected: ResourceSchema.Replacement
    let because: Because

    init(_ type: String, _ path: Path, _ expected: ResourceSchema.Replacement, _ because: Because) {
        (self.type, self.path, self.expected, self.because) = (type, path, expected, because)
    }

    var testDescription: String { "\(type) \(path) → \(expected)" }
}

/// The types of the realtime stack (the rendered template.yaml and what SAM makes of it).
let stackTypes = [
    "AWS::DynamoDB::Table", "AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Stage", "AWS::ApiGatewayV2::Route",
    "AWS::ApiGatewayV2::Integration", "AWS::ApiGatewayV2::Deployment", "AWS::ApiGatewayV2::RouteResponse",
    "AWS::Lambda::Function", "AWS::Lambda::Permission", "AWS::IAM::Role", "AWS::Logs::LogGroup", "AWS::S3::Bucket",
]

/// Every createOnly property of the stack's types (schema: cfn-lint 1.58.0's provider schema of
/// us-east-1, `createOnlyProperties`), the documentation corrections, and one property of each
/// type that updates in place. Documentation: the property's "Update requires" line in the
/// CloudFormation User Guide (source: awsdocs/aws-cloudformation-user-guide, doc_source/).
let stackRows: [ReplacementRow] = [
    // aws-resource-dynamodb-table.md: TableName "Update requires: Replacement"; schema createOnly.
    .init("AWS::DynamoDB::Table", "TableName", .always, .createOnly),
    // Schema createOnly (newer than the archived page, which does not list it).
    .init("AWS::DynamoDB::Table", "ImportSourceSpecification", .always, .createOnly),
    // Schema: conditionalCreateOnly only; documentation (#cfn-dynamodb-table-keyschema): "Update requires: Replacement".
    .init("AWS::DynamoDB::Table", "KeySchema", .always, .documentation),
    // Schema: neither list; documentation (#cfn-dynamodb-table-lsi): "Update requires: Replacement".
    .init("AWS::DynamoDB::Table", "LocalSecondaryIndexes", .always, .documentation),
    // Schema: neither list; documentation (#cfn-dynamodb-table-attributedef): "Replacement if you edit an existing AttributeDefinition".
    .init("AWS::DynamoDB::Table", "AttributeDefinitions", .conditional, .documentation),
    // Documentation: BillingMode "Update requires: No interruption"; in neither list.
    .init("AWS::DynamoDB::Table", "BillingMode", .never, .noRule),
    .init("AWS::DynamoDB::Table", "GlobalSecondaryIndexes", .never, .noRule),
    .init("AWS::DynamoDB::Table", "StreamSpecification", .never, .noRule),
    // aws-resource-apigatewayv2-api.md: ProtocolType Replacement, Name No interruption; schema agrees.
    .init("AWS::ApiGatewayV2::Api", "ProtocolType", .always, .createOnly),
    .init("AWS::ApiGatewayV2::Api", "Name", .never, .noRule),
    .init("AWS::ApiGatewayV2::Api", "RouteSelectionExpression", .never, .noRule),
    // aws-resource-apigatewayv2-stage.md: ApiId and StageName Replacement; schema agrees.
    .init("AWS::ApiGatewayV2::Stage", "StageName", .always, .createOnly),
    .init("AWS::ApiGatewayV2::Stage", "ApiId", .always, .createOnly),
    .init("AWS::ApiGatewayV2::Stage", "DeploymentId", .never, .noRule),
    // aws-resource-apigatewayv2-route.md: ApiId Replacement, RouteKey No interruption; schema agrees.
    .init("AWS::ApiGatewayV2::Route", "ApiId", .always, .createOnly),
    .init("AWS::ApiGatewayV2::Route", "RouteKey", .never, .noRule),
    // aws-resource-apigatewayv2-integration.md: ApiId Replacement only; schema agrees.
    .init("AWS::ApiGatewayV2::Integration", "ApiId", .always, .createOnly),
    .init("AWS::ApiGatewayV2::Integration", "IntegrationUri", .never, .noRule),
    // aws-resource-apigatewayv2-deployment.md: ApiId Replacement, StageName No interruption; schema agrees.
    .init("AWS::ApiGatewayV2::Deployment", "ApiId", .always, .createOnly),
    .init("AWS::ApiGatewayV2::Deployment", "StageName", .never, .noRule),
    // aws-resource-apigatewayv2-routeresponse.md: ApiId and RouteId Replacement; schema agrees.
    .init("AWS::ApiGatewayV2::RouteResponse", "ApiId", .always, .createOnly),
    .init("AWS::ApiGatewayV2::RouteResponse", "RouteId", .always, .createOnly),
    .init("AWS::ApiGatewayV2::RouteResponse", "RouteResponseKey", .never, .noRule),
    // aws-resource-lambda-function.md: FunctionName Replacement; schema createOnly.
    .init("AWS::Lambda::Function", "FunctionName", .always, .createOnly),
    // Schema createOnly (the archived page, of 2020, still says No interruption: see the report).
    .init("AWS::Lambda::Function", "PackageType", .always, .createOnly),
    .init("AWS::Lambda::Function", "TenancyConfig", .always, .createOnly),
    // Schema conditionalCreateOnly.
    .init("AWS::Lambda::Function", "DurableConfig", .conditional, .conditionalCreateOnly),
    // Documentation: Code, Runtime, Handler, Architectures "No interruption".
    .init("AWS::Lambda::Function", "Code", .never, .noRule),
    .init("AWS::Lambda::Function", "Runtime", .never, .noRule),
    .init("AWS::Lambda::Function", "Handler", .never, .noRule),
    .init("AWS::Lambda::Function", "Architectures", .never, .noRule),
    // aws-resource-lambda-permission.md: every property Replacement; schema createOnly lists them all.
    .init("AWS::Lambda::Permission", "FunctionName", .always, .createOnly),
    .init("AWS::Lambda::Permission", "FunctionUrlAuthType", .always, .createOnly),
    .init("AWS::Lambda::Permission", "InvokedViaFunctionUrl", .always, .createOnly),
    .init("AWS::Lambda::Permission", "SourceAccount", .always, .createOnly),
    .init("AWS::Lambda::Permission", "SourceArn", .always, .createOnly),
    .init("AWS::Lambda::Permission", "Principal", .always, .createOnly),
    .init("AWS::Lambda::Permission", "PrincipalOrgID", .always, .createOnly),
    .init("AWS::Lambda::Permission", "Action", .always, .createOnly),
    .init("AWS::Lambda::Permission", "EventSourceToken", .always, .createOnly),
    // aws-resource-iam-role.md: Path and RoleName Replacement, the rest No interruption; schema agrees.
    .init("AWS::IAM::Role", "Path", .always, .createOnly),
    .init("AWS::IAM::Role", "RoleName", .always, .createOnly),
    .init("AWS::IAM::Role", "AssumeRolePolicyDocument", .never, .noRule),
    .init("AWS::IAM::Role", "Policies", .never, .noRule),
    // aws-resource-logs-loggroup.md: LogGroupName Replacement, RetentionInDays No interruption; schema agrees.
    .init("AWS::Logs::LogGroup", "LogGroupName", .always, .createOnly),
    .init("AWS::Logs::LogGroup", "RetentionInDays", .never, .noRule),
    // aws-properties-s3-bucket.md: BucketName Replacement; BucketNamePrefix and BucketNamespace are schema createOnly.
    .init("AWS::S3::Bucket", "BucketName", .always, .createOnly),
    .init("AWS::S3::Bucket", "BucketNamePrefix", .always, .createOnly),
    .init("AWS::S3::Bucket", "BucketNamespace", .always, .createOnly),
    .init("AWS::S3::Bucket", "VersioningConfiguration", .never, .noRule),
]

@Suite("Replacement of resources")
struct ReplacementTests {
    @Test("The realtime stack's types answer as their schema and documentation say", arguments: stackRows)
    func stackRow(_ row: ReplacementRow) throws {
        let verdict = try #require(ResourceSchema.replacement(for: row.type, changedAt: row.path))
        #expect(verdict.replacement == row.expected)
        #expect(!verdict.covers)
        switch (row.because, verdict.source) {
        case (.createOnly, .createOnly), (.conditionalCreateOnly, .conditionalCreateOnly), (.noRule, .noRule):
            break
        case (.documentation, .documentation(let correction)):
            #expect(correction.type == row.type && correction.path == row.path)
            #expect(verdict.reason.contains(correction.documentation))
        default:
            Issue.record("\(row.type) \(row.path): source \(verdict.source), expected \(row.because)")
        }
        #expect(verdict.rule == (row.because == .noRule ? nil : row.path))
    }

    @Test("Every createOnly and conditionalCreateOnly path of the stack's types has a row, and the rows claim no other")
    func rowsCoverTheSchema() throws {
        for type in stackTypes {
            let rule = try #require(ResourceSchema.replacement(for: type), "\(type)")
            let rows = stackRows.filter { $0.type == type }
            #expect(Set(rule.createOnly) == Set(rows.filter { $0.because == .createOnly }.map(\.path)), "\(type)")
            #expect(Set(rule.conditionalCreateOnly).subtracting(rule.corrections.map(\.path))
                    == Set(rows.filter { $0.because == .conditionalCreateOnly }.map(\.path)), "\(type)")
            #expect(Set(rule.corrections.map(\.path)) == Set(rows.filter { $0.because == .documentation }.map(\.path)), "\(type)")
        }
    }

    @Test("The schema's lists are kept as it writes them: DynamoDB's KeySchema is conditionalCreateOnly there, always after the correction")
    func schemaListsAndCorrections() throws {
        let table = try #require(ResourceSchema.replacement(for: "AWS::DynamoDB::Table"))
        #expect(table.createOnly == ["TableName", "ImportSourceSpecification"])
        #expect(table.conditionalCreateOnly == ["KeySchema"])
        #expect(table.always == ["TableName", "ImportSourceSpecification", "KeySchema", "LocalSecondaryIndexes"])
        #expect(table.conditional == ["AttributeDefinitions"])
        let function = try #require(ResourceSchema.replacement(for: "AWS::Lambda::Function"))
        #expect(function.always == ["FunctionName", "PackageType", "TenancyConfig"])
        #expect(function.conditional == ["DurableConfig"])
        #expect(function.corrections.isEmpty)
    }

    @Test("A change below a createOnly path replaces the resource, whatever the list positions")
    func belowARulePath() throws {
        let table = try #require(ResourceSchema.replacement(for: "AWS::DynamoDB::Table"))
        #expect(table.replacement(forChangeAt: ["KeySchema", "0", "AttributeName"]).replacement == .always)
        #expect(table.replacement(forChangeAt: ["KeySchema", "0", "AttributeName"]).rule == "KeySchema")
        #expect(table.replacement(forChangeAt: ["ImportSourceSpecification", "S3BucketSource", "S3Bucket"]).replacement == .always)
        #expect(table.replacement(forChangeAt: ["LocalSecondaryIndexes", "1", "Projection", "NonKeyAttributes"]).replacement == .always)
        // Schema: AWS::EC2::TransitGatewayConnectPeer createOnly /properties/ConnectPeerConfiguration/BgpConfigurations/*/PeerAsn
        // (and ConnectPeerConfiguration itself).
        let peer = try #require(ResourceSchema.replacement(for: "AWS::EC2::TransitGatewayConnectPeer"))
        #expect(peer.createOnly.contains("ConnectPeerConfiguration.BgpConfigurations.*.PeerAsn"))
        let asn = peer.replacement(forChangeAt: ["ConnectPeerConfiguration", "BgpConfigurations", "2", "PeerAsn"])
        #expect(asn.replacement == .always)
        #expect(asn.rule == "ConnectPeerConfiguration.BgpConfigurations.*.PeerAsn")
        #expect(peer.replacement(forChangeAt: "ConnectPeerConfiguration.BgpConfigurations.*.PeerAsn").replacement == .always)
    }

    @Test("A change of an object that contains a createOnly path is conditional: replaced if the value there differs")
    func aboveARulePath() throws {
        // Schema: AWS::Transfer::Server conditionalCreateOnly EndpointDetails and EndpointDetails/AddressAllocationIds.
        let server = try #require(ResourceSchema.replacement(for: "AWS::Transfer::Server"))
        let details = server.replacement(forChangeAt: ["EndpointDetails"])
        #expect(details.replacement == .conditional)
        #expect(!details.covers)
        // Schema: AWS::ODB::CloudVmCluster createOnly DbNodes/*/DbServerId, conditionalCreateOnly DbNodes.
        let cluster = try #require(ResourceSchema.replacement(for: "AWS::ODB::CloudVmCluster"))
        let nodes = cluster.replacement(forChangeAt: ["DbNodes"])
        #expect(nodes.replacement == .conditional)
        #expect(nodes.source == .conditionalCreateOnly && nodes.rule == "DbNodes" && !nodes.covers)
        let server0 = cluster.replacement(forChangeAt: ["DbNodes", "0", "DbServerId"])
        #expect(server0.replacement == .always && server0.source == .createOnly)
        let node0 = cluster.replacement(forChangeAt: ["DbNodes", "0"])
        #expect(node0.replacement == .conditional)
        #expect(node0.rule == "DbNodes" && !node0.covers, "at or below a conditional path ranks above containing an always one")
        let peer = try #require(ResourceSchema.replacement(for: "AWS::EC2::TransitGatewayConnectPeer"))
        let bgp = peer.replacement(forChangeAt: ["ConnectPeerConfiguration", "BgpConfigurations", "0"])
        #expect(bgp.replacement == .always, "ConnectPeerConfiguration itself is createOnly")
        // A Lambda function's VpcConfig holds no createOnly path: a change inside it updates in place.
        let function = try #require(ResourceSchema.replacement(for: "AWS::Lambda::Function"))
        #expect(function.replacement(forChangeAt: ["VpcConfig", "SubnetIds"]).replacement == .never)
        // The whole Properties contains every rule path.
        let wholeFunction = function.replacement(forChangeAt: [])
        #expect(wholeFunction.replacement == .conditional && wholeFunction.covers && wholeFunction.rule == "FunctionName")
        let policy = try #require(ResourceSchema.replacement(for: "AWS::IAM::Policy"))
        #expect(policy.always.isEmpty && policy.conditional.isEmpty)
        #expect(policy.replacement(forChangeAt: []).replacement == .never)
    }

    @Test("A createOnly path inside an object: the object, its parent and the path itself")
    func nestedCreateOnly() throws {
        // Schema: AWS::CustomerProfiles::CalculatedAttributeDefinition createOnly /properties/Conditions/Range/TimestampSource
        // and .../TimestampFormat, and nothing above them.
        let definition = try #require(ResourceSchema.replacement(for: "AWS::CustomerProfiles::CalculatedAttributeDefinition"))
        #expect(definition.createOnly.contains("Conditions.Range.TimestampSource"))
        #expect(!definition.createOnly.contains("Conditions.Range") && !definition.createOnly.contains("Conditions"))
        #expect(definition.replacement(forChangeAt: ["Conditions", "Range", "TimestampSource"]).replacement == .always)
        for parent: Path in ["Conditions.Range", "Conditions"] {
            let verdict = definition.replacement(forChangeAt: parent)
            #expect(verdict.replacement == .conditional, "\(parent)")
            #expect(verdict.covers && verdict.source == .createOnly, "\(parent)")
            #expect(verdict.reason.contains("if the value at 'Conditions.Range.TimestampSource' differs"), "\(verdict.reason)")
        }
        let under = definition.paths(under: "Conditions")
        #expect(under.map(\.path).contains("Conditions.Range.TimestampSource"))
        #expect(under.map(\.path).contains("Conditions.Range.TimestampFormat"))
        #expect(under.allSatisfy { $0.replacement == .always })
        #expect(definition.paths(under: "Statistic").isEmpty)
    }

    @Test("A * in the change matches only a * of the rule: a named property is not any item")
    func wildcards() throws {
        // Schema: AWS::SSMQuickSetup::ConfigurationManager createOnly /properties/ConfigurationDefinitions/*/Type
        // and .../TypeVersion, and nothing above them.
        let manager = try #require(ResourceSchema.replacement(for: "AWS::SSMQuickSetup::ConfigurationManager"))
        #expect(manager.createOnly == ["ConfigurationDefinitions.*.Type", "ConfigurationDefinitions.*.TypeVersion"])
        #expect(manager.replacement(forChangeAt: ["ConfigurationDefinitions", "3", "Type"]).replacement == .always)
        #expect(manager.replacement(forChangeAt: ["ConfigurationDefinitions", "*", "Type"]).replacement == .always)
        #expect(manager.replacement(forChangeAt: ["ConfigurationDefinitions", "0", "Parameters"]).replacement == .never)
        #expect(manager.replacement(forChangeAt: ["ConfigurationDefinitions", "0"]).replacement == .conditional)
        #expect(manager.replacement(forChangeAt: ["ConfigurationDefinitions"]).replacement == .conditional)
        // The change's * is not a name: a rule named under it is not reached through it.
        let table = try #require(ResourceSchema.replacement(for: "AWS::DynamoDB::Table"))
        #expect(table.replacement(forChangeAt: ["*"]).replacement != .always)
    }

    @Test("Types without a schema have no answer, never a false never", arguments: [
        "AWS::Serverless::Function", "AWS::Serverless::Api", "Custom::Anything", "AWS::Nope::Thing", "", "AWS::DynamoDB::Tables", "aws::dynamodb::table",
    ])
    func unknownTypes(_ type: String) {
        #expect(ResourceSchema.replacement(for: type) == nil)
        #expect(ResourceSchema.replacement(for: type, changedAt: "TableName") == nil)
    }

    @Test("A property the schema refuses is unknown, not never; one an open object allows is never")
    func unknownProperties() throws {
        let table = try #require(ResourceSchema.replacement(for: "AWS::DynamoDB::Table"))
        let typo = table.replacement(forChangeAt: ["TableNme"])
        #expect(typo.replacement == .unknown && typo.source == .notInSchema && typo.rule == nil)
        #expect(typo.reason == "AWS::DynamoDB::Table's schema has no property 'TableNme'")
        #expect(table.replacement(forChangeAt: ["SSESpecification", "SSEEnabledd"]).replacement == .unknown)
        #expect(table.replacement(forChangeAt: ["SSESpecification", "SSEEnabled"]).replacement == .never)
        #expect(table.replacement(forChangeAt: ["GlobalSecondaryIndexes", "0", "IndexNam"]).replacement == .unknown)
        #expect(table.replacement(forChangeAt: ["GlobalSecondaryIndexes", "0", "IndexName"]).replacement == .never)
        let function = try #require(ResourceSchema.replacement(for: "AWS::Lambda::Function"))
        #expect(function.replacement(forChangeAt: ["VpcConfig", "SubnetIdz"]).replacement == .unknown)
        #expect(function.replacement(forChangeAt: ["Environment", "Variables", "ANY_NAME"]).replacement == .never)
        // A typo below a createOnly path is still below it.
        #expect(table.replacement(forChangeAt: ["KeySchema", "0", "AttributeNme"]).replacement == .always)
        // Open maps (Json in the schema) take any key.
        let stage = try #require(ResourceSchema.replacement(for: "AWS::ApiGatewayV2::Stage"))
        #expect(stage.replacement(forChangeAt: ["StageVariables", "anything"]).replacement == .never)
        #expect(stage.replacement(forChangeAt: ["StageNme"]).replacement == .unknown)
    }

    @Test("Reasons name the fact, and a documented one its page")
    func reasons() throws {
        let table = try #require(ResourceSchema.replacement(for: "AWS::DynamoDB::Table"))
        #expect(table.replacement(forChangeAt: ["TableName"]).reason
                == "'TableName' is createOnly in AWS::DynamoDB::Table's schema: changing it replaces the resource")
        #expect(table.replacement(forChangeAt: ["KeySchema"]).reason
                == "'KeySchema' is 'Update requires: Replacement' in CloudFormation's documentation (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-dynamodb-table.html#cfn-dynamodb-table-keyschema); the schema lists it only as conditionalCreateOnly: changing it replaces the resource")
        #expect(table.replacement(forChangeAt: ["BillingMode"]).reason
                == "no createOnly or conditionalCreateOnly property of AWS::DynamoDB::Table is at, under or inside 'BillingMode': it updates in place")
        let function = try #require(ResourceSchema.replacement(for: "AWS::Lambda::Function"))
        #expect(function.replacement(forChangeAt: ["DurableConfig", "ExecutionTimeout"]).reason
                == "'DurableConfig.ExecutionTimeout' is under 'DurableConfig', which is conditionalCreateOnly in AWS::Lambda::Function's schema: changing it replaces the resource when the change cannot be made in place")
    }

    @Test("Every type with a schema has a rule, and every rule path is a property its schema has")
    func everyTypeHasARule() throws {
        var withRules = 0
        var paths = 0
        for name in ResourceCatalog.typeNames where ResourceSchema.hasSchema(name) {
            let rule = try #require(ResourceSchema.replacement(for: name), "\(name)")
            let schema = try #require(ResourceSchema.schema(for: name))
            if !rule.always.isEmpty || !rule.conditional.isEmpty { withRules += 1 }
            #expect(Set(rule.createOnly).isDisjoint(with: rule.conditionalCreateOnly), "\(name)")
            #expect(Set(rule.createOnly).count == rule.createOnly.count, "\(name) lists a path twice")
            for path in rule.createOnly + rule.conditionalCreateOnly {
                paths += 1
                #expect(!path.segments.isEmpty && !path.segments.contains(""), "\(name) \(path)")
                // A path answers for itself, unless a createOnly path above it makes it always.
                let verdict = rule.replacement(forChangeAt: path)
                #expect(verdict.rule == path || (verdict.replacement == .always && verdict.source == .createOnly), "\(name) \(path): \(verdict.reason)")
                // Every pointer names a place the schema has (a typo there would answer .always for a property nobody can write).
                #expect(schema.allows(path), "\(name) \(path)")
            }
        }
        #expect(withRules > 1600)
        #expect(paths > 4500)
    }

    @Test("Each documentation correction names a type and property the schema has, and says more than the schema")
    func correctionsAreSound() throws {
        #expect(!ResourceSchema.replacementCorrections.isEmpty)
        for correction in ResourceSchema.replacementCorrections {
            let rule = try #require(ResourceSchema.replacement(for: correction.type), "\(correction.type)")
            #expect(!rule.createOnly.contains(correction.path), "\(correction.type) \(correction.path) is createOnly already")
            #expect(correction.replacement == .always || correction.replacement == .conditional)
            #expect(correction.documentation.hasPrefix("https://docs.aws.amazon.com/AWSCloudFormation/"))
            #expect(correction.documentationSays.hasPrefix("Update requires: "))
            let verdict = rule.replacement(forChangeAt: correction.path)
            #expect(verdict.replacement == correction.replacement)
            #expect(verdict.source == .documentation(correction))
            // The property exists in the schema: a correction is never about a typo.
            let schema = try #require(ResourceSchema.schema(for: correction.type))
            #expect(schema.root.property(correction.path.segments[0]) != nil, "\(correction.type) has no property \(correction.path)")
        }
    }

    @Test("Property paths read and print dotted, with * for any item")
    func propertyPaths() {
        let path: Path = "VpcConfig.SubnetIds"
        #expect(path.segments == ["VpcConfig", "SubnetIds"])
        #expect(path.description == "VpcConfig.SubnetIds")
        #expect(Path(dotted: "Tags.*.Key").segments == ["Tags", "*", "Key"])
        #expect(Path(dotted: "").segments.isEmpty)
        #expect(Path(["A.B"]).segments == ["A.B"])
    }
}
