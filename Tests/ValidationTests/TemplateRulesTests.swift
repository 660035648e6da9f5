import Foundation
import Testing
import Validation

@Suite("template rules")
struct TemplateRulesTests {
    /// A template and exactly the template-family findings it must produce.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let yaml: String
        let expected: [Expected]
        /// A fragment the first finding's message must contain.
        let message: String
        var testDescription: String { name }

        init(_ name: String, _ yaml: String, _ expected: [Expected], _ message: String) {
            self.name = name
            self.yaml = yaml
            self.expected = expected
            self.message = message
        }
    }

    static func findings(_ yaml: String) -> [Diagnostic] {
        validate(yaml, families: [.template])
    }

    // MARK: - Templates that must be reported

    static let reported: [Case] = [
        // Sections
        Case("a misspelled section is unknown and the right name is suggested", """
            Resource:
              Topic:
                Type: AWS::SNS::Topic
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            """, [Expected("template-unknown-section", 1, 1)], "unknown top-level section 'Resource'; did you mean 'Resources'?"),
        Case("Globals without the SAM transform is refused", """
            Globals:
              Function:
                Timeout: 10
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            """, [Expected("template-globals-without-sam", 1, 1)], "add `Transform: AWS::Serverless-2016-10-31`"),
        Case("a template without Resources is refused at its first key", """
            AWSTemplateFormatVersion: '2010-09-09'
            Description: nothing here
            """, [Expected("template-missing-resources", 1, 1)], "the template has no Resources section"),
        Case("an empty Resources mapping is refused where it is written", """
            Description: nothing declared
            Resources: {}
            """, [Expected("template-empty-resources", 2, 12)], "declares no resource"),
        Case("a Resources key with nothing after it is refused at the key", """
            Description: nothing declared
            Resources:
            """, [Expected("template-empty-resources", 2, 1)], "declares no resource"),
        Case("Parameters written as a list is not a mapping", """
            Parameters:
            - Name
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            """, [Expected("template-section-not-mapping", 2, 1)], "Parameters is a 1-item list, not a mapping"),
        Case("a format version other than 2010-09-09 is refused", """
            AWSTemplateFormatVersion: 2010-09-10
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            """, [Expected("template-format-version", 1, 27)], "AWSTemplateFormatVersion is '2010-09-10'"),
        Case("a Description of 1025 bytes is too long, counted in UTF-8 bytes", """
            Description: \(String(repeating: "é", count: 512))x
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            """, [Expected("template-description", 1, 14)], "the Description is 1025 bytes long"),
        Case("a Description that is a mapping is not a string", """
            Description:
              text: hello
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            """, [Expected("template-description", 2, 3)], "the Description is a mapping"),

        // Resources
        Case("a logical id with a dot is not alphanumeric", """
            Resources:
              my.Topic:
                Type: AWS::SNS::Topic
            """, [Expected("template-logical-id", 2, 3, "my.Topic")], "resource logical id 'my.Topic' is not alphanumeric"),
        Case("an output id with a hyphen is not alphanumeric", """
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            Outputs:
              Topic-Arn:
                Value: !Ref Topic
            """, [Expected("template-logical-id", 5, 3, "Topic-Arn")], "output logical id 'Topic-Arn' is not alphanumeric"),
        Case("a parameter id with an underscore is not alphanumeric", """
            Parameters:
              TABLE_NAME:
                Type: String
                Default: chat
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            """, [Expected("template-logical-id", 2, 3, "TABLE_NAME")], "parameter logical id 'TABLE_NAME' is not alphanumeric"),
        Case("a resource written as a bare type name is not a mapping", """
            Resources:
              Topic: AWS::SNS::Topic
            """, [Expected("template-resource-not-mapping", 2, 10, "Topic")], "resource 'Topic' is 'AWS::SNS::Topic', not a mapping with a Type"),
        Case("Fn::ForEach without AWS::LanguageExtensions is a malformed resource", """
            Resources:
              Fn::ForEach::Topics:
              - Name
              - [A, B]
              - Topic${Name}:
                  Type: AWS::SNS::Topic
            """, [Expected("template-resource-not-mapping", 3, 3, "Fn::ForEach::Topics")], "Fn::ForEach needs `Transform: AWS::LanguageExtensions`"),
        Case("a resource without a Type is reported at its logical id", """
            Resources:
              Topic:
                Properties: {}
            """, [Expected("template-resource-missing-type", 2, 3, "Topic")], "resource 'Topic' has no Type"),
        Case("a Type given by !Ref is not a literal string", """
            Resources:
              Topic:
                Type: !Ref TopicType
            """, [Expected("template-resource-type-not-string", 3, 11, "Topic")], "the Type of 'Topic' is a call to Ref"),
        Case("a misspelled type is unknown and the right one is suggested", """
            Resources:
              Topic:
                Type: AWS::SNS::Topc
            """, [Expected("template-unknown-resource-type", 3, 11, "Topic")], "unknown resource type 'AWS::SNS::Topc'; did you mean 'AWS::SNS::Topic'?"),
        Case("a wrongly cased type is unknown and the right casing is suggested", """
            Resources:
              Queue:
                Type: aws::sqs::queue
            """, [Expected("template-unknown-resource-type", 3, 11, "Queue")], "did you mean 'AWS::SQS::Queue'?"),
        Case("an AWS type that does not exist is unknown even with no suggestion", """
            Resources:
              Thing:
                Type: AWS::Nothing::Here
            """, [Expected("template-unknown-resource-type", 3, 11, "Thing")], "unknown resource type 'AWS::Nothing::Here'"),
        Case("an AWS::Serverless type without the transform is refused", """
            Resources:
              Handler:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: nodejs24.x
            """, [Expected("template-serverless-without-transform", 3, 11, "Handler")], "AWS::Serverless::Function exists only with the SAM transform"),
        Case("a lower-case properties key is an unknown attribute", """
            Resources:
              Topic:
                Type: AWS::SNS::Topic
                properties:
                  TopicName: chat
            """, [Expected("template-unknown-resource-attribute", 4, 5, "Topic")], "'properties' is not a resource attribute of 'Topic'; did you mean 'Properties'?"),
        Case("a property indented one level too little is an unknown attribute", """
            Resources:
              Topic:
                Type: AWS::SNS::Topic
                TopicName: chat
            """, [Expected("template-unknown-resource-attribute", 4, 5, "Topic")], "if it is a property, indent it under Properties"),
        Case("Connectors without the SAM transform is an unknown attribute", """
            Resources:
              Topic:
                Type: AWS::SNS::Topic
                Connectors: {}
            """, [Expected("template-unknown-resource-attribute", 4, 5, "Topic")], "'Connectors' is not a resource attribute"),
        Case("a misspelled DeletionPolicy value is refused", """
            Resources:
              Topic:
                Type: AWS::SNS::Topic
                DeletionPolicy: retain
            """, [Expected("template-policy-value", 4, 21, "Topic")], "DeletionPolicy 'retain' of 'Topic' is not one of Delete, Retain, RetainExceptOnCreate, Snapshot; did you mean 'Retain'?"),
        Case("RetainExceptOnCreate is not an UpdateReplacePolicy", """
            Resources:
              Topic:
                Type: AWS::SNS::Topic
                UpdateReplacePolicy: RetainExceptOnCreate
            """, [Expected("template-policy-value", 4, 26, "Topic")], "RetainExceptOnCreate is a DeletionPolicy only"),
        Case("a DeletionPolicy given as a list is refused", """
            Resources:
              Topic:
                Type: AWS::SNS::Topic
                DeletionPolicy: [Retain]
            """, [Expected("template-policy-value", 4, 21, "Topic")], "DeletionPolicy of 'Topic' is a 1-item list"),
        Case("Snapshot on a topic is a warning", """
            Resources:
              Topic:
                Type: AWS::SNS::Topic
                DeletionPolicy: Snapshot
            """, [Expected("template-snapshot-unsupported", 4, 21, "Topic")], "DeletionPolicy Snapshot on 'Topic' (AWS::SNS::Topic) has nothing to snapshot"),

        // Fn::GetAtt attributes
        Case("GetAtt of an attribute a topic lacks suggests the suffixed name", """
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            Outputs:
              TopicArn:
                Value: !GetAtt Topic.Arn
            """, [Expected("template-getatt-attribute", 6, 12, "TopicArn")], "'Topic' (AWS::SNS::Topic) has no attribute 'Arn'; did you mean 'TopicArn'?"),
        Case("GetAtt in list form is reported at the attribute", """
            Resources:
              Queue:
                Type: AWS::SQS::Queue
            Outputs:
              QueueArn:
                Value:
                  Fn::GetAtt: [Queue, Aarn]
            """, [Expected("template-getatt-attribute", 7, 27, "QueueArn")], "'Queue' (AWS::SQS::Queue) has no attribute 'Aarn'; did you mean 'Arn'?"),
        Case("a ${Resource.Attribute} in Fn::Sub is checked like GetAtt", """
            Resources:
              Table:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema:
                  - {AttributeName: id, KeyType: HASH}
                  AttributeDefinitions:
                  - {AttributeName: id, AttributeType: S}
                  BillingMode: PAY_PER_REQUEST
            Outputs:
              Stream:
                Value: !Sub 'stream ${Table.StreamARN}'
            """, [Expected("template-getatt-attribute", 12, 12, "Stream")], "has no attribute 'StreamARN'; did you mean 'StreamArn'? (in ${Table.StreamARN})"),
        Case("GetAtt of a Serverless function reads the Lambda function's attributes", """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Handler:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: nodejs24.x
                  Handler: index.handler
                  CodeUri: src/
            Outputs:
              HandlerName:
                Value: !GetAtt Handler.FunctionName
            """, [Expected("template-getatt-attribute", 11, 12, "HandlerName")], "'Handler' (AWS::Serverless::Function) has no attribute 'FunctionName'"),

        // Lambda limits
        Case("a Lambda timeout of 901 seconds is out of range", """
            Resources:
              Handler:
                Type: AWS::Lambda::Function
                Properties:
                  Timeout: 901
                  MemorySize: '128'
            """, [Expected("template-lambda-timeout", 5, 16, "Handler")], "Timeout 901 of function 'Handler' is outside Lambda's 1–900 seconds"),
        Case("a Lambda timeout of zero written as a string is out of range", """
            Resources:
              Handler:
                Type: AWS::Lambda::Function
                Properties:
                  Timeout: '0'
            """, [Expected("template-lambda-timeout", 5, 16, "Handler")], "Timeout 0 of function 'Handler'"),
        Case("a Lambda timeout that is not a number is refused", """
            Resources:
              Handler:
                Type: AWS::Lambda::Function
                Properties:
                  Timeout: ten
            """, [Expected("template-lambda-timeout", 5, 16, "Handler")], "Timeout of function 'Handler' is 'ten', not a whole number"),
        Case("a Globals timeout above 900 is out of range", """
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function:
                Timeout: 1000
            Resources:
              Handler:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: nodejs24.x
            """, [Expected("template-lambda-timeout", 4, 14)], "Timeout 1000 of Globals.Function is outside Lambda's 1–900 seconds"),
        Case("a memory size of 64 MB is out of range", """
            Resources:
              Handler:
                Type: AWS::Lambda::Function
                Properties:
                  MemorySize: 64
            """, [Expected("template-lambda-memory", 5, 19, "Handler")], "MemorySize 64 of function 'Handler' is outside Lambda's 128–10240 MB"),
        Case("a memory size above 10240 MB on a SAM function is out of range", """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Handler:
                Type: AWS::Serverless::Function
                Properties:
                  MemorySize: 10241
            """, [Expected("template-lambda-memory", 6, 19, "Handler")], "MemorySize 10241 of function 'Handler'"),
        Case("a timeout from a parameter whose default is out of range is a warning", """
            Parameters:
              LambdaTimeout:
                Type: Number
                Default: 1000
            Resources:
              Handler:
                Type: AWS::Lambda::Function
                Properties:
                  Timeout: !Ref LambdaTimeout
            """, [Expected("template-lambda-parameter-default", 9, 16, "Handler")], "Timeout of function 'Handler' is parameter 'LambdaTimeout', whose default 1000 is outside Lambda's 1–900 seconds"),

        // Runtimes
        Case("a deprecated runtime that can still be created on is a warning", """
            Resources:
              Handler:
                Type: AWS::Lambda::Function
                Properties:
                  Runtime: nodejs18.x
            """, [Expected("template-runtime-deprecated", 5, 16, "Handler")],
             "runtime nodejs18.x of function 'Handler' is deprecated since 2025-09-01 and Lambda blocks creating functions on it from 2027-02-01; move to nodejs24.x"),
        Case("a deprecated runtime without a published block date is a warning", """
            Resources:
              Handler:
                Type: AWS::Lambda::Function
                Properties:
                  Runtime: dotnet9
            """, [Expected("template-runtime-deprecated", 5, 16, "Handler")], "runtime dotnet9 of function 'Handler' is deprecated since 2026-11-10; move to dotnet10"),
        Case("a runtime past its create-block date is an error", """
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function:
                Runtime: nodejs14.x
            Resources:
              Handler:
                Type: AWS::Serverless::Function
            """, [Expected("template-runtime-blocked", 4, 14)],
             "runtime nodejs14.x of Globals.Function is deprecated since 2023-12-04 and Lambda refuses to create functions on it since 2024-01-09 and will refuse updates from 2027-03-03; move to nodejs24.x"),
        Case("a misspelled runtime is unknown and the right one is suggested", """
            Resources:
              Handler:
                Type: AWS::Lambda::Function
                Properties:
                  Runtime: nodejs24
            """, [Expected("template-runtime-unknown", 5, 16, "Handler")], "unknown Lambda runtime 'nodejs24' on function 'Handler'; did you mean 'nodejs24.x'?"),

        // DynamoDB
        Case("a TTL attribute in AttributeDefinitions is not a key", """
            Resources:
              Connections:
                Type: AWS::DynamoDB::Table
                Properties:
                  AttributeDefinitions:
                  - AttributeName: sessionId
                    AttributeType: S
                  - AttributeName: expiresAt
                    AttributeType: N
                  KeySchema:
                  - AttributeName: sessionId
                    KeyType: HASH
                  BillingMode: PAY_PER_REQUEST
            """, [Expected("template-dynamodb-attribute-unused", 8, 24, "Connections")],
             "attribute 'expiresAt' of table 'Connections' is defined but is not a key of the table or of any index; CloudFormation refuses it"),
        Case("an index key without a definition is undefined", """
            Resources:
              Connections:
                Type: AWS::DynamoDB::GlobalTable
                Properties:
                  AttributeDefinitions:
                  - {AttributeName: sessionId, AttributeType: S}
                  KeySchema:
                  - {AttributeName: sessionId, KeyType: HASH}
                  GlobalSecondaryIndexes:
                  - IndexName: byConnection
                    KeySchema:
                    - {AttributeName: connectionId, KeyType: HASH}
                    Projection: {ProjectionType: KEYS_ONLY}
            """, [Expected("template-dynamodb-key-undefined", 12, 27, "Connections")],
             "key attribute 'connectionId' of table 'Connections' has no entry in AttributeDefinitions"),
        Case("IgnoreGlobals on a plain CloudFormation resource is refused", """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Topic:
                Type: AWS::SNS::Topic
                IgnoreGlobals: '*'
            """, [Expected("template-unknown-resource-attribute", 5, 5, "Topic")], "IgnoreGlobals applies only to AWS::Serverless resources"),

        // ${…} outside Fn::Sub (cfn-lint's E1029)
        Case("a pseudo parameter in a piece of Fn::Join is published literally", """
            Resources:
              Api:
                Type: AWS::ApiGatewayV2::Api
                Properties: {Name: ws, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}
            Outputs:
              WebSocketURL:
                Value: !Join ['', ['wss://', !Ref Api, '.execute-api.', !Ref 'AWS::Region', '.${AWS::URLSuffix}/', prod]]
            """, [Expected("template-sub-needed", 7, 81, "WebSocketURL")],
             "'${AWS::URLSuffix}' is outside Fn::Sub, so CloudFormation never substitutes it: the value will contain it literally; write the string with !Sub"),
        Case("a parameter and a resource attribute in a plain property string are both named, once", """
            Parameters:
              Stage: {Type: String}
            Resources:
              Queue:
                Type: AWS::SQS::Queue
              Topic:
                Type: AWS::SNS::Topic
                Properties:
                  TopicName: "${Stage}-${Queue.QueueName}-${Stage}"
            """, [Expected("template-sub-needed", 9, 18, "Topic")],
             "'${Stage}' and '${Queue.QueueName}' are outside Fn::Sub"),
        Case("an IAM statement with an account id outside Fn::Sub, beside a policy variable", """
            Resources:
              Policy:
                Type: AWS::IAM::ManagedPolicy
                Properties:
                  PolicyDocument:
                    Version: '2012-10-17'
                    Statement:
                    - Effect: Allow
                      Action: s3:GetObject
                      Resource: arn:aws:s3:::bucket-${AWS::AccountId}/${aws:username}/*
            """, [Expected("template-sub-needed", 10, 21, "Policy")], "'${AWS::AccountId}' is outside Fn::Sub"),
        Case("a variable in a SAM Globals value is reported under Globals", """
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              Table: {Type: String}
            Globals:
              Function:
                Environment:
                  Variables:
                    TABLE: ${Table}
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: {Runtime: python3.13, Handler: app.handler, CodeUri: src/, Environment: {Variables: {TABLE_NAME: !Ref Table}}}
            """, [Expected("template-sub-needed", 8, 16)], "'${Table}' is outside Fn::Sub"),
        Case("a Step Functions definition variable that DefinitionSubstitutions does not define", """
            Parameters:
              Arn: {Type: String}
            Resources:
              Machine:
                Type: AWS::StepFunctions::StateMachine
                Properties:
                  RoleArn: arn:aws:iam::123456789012:role/abc
                  DefinitionString: '{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "${Arn}", "Next": "B"}, "B": {"Type": "Task", "Resource": "${Fn}", "End": true}}}'
                  DefinitionSubstitutions:
                    Fn: arn:aws:lambda:eu-west-1:123456789012:function:f
            """, [Expected("template-sub-needed", 8, 25, "Machine")], "'${Arn}' is outside Fn::Sub"),

        // Outputs
        Case("an output without a Value is refused at its logical id", """
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            Outputs:
              TopicArn:
                Description: the topic
            """, [Expected("template-output-value", 5, 3, "TopicArn")], "output 'TopicArn' has no Value"),
        Case("an output whose Value is empty is refused at the Value key", """
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            Outputs:
              TopicArn:
                Value:
            """, [Expected("template-output-value", 6, 5, "TopicArn")], "the Value of output 'TopicArn' is empty"),
        Case("an output written as a bare value is not a mapping with a Value", """
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            Outputs:
              TopicArn: !Ref Topic
            """, [Expected("template-output-value", 5, 13, "TopicArn")], "output 'TopicArn' is a call to Ref, not a mapping with a Value"),
        Case("Fn::ForEach in Outputs without AWS::LanguageExtensions is not an output", """
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            Outputs:
              Fn::ForEach::Arns:
              - Name
              - [A, B]
              - Arn${Name}:
                  Value: !Ref Topic
            """, [Expected("template-output-value", 6, 3, "Fn::ForEach::Arns")], "Fn::ForEach needs `Transform: AWS::LanguageExtensions`"),
        Case("a misspelled Value is a key outputs do not have, and leaves the output without a Value", """
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            Outputs:
              TopicArn:
                Values: !Ref Topic
            """, [Expected("template-output-value", 5, 3, "TopicArn"), Expected("template-output-key", 6, 5, "TopicArn")],
            "output 'TopicArn' has no Value"),
        Case("an Export without a Name is refused at the Export", """
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            Outputs:
              TopicArn:
                Value: !Ref Topic
                Export:
                  Value: !Sub ${AWS::StackName}-TopicArn
            """, [Expected("template-export-name", 7, 5, "TopicArn")], "the Export of output 'TopicArn' has no Name"),
        Case("an Export written as the name itself is not a mapping with a Name", """
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            Outputs:
              TopicArn:
                Value: !Ref Topic
                Export: !Sub ${AWS::StackName}-TopicArn
            """, [Expected("template-export-name", 7, 13, "TopicArn")], "the Export of output 'TopicArn' is a call to Fn::Sub, not a mapping with a Name"),
        Case("a Lambda environment variable named with hyphens is refused at its name", """
            Resources:
              Fn:
                Type: AWS::Lambda::Function
                Properties:
                  Role: arn:aws:iam::123456789012:role/fn
                  Code: {ZipFile: "exports.handler = async () => 1"}
                  Environment:
                    Variables:
                      TABLE-NAME: chat
            """, [Expected("template-lambda-environment-name", 9, 11, "Fn")],
             "environment variable 'TABLE-NAME' of function 'Fn' is not a name Lambda accepts (a letter, then letters, digits or '_', at least two characters); use underscores: 'TABLE_NAME'"),
        Case("a one-letter environment variable name is refused", """
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function:
                Environment:
                  Variables:
                    X: one
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: {Runtime: python3.13, Handler: app.handler, CodeUri: s3://bucket/app.zip}
            """, [Expected("template-lambda-environment-name", 6, 9)], "environment variable 'X' of Globals.Function is not a name Lambda accepts"),
        Case("an environment variable Lambda reserves is refused", """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: python3.13
                  Handler: app.handler
                  CodeUri: s3://bucket/app.zip
                  Environment: {Variables: {AWS_REGION: eu-west-1}}
            """, [Expected("template-lambda-environment-name", 9, 33, "Fn")],
             "environment variable 'AWS_REGION' of function 'Fn' is reserved by Lambda"),
        Case("a table without BillingMode is provisioned and needs throughput", """
            Resources:
              Table:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
            """, [Expected("template-dynamodb-throughput", 4, 5, "Table")],
             "table 'Table' is PROVISIONED (BillingMode's default) but has no ProvisionedThroughput"),
        Case("a provisioned table's global index needs its own throughput", """
            Resources:
              Table:
                Type: AWS::DynamoDB::Table
                Properties:
                  BillingMode: PROVISIONED
                  ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: other, AttributeType: S}]
                  GlobalSecondaryIndexes:
                  - IndexName: byOther
                    KeySchema: [{AttributeName: other, KeyType: HASH}]
                    Projection: {ProjectionType: ALL}
            """, [Expected("template-dynamodb-throughput", 10, 9, "Table")],
             "index 'byOther' of PROVISIONED table 'Table' has no ProvisionedThroughput"),
        Case("an on-demand table with capacity units is refused at the units", """
            Resources:
              Table:
                Type: AWS::DynamoDB::Table
                Properties:
                  BillingMode: PAY_PER_REQUEST
                  ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
            """, [Expected("template-dynamodb-throughput", 6, 50, "Table")],
             "table 'Table' is PAY_PER_REQUEST but sets ReadCapacityUnits to 5"),
        Case("an export name written as a list is not a string", """
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            Outputs:
              TopicArn:
                Value: !Ref Topic
                Export:
                  Name: [meno, topic]
            """, [Expected("template-export-name", 8, 13, "TopicArn")], "the export name of output 'TopicArn' is a 2-item list, not a string"),
        Case("an underscore in the literal text of an export name is refused", """
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            Outputs:
              TopicArn:
                Value: !Ref Topic
                Export:
                  Name: !Sub ${AWS::StackName}_topic.arn
            """, [Expected("template-export-name-characters", 8, 13, "TopicArn")],
            "export name '${AWS::StackName}_topic.arn' of output 'TopicArn' contains '_', '.'"),
        Case("an empty export name is refused", """
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            Outputs:
              TopicArn:
                Value: !Ref Topic
                Export: {Name: ''}
            """, [Expected("template-export-name-characters", 7, 20, "TopicArn")], "the export name of output 'TopicArn' is empty"),
        Case("a letter outside ASCII in an export name is a warning, since AWS does not say", """
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            Outputs:
              TopicArn:
                Value: !Ref Topic
                Export: {Name: Thema-Größe}
            """, [Expected("template-export-name-unicode", 7, 20, "TopicArn")], "contains 'ö', 'ß'"),
        Case("two outputs exporting the same expression collide at the second", """
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            Outputs:
              TopicArn:
                Value: !Ref Topic
                Export: {Name: !Sub '${AWS::StackName}-Topic'}
              TopicName:
                Value: !GetAtt Topic.TopicName
                Export:
                  Name: !Join ['-', [!Ref AWS::StackName, Topic]]
            """, [Expected("template-export-name-duplicate", 11, 13, "TopicName")],
            "output 'TopicName' exports '${AWS::StackName}-Topic', as output 'TopicArn' already does"),
    ]

    @Test("Every rule of the family is exercised by a template that triggers it")
    func everyRuleExercised() {
        var triggered = Set(Self.reported.flatMap { $0.expected.map(\.rule) })
        triggered.formUnion(Self.findings(Self.malformedIntrinsics).map(\.rule.id))
        triggered.formUnion(Self.findings(TemplateLimitTests.topics(501)).map(\.rule.id))
        #expect(Set(TemplateRules.rules.map(\.id)).subtracting(triggered).isEmpty)
    }

    @Test("Each defect is reported once, by the right rule, at the offending node", arguments: reported)
    func reportedCase(_ row: Case) {
        let diagnostics = Self.findings(row.yaml)
        #expect(diagnostics.map(Expected.init) == row.expected)
        #expect(diagnostics.first?.message.contains(row.message) == true, "\(diagnostics.first?.message ?? "no finding")")
    }

    // MARK: - Intrinsic shapes

    static let malformedIntrinsics = """
        Conditions:
          Eq: !Equals [a]
          Both: !And [Condition: Eq]
          Either: !Or [Condition: Eq]
          Neither: !Not [Condition: Eq, Condition: Eq]
        Resources:
          Topic:
            Type: AWS::SNS::Topic
        Outputs:
          Sub:
            Value: !Sub [{Name: x}, '${Name}']
          Join:
            Value: !Join [',', a, b]
          JoinDelimiter:
            Value: !Join [!Ref D, [a, b]]
          GetAtt:
            Value: !GetAtt Topic
          Ref:
            Value: !Ref [Topic]
          Select:
            Value: !Select [first, [a, b]]
          If:
            Value: !If [Eq, a]
          FindInMap:
            Value: !FindInMap [Map, Key]
          Split:
            Value: !Split [',']
          GetAZs:
            Value: !GetAZs [us-east-1]
          ImportValue:
            Value: !ImportValue [Export]
          Base64:
            Value: !Base64 {text: x}
          Cidr:
            Value: !Cidr [10.0.0.0/16, 4]
        """

    @Test("Every malformed intrinsic is reported at the call, in short form")
    func malformedShortForms() {
        let diagnostics = Self.findings(Self.malformedIntrinsics)
        let outputs = ["Sub", "Join", "JoinDelimiter", "GetAtt", "Ref", "Select", "If", "FindInMap", "Split", "GetAZs", "ImportValue", "Base64", "Cidr"]
        let expected = [
            Expected("template-intrinsic-shape", 2, 7, "Eq"), Expected("template-intrinsic-shape", 3, 9, "Both"),
            Expected("template-intrinsic-shape", 4, 11, "Either"), Expected("template-intrinsic-shape", 5, 12, "Neither"),
        ] + outputs.enumerated().map { Expected("template-intrinsic-shape", 11 + 2 * $0.offset, 12, $0.element) }
        #expect(diagnostics.map(Expected.init) == expected)
        let messages = diagnostics.map(\.message)
        #expect(messages.contains("Fn::Sub's arguments are swapped: write the string first, then the mapping of variables"))
        #expect(messages.contains("Fn::Join's delimiter must be a literal string, not a call to Ref"))
        #expect(messages.contains("Fn::Select's index must be a whole number, not 'first'"))
        #expect(messages.contains("Fn::Or takes a list of 2 to 10 conditions, not a 1-item list"))
        #expect(diagnostics.first { $0.logicalId == "Cidr" }?.path == "Outputs/Cidr/Value")
    }

    @Test("Malformed intrinsics in JSON long form are reported at the call's mapping")
    func malformedLongForms() {
        let diagnostics = Self.findings("""
            {
              "Resources": {
                "Topic": {
                  "Type": "AWS::SNS::Topic",
                  "Properties": {
                    "TopicName": {"Fn::Join": ["-", "a", "b"]},
                    "DisplayName": {"Fn::GetAtt": ["Topic"]}
                  }
                }
              }
            }
            """)
        #expect(diagnostics.map(Expected.init) == [
            Expected("template-intrinsic-shape", 6, 22, "Topic"), Expected("template-intrinsic-shape", 7, 24, "Topic"),
        ])
        #expect(diagnostics.first?.path == "Resources/Topic/Properties/TopicName")
    }

    // MARK: - Near misses that must not be reported

    struct NearMiss: CustomTestStringConvertible, Sendable {
        let name: String
        let yaml: String
        var testDescription: String { name }

        init(_ name: String, _ yaml: String) {
            self.name = name
            self.yaml = yaml
        }
    }

    static let nearMisses: [NearMiss] = [
        NearMiss("Lambda environment names of letters, digits and underscores, and tables whose throughput fits their mode", """
            Parameters:
              Mode: {Type: String, AllowedValues: [PROVISIONED, PAY_PER_REQUEST]}
            Resources:
              Fn:
                Type: AWS::Lambda::Function
                Properties:
                  Role: arn:aws:iam::123456789012:role/fn
                  Code: {ZipFile: "exports.handler = async () => 1"}
                  Environment: {Variables: {TABLE_NAME: chat, a1: x, AWS_REGION_NAME: eu-west-1}}
              Zero:
                Type: AWS::DynamoDB::Table
                Properties:
                  BillingMode: PAY_PER_REQUEST
                  ProvisionedThroughput: {ReadCapacityUnits: 0, WriteCapacityUnits: 0}
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
              Chosen:
                Type: AWS::DynamoDB::Table
                Properties:
                  BillingMode: !Ref Mode
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
              Provisioned:
                Type: AWS::DynamoDB::Table
                Properties:
                  ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
              Included:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  Fn::Transform: {Name: AWS::Include, Parameters: {Location: s3://bucket/throughput.yaml}}
            """),
        NearMiss("outputs with every key, exports of distinct or unknown names, and conditional twins", """
            Parameters:
              Prefix: {Type: String}
            Conditions:
              IsProd: !Equals [!Ref Prefix, prod]
              IsTest: !Not [!Condition IsProd]
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            Outputs:
              TopicArn:
                Description: the topic
                Value: !Ref Topic
                Export: {Name: !Sub '${AWS::StackName}:Topic-Arn'}
              TopicName:
                Value: !GetAtt Topic.TopicName
                Export: {Name: !Sub '${Prefix}-TopicName'}
              Imported:
                Value: !Ref Topic
                Export: {Name: !ImportValue SharedName}
              AlsoImported:
                Value: !Ref Topic
                Export: {Name: !ImportValue OtherName}
              ProdTopic:
                Condition: IsProd
                Value: !Ref Topic
                Export: {Name: !Sub '${Prefix}-Shared'}
              TestTopic:
                Condition: IsTest
                Value: !Ref Topic
                Export: {Name: !Sub '${Prefix}-Shared'}
              NamedByParameter:
                Value: !Ref Topic
                Export: {Name: !Ref Prefix}
              NoExport:
                Value: !Ref Topic
                Export:
            """),
        NearMiss("Fn::ForEach outputs under AWS::LanguageExtensions are loops, not outputs", """
            Transform: AWS::LanguageExtensions
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            Outputs:
              Fn::ForEach::Arns:
              - Name
              - [A, B]
              - Arn${Name}:
                  Value: !Ref Topic
            """),
        NearMiss("every section CloudFormation defines, with Globals under SAM", """
            AWSTemplateFormatVersion: 2010-09-09
            Transform: AWS::Serverless-2016-10-31
            Description: \(String(repeating: "é", count: 512))
            Metadata: {}
            Parameters: {}
            Rules: {}
            Mappings: {}
            Conditions: {}
            Globals:
              Function:
                Timeout: 900
                MemorySize: 10240
                Runtime: nodejs24.x
            Resources:
              Handler:
                Type: AWS::Serverless::Function
                Connectors:
                  Write:
                    Properties:
                      Destination: {Id: Topic}
                      Permissions: [Write]
                IgnoreGlobals: [Timeout]
              Topic:
                Type: AWS::SNS::Topic
            Outputs:
              HandlerArn:
                Value: !GetAtt Handler.Arn
              AliasName:
                Value: !Sub '${Handler.Alias}'
            """),
        NearMiss("a macro transform may define sections, types and attributes", """
            Transform: [AWS::Serverless-2016-10-31, MyCompanyMacro]
            Includes: [base.yaml]
            Resources:
              Widget:
                Type: MyCompany::Widget
                Owner: team
            """),
        NearMiss("custom and third-party resource types are known or not ours to judge", """
            Resources:
              Custom:
                Type: Custom::Seeder
              Generic:
                Type: AWS::CloudFormation::CustomResource
              Registry:
                Type: Initech::TPS::Report
              Module:
                Type: Initech::Network::Vpc::MODULE
            Outputs:
              Anything:
                Value: !GetAtt Custom.WhateverTheHandlerReturns
            """),
        NearMiss("resource attributes, policies and intrinsic policies are accepted", """
            Conditions:
              IsProd: !Equals [!Ref 'AWS::StackName', prod]
            Resources:
              Database:
                Type: AWS::RDS::DBInstance
                Condition: IsProd
                DependsOn: [Topic]
                DeletionPolicy: Snapshot
                UpdateReplacePolicy: Snapshot
                Metadata: {}
                CreationPolicy: {}
                UpdatePolicy: {}
                Version: '1.0'
                Properties: {}
              Topic:
                Type: AWS::SNS::Topic
                DeletionPolicy: !If [IsProd, Retain, Delete]
                UpdateReplacePolicy: Retain
            """),
        NearMiss("GetAtt that cannot be checked is left to others", """
            Parameters:
              Attribute:
                Type: String
            Resources:
              Queue:
                Type: AWS::SQS::Queue
            Outputs:
              Missing:
                Value: !GetAtt Nowhere.Arn
              Computed:
                Value: !GetAtt [Queue, !Ref Attribute]
              Local:
                Value: !Sub ['${Queue.Nothing}', {Queue.Nothing: x}]
              Dotted:
                Value: !GetAtt Queue.QueueUrl
            """),
        NearMiss("well-formed intrinsics of every kind are accepted", """
            Parameters:
              Subnets:
                Type: CommaDelimitedList
            Mappings:
              Map:
                Key: {Value: x}
            Conditions:
              Eq: !Equals [!Ref 'AWS::Region', us-east-1]
              Both: !And [!Condition Eq, !Not [!Condition Eq]]
              Either:
                Fn::Or: [{Condition: Eq}, {Condition: Eq}, !Equals [a, b]]
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            Outputs:
              Sub:
                Value: !Sub ['${Name}-${AWS::Region}', {Name: !Ref Topic}]
              Join:
                Value: !Join ['', [a, !Ref Topic]]
              JoinRef:
                Value: !Join [',', !Ref Subnets]
              GetAtt:
                Value: !GetAtt [Topic, TopicName]
              Select:
                Value: !Select [0, !GetAZs '']
              SelectRef:
                Value: !Select ['1', !Ref Subnets]
              If:
                Value: !If [Eq, a, !Ref 'AWS::NoValue']
              FindInMap:
                Value: !FindInMap [Map, Key, Value]
              Split:
                Value: !Select [0, !Split [',', !ImportValue Exported]]
              Base64:
                Value: !Base64 {'Fn::Sub': 'x'}
              Cidr:
                Value: !Select [0, !Cidr [10.0.0.0/16, 4, 8]]
              Transformed:
                Value:
                  Fn::Sub:
                    Fn::Transform: {Name: Snippet}
            """),
        NearMiss("language extensions allow ForEach, computed names and FindInMap defaults", """
            Transform: AWS::LanguageExtensions
            Mappings:
              Map:
                Key: {Value: x}
            Resources:
              Fn::ForEach::Topics:
              - Name
              - [A, B]
              - Topic${Name}:
                  Type: AWS::SNS::Topic
                  DeletionPolicy: !FindInMap [Map, Key, Value, {DefaultValue: Retain}]
            Outputs:
              Fn::ForEach::Arns:
              - Name
              - [A, B]
              - Arn${Name}:
                  Value: !GetAtt [!Sub 'Topic${Name}', TopicArn]
            """),
        NearMiss("Lambda limits at their bounds, as numbers or strings, or from parameters in range", """
            Parameters:
              Timeout:
                Type: Number
                Default: 29
              Memory:
                Type: Number
            Resources:
              Small:
                Type: AWS::Lambda::Function
                Properties:
                  Timeout: 1
                  MemorySize: '128'
                  Runtime: python3.13
              Large:
                Type: AWS::Lambda::Function
                Properties:
                  Timeout: '900'
                  MemorySize: 10240.0
                  Runtime: !Ref Runtime
              Parameterised:
                Type: AWS::Lambda::Function
                Properties:
                  Timeout: !Ref Timeout
                  MemorySize: !Ref Memory
                  Runtime: !If [IsArm, provided.al2023, nodejs24.x]
              Queue:
                Type: AWS::SQS::Queue
                Properties:
                  Timeout: 5000
            """),
        NearMiss("DynamoDB tables whose definitions match their keys, or that use intrinsics", """
            Conditions:
              WithIndex: !Equals [a, a]
            Resources:
              Exact:
                Type: AWS::DynamoDB::Table
                Properties:
                  BillingMode: PAY_PER_REQUEST
                  AttributeDefinitions:
                  - {AttributeName: pk, AttributeType: S}
                  - {AttributeName: sk, AttributeType: S}
                  - {AttributeName: gsi, AttributeType: S}
                  KeySchema:
                  - {AttributeName: pk, KeyType: HASH}
                  - {AttributeName: sk, KeyType: RANGE}
                  LocalSecondaryIndexes:
                  - IndexName: bySk
                    KeySchema:
                    - {AttributeName: pk, KeyType: HASH}
                    - {AttributeName: sk, KeyType: RANGE}
                    Projection: {ProjectionType: ALL}
                  GlobalSecondaryIndexes:
                  - IndexName: byGsi
                    KeySchema:
                    - {AttributeName: gsi, KeyType: HASH}
                    Projection: {ProjectionType: ALL}
              Conditional:
                Type: AWS::DynamoDB::Table
                Properties:
                  BillingMode: PAY_PER_REQUEST
                  AttributeDefinitions:
                  - {AttributeName: pk, AttributeType: S}
                  - {AttributeName: gsi, AttributeType: S}
                  KeySchema:
                  - {AttributeName: pk, KeyType: HASH}
                  GlobalSecondaryIndexes: !If
                  - WithIndex
                  - - IndexName: byGsi
                      KeySchema:
                      - {AttributeName: gsi, KeyType: HASH}
                      Projection: {ProjectionType: ALL}
                  - !Ref AWS::NoValue
            """),
        NearMiss("${} inside Fn::Sub, in both forms and in its variable map, is substituted", """
            Parameters:
              Stage: {Type: String}
            Resources:
              Topic:
                Type: AWS::SNS::Topic
                Properties:
                  TopicName: !Sub '${Stage}-topic'
                  DisplayName: {'Fn::Sub': ['${Name}-${AWS::Region}', {Name: '${Stage}'}]}
            """),
        NearMiss("${!Literal} is text, and names the template does not declare are another tool's (IAM, VTL, the Serverless Framework)", """
            Parameters:
              Stage: {Type: String}
            Resources:
              Topic:
                Type: AWS::SNS::Topic
                Properties:
                  TopicName: ${!Stage}-${self:custom.stage}-${aws:username}-${context.arguments.id}
                  DisplayName: !Ref Stage
            """),
        NearMiss("Metadata, Parameters and other languages' text keep their ${}", """
            Transform: AWS::Serverless-2016-10-31
            Metadata:
              Note: deploys to ${Stage}
            Parameters:
              Stage: {Type: String, Description: 'the ${Stage} of the app'}
            Resources:
              Build:
                Type: AWS::CodeBuild::Project
                Metadata: {Note: '${Stage}'}
                Properties:
                  Name: !Ref Stage
                  ServiceRole: arn:aws:iam::123456789012:role/build
                  Artifacts: {Type: NO_ARTIFACTS}
                  Environment: {ComputeType: BUILD_GENERAL1_SMALL, Image: aws/codebuild/standard:7.0, Type: LINUX_CONTAINER}
                  Source: {Type: NO_SOURCE, BuildSpec: "version: 0.2\nphases: {build: {commands: [echo ${Stage}]}}"}
              Host:
                Type: AWS::EC2::Instance
                Properties: {ImageId: ami-12345678, UserData: "#!/bin/sh\necho ${Stage}"}
              Inline:
                Type: AWS::Serverless::Function
                Properties: {Runtime: nodejs22.x, Handler: index.handler, InlineCode: "exports.handler = async (Stage) => `${Stage}`;"}
              Resolver:
                Type: AWS::AppSync::Resolver
                Properties:
                  ApiId: abc
                  TypeName: Query
                  FieldName: get
                  RequestMappingTemplate: '{"key": "${Stage}"}'
                  Code: 'export function request(Stage) { return `${Stage}`; }'
              Document:
                Type: AWS::SSM::Document
                Properties: {DocumentType: Command, Content: {schemaVersion: '2.2', mainSteps: [{action: 'aws:runShellScript', name: run, inputs: {runCommand: ['echo ${Stage}']}}]}}
              Machine:
                Type: AWS::StepFunctions::StateMachine
                Properties:
                  RoleArn: arn:aws:iam::123456789012:role/abc
                  Definition: {StartAt: A, States: {A: {Type: Task, Resource: '${Stage}', End: true}}}
                  DefinitionSubstitutions: {Stage: arn:aws:lambda:eu-west-1:123456789012:function:f}
              Route:
                Type: AWS::ApiGatewayV2::Integration
                Properties: {ApiId: abc, IntegrationType: AWS, RequestTemplates: {json: '{"stage": "${Stage}"}'}}
            """),
        NearMiss("a macro Transform may substitute ${} itself", """
            Transform: [AWS::Serverless-2016-10-31, MyMacro]
            Parameters:
              Stage: {Type: String}
            Resources:
              Topic:
                Type: AWS::SNS::Topic
                Properties: {TopicName: '${Stage}'}
            """),
    ]

    @Test("Near misses produce no template finding", arguments: nearMisses)
    func nearMiss(_ row: NearMiss) {
        let diagnostics = Self.findings(row.yaml)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
    }

    // MARK: - Whole templates

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("The rendered realtime stacks produce no template finding",
          arguments: ["templates/realtime/template.yaml", "Tests/Fixtures/six-routes.template.yaml"])
    func renderedStack(_ path: String) throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8)
        let handlers = ["connect", "disconnect", "default", "chat-send", "presence-update", "chat-typing"]
        let diagnostics = validate(text, families: [.template], existing: Set(handlers.map { "/stack/lambda/realtime/\($0)/" }))
        #expect(!text.isEmpty)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
    }

    @Test("A deprecated runtime in the rendered stack would be caught")
    func renderedStackWithOldRuntime() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("templates/realtime/template.yaml"), encoding: .utf8)
        let diagnostics = validate(text.replacingOccurrences(of: "Runtime: nodejs24.x", with: "Runtime: nodejs20.x"), families: [.template])
        #expect(diagnostics.map(\.rule.id) == ["template-runtime-deprecated"])
        #expect(diagnostics.first?.path == "Globals/Function/Runtime")
    }

    @Test("Every rule has an id in the family, a title and an explanation")
    func ruleDeclarations() {
        let rules = TemplateRules.rules
        #expect(Set(rules.map(\.id)).count == rules.count)
        for rule in rules {
            #expect(rule.id.hasPrefix("template-"))
            #expect(rule.family == .template)
            #expect(!rule.title.isEmpty && !rule.title.hasSuffix("."))
            #expect(rule.explanation.count > 80)
        }
    }

    // MARK: - Outputs of the rendered stack, one edit each

    struct StackEdit: CustomTestStringConvertible, Sendable {
        let name: String
        let edits: [WebSocketFixture.Edit]
        let expected: [Expected]
        let message: String
        var testDescription: String { name }
    }

    static let outputEdits: [StackEdit] = [
        StackEdit(name: "the API id output without its Value", edits: [
            WebSocketFixture.Edit("    Value: !Ref WebSocketApi\n", ""),
        ], expected: [Expected("template-output-value", 406, 3, "WebSocketApiId")], message: "output 'WebSocketApiId' has no Value"),
        StackEdit(name: "an export name with an underscore", edits: [
            WebSocketFixture.Edit("    Value: !Ref WebSocketApi\n", "    Value: !Ref WebSocketApi\n    Export:\n      Name: !Sub ${AWS::StackName}_ApiId\n"),
        ], expected: [Expected("template-export-name-characters", 410, 13, "WebSocketApiId")],
        message: "export name '${AWS::StackName}_ApiId' of output 'WebSocketApiId' contains '_'"),
        StackEdit(name: "two outputs exporting one name", edits: [
            WebSocketFixture.Edit("    Value: !Ref WebSocketApi\n", "    Value: !Ref WebSocketApi\n    Export: {Name: !Sub '${AWS::StackName}-Id'}\n"),
            WebSocketFixture.Edit("    Value: !Ref ConnectionsTable\n", "    Value: !Ref ConnectionsTable\n    Export: {Name: !Sub '${AWS::StackName}-Id'}\n"),
        ], expected: [Expected("template-export-name-duplicate", 413, 20, "ConnectionsTableName")],
        message: "output 'ConnectionsTableName' exports '${AWS::StackName}-Id', as output 'WebSocketApiId' already does"),
        StackEdit(name: "a misspelled Export key", edits: [
            WebSocketFixture.Edit("    Value: !Ref WebSocketApi\n", "    Value: !Ref WebSocketApi\n    Exports: {Name: !Sub '${AWS::StackName}-ApiId'}\n"),
        ], expected: [Expected("template-output-key", 409, 5, "WebSocketApiId")], message: "'Exports' is not a key of output 'WebSocketApiId'; did you mean 'Export'?"),
    ]

    @Test("An output defect edited into the rendered stack is reported at the defect", arguments: outputEdits)
    func renderedStackOutputs(_ row: StackEdit) throws {
        let text = try #require(WebSocketFixture.mutated(row.edits), "an edit no longer matches the rendered stack")
        let diagnostics = Self.findings(text)
        #expect(diagnostics.map(Expected.init) == row.expected)
        #expect(diagnostics.first?.message.contains(row.message) == true, "\(diagnostics.first?.message ?? "no finding")")
    }

    @Test("The output and export rules report no error on any corpus template AWS or the translator accepts")
    func outputsOnCorpus() throws {
        guard let corpus = Corpus.root else {
            print("corpus: skipped the output rules' corpus run, \(Corpus.absence)")
            return
        }
        let rules = Set(["template-output-value", "template-output-key", "template-export-name", "template-export-name-characters",
                         "template-export-name-unicode", "template-export-name-duplicate"])
        var checked = 0
        var errors: [String] = []
        for folder in ["realworld", "sam/output", "sam/input", "cfn-lint/good"] {
            let directory = corpus + "/" + folder
            for file in try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
            where (file.hasSuffix(".yaml") || file.hasSuffix(".json")) && !file.hasPrefix("error_") {
                guard let text = try? String(contentsOfFile: directory + "/" + file, encoding: .utf8) else { continue }
                checked += 1
                errors += Self.findings(text).filter { rules.contains($0.rule.id) && $0.severity == .error }
                    .map { "\(folder)/\(file): \($0.description)" }
            }
        }
        #expect(checked > 1000)
        #expect(errors.isEmpty, "\(errors.prefix(20))")
    }

    // MARK: - Robustness

    static let oddShapes: [NearMiss] = [
        NearMiss("a resource whose every part is the wrong kind", """
            Resources:
              A:
                Type: AWS::Lambda::Function
                Properties: [Timeout, 10]
              B:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: {AttributeName: id}
                  AttributeDefinitions: id
              C:
                Type: [AWS::SNS::Topic]
              D: ~
              ? [complex, key]
              : Type: AWS::SNS::Topic
            Outputs:
              Broken:
                Value: !GetAtt [[A], [B]]
              RefNumber:
                Value: {Ref: 10}
            """),
        NearMiss("sections of every kind of node", """
            Transform: {Name: AWS::Include, Parameters: {Location: s3://bucket/x.yaml}}
            Globals: 3
            Resources: [a, b]
            Outputs: text
            Description: [a]
            AWSTemplateFormatVersion: {a: b}
            """),
    ]

    @Test("Odd shapes anywhere never crash and give located findings", arguments: oddShapes)
    func oddShape(_ row: NearMiss) {
        let diagnostics = Self.findings(row.yaml)
        #expect(!diagnostics.isEmpty)
        #expect(diagnostics.allSatisfy { $0.line >= 1 && $0.column >= 1 && $0.rule.id.hasPrefix("template-") })
    }

    // MARK: - Real-world corpus

    @Test("The real-world corpus gets no false errors from the template family")
    func corpus() throws {
        guard let corpus = Corpus.root else {
            print("corpus: skipped the template rules' corpus run, \(Corpus.absence)")
            return
        }
        // Files whose errors are justified true positives (see the helper's report):
        // placeholder types, templates that are invalid on purpose, SAM's swapped Fn::Sub.
        let justified: Set<String> = [
            "sam/output/connector_dependson_replace.json", "sam/output/schema_validation_3.json",
            "sam/output/unsupported_resources.json", "sam/output/resource_with_invalid_type.json",
            "sam/output/function_with_resource_refs.json",
            "sam/output/http_api_custom_iam_auth.json", "sam/output/http_api_global_iam_auth_enabled.json",
            "sam/output/http_api_local_iam_auth_enabled.json",
            "cfn-lint/good/custom_is-defined.yaml",
            // A table with neither BillingMode nor ProvisionedThroughput: DynamoDB refuses it
            // (provisioned is the default); cfn-lint reports it too (E3639).
            "sam/output/connector_appsync_to_table.json", "cfn-lint/good/resources_dynamodb_attributes_transform.yaml",
        ]
        var checked = 0
        var unexpected: [String] = []
        for folder in ["sam/output", "cfn-lint/good"] {
            let directory = corpus + "/" + folder
            for file in try FileManager.default.contentsOfDirectory(atPath: directory).sorted() {
                guard let text = try? String(contentsOfFile: directory + "/" + file, encoding: .utf8) else { continue }
                // The translator's expected error reports are not templates.
                if text.contains("\"errorMessage\"") { continue }
                checked += 1
                let errors = Self.findings(text).filter { $0.severity == .error }
                    // An empty Resources section is refused by CloudFormation; cfn-lint's
                    // configuration fixtures have one on purpose.
                    .filter { $0.rule.id != "template-empty-resources" && $0.rule.id != "template-runtime-blocked" }
                if !errors.isEmpty && !justified.contains("\(folder)/\(file)") {
                    unexpected += errors.map { "\(folder)/\(file): \($0.description)" }
                }
            }
        }
        #expect(checked > 500)
        #expect(unexpected.isEmpty, "\(unexpected.prefix(20))")
    }
}
