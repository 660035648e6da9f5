import Foundation
import Testing
import Validation

@Suite("refs rules")
struct RefsRulesTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let yaml: String
        let expected: [Expected]
        let message: String?
        var testDescription: String { name }

        init(_ name: String, _ yaml: String, _ expected: [Expected], _ message: String? = nil) {
            self.name = name
            self.yaml = yaml
            self.expected = expected
            self.message = message
        }
    }

    /// Templates that must trigger exactly the findings listed, each located exactly.
    static let findings: [Case] = [
        Case("a misspelt parameter in a short-form Ref", """
            Parameters:
              TableName:
                Type: String
            Resources:
              Topic:
                Type: AWS::SNS::Topic
                Properties:
                  TopicName: !Ref TabelName
            """, [Expected("refs-unused-parameter", 2, 3, "TableName"), Expected("refs-undefined-ref", 8, 18, "Topic")],
            "ref to 'TabelName' names no parameter, resource or pseudo parameter; did you mean 'TableName'?"),
        Case("a misspelt resource in a long-form JSON Ref", """
            {
              "Resources": {
                "Queue": {"Type": "AWS::SQS::Queue"},
                "Policy": {
                  "Type": "AWS::SQS::QueuePolicy",
                  "Properties": {"Queues": [{"Ref": "Queeu"}], "PolicyDocument": {}}
                }
              }
            }
            """, [Expected("refs-undefined-ref", 6, 41, "Policy")],
            "ref to 'Queeu' names no parameter, resource or pseudo parameter; did you mean 'Queue'?"),
        Case("an unknown pseudo parameter", """
            Resources:
              Topic:
                Type: AWS::SNS::Topic
                Properties:
                  TopicName: !Ref AWS::Regoin
            """, [Expected("refs-undefined-ref", 5, 18, "Topic")],
            "ref to 'AWS::Regoin' names no pseudo parameter; did you mean 'AWS::Region'?"),
        Case("a Ref to an output's unknown name, far from any declared one", """
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            Outputs:
              Arn:
                Value: !Ref SomethingElse
            """, [Expected("refs-undefined-ref", 6, 12, "Arn")],
            "ref to 'SomethingElse' names no parameter, resource or pseudo parameter; declare it under Parameters or Resources, or fix the name"),
        Case("a Ref that tries to read an attribute", """
            Resources:
              Bucket:
                Type: AWS::S3::Bucket
            Outputs:
              Arn:
                Value: !Ref Bucket.Arn
            """, [Expected("refs-undefined-ref", 6, 12, "Arn")],
            "ref to 'Bucket.Arn' names no parameter, resource or pseudo parameter; a Ref cannot read an attribute, use !GetAtt Bucket.Arn"),
        Case("a SAM Version reference on a function without AutoPublishAlias", """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Handler:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: nodejs22.x
                  Handler: index.handler
                  InlineCode: exports.handler = async () => ({})
            Outputs:
              Version:
                Value: !Ref Handler.Version
            """, [Expected("refs-undefined-ref", 11, 12, "Version")],
            "ref to 'Handler.Version' names no parameter, resource or pseudo parameter; SAM resolves no 'Handler.Property' form for Handler as declared, use !GetAtt Handler.Version to read an attribute"),
        Case("Fn::GetAtt on a misspelt resource", """
            Resources:
              Table:
                Type: AWS::DynamoDB::Table
              Fn:
                Type: AWS::Lambda::Function
                Properties:
                  Environment:
                    Variables:
                      TABLE: !GetAtt Tabel.Arn
            """, [Expected("refs-undefined-getatt", 9, 18, "Fn")],
            "Fn::GetAtt Tabel.Arn reads 'Tabel', which is not a resource of this template; did you mean 'Table'?"),
        Case("Fn::GetAtt in list form on a parameter", """
            Parameters:
              Bucket:
                Type: String
            Resources:
              Topic:
                Type: AWS::SNS::Topic
                Properties:
                  TopicName:
                    Fn::GetAtt: [Bucket, Arn]
            """, [Expected("refs-undefined-getatt", 9, 22, "Topic")],
            "Fn::GetAtt Bucket.Arn reads parameter 'Bucket', which has no attributes; use !Ref Bucket for its value"),
        Case("a misspelt ${} in a Sub string", """
            Parameters:
              Stage:
                Type: String
            Resources:
              Topic:
                Type: AWS::SNS::Topic
                Properties:
                  TopicName: !Sub 'chat-${Stag}-${AWS::Region}'
            """, [Expected("refs-unused-parameter", 2, 3, "Stage"), Expected("refs-undefined-sub", 8, 18, "Topic")],
            "${Stag} in Fn::Sub names no parameter, resource, pseudo parameter or Sub variable; did you mean 'Stage'?"),
        Case("a ${Res.Attr} of an undeclared resource in a list-form Sub", """
            Resources:
              Api:
                Type: AWS::ApiGatewayV2::Api
              Topic:
                Type: AWS::SNS::Topic
                Properties:
                  TopicName:
                    Fn::Sub:
                      - '${Ap.ApiEndpoint}/${Suffix}'
                      - Suffix: x
            """, [Expected("refs-undefined-sub", 9, 13, "Topic")],
            "${Ap.ApiEndpoint} in Fn::Sub reads an attribute of 'Ap', which is not a resource of this template; did you mean 'Api'?"),
        Case("a DependsOn entry that names no resource", """
            Resources:
              Table:
                Type: AWS::DynamoDB::Table
              Topic:
                Type: AWS::SNS::Topic
                DependsOn: [Table, Tabel]
            """, [Expected("refs-undefined-depends-on", 6, 24, "Topic")],
            "DependsOn names 'Tabel', which is not a resource of this template; did you mean 'Table'?"),
        Case("a resource that depends on itself", """
            Resources:
              Topic:
                Type: AWS::SNS::Topic
                DependsOn: Topic
            """, [Expected("refs-depends-on-self", 4, 16, "Topic")],
            "'Topic' lists itself in DependsOn, a circular dependency; remove it"),
        Case("a resource Condition that is not declared", """
            Parameters:
              Env:
                Type: String
            Conditions:
              IsProd: !Equals [!Ref Env, prod]
            Resources:
              Topic:
                Type: AWS::SNS::Topic
                Condition: IsProduction
            """, [Expected("refs-unused-condition", 5, 3, "IsProd"), Expected("refs-undefined-condition", 9, 16, "Topic")],
            "condition 'IsProduction' is not declared under Conditions; declare it or fix the name"),
        Case("an Fn::If on a misspelt condition", """
            Parameters:
              Env:
                Type: String
            Conditions:
              IsProd: !Equals [!Ref Env, prod]
            Resources:
              Topic:
                Type: AWS::SNS::Topic
                Condition: IsProd
                Properties:
                  TopicName: !If [IsPord, prod, dev]
            """, [Expected("refs-undefined-condition", 11, 23, "Topic")],
            "condition 'IsPord' is not declared under Conditions; did you mean 'IsProd'?"),
        Case("a Condition inside a condition that is not declared", """
            Parameters:
              Env:
                Type: String
            Conditions:
              IsProd: !Equals [!Ref Env, prod]
              IsLive: !And [!Condition IsProd, !Condition IsPrimary]
            Resources:
              Topic:
                Type: AWS::SNS::Topic
                Condition: IsLive
            """, [Expected("refs-undefined-condition", 6, 36, "IsLive")],
            "condition 'IsPrimary' is not declared under Conditions; declare it or fix the name"),
        Case("Fn::FindInMap on a mapping that is not declared", """
            Mappings:
              Sizes:
                prod: {Memory: 512}
            Resources:
              Fn:
                Type: AWS::Lambda::Function
                Properties:
                  MemorySize: !FindInMap [Size, prod, Memory]
            """, [Expected("refs-unused-mapping", 2, 3, "Sizes"), Expected("refs-undefined-mapping", 8, 31, "Fn")],
            "mapping 'Size' is not declared under Mappings; did you mean 'Sizes'?"),
        Case("Fn::FindInMap with a top-level key the mapping lacks", """
            Mappings:
              Sizes:
                prod: {Memory: 512}
                dev: {Memory: 128}
            Resources:
              Fn:
                Type: AWS::Lambda::Function
                Properties:
                  MemorySize: !FindInMap [Sizes, staging, Memory]
            """, [Expected("refs-undefined-mapping-key", 9, 38, "Fn")],
            "mapping 'Sizes' has no key 'staging'; add it to the mapping"),
        Case("Fn::FindInMap with a second-level key the entry lacks", """
            Mappings:
              Sizes:
                prod: {Memory: 512, Timeout: 10}
            Resources:
              Fn:
                Type: AWS::Lambda::Function
                Properties:
                  MemorySize: !FindInMap [Sizes, prod, Memroy]
            """, [Expected("refs-undefined-mapping-key", 8, 44, "Fn")],
            "mapping 'Sizes' has no key 'Memroy' under 'prod'; did you mean 'Memory'?"),
        Case("Fn::FindInMap by region with a key no entry has", """
            Mappings:
              Amis:
                us-east-1: {Image: ami-1}
                eu-west-1: {Image: ami-2}
            Resources:
              Host:
                Type: AWS::EC2::Instance
                Properties:
                  ImageId: !FindInMap [Amis, !Ref AWS::Region, Ami]
            """, [Expected("refs-undefined-mapping-key", 9, 52, "Host")],
            "no entry of mapping 'Amis' has the key 'Ami'; add it to every entry the lookup may select"),
        Case("a condition that refers to a resource", """
            Resources:
              Bucket:
                Type: AWS::S3::Bucket
                Condition: HasBucket
            Conditions:
              HasBucket: !Not [!Equals [!Ref Bucket, '']]
            """, [Expected("refs-condition-resource", 6, 29, "HasBucket")],
            "condition 'HasBucket' refers to resource 'Bucket'; conditions are evaluated before resources exist and may only refer to parameters"),
        Case("two resources that refer to each other", """
            Resources:
              GroupA:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: a
                  SecurityGroupIngress:
                    - SourceSecurityGroupId: !Ref GroupB
              GroupB:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: b
                  SecurityGroupIngress:
                    - SourceSecurityGroupId: !GetAtt GroupA.GroupId
            """, [Expected("refs-cycle", 2, 3, "GroupA")],
            "circular dependency: GroupA → GroupB → GroupA; CloudFormation cannot create any of them first, remove one of these references"),
        Case("a circle through Sub and DependsOn, reported once", """
            Resources:
              A:
                Type: AWS::SNS::Topic
                Properties:
                  TopicName: !Sub '${B.TopicName}-a'
              B:
                Type: AWS::SNS::Topic
                DependsOn: C
              C:
                Type: AWS::SNS::Topic
                Properties:
                  TopicName: !GetAtt A.TopicName
            """, [Expected("refs-cycle", 2, 3, "A")],
            "circular dependency: A → B → C → A; CloudFormation cannot create any of them first, remove one of these references"),
        Case("a knot of three resources, reported once with all its members", """
            Resources:
              A:
                Type: AWS::SNS::Topic
                Properties:
                  TopicName: !GetAtt B.TopicName
              B:
                Type: AWS::SNS::Topic
                Properties:
                  TopicName: !Join [-, [!GetAtt A.TopicName, !GetAtt C.TopicName]]
              C:
                Type: AWS::SNS::Topic
                Properties:
                  TopicName: !GetAtt B.TopicName
            """, [Expected("refs-cycle", 2, 3, "A")],
            "circular dependency: A → B → A, with C in the same knot; CloudFormation cannot create any of them first, remove one of these references"),
        Case("a resource that refers to itself", """
            Resources:
              Fn:
                Type: AWS::Lambda::Function
                Properties:
                  Environment:
                    Variables:
                      SELF: !Ref Fn
            """, [Expected("refs-cycle", 2, 3, "Fn")],
            "circular dependency: Fn → Fn; CloudFormation cannot create any of them first, remove one of these references"),
        Case("a SAM function whose policies name itself, through its implicit role", """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Worker:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: nodejs22.x
                  Handler: index.handler
                  InlineCode: exports.handler = async () => ({})
                  Policies:
                    - LambdaInvokePolicy:
                        FunctionName: !Ref Worker
            """, [Expected("refs-cycle", 3, 3, "Worker")],
            "circular dependency: Worker → WorkerRole → Worker; CloudFormation cannot create any of them first, remove one of these references"),
        Case("a SAM function that names the implicit API its own event creates", """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Hello:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: nodejs22.x
                  Handler: index.handler
                  InlineCode: exports.handler = async () => ({})
                  Environment:
                    Variables:
                      URL: !Sub https://${ServerlessRestApi}.execute-api.${AWS::Region}.amazonaws.com/Prod
                  Events:
                    Get:
                      Type: Api
                      Properties: {Path: /, Method: get}
            """, [Expected("refs-cycle", 3, 3, "Hello")],
            "circular dependency: Hello → ServerlessRestApi → Hello; CloudFormation cannot create any of them first, remove one of these references"),
        Case("conditions that depend on each other", """
            Parameters:
              Env:
                Type: String
            Conditions:
              A: !And [!Condition B, !Equals [!Ref Env, x]]
              B: !Or [!Condition A, !Equals [!Ref Env, y]]
            Resources:
              Topic:
                Type: AWS::SNS::Topic
                Condition: A
            """, [Expected("refs-cycle", 5, 3, "A")],
            "circular condition dependency: A → B → A; a condition cannot depend on itself"),
        Case("a parameter nothing uses", """
            Parameters:
              Stage:
                Type: String
              Unused:
                Type: String
            Metadata:
              AWS::CloudFormation::Interface:
                ParameterGroups:
                  - Parameters: [Stage, Unused]
            Resources:
              Topic:
                Type: AWS::SNS::Topic
                Properties:
                  TopicName: !Sub chat-${Stage}
            """, [Expected("refs-unused-parameter", 4, 3, "Unused")],
            "parameter 'Unused' is never referenced; use it with !Ref Unused or ${Unused}, or remove it"),
        Case("an unused parameter in a SAM template, where cfn-lint is silent", """
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              LogLevel:
                Type: String
            Resources:
              Hello:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: nodejs22.x
                  Handler: index.handler
                  InlineCode: exports.handler = async () => ({})
            """, [Expected("refs-unused-parameter", 3, 3, "LogLevel")]),
        Case("a condition nothing uses", """
            Parameters:
              Env:
                Type: String
            Conditions:
              IsProd: !Equals [!Ref Env, prod]
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            """, [Expected("refs-unused-condition", 5, 3, "IsProd")],
            "condition 'IsProd' is never used; use it in a Condition or !If, or remove it"),
        Case("a mapping nothing reads", """
            Mappings:
              Sizes:
                prod: {Memory: 512}
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            """, [Expected("refs-unused-mapping", 2, 3, "Sizes")],
            "mapping 'Sizes' is never read by Fn::FindInMap; remove it"),
    ]

    @Test("Each rule fires where the mistake is, with the logical id", arguments: findings)
    func fires(_ row: Case) {
        let diagnostics = validate(row.yaml, families: [.refs])
        #expect(diagnostics.map(Expected.init) == row.expected)
        if let message = row.message {
            // The message of the row's main finding: the last one listed (warnings it causes come first).
            #expect(diagnostics.last { $0.rule.id == row.expected.last?.rule }?.message == message)
        }
    }

    /// Near misses: templates that look like the findings above but are right.
    static let clean: [Case] = [
        Case("Refs to a parameter, a resource and pseudo parameters", """
            Parameters:
              Name:
                Type: String
            Resources:
              Queue:
                Type: AWS::SQS::Queue
              Topic:
                Type: AWS::SNS::Topic
                Properties:
                  TopicName: !Ref Name
                  DisplayName: !Join ['-', [!Ref AWS::StackName, !Ref AWS::Region, !Ref AWS::AccountId, !Ref AWS::Partition]]
                  Tags: !If [Never, [], !Ref AWS::NoValue]
                  KmsMasterKeyId: !GetAtt Queue.Arn
            Conditions:
              Never: !Equals [!Ref AWS::URLSuffix, x]
            """, []),
        Case("Sub variables from the variable map, literals and attributes of declared resources", """
            Resources:
              Queue:
                Type: AWS::SQS::Queue
              Topic:
                Type: AWS::SNS::Topic
                Properties:
                  TopicName: !Sub
                    - '${Prefix}-${!NotAVariable}-${Queue.QueueName}-${Queue}-${AWS::Region}'
                    - Prefix: chat
            """, []),
        Case("SAM implicit names: a function's role, its alias and version, the implicit API and its stage", """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Hello:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: nodejs22.x
                  Handler: index.handler
                  InlineCode: exports.handler = async () => ({})
                  AutoPublishAlias: live
                  Events:
                    Get:
                      Type: Api
                      Properties: {Path: /, Method: get}
              Watcher:
                Type: AWS::CloudWatch::Alarm
                DependsOn: HelloRole
                Properties:
                  MetricName: Errors
                  Namespace: AWS/Lambda
                  AlarmDescription: !GetAtt HelloRole.Arn
                  Dimensions:
                    - Name: Resource
                      Value: !Ref Hello.Alias
                    - Name: Version
                      Value: !Ref Hello.Version
            Outputs:
              Url:
                Value: !Sub https://${ServerlessRestApi}.execute-api.${AWS::Region}.amazonaws.com/${ServerlessRestApi.Stage}
              Stage:
                Value: !Ref ServerlessRestApiProdStage
            """, []),
        Case("a function's role that a KMS key policy names is no circle", """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Key:
                Type: AWS::KMS::Key
                Properties:
                  KeyPolicy:
                    Statement:
                      - Effect: Allow
                        Principal: {AWS: !GetAtt Worker.Arn, Service: !GetAtt WorkerRole.Arn}
                        Action: kms:Decrypt
                        Resource: '*'
              Worker:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: nodejs22.x
                  Handler: index.handler
                  InlineCode: exports.handler = async () => ({})
                  KmsKeyArn: !GetAtt Other.Arn
              Other:
                Type: AWS::KMS::Key
                Properties:
                  KeyPolicy:
                    Statement:
                      - Effect: Allow
                        Principal: {AWS: !GetAtt WorkerRole.Arn}
                        Action: kms:Decrypt
                        Resource: '*'
            """, []),
        Case("a function whose event names an API that names the function is no circle", """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Api:
                Type: AWS::Serverless::Api
                Properties:
                  StageName: prod
                  DefinitionBody:
                    paths:
                      /:
                        get:
                          x-amazon-apigateway-integration:
                            uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Hello.Arn}/invocations
                  Variables:
                    Url: !GetAtt Hello.Arn
              Hello:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: nodejs22.x
                  Handler: index.handler
                  InlineCode: exports.handler = async () => ({})
                  Events:
                    Get:
                      Type: Api
                      Properties: {Path: /, Method: get, RestApiId: !Ref Api}
            """, []),
        Case("a condition used by another condition, an If and a rule", """
            Parameters:
              Env:
                Type: String
              Size:
                Type: String
            Conditions:
              IsProd: !Equals [!Ref Env, prod]
              IsBigProd: !And [!Condition IsProd, !Equals [!Ref Size, big]]
            Rules:
              ProdNeedsSize:
                RuleCondition: !Equals [!Ref Env, prod]
                Assertions:
                  - Assert: !Not [!Equals [!Ref Size, '']]
            Resources:
              Topic:
                Type: AWS::SNS::Topic
                Properties:
                  TopicName: !If [IsBigProd, big, small]
            """, []),
        Case("Fn::FindInMap with keys the mapping has, or a DefaultValue", """
            Transform: AWS::LanguageExtensions
            Mappings:
              Sizes:
                prod: {Memory: 512}
            Resources:
              Fn:
                Type: AWS::Lambda::Function
                Properties:
                  MemorySize: !FindInMap [Sizes, prod, Memory]
                  Timeout: !FindInMap [Sizes, staging, Timeout, {DefaultValue: 10}]
            """, []),
        Case("a parameter used only in SAM Globals", """
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              Timeout:
                Type: Number
            Globals:
              Function:
                Timeout: !Ref Timeout
            Resources:
              Hello:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: nodejs22.x
                  Handler: index.handler
                  InlineCode: exports.handler = async () => ({})
            """, []),
        Case("names that Fn::ForEach generates", """
            Transform: AWS::LanguageExtensions
            Parameters:
              ParamA:
                Type: String
              ParamB:
                Type: String
            Conditions:
              Fn::ForEach::Checks:
                - Name
                - [A, B]
                - IsParam${Name}Set: !Not [!Equals [!Ref {Fn::Sub: 'Param${Name}'}, '']]
            Resources:
              Fn::ForEach::Topics:
                - Name
                - [A, B]
                - Topic${Name}:
                    Type: AWS::SNS::Topic
                    Condition: !Sub IsParam${Name}Set
                    Properties:
                      TopicName: !Ref Name
            Outputs:
              First:
                Value: !Ref TopicA
                Condition: IsParamASet
            """, []),
        Case("a template with a macro is not judged", """
            Transform: MyOrg::Expand
            Resources:
              Topic:
                Type: AWS::SNS::Topic
                Properties:
                  TopicName: !Ref MadeByTheMacro
            """, []),
        Case("resources of a CloudFormation module", """
            Resources:
              Storage:
                Type: MyOrg::S3::Bucket::MODULE
              Reader:
                Type: AWS::SNS::Topic
                DependsOn: StorageBucket
                Properties:
                  TopicName: !Ref StorageBucket
            """, []),
    ]

    @Test("Near misses give no finding", arguments: clean)
    func quiet(_ row: Case) {
        let diagnostics = validate(row.yaml, families: [.refs])
        #expect(diagnostics.map(Expected.init) == row.expected, "\(diagnostics.map(\.description))")
    }

    @Test("The rendered realtime stack has no refs findings")
    func realtimeStack() throws {
        let root = RefsCorpusTests.packageRoot
        let yaml = try String(contentsOfFile: root + "/templates/realtime/template.yaml", encoding: .utf8)
        let handlers: Set<String> = ["connect", "disconnect", "default", "chat-send", "presence-update"]
        let diagnostics = validate(yaml, families: [.refs], existing: Set(handlers.map { "/stack/lambda/realtime/\($0)/" }))
        #expect(diagnostics.map(\.description) == [])
    }

    @Test("Findings carry the slash path of the offending node")
    func paths() {
        let diagnostics = validate("""
            Resources:
              Topic:
                Type: AWS::SNS::Topic
                DependsOn: [Nope]
                Properties:
                  Tags:
                    - Key: a
                      Value: !Sub '${Missing}'
            """, families: [.refs])
        #expect(diagnostics.map(\.path) == ["Resources/Topic/DependsOn/0", "Resources/Topic/Properties/Tags/0/Value"])
    }

    @Test("Every rule has an id in the family, a title and an explanation")
    func ruleDeclarations() {
        #expect(RefsRules.rules.count == 13)
        for rule in RefsRules.rules {
            #expect(rule.id.hasPrefix("refs-"))
            #expect(rule.family == .refs)
            #expect(!rule.title.isEmpty && rule.explanation.count > 80)
            #expect(Validator.rule(rule.id) == rule)
        }
    }

    @Test("A circle through thousands of resources is found without deep recursion, once")
    func longChain() {
        let count = 3000
        var yaml = "Resources:\n"
        for index in 0..<count {
            yaml += "  Topic\(index):\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !GetAtt Topic\((index + 1) % count).TopicName\n"
        }
        let diagnostics = validate(yaml, families: [.refs])
        #expect(diagnostics.map(Expected.init) == [Expected("refs-cycle", 2, 3, "Topic0")])
        #expect(diagnostics.first?.message.hasPrefix("circular dependency: Topic0 → Topic1 → Topic2 → ") == true)
        #expect(diagnostics.first?.message.contains("Topic2999 → Topic0;") == true)

        let chain = yaml.replacingOccurrences(of: "!GetAtt Topic0.TopicName", with: "last")
        #expect(validate(chain, families: [.refs]).isEmpty)
    }

    @Test("Odd shapes never crash and give no refs finding they cannot justify", arguments: [
        "Resources: [a, b]\n",
        "Resources:\n  T: [Type, AWS::SNS::Topic]\n",
        "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    DependsOn: {a: b}\n    Condition: [x]\n    Properties: [1, 2]\n",
        "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      A: !Ref [x]\n      B: !GetAtt\n      C: !Sub [1, 2, 3]\n      D: !FindInMap [M]\n      E: !If x\n      F: {Ref: {a: b}}\n",
        "Conditions: [1]\nMappings: x\nParameters: 3\nOutputs: [a]\nResources: {}\n",
        "Transform: [{Name: AWS::Serverless-2016-10-31}]\nGlobals: 1\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events: [1]\n      AutoPublishAlias: [x]\n      EventInvokeConfig: 3\n      Role: !If [a]\n",
    ])
    func oddShapes(_ yaml: String) {
        let diagnostics = validate(yaml, families: [.refs])
        #expect(diagnostics.allSatisfy { $0.family == .refs })
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty)
    }
}
