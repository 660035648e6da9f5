import Testing
import Validation
import YAML

/// The definitions of a template written inline.
private func definitions(_ yaml: String) throws -> [ParameterDefinition] {
    let root = try #require(try Parser.parse(yaml))
    return ParameterDefinition.definitions(in: SourceTemplate(file: "template.yaml", root: root))
}

private func flag(_ key: String, _ value: String) -> SuppliedParameter {
    SuppliedParameter(key: key, value: value, origin: .flag)
}

private func file(_ name: String, _ line: Int, _ key: String, _ value: String) -> SuppliedParameter {
    SuppliedParameter(key: key, value: value, origin: .file(name, line: line))
}

@Suite("parameter values")
struct ParameterValuesTests {
    static let stack = """
        Parameters:
          ServiceName:
            Type: String
            Default: meno-realtime
          StageName:
            Type: String
            Default: prod
          ChatTableName:
            Type: String
          PresenceTableName:
            Type: String
          LambdaTimeout:
            Type: Number
            Default: 10
          ApiSecret:
            Type: String
            NoEcho: true
            Default: s3cret
        Resources: {}
        """

    // MARK: Names

    static let snakeCases: [(String, String)] = [
        ("ChatTableName", "CHAT_TABLE_NAME"),
        ("ServiceName", "SERVICE_NAME"),
        ("LambdaTimeout", "LAMBDA_TIMEOUT"),
        ("WebSocketApiId", "WEB_SOCKET_API_ID"),
        ("APIKey", "API_KEY"),
        ("HTTPApiName", "HTTP_API_NAME"),
        ("S3BucketName", "S3_BUCKET_NAME"),
        ("Ec2InstanceType", "EC2_INSTANCE_TYPE"),
        ("Stage2", "STAGE2"),
        ("VPC", "VPC"),
        ("lowercase", "LOWERCASE"),
        ("A", "A"),
    ]

    @Test("UPPER_SNAKE_CASE splits words at lower-to-upper and acronym ends, keeping digits with what precedes", arguments: snakeCases)
    func upperSnake(_ row: (String, String)) {
        #expect(ParameterValues.upperSnakeCase(row.0) == row.1)
    }

    // MARK: Precedence and matching

    @Test("A template default is overridden by env files in order, and they by --param")
    func precedence() throws {
        let defs = try definitions(Self.stack)
        let result = ParameterValues.resolve(defs, supplied: [
            file("base.env", 1, "STAGE_NAME", "base"),
            file("base.env", 2, "ChatTableName", "chat-base"),
            file("prod.env", 1, "STAGE_NAME", "live"),
            flag("StageName", "flagged"),
            file("prod.env", 2, "PRESENCE_TABLE_NAME", "meno-presence"),
            file("prod.env", 3, "CHAT_TABLE_NAME", "meno-chat"),
        ])
        #expect(result.problems.isEmpty)
        let values = Dictionary(uniqueKeysWithValues: result.values.map { ($0.name, $0) })
        #expect(values["StageName"]?.value == "flagged")
        #expect(values["StageName"]?.origin == .flag)
        #expect(values["ChatTableName"]?.value == "meno-chat")
        #expect(values["ChatTableName"]?.origin == .file("prod.env", line: 3))
        #expect(values["ServiceName"]?.value == "meno-realtime")
        #expect(values["ServiceName"]?.origin == nil)
        #expect(result.values.map(\.name) == ["ServiceName", "StageName", "ChatTableName", "PresenceTableName", "LambdaTimeout", "ApiSecret"])
    }

    @Test("A later duplicate key in the same file wins")
    func duplicatesLastWins() throws {
        let defs = try definitions(Self.stack)
        let result = ParameterValues.resolve(defs, supplied: [
            file("prod.env", 1, "CHAT_TABLE_NAME", "first-chat"),
            file("prod.env", 2, "PRESENCE_TABLE_NAME", "meno-presence"),
            file("prod.env", 3, "CHAT_TABLE_NAME", "second-chat"),
        ])
        #expect(result.values.first { $0.name == "ChatTableName" }?.value == "second-chat")
        #expect(result.values.first { $0.name == "ChatTableName" }?.origin == .file("prod.env", line: 3))
    }

