import Foundation
import Testing
import Validation

@Suite("params rules")
struct ParamsRulesTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let yaml: String
        let supplied: [SuppliedParameter]?
        let expected: [Expected]
        let message: String
        var testDescription: String { name }

        init(_ name: String, _ yaml: String, supplied: [SuppliedParameter]? = nil, _ expected: [Expected], _ message: String) {
            self.name = name
            self.yaml = yaml
            self.supplied = supplied
            self.expected = expected
            self.message = message
        }
    }

    static let triggers: [Case] = [
        // Definitions.
        Case("a parameter without Type", """
            Parameters:
              Name:
                Default: x
            Resources: {}
            """, [Expected("params-type-missing", 2, 3, "Name")],
             "parameter 'Name' has no Type; add `Type: String` (or Number, CommaDelimitedList, …)"),
        Case("a parameter written as a bare value", """
            Parameters:
              Name: String
            Resources: {}
            """, [Expected("params-type-missing", 2, 9, "Name")],
             "parameter 'Name' is the value 'String', not a mapping with a Type; write it as `Name: {Type: String}`"),
        Case("a Boolean parameter", """
            Parameters:
              Flag:
                Type: Boolean
                Default: 'true'
            Resources: {}
            """, [Expected("params-type-invalid", 3, 11, "Flag")],
             "'Boolean' is not a parameter type; use String with AllowedValues ['true', 'false']"),
        Case("a lower-case type", """
            Parameters:
              Name: {Type: string}
            Resources: {}
            """, [Expected("params-type-invalid", 2, 16, "Name")],
             "'string' is not a parameter type; types are case-sensitive: use String"),
        Case("an SSM type wrapping an unknown type", """
            Parameters:
              Name:
                Type: AWS::SSM::Parameter::Value<Boolean>
            Resources: {}
            """, [Expected("params-type-invalid", 3, 11, "Name")],
             "'AWS::SSM::Parameter::Value<Boolean>' is not a parameter type; use String, Number, List<Number>, CommaDelimitedList, an AWS-specific type such as AWS::EC2::VPC::Id, or an AWS::SSM::Parameter type"),
        Case("a lower-case default key", """
            Parameters:
              Name:
                Type: String
                default: x
            Resources: {}
            """, [Expected("params-unknown-property", 4, 5, "Name")],
             "unknown parameter property 'default' on 'Name'; did you mean 'Default'?"),
        Case("a property no parameter has", """
            Parameters:
              Name:
                Type: String
                Required: true
            Resources: {}
            """, [Expected("params-unknown-property", 4, 5, "Name")],
             "unknown parameter property 'Required' on 'Name'; a parameter may have Type, Default, Description, AllowedValues, AllowedPattern, MinLength, MaxLength, MinValue, MaxValue, ConstraintDescription, NoEcho"),
        Case("a MinLength in words", """
            Parameters:
              Name:
                Type: String
                MinLength: three
            Resources: {}
            """, [Expected("params-property-value", 4, 16, "Name")],
             "MinLength of 'Name' is the value 'three'; it must be a whole number of characters, 0 or more"),
        Case("a list as Default (in JSON)", """
            {
              "Parameters": {
                "Names": {"Type": "CommaDelimitedList", "Default": ["a", "b"]}
              },
              "Resources": {}
            }
            """, [Expected("params-property-value", 3, 56, "Names")],
             "Default of 'Names' is a list; it must be a string"),
        Case("a Ref as Default", """
            Parameters:
              Name:
                Type: String
                Default: !Ref AWS::Region
            Resources: {}
            """, [Expected("params-property-value", 4, 14, "Name")],
             "Default of 'Name' is an intrinsic function (Ref); it must be a string"),
        Case("an empty Default", """
            Parameters:
              Name:
                Type: String
                Default:
            Resources: {}
            """, [Expected("params-property-value", 4, 13, "Name")],
             "Default of 'Name' is null; it must be a string (write '' for an empty default)"),
        Case("AllowedValues that is not a list", """
            Parameters:
              Env:
                Type: String
                AllowedValues: dev
            Resources: {}
            """, [Expected("params-property-value", 4, 20, "Env")],
             "AllowedValues of 'Env' is the value 'dev'; it must be a list of strings"),
        Case("NoEcho that is not a boolean", """
            Parameters:
              Secret:
                Type: String
                NoEcho: 1
            Resources: {}
            """, [Expected("params-property-value", 4, 13, "Secret")],
             "NoEcho of 'Secret' is the value '1'; it must be true or false"),
        Case("an AllowedPattern with an unclosed class", """
            Parameters:
              Name:
                Type: String
                AllowedPattern: '^[a-z+$'
            Resources: {}
            """, [Expected("params-pattern-invalid", 4, 21, "Name")],
             "AllowedPattern ^[a-z+$ of 'Name' is not a valid regular expression: the character class opened at offset 1 is never closed"),
        Case("MinLength above MaxLength", """
            Parameters:
              Name:
                Type: String
                MinLength: 5
                MaxLength: 2
            Resources: {}
            """, [Expected("params-range-inverted", 4, 16, "Name")],
             "MinLength 5 of 'Name' is above its MaxLength 2, so no value is accepted; swap them"),
        Case("MinValue above MaxValue", """
            Parameters:
              Count:
                Type: Number
                MaxValue: 1
                MinValue: 10.5
            Resources: {}
            """, [Expected("params-range-inverted", 5, 15, "Count")],
             "MinValue 10.5 of 'Count' is above its MaxValue 1, so no value is accepted; swap them"),
        Case("MaxLength on a Number", """
            Parameters:
              Timeout:
                Type: Number
                MaxLength: 2
            Resources: {}
            """, [Expected("params-constraint-ignored", 4, 5, "Timeout")],
             "MaxLength is ignored on a Number parameter such as 'Timeout'; use MaxValue to bound the number"),
        Case("MinValue on a String", """
            Parameters:
              Name:
                Type: String
                MinValue: 3
            Resources: {}
            """, [Expected("params-constraint-ignored", 4, 5, "Name")],
             "MinValue is ignored on a String parameter such as 'Name'; make it Type Number, or use MinLength or AllowedPattern"),

        // Defaults.
        Case("a Number default that is not a number", """
            Parameters:
              Timeout:
                Type: Number
                Default: ten
            Resources: {}
            """, [Expected("params-value-type", 4, 14, "Timeout")],
             "default 'ten' of Timeout is not a number, as its Type Number requires"),
        Case("a default outside AllowedValues", """
            Parameters:
              Env:
                Type: String
                AllowedValues: [dev, prod]
                Default: staging
            Resources: {}
            """, [Expected("params-value-constraint", 5, 14, "Env")],
             "default 'staging' of Env is not one of AllowedValues 'dev', 'prod'"),
        Case("a default that would be a two-character table name", """
            Parameters:
              TableName:
                Type: String
                Default: ab
            Resources:
              Table:
                Type: AWS::DynamoDB::Table
                Properties:
                  TableName: !Ref TableName
            """, [Expected("params-dynamodb-name", 4, 14, "TableName")],
             "default 'ab' of TableName flows into the DynamoDB table name at Resources/Table/Properties/TableName; it is 2 characters, and DynamoDB table names are 3 to 255 characters of A-Z a-z 0-9 _ . -"),
        Case("a default timeout of a quarter hour and more", """
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              LambdaTimeout:
                Type: Number
                Default: 1000
            Globals:
              Function:
                Timeout: !Ref LambdaTimeout
            Resources: {}
            """, [Expected("params-lambda-timeout", 5, 14, "LambdaTimeout")],
             "default '1000' of LambdaTimeout flows into the Lambda timeout at Globals/Function/Timeout; it is outside 1–900, and Lambda takes a whole number of seconds from 1 to 900"),

        // Supplied values.
        Case("two required parameters without values", """
            Parameters:
              ChatTableName:
                Type: String
              StageName:
                Type: String
                Default: prod
              SessionTableName:
                Type: String
            Resources: {}
            """, supplied: [SuppliedParameter(key: "StageName", value: "dev", origin: .flag)],
             [Expected("params-missing-value", 2, 3, "ChatTableName"), Expected("params-missing-value", 7, 3, "SessionTableName")],
             "parameter 'ChatTableName' has no Default and no value is supplied; pass --param ChatTableName=… or set CHAT_TABLE_NAME in an env file"),
        Case("a misspelled --param", """
            Description: d
            Parameters:
              StageName:
                Type: String
                Default: prod
            Resources: {}
            """, supplied: [SuppliedParameter(key: "StageNam", value: "dev", origin: .flag)],
             [Expected("params-unknown-name", 2, 1)],
             "--param 'StageNam' names no parameter of the template; did you mean 'StageName'?"),
        Case("a --param that is not a number", """
            Parameters:
              Timeout:
                Type: Number
                Default: 10
            Resources: {}
            """, supplied: [SuppliedParameter(key: "Timeout", value: "10s", origin: .flag)],
             [Expected("params-value-type", 2, 3, "Timeout")],
             "value '10s' for Timeout (from --param) is not a number, as its Type Number requires"),
        Case("an env file value off the pattern", """
            Parameters:
              ChatTableName:
                Type: String
                AllowedPattern: ^[A-Za-z0-9_.-]+$
            Resources: {}
            """, supplied: [SuppliedParameter(key: "CHAT_TABLE_NAME", value: "meno chat", origin: .file("prod.env", line: 3))],
             [Expected("params-value-constraint", 2, 3, "ChatTableName")],
             "value 'meno chat' for ChatTableName (from prod.env:3) does not match AllowedPattern ^[A-Za-z0-9_.-]+$"),
        Case("a supplied table name for a SAM policy that DynamoDB refuses", """
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              ChatTableName:
                Type: String
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Policies:
                  - DynamoDBCrudPolicy:
                      TableName: !Ref ChatTableName
            """, supplied: [SuppliedParameter(key: "ChatTableName", value: "chat/messages", origin: .flag)],
             [Expected("params-dynamodb-name", 3, 3, "ChatTableName")],
             "value 'chat/messages' for ChatTableName (from --param) flows into the DynamoDB table name at Resources/Fn/Properties/Policies/0/DynamoDBCrudPolicy/TableName; it contains '/', and DynamoDB table names are 3 to 255 characters of A-Z a-z 0-9 _ . -"),
        Case("a supplied stage with a dot", """
            Parameters:
              StageName:
                Type: String
            Resources:
              Api:
                Type: AWS::ApiGatewayV2::Api
                Properties: {ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}
              Stage:
                Type: AWS::ApiGatewayV2::Stage
                Properties: {ApiId: !Ref Api, StageName: !Ref StageName}
            """, supplied: [SuppliedParameter(key: "STAGE_NAME", value: "v1.2", origin: .file(".env", line: 1))],
             [Expected("params-stage-name", 2, 3, "StageName")],
             "value 'v1.2' for StageName (from .env:1) flows into the WebSocket API stage name at Resources/Stage/Properties/StageName; it contains '.', and WebSocket stage names are 1 to 128 characters of A-Z a-z 0-9 _ - (or $default)"),
        Case("a supplied timeout of zero", """
            Parameters:
              Timeout:
                Type: Number
                Default: 10
            Resources:
              Fn:
                Type: AWS::Lambda::Function
                Properties:
                  Timeout: !Ref Timeout
            """, supplied: [SuppliedParameter(key: "Timeout", value: "0", origin: .flag)],
             [Expected("params-lambda-timeout", 2, 3, "Timeout")],
             "value '0' for Timeout (from --param) flows into the Lambda timeout at Resources/Fn/Properties/Timeout; it is outside 1–900, and Lambda takes a whole number of seconds from 1 to 900"),
    ]

    @Test("Each rule reports its defect at the offending node with the parameter's id", arguments: triggers)
    func trigger(_ row: Case) {
        let diagnostics = validate(row.yaml, families: [.params], supplied: row.supplied)
        #expect(diagnostics.map(Expected.init) == row.expected)
        #expect(diagnostics.first?.message == row.message)
    }

    struct NearMiss: CustomTestStringConvertible, Sendable {
        let name: String
        let rule: String
        let yaml: String
        let supplied: [SuppliedParameter]?
        var testDescription: String { name }

        init(_ name: String, _ rule: String, _ yaml: String, supplied: [SuppliedParameter]? = nil) {
            self.name = name
            self.rule = rule
            self.yaml = yaml
            self.supplied = supplied
        }
    }

    static let nearMisses: [NearMiss] = [
        NearMiss("a parameter with only a Type", "params-type-missing", "Parameters: {Name: {Type: String}}\nResources: {}\n"),
        NearMiss("AWS-specific, list and SSM types", "params-type-invalid", """
            Parameters:
              A: {Type: List<AWS::EC2::Subnet::Id>}
              B: {Type: 'AWS::SSM::Parameter::Value<List<AWS::EC2::SecurityGroup::Id>>'}
              C: {Type: 'AWS::SSM::Parameter::Value<String>'}
              D: {Type: AWS::SSM::Parameter::Name}
              E: {Type: List<String>}
              F: {Type: AWS::Route53::HostedZone::Id}
              G: {Type: List<Number>}
              H: {Type: 'AWS::SSM::Parameter::Value<CommaDelimitedList>'}
            Resources: {}
            """),
        NearMiss("every property CloudFormation knows", "params-unknown-property", """
            Parameters:
              Name:
                Type: String
                Default: abc
                Description: d
                AllowedValues: [abc]
                AllowedPattern: '[a-z]+'
                MinLength: 1
                MaxLength: 5
                ConstraintDescription: c
                NoEcho: false
            Resources: {}
            """),
        NearMiss("numbers and booleans written as strings, as JSON templates do", "params-property-value", """
            {"Parameters": {"Size": {"Type": "Number", "MinValue": "0.5", "MaxValue": "10", "Default": 2, "NoEcho": "true"},
                            "Name": {"Type": "String", "MinLength": "3", "MaxLength": 5.0, "Default": ""}},
             "Resources": {}}
            """),
        NearMiss("a Java pattern Swift cannot compile", "params-pattern-invalid", """
            Parameters:
              Name: {Type: String, AllowedPattern: '(?<=x)y', Default: abc}
            Resources: {}
            """),
        NearMiss("equal bounds", "params-range-inverted", """
            Parameters:
              Code: {Type: String, MinLength: 4, MaxLength: 4}
              Count: {Type: Number, MinValue: 1, MaxValue: 1}
            Resources: {}
            """),
        NearMiss("bounds that fit their types", "params-constraint-ignored", """
            Parameters:
              Count: {Type: Number, MinValue: 1, MaxValue: 9}
              Name: {Type: String, MinLength: 1, MaxLength: 9}
              Names: {Type: 'AWS::SSM::Parameter::Value<Number>', MinValue: 1}
            Resources: {}
            """),
        NearMiss("signed and decimal Number defaults", "params-value-type", """
            Parameters:
              A: {Type: Number, Default: -3}
              B: {Type: Number, Default: 1.5}
              C: {Type: List<Number>, Default: '1, 2.5'}
              D: {Type: AWS::EC2::VPC::Id, Default: vpc-0abc1234}
            Resources: {}
            """),
        NearMiss("list defaults whose items are allowed", "params-value-constraint", """
            Parameters:
              Names:
                Type: CommaDelimitedList
                AllowedValues: [one, two, 'three,four']
                Default: one, two
              Pair:
                Type: CommaDelimitedList
                AllowedValues: [one, two, 'three,four']
                Default: three,four
              Words:
                Type: CommaDelimitedList
                AllowedPattern: '[a-z]*$'
                Default: three,four
            Resources: {}
            """),
        NearMiss("a short name that is only part of a table name built with the stack's name", "params-dynamodb-name", """
            Parameters:
              Suffix: {Type: String, Default: a}
            Resources:
              Table:
                Type: AWS::DynamoDB::Table
                Properties:
                  TableName: !Sub '${AWS::StackName}-${Suffix}'
              Other:
                Type: AWS::DynamoDB::Table
                Properties:
                  TableName: x
            """, supplied: [SuppliedParameter(key: "Suffix", value: "b", origin: .flag)]),
        NearMiss("$default on an HTTP API", "params-stage-name", """
            Parameters:
              StageName: {Type: String, Default: $default}
            Resources:
              Api:
                Type: AWS::ApiGatewayV2::Api
                Properties: {ProtocolType: HTTP}
              Stage:
                Type: AWS::ApiGatewayV2::Stage
                Properties: {ApiId: !Ref Api, StageName: !Ref StageName}
              SamApi:
                Type: AWS::Serverless::HttpApi
                Properties: {StageName: !Ref StageName}
            """),
        NearMiss("$default on a WebSocket API, which public WebSocket projects deploy and connect to as wss://…/$default", "params-stage-name", """
            Parameters:
              StageName:
                Type: String
                Default: $default
            Resources:
              Api:
                Type: AWS::ApiGatewayV2::Api
                Properties: {ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}
              Stage:
                Type: AWS::ApiGatewayV2::Stage
                Properties:
                  ApiId: !Ref Api
                  StageName: !Sub '${StageName}'
            """),
        NearMiss("a timeout parameter used conditionally", "params-lambda-timeout", """
            Parameters:
              Timeout: {Type: Number, Default: 30}
              Env: {Type: String, Default: dev}
            Conditions:
              IsDev: !Equals [!Ref Env, dev]
            Resources:
              Fn:
                Type: AWS::Lambda::Function
                Properties:
                  Timeout: !If [IsDev, !Ref Timeout, !Ref AWS::NoValue]
            """, supplied: [SuppliedParameter(key: "TIMEOUT", value: "900", origin: .file("prod.env", line: 1))]),
        NearMiss("required parameters supplied through UPPER_SNAKE keys", "params-missing-value", """
            Parameters:
              ChatTableName: {Type: String}
              WebSocketApiId: {Type: String}
            Resources: {}
            """, supplied: [
                SuppliedParameter(key: "CHAT_TABLE_NAME", value: "meno-chat", origin: .file("prod.env", line: 1)),
                SuppliedParameter(key: "WEB_SOCKET_API_ID", value: "abc123", origin: .flag),
            ]),
        NearMiss("required parameters when no values are supplied at all", "params-missing-value", """
            Parameters:
              ChatTableName: {Type: String}
            Resources: {}
            """),
        NearMiss("an env file key that names no parameter", "params-unknown-name", """
            Parameters:
              StageName: {Type: String, Default: prod}
            Resources: {}
            """, supplied: [SuppliedParameter(key: "DATABASE_URL", value: "postgres://db", origin: .file(".env", line: 1))]),
    ]

    @Test("Near misses do not trigger the rule", arguments: nearMisses)
    func nearMiss(_ row: NearMiss) {
        let diagnostics = validate(row.yaml, families: [.params], supplied: row.supplied)
        #expect(findings(row.rule, in: diagnostics).isEmpty, "\(diagnostics)")
    }

    @Test("Every rule has a params- id, a title and an explanation, and a trigger in the table")
    func catalogue() {
        let covered = Set(Self.triggers.flatMap { $0.expected.map(\.rule) })
        for rule in ParamsRules.rules {
            #expect(rule.id.hasPrefix("params-"))
            #expect(rule.family == .params)
            #expect(!rule.title.isEmpty && rule.explanation.count > 80)
            #expect(covered.contains(rule.id), "no trigger for \(rule.id)")
            #expect(Self.nearMisses.contains { $0.rule == rule.id }, "no near miss for \(rule.id)")
        }
        #expect(Set(ParamsRules.rules.map(\.id)).count == ParamsRules.rules.count)
    }

    @Test("Findings carry the path of the offending node")
    func paths() {
        let diagnostics = validate("""
            Parameters:
              Env:
                Type: String
                AllowedValues: [dev]
                Default: prod
                Regex: x
            Resources: {}
            """, families: [.params], supplied: [SuppliedParameter(key: "Env", value: "qa", origin: .flag)])
        #expect(diagnostics.map(\.path) == ["Parameters/Env", "Parameters/Env/Default", "Parameters/Env/Regex"])
        #expect(diagnostics.map(\.rule.id) == ["params-value-constraint", "params-value-constraint", "params-unknown-property"])
    }

    @Test("A NoEcho value never appears in a finding, from a default or supplied")
    func noEcho() {
        let diagnostics = validate("""
            Parameters:
              DbPassword:
                Type: String
                NoEcho: true
                MinLength: 12
                Default: changeme
              Token:
                Type: String
                NoEcho: true
                AllowedValues: [alpha-secret, beta-secret]
            Resources:
              Table:
                Type: AWS::DynamoDB::Table
                Properties:
                  TableName: !Sub 'x-${DbPassword}'
            """, families: [.params], supplied: [
                SuppliedParameter(key: "DB_PASSWORD", value: "pass word is long", origin: .flag),
                SuppliedParameter(key: "Token", value: "gamma-secret", origin: .flag),
            ])
        #expect(diagnostics.map(Expected.init) == [
            Expected("params-dynamodb-name", 2, 3, "DbPassword"), Expected("params-value-constraint", 6, 14, "DbPassword"),
            Expected("params-value-constraint", 7, 3, "Token"),
        ])
        for secret in ["changeme", "pass word is long", "gamma-secret", "alpha-secret", "beta-secret"] {
            #expect(!diagnostics.contains { $0.message.contains(secret) }, "\(secret) leaked")
        }
        #expect(diagnostics.allSatisfy { $0.message.contains("(hidden: NoEcho)") })
    }

    @Test("A problem with a default is reported once, at the Default, when values are also supplied")
    func defaultsOnce() {
        let diagnostics = validate("""
            Parameters:
              Env:
                Type: String
                AllowedValues: [dev, prod]
                Default: staging
              Other:
                Type: String
                Default: x
            Resources: {}
            """, families: [.params], supplied: [SuppliedParameter(key: "Other", value: "y", origin: .flag)])
        #expect(diagnostics.map(Expected.init) == [Expected("params-value-constraint", 5, 14, "Env")])
    }

    @Test("Broken parameter bodies of every shape give findings, never a crash")
    func oddShapes() {
        let diagnostics = validate("""
            Parameters:
              A: [String]
              B: {Type: [String], MinLength: {a: 1}, AllowedValues: [{a: 1}], AllowedPattern: [x]}
              C: !Ref X
              D: {Type: Number, Default: '', MinValue: 1}
              E: {Type: List<AWS::EC2::VPC::Id>, Default: ''}
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  TableName: !Join [[], !Ref D]
                  GlobalSecondaryIndexes: {IndexName: !Ref D}
              F:
                Type: AWS::Serverless::Function
                Properties: [Timeout]
            """, families: [.params], supplied: [SuppliedParameter(key: "D", value: "", origin: .flag)])
        // A, B and C have no usable Default, so a deploy would need values for them too.
        #expect(diagnostics.map(Expected.init) == [
            Expected("params-missing-value", 2, 3, "A"), Expected("params-type-missing", 2, 6, "A"),
            Expected("params-missing-value", 3, 3, "B"), Expected("params-type-invalid", 3, 13, "B"),
            Expected("params-property-value", 3, 34, "B"), Expected("params-property-value", 3, 58, "B"),
            Expected("params-property-value", 3, 83, "B"),
            Expected("params-missing-value", 4, 3, "C"), Expected("params-type-missing", 4, 6, "C"),
            Expected("params-value-type", 5, 3, "D"), Expected("params-value-type", 5, 30, "D"),
            Expected("params-value-type", 6, 47, "E"),
        ])
    }

    // MARK: - The rendered stack

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func rendered() throws -> String {
        try String(contentsOf: root.appendingPathComponent("templates/realtime/template.yaml"), encoding: .utf8)
    }

    static let handlers: Set<String> = Set(["connect", "disconnect", "default", "chat-send", "presence-update"].map { "/stack/lambda/realtime/\($0)/" })

    static func tables(_ extra: [SuppliedParameter] = []) -> [SuppliedParameter] {
        [
            SuppliedParameter(key: "ChatTableName", value: "meno-chat", origin: .flag),
            SuppliedParameter(key: "PresenceTableName", value: "meno-presence", origin: .flag),
            SuppliedParameter(key: "SessionTableName", value: "meno-sessions", origin: .flag),
        ] + extra
    }

    @Test("The rendered stack has no params findings without supplied values")
    func renderedClean() throws {
        #expect(validate(try Self.rendered(), families: [.params], existing: Self.handlers).isEmpty)
    }

    @Test("The rendered stack has no params findings with the three table names supplied")
    func renderedWithTables() throws {
        #expect(validate(try Self.rendered(), families: [.params], supplied: Self.tables(), existing: Self.handlers).isEmpty)
    }

    @Test("The rendered stack's tables can come from an env file in UPPER_SNAKE_CASE")
    func renderedFromEnvFile() throws {
        let entries = try EnvFile.parse("""
            # prod
            CHAT_TABLE_NAME=meno-chat
            PRESENCE_TABLE_NAME=meno-presence
            export SESSION_TABLE_NAME="meno-sessions"
            NEXT_PUBLIC_REALTIME_WEBSOCKET_URL=wss://example
            """, file: "prod.env")
        #expect(validate(try Self.rendered(), families: [.params], supplied: entries, existing: Self.handlers).isEmpty)
    }

    @Test("The rendered stack refuses a $default stage, a one-letter table and missing tables")
    func renderedBadValues() throws {
        let template = try Self.rendered()
        let stage = validate(template, families: [.params], supplied: Self.tables([SuppliedParameter(key: "StageName", value: "$default", origin: .flag)]))
        #expect(stage.map(Expected.init) == [Expected("params-value-constraint", 15, 3, "StageName")])
        #expect(stage.first?.message == "value '$default' for StageName (from --param) does not match AllowedPattern ^[A-Za-z0-9_-]+$ (API Gateway stage names are 1 to 128 characters of A-Z a-z 0-9 _ -)")

        let short = validate(template, families: [.params], supplied: Array(Self.tables().dropFirst()) + [
            SuppliedParameter(key: "CHAT_TABLE_NAME", value: "x", origin: .file("prod.env", line: 3)),
        ])
        #expect(short.map(Expected.init) == [Expected("params-value-constraint", 23, 3, "ChatTableName")])
        #expect(short.first?.message == "value 'x' for ChatTableName (from prod.env:3) is 1 character, shorter than MinLength 3 (DynamoDB table names are 3 to 255 characters of A-Z a-z 0-9 _ . -)")

        let missing = validate(template, families: [.params], supplied: [SuppliedParameter(key: "StageName", value: "dev", origin: .flag)])
        #expect(missing.map(Expected.init) == [
            Expected("params-missing-value", 23, 3, "ChatTableName"), Expected("params-missing-value", 30, 3, "PresenceTableName"),
            Expected("params-missing-value", 37, 3, "SessionTableName"),
        ])
    }

    @Test("Without its own constraints, the stack's StageName is still held to the WebSocket stage rule")
    func renderedWithoutConstraints() throws {
        // Strip the StageName parameter's constraints, as a hand edit might.
        var lines = try Self.rendered().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeSubrange(18...21)  // AllowedPattern, MinLength, MaxLength, ConstraintDescription of StageName
        let template = lines.joined(separator: "\n")
        #expect(validate(template, families: [.params]).isEmpty)
        let diagnostics = validate(template, families: [.params], supplied: Self.tables([SuppliedParameter(key: "STAGE_NAME", value: "v1.2", origin: .file(".env", line: 2))]))
        #expect(diagnostics.map(Expected.init) == [Expected("params-stage-name", 15, 3, "StageName")])
        #expect(diagnostics.first?.message == "value 'v1.2' for StageName (from .env:2) flows into the WebSocket API stage name at Resources/WebSocketStage/Properties/StageName; it contains '.', and WebSocket stage names are 1 to 128 characters of A-Z a-z 0-9 _ - (or $default)")
        let named = validate(template, families: [.params], supplied: Self.tables([SuppliedParameter(key: "STAGE_NAME", value: "$default", origin: .file(".env", line: 2))]))
        #expect(named.map(Expected.init) == [], "a WebSocket stage named $default deploys")
    }
}