    @Test("A --param wins over env files whatever the order it is given in")
    func flagWinsWhateverOrder() throws {
        let defs = try definitions(Self.stack)
        let result = ParameterValues.resolve(defs, supplied: [
            flag("ChatTableName", "from-flag"),
            file("prod.env", 1, "CHAT_TABLE_NAME", "from-file"),
            file("prod.env", 2, "PRESENCE_TABLE_NAME", "meno-presence"),
        ])
        #expect(result.values.first { $0.name == "ChatTableName" }?.value == "from-flag")
    }

    @Test("Env file keys that name no parameter are ignored")
    func unknownFileKeysIgnored() throws {
        let defs = try definitions(Self.stack)
        let result = ParameterValues.resolve(defs, supplied: [
            file("prod.env", 1, "DATABASE_URL", "postgres://x"),
            file("prod.env", 2, "NEXT_PUBLIC_REALTIME_WEBSOCKET_URL", "wss://x"),
            file("prod.env", 3, "CHAT_TABLE_NAME", "meno-chat"),
            file("prod.env", 4, "PRESENCE_TABLE_NAME", "meno-presence"),
        ])
        #expect(result.problems.isEmpty)
    }

    @Test("A --param key that names no parameter is a problem that suggests the closest name")
    func unknownFlagSuggests() throws {
        let defs = try definitions(Self.stack)
        let result = ParameterValues.resolve(defs, supplied: [
            flag("ChatTablName", "meno-chat"), flag("CHAT_TABLE_NAME", "meno-chat"), flag("PresenceTableName", "p-table"),
        ])
        let unknownName = try #require(Validator.rule("params-unknown-name"))
        #expect(result.problems == [ParameterProblem(
            parameter: nil, value: nil, rule: unknownName,
            message: "--param 'ChatTablName' names no parameter of the template; did you mean 'ChatTableName'?", origin: .flag)])
    }

    @Test("A --param key far from every name lists the parameters")
    func unknownFlagLists() throws {
        let defs = try definitions("Parameters: {Alpha: {Type: String, Default: a}, Beta: {Type: String, Default: b}}\nResources: {}\n")
        let result = ParameterValues.resolve(defs, supplied: [flag("Completely", "x")])
        #expect(result.problems.map(\.message) == ["--param 'Completely' names no parameter of the template; the template's parameters are Alpha, Beta"])
    }

    @Test("Every required parameter without a value is reported at once, in template order")
    func allMissing() throws {
        let defs = try definitions(Self.stack)
        let result = ParameterValues.resolve(defs, supplied: [flag("StageName", "dev")])
        #expect(result.problems.map(\.rule.id) == ["params-missing-value", "params-missing-value"])
        #expect(result.problems.map(\.parameter) == ["ChatTableName", "PresenceTableName"])
        #expect(result.problems.first?.message == "parameter 'ChatTableName' has no Default and no value is supplied; pass --param ChatTableName=… or set CHAT_TABLE_NAME in an env file")
        #expect(!result.values.contains { $0.name == "ChatTableName" })
    }

    @Test("An UPPER_SNAKE key that two parameters share is ambiguous, not applied")
    func ambiguous() throws {
        let defs = try definitions("Parameters: {ApiKey: {Type: String, Default: a}, APIKey: {Type: String, Default: b}}\nResources: {}\n")
        let result = ParameterValues.resolve(defs, supplied: [file("prod.env", 4, "API_KEY", "x")])
        #expect(result.problems.map(\.message) == ["'API_KEY' (prod.env:4) matches both 'ApiKey' and 'APIKey'; use the exact parameter name"])
        #expect(result.values.map(\.value) == ["a", "b"])
    }

    // MARK: Values against the definition

    struct ValueCase: CustomTestStringConvertible, Sendable {
        let name: String
        let parameter: String
        let value: String
        let rule: String?
        let message: String?
        var testDescription: String { name }

        init(_ name: String, _ parameter: String, _ value: String, _ rule: String? = nil, _ message: String? = nil) {
            self.name = name
            self.parameter = parameter
            self.value = value
            self.rule = rule
            self.message = message
        }
    }

    static let typed = """
        Parameters:
          Count:
            Type: Number
            MinValue: 1
            MaxValue: 29
          Ports:
            Type: List<Number>
          Names:
            Type: CommaDelimitedList
            AllowedPattern: '[a-z]+'
          Vpc:
            Type: AWS::EC2::VPC::Id
          Subnets:
            Type: List<AWS::EC2::Subnet::Id>
          Group:
            Type: AWS::EC2::SecurityGroup::Id
          Image:
            Type: AWS::EC2::Image::Id
          Instance:
            Type: AWS::EC2::Instance::Id
          Volume:
            Type: AWS::EC2::Volume::Id
          Zone:
            Type: AWS::Route53::HostedZone::Id
          Az:
            Type: AWS::EC2::AvailabilityZone::Name
          Key:
            Type: AWS::EC2::KeyPair::KeyName
          FromSsm:
            Type: AWS::SSM::Parameter::Value<AWS::EC2::VPC::Id>
          Env:
            Type: String
            AllowedValues: [dev, prod]
          Table:
            Type: String
            AllowedPattern: ^[A-Za-z0-9_.-]+$
            MinLength: 3
            MaxLength: 8
            ConstraintDescription: 3 to 8 of A-Z a-z 0-9 _ . -
          Size:
            Type: Number
            AllowedValues: [1, 2.5]
          Secret:
            Type: String
            NoEcho: 'true'
            MinLength: 12
        Resources: {}
        """

    static let valueCases: [ValueCase] = [
        ValueCase("an integer Number", "Count", "10"),
        ValueCase("a decimal Number in range", "Count", "2.5"),
        ValueCase("a Number that is text", "Count", "ten", "params-value-type", "value 'ten' for Count (from --param) is not a number, as its Type Number requires"),
        ValueCase("a hexadecimal Number", "Count", "0x10", "params-value-type"),
        ValueCase("a Number below MinValue", "Count", "0", "params-value-constraint", "value '0' for Count (from --param) is below MinValue 1"),
        ValueCase("a Number above MaxValue", "Count", "30", "params-value-constraint", "value '30' for Count (from --param) is above MaxValue 29"),
        ValueCase("a List<Number>", "Ports", "80, 443"),
        ValueCase("a List<Number> with a word", "Ports", "80,http", "params-value-type", "value '80,http' for Ports (from --param) has 'http', which is not a number, as its Type List<Number> requires"),
        ValueCase("a CommaDelimitedList whose items match the pattern", "Names", "one, two"),
        ValueCase("a CommaDelimitedList with an item off the pattern", "Names", "one,Two", "params-value-constraint"),
        ValueCase("a VPC id", "Vpc", "vpc-0abc1234def567890"),
        ValueCase("a short VPC id", "Vpc", "vpc-1234", "params-value-type", "value 'vpc-1234' for Vpc (from --param) is not a VPC id (vpc-0123abcd…), as its Type AWS::EC2::VPC::Id requires"),
        ValueCase("a VPC name instead of an id", "Vpc", "main", "params-value-type"),
        ValueCase("a list of subnets", "Subnets", "subnet-01e6344879fd06036, subnet-0136378879fd07039"),
        ValueCase("a list of subnets with a VPC in it", "Subnets", "subnet-01e6344879fd06036,vpc-0136378879fd07039", "params-value-type"),
        ValueCase("a security group id", "Group", "sg-0a1e1457229da0f74"),
        ValueCase("a security group name instead of an id", "Group", "default", "params-value-type"),
        ValueCase("an AMI id", "Image", "ami-0abcdef1234567890"),
        ValueCase("an instance id", "Instance", "i-0abcdef1234567890"),
        ValueCase("a volume id", "Volume", "vol-049df61146c4d7901"),
        ValueCase("an AMI name instead of an id", "Image", "al2023", "params-value-type"),
        ValueCase("a hosted zone id", "Zone", "Z23ABC4XYZL05B"),
        ValueCase("a hosted zone name instead of an id", "Zone", "example.com", "params-value-type"),
        ValueCase("an Availability Zone", "Az", "us-east-1a"),
        ValueCase("a GovCloud Availability Zone", "Az", "us-gov-west-1b"),
        ValueCase("a Local Zone", "Az", "us-west-2-lax-1a"),
        ValueCase("a Region instead of a zone", "Az", "useast1", "params-value-type"),
        ValueCase("any key pair name", "Key", "my key"),
        ValueCase("an SSM parameter name for an SSM type", "FromSsm", "/network/vpc-id"),
        ValueCase("an allowed value", "Env", "prod"),
        ValueCase("a value outside AllowedValues", "Env", "staging", "params-value-constraint", "value 'staging' for Env (from --param) is not one of AllowedValues 'dev', 'prod'"),
        ValueCase("a valid table name", "Table", "meno_1.x"),
        ValueCase("a table name breaking two constraints", "Table", "a b c d e", "params-value-constraint",
                  "value 'a b c d e' for Table (from --param) does not match AllowedPattern ^[A-Za-z0-9_.-]+$ and is 9 characters, longer than MaxLength 8 (3 to 8 of A-Z a-z 0-9 _ . -)"),
        ValueCase("a table name that is too long", "Table", "abcdefghi", "params-value-constraint",
                  "value 'abcdefghi' for Table (from --param) is 9 characters, longer than MaxLength 8 (3 to 8 of A-Z a-z 0-9 _ . -)"),
        ValueCase("a Number allowed by value though written differently", "Size", "2.50"),
        ValueCase("a Number outside its AllowedValues", "Size", "3", "params-value-constraint"),
        ValueCase("a NoEcho value too short", "Secret", "hunter2", "params-value-constraint", "value (hidden: NoEcho) for Secret (from --param) is 7 characters, shorter than MinLength 12"),
    ]

    @Test("A supplied value is checked against its parameter's type and constraints", arguments: valueCases)
    func valueChecks(_ row: ValueCase) throws {
        let defs = try definitions(Self.typed)
        let definition = try #require(defs.first { $0.name == row.parameter })
        let problem = ParameterValues.check(row.value, of: definition, origin: .flag)
        #expect(problem?.rule.id == row.rule)
        if let message = row.message { #expect(problem?.message == message) }
        if let problem { #expect(problem.parameter == row.parameter) }
    }

    @Test("A NoEcho value is never in a problem, neither in its message nor in its value")
    func noEchoHidden() throws {
        let defs = try definitions(Self.typed)
        let result = ParameterValues.resolve(defs.filter { $0.name == "Secret" }, supplied: [flag("Secret", "hunter2")])
        let problem = try #require(result.problems.first)
        #expect(problem.value == nil)
        #expect(!problem.message.contains("hunter2"))
        #expect(problem.message.contains("(hidden: NoEcho)"))
        #expect(result.values.first?.noEcho == true)
    }

    @Test("A value off its own constraints gets one finding, not a second one from the service rule")
    func oneFindingPerValue() throws {
        let defs = try definitions("""
            Parameters:
              StageName: {Type: String, AllowedPattern: '^[A-Za-z0-9_-]+$'}
            Resources:
              Api: {Type: AWS::ApiGatewayV2::Api, Properties: {ProtocolType: WEBSOCKET}}
              Stage: {Type: AWS::ApiGatewayV2::Stage, Properties: {ApiId: !Ref Api, StageName: !Ref StageName}}
            """)
        let result = ParameterValues.resolve(defs, supplied: [flag("StageName", "$default")])
        #expect(result.problems.map(\.rule.id) == ["params-value-constraint"])
    }

    // MARK: Service constraints

    static let services = """
        Transform: AWS::Serverless-2016-10-31
        Parameters:
          ServiceName: {Type: String, Default: meno}
          TableName: {Type: String, Default: meno-chat}
          StageName: {Type: String, Default: prod}
          Timeout: {Type: Number, Default: 10}
          Secret: {Type: String, NoEcho: true, Default: abc}
          Names: {Type: CommaDelimitedList, Default: 'a,b'}
          UseProd: {Type: String, Default: 'no'}
        Conditions:
          IsProd: !Equals [!Ref UseProd, 'yes']
        Globals:
          Function:
            Timeout: !Ref Timeout
        Resources:
          Chat:
            Type: AWS::DynamoDB::Table
            Properties:
              TableName: !Sub '${ServiceName}-chat'
              GlobalSecondaryIndexes:
              - IndexName: !Ref TableName
          Plain:
            Type: AWS::DynamoDB::Table
            Properties:
              TableName: !Ref TableName
          Stacked:
            Type: AWS::Serverless::SimpleTable
            Properties:
              TableName: !Sub '${AWS::StackName}-${ServiceName}'
          Joined:
            Type: AWS::DynamoDB::GlobalTable
            Properties:
              TableName: !Join ['-', [!Ref ServiceName, !If [IsProd, prod, !Ref StageName]]]
          Hidden:
            Type: AWS::DynamoDB::Table
            Properties:
              TableName: {'Fn::Sub': ['${Prefix}-${Secret}', {Prefix: !Ref ServiceName}]}
          Listed:
            Type: AWS::DynamoDB::Table
            Properties:
              TableName: !Select [0, !Ref Names]
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Timeout: !Ref Timeout
              Policies:
              - DynamoDBCrudPolicy: {TableName: !Ref TableName}
              - DynamoDBReadPolicy:
                  TableName: !Sub '${TableName}'
              - AWSLambdaBasicExecutionRole
          Ws:
            Type: AWS::ApiGatewayV2::Api
            Properties: {ProtocolType: WEBSOCKET}
          Http:
            Type: AWS::ApiGatewayV2::Api
            Properties: {ProtocolType: HTTP}
          WsStage:
            Type: AWS::ApiGatewayV2::Stage
            Properties: {ApiId: !Ref Ws, StageName: !Ref StageName}
          HttpStage:
            Type: AWS::ApiGatewayV2::Stage
            Properties: {ApiId: !Ref Http, StageName: !Ref StageName}
          Rest:
            Type: AWS::Serverless::Api
            Properties: {StageName: !Ref StageName}
          Deployment:
            Type: AWS::ApiGateway::Deployment
            Properties: {RestApiId: x, StageName: !Ref StageName}
        """

    @Test("Service constraints are inferred where a parameter flows, directly or composed, in template order")
    func inference() throws {
        let defs = try definitions(Self.services)
        let byName = Dictionary(uniqueKeysWithValues: defs.map { ($0.name, $0) })
        #expect(byName["TableName"]?.serviceConstraints.map(\.path) == [
            "Resources/Chat/Properties/GlobalSecondaryIndexes/0/IndexName",
            "Resources/Plain/Properties/TableName",
            "Resources/Fn/Properties/Policies/0/DynamoDBCrudPolicy/TableName",
            "Resources/Fn/Properties/Policies/1/DynamoDBReadPolicy/TableName",
        ])
        #expect(byName["TableName"]?.serviceConstraints.allSatisfy(\.isDirect) == true)
        #expect(byName["Timeout"]?.serviceConstraints.map(\.path) == ["Globals/Function/Timeout", "Resources/Fn/Properties/Timeout"])
        let serviceName = try #require(byName["ServiceName"]?.serviceConstraints)
        #expect(serviceName.map(\.path) == [
            "Resources/Chat/Properties/TableName", "Resources/Stacked/Properties/TableName",
            "Resources/Joined/Properties/TableName", "Resources/Joined/Properties/TableName",
            "Resources/Hidden/Properties/TableName",
        ])
        try #require(serviceName.count == 5)
        #expect(serviceName[0].pieces == [.parameter("ServiceName"), .literal("-chat")])
        #expect(serviceName[1].pieces == [.unknown("${AWS::StackName}"), .literal("-"), .parameter("ServiceName")])
        #expect(serviceName[2].pieces == [.parameter("ServiceName"), .literal("-prod")])
        #expect(serviceName[3].pieces == [.parameter("ServiceName"), .literal("-"), .parameter("StageName")])
        #expect(serviceName[4].pieces == [.parameter("ServiceName"), .literal("-"), .parameter("Secret")])
        let stages = try #require(byName["StageName"]?.serviceConstraints)
        #expect(stages.map(\.service) == [.dynamoDBTableName, .webSocketStageName, .httpStageName, .restStageName, .restDeploymentStageName])
        #expect(byName["Names"]?.serviceConstraints == [])
    }

    struct ServiceCase: CustomTestStringConvertible, Sendable {
        let name: String
        let supplied: [SuppliedParameter]
        let expected: [String]
        var testDescription: String { name }

        init(_ name: String, _ supplied: [SuppliedParameter], _ expected: [String]) {
            self.name = name
            self.supplied = supplied
            self.expected = expected
        }
    }

    static let serviceCases: [ServiceCase] = [
        ServiceCase("the defaults satisfy every service", [], []),
        ServiceCase("a table name of two characters", [flag("TableName", "ab")], [
            "params-dynamodb-name TableName: value 'ab' for TableName (from --param) flows into the DynamoDB index name at Resources/Chat/Properties/GlobalSecondaryIndexes/0/IndexName; it is 2 characters, and DynamoDB index names are 3 to 255 characters of A-Z a-z 0-9 _ . -",
            "params-dynamodb-name TableName: value 'ab' for TableName (from --param) flows into the DynamoDB table name at Resources/Plain/Properties/TableName; it is 2 characters, and DynamoDB table names are 3 to 255 characters of A-Z a-z 0-9 _ . -",
            "params-dynamodb-name TableName: value 'ab' for TableName (from --param) flows into the DynamoDB table name at Resources/Fn/Properties/Policies/0/DynamoDBCrudPolicy/TableName; it is 2 characters, and DynamoDB table names are 3 to 255 characters of A-Z a-z 0-9 _ . -",
            "params-dynamodb-name TableName: value 'ab' for TableName (from --param) flows into the DynamoDB table name at Resources/Fn/Properties/Policies/1/DynamoDBReadPolicy/TableName; it is 2 characters, and DynamoDB table names are 3 to 255 characters of A-Z a-z 0-9 _ . -",
        ]),
        ServiceCase("a service name with a slash breaks every composition, even with the stack name in it, each place once", [file("prod.env", 2, "SERVICE_NAME", "a/b")], [
            "params-dynamodb-name ServiceName: value 'a/b' for ServiceName (from prod.env:2) flows into the DynamoDB table name at Resources/Chat/Properties/TableName as 'a/b-chat'; it contains '/', and DynamoDB table names are 3 to 255 characters of A-Z a-z 0-9 _ . -",
            "params-dynamodb-name ServiceName: value 'a/b' for ServiceName (from prod.env:2) flows into the DynamoDB table name at Resources/Stacked/Properties/TableName as '${AWS::StackName}-a/b'; it contains '/', and DynamoDB table names are 3 to 255 characters of A-Z a-z 0-9 _ . -",
            "params-dynamodb-name ServiceName: value 'a/b' for ServiceName (from prod.env:2) flows into the DynamoDB table name at Resources/Joined/Properties/TableName as 'a/b-prod'; it contains '/', and DynamoDB table names are 3 to 255 characters of A-Z a-z 0-9 _ . -",
            "params-dynamodb-name ServiceName: value 'a/b' for ServiceName (from prod.env:2) flows into the DynamoDB table name at Resources/Hidden/Properties/TableName (composed value hidden: NoEcho); it contains '/', and DynamoDB table names are 3 to 255 characters of A-Z a-z 0-9 _ . -",
        ]),
        ServiceCase("a one-letter service name is fine where the composition is long enough", [flag("ServiceName", "m")], []),
        ServiceCase("a $default stage is fine on WebSocket and HTTP APIs, not on REST APIs or in a table name", [flag("StageName", "$default")], [
            "params-dynamodb-name StageName: value '$default' for StageName (from --param) flows into the DynamoDB table name at Resources/Joined/Properties/TableName as 'meno-$default'; it contains '$', and DynamoDB table names are 3 to 255 characters of A-Z a-z 0-9 _ . -",
            "params-stage-name StageName: value '$default' for StageName (from --param) flows into the REST API stage name at Resources/Rest/Properties/StageName; it contains '$', and REST API stage names are 1 to 128 characters of A-Z a-z 0-9 _ -",
            "params-stage-name StageName: value '$default' for StageName (from --param) flows into the REST API deployment stage name at Resources/Deployment/Properties/StageName; it contains '$', and REST API deployment stage names are 1 to 128 characters of A-Z a-z 0-9 _",
        ]),
        ServiceCase("a hyphen is fine in a stage, except in a REST deployment's stage", [flag("StageName", "blue-green")], [
            "params-stage-name StageName: value 'blue-green' for StageName (from --param) flows into the REST API deployment stage name at Resources/Deployment/Properties/StageName; it contains '-', and REST API deployment stage names are 1 to 128 characters of A-Z a-z 0-9 _",
        ]),
        ServiceCase("a timeout above 900 seconds", [flag("Timeout", "901")], [
            "params-lambda-timeout Timeout: value '901' for Timeout (from --param) flows into the Lambda timeout at Globals/Function/Timeout; it is outside 1–900, and Lambda takes a whole number of seconds from 1 to 900",
            "params-lambda-timeout Timeout: value '901' for Timeout (from --param) flows into the Lambda timeout at Resources/Fn/Properties/Timeout; it is outside 1–900, and Lambda takes a whole number of seconds from 1 to 900",
        ]),
        ServiceCase("a fractional timeout", [flag("Timeout", "2.5")], [
            "params-lambda-timeout Timeout: value '2.5' for Timeout (from --param) flows into the Lambda timeout at Globals/Function/Timeout; it is not a whole number, and Lambda takes a whole number of seconds from 1 to 900",
            "params-lambda-timeout Timeout: value '2.5' for Timeout (from --param) flows into the Lambda timeout at Resources/Fn/Properties/Timeout; it is not a whole number, and Lambda takes a whole number of seconds from 1 to 900",
        ]),
        ServiceCase("a timeout of 900 seconds", [flag("Timeout", "900")], []),
        ServiceCase("a NoEcho value in a bad composition is hidden", [flag("Secret", "a b")], [
            "params-dynamodb-name Secret: value (hidden: NoEcho) for Secret (from --param) flows into the DynamoDB table name at Resources/Hidden/Properties/TableName (composed value hidden: NoEcho); it contains a space, and DynamoDB table names are 3 to 255 characters of A-Z a-z 0-9 _ . -",
        ]),
    ]

    @Test("Values are checked against the services they flow into", arguments: serviceCases)
    func serviceChecks(_ row: ServiceCase) throws {
        let defs = try definitions(Self.services)
        let problems = ParameterValues.resolve(defs, supplied: row.supplied).problems
        let described = problems.map { "\($0.rule.id) \($0.parameter ?? "-"): \($0.message)" }
        #expect(described == row.expected)
        #expect(problems.allSatisfy { !$0.message.contains("hunter") && ($0.parameter != "Secret" || $0.value == nil) })
    }

    @Test("A composed name is too long when its known pieces alone pass the limit, even with the stack name unknown")
    func composedTooLong() throws {
        let defs = try definitions(Self.services)
        let long = String(repeating: "s", count: 255)
        let problems = ParameterValues.resolve(defs, supplied: [flag("ServiceName", long)]).problems
        try #require(problems.map(\.rule.id) == Array(repeating: "params-dynamodb-name", count: 4))
        #expect(problems.map { $0.message.hasSuffix("and DynamoDB table names are 3 to 255 characters of A-Z a-z 0-9 _ . -") } == Array(repeating: true, count: 4))
        #expect(problems[0].message.contains("at Resources/Chat/Properties/TableName as '\(long)-chat'; it is 260 characters"))
        #expect(problems[1].message.contains("at Resources/Stacked/Properties/TableName as '${AWS::StackName}-\(long)'; it is at least 256 characters"))
        #expect(problems[2].message.contains("at Resources/Joined/Properties/TableName as '\(long)-prod'; it is 260 characters"))
        #expect(problems[3].message.contains("(composed value hidden: NoEcho); it is 259 characters"))
    }

    // MARK: AllowedPattern

    static let javaPatterns: [String] = [
        "[a-z0-9]{6,16}+", "\\p{Alpha}+", "[a-z&&[^e]]+", "\\Qa.b\\E", "(?<=a)b", "\\p{javaLowerCase}+", "\\p{InGreek}",
        "^(([0-9]|[1-9][0-9])\\.){3}([0-9]|[1-9][0-9])(\\/([0-9]|[1-2][0-9]|3[0-2]))$", "^\\/", "[]a]", "\\cA", "x{",
    ]

    @Test("Java patterns Swift cannot compile, or compiles, are never called invalid", arguments: javaPatterns)
    func javaPatternsAccepted(_ pattern: String) {
        if case .invalid = AllowedPattern(pattern).compiled {
            Issue.record("\(pattern) reported invalid")
        }
    }

    static let brokenPatterns: [(String, String)] = [
        ("^[a-z+$", "the character class opened at offset 1 is never closed"),
        ("^(ab$", "the group opened at offset 1 is never closed"),
        ("ab)$", "it has a ')' at offset 2 that closes no group"),
        ("*abc", "the quantifier '*' at offset 0 has nothing to repeat"),
        ("a|+b", "the quantifier '+' at offset 2 has nothing to repeat"),
        ("a{3,1}", "the repetition {3,1} at offset 1 has its bounds reversed"),
        ("abc\\", "it ends with a lone backslash"),
    ]

    @Test("Patterns broken in both dialects are invalid, with the reason", arguments: brokenPatterns)
    func brokenPatternsRejected(_ row: (String, String)) {
        guard case .invalid(let reason) = AllowedPattern(row.0).compiled else {
            Issue.record("\(row.0) not reported")
            return
        }
        #expect(reason == row.1)
    }

    @Test("AllowedPattern matches the whole value, as Java's matches() does")
    func wholeMatch() {
        let pattern = AllowedPattern("[a-z]+")
        #expect(pattern.matches("abc") == true)
        #expect(pattern.matches("abc1") == false)
        #expect(pattern.matches("1abc") == false)
        #expect(AllowedPattern("(?<=a)b").matches("b") == nil)
        #expect(AllowedPattern("[a-z0-9]{6,16}+").matches("abcdef") == true)
    }
}
