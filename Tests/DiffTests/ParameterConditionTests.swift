import Diff
import Testing

/// Parameters take the values the deploy gives them (Default < env files < --param) on both
/// sides, and the conditions they decide are taken.
@Suite("menort diff: parameters and conditions")
struct ParameterConditionTests {
    // MARK: Parameters

    @Test("A changed ConnectionsTableName default replaces the connections table, destroying its data")
    func connectionsTableDefault() throws {
        let old = try Rendered.stack()
        let new = try Rendered.edit(old, "Default: meno-connections", "Default: meno-conns")
        let result = try diff(old, new)
        let table = try #require(result.resource("ConnectionsTable"))
        #expect(table.action == .replace)
        let name = try #require(table.property("TableName"))
        #expect(name.old == .scalar("meno-connections"))
        #expect(name.new == .scalar("meno-conns"))
        #expect(name.replacement == .always)
        #expect(table.dataLoss?.destroyed == true)
        #expect(table.dataLoss?.message == "ConnectionsTable is replaced and its data deleted (UpdateReplacePolicy: Delete); set UpdateReplacePolicy: Retain to keep it")
        #expect(result.parameters.map(\.name) == ["ConnectionsTableName"])
        #expect(result.parameters.first?.change == "value")
        #expect(result.parameters.first?.old == .scalar("meno-connections"))
        #expect(result.parameters.first?.new == .scalar("meno-conns"))
        // Data loss is listed first.
        #expect(result.resources.first?.logicalId == "ConnectionsTable")
        #expect(result.endpointChanges.isEmpty)
    }

    @Test("A --param overriding a changed default gives both templates the same value: no resource changes, only the definition")
    func paramOverridesBoth() throws {
        let old = try Rendered.stack()
        let new = try Rendered.edit(old, "Default: meno-connections", "Default: meno-conns")
        for params in [["ConnectionsTableName=meno-connections"], ["ConnectionsTableName=meno-live"]] {
            let result = try diff(old, new, params: params)
            #expect(result.resources.isEmpty, "\(params)")
            #expect(result.parameters.map(\.name) == ["ConnectionsTableName"])
            #expect(result.parameters.first?.change == "definition")
        }
    }

    @Test("An env file's UPPER_SNAKE_CASE key overrides both defaults, and --param wins over it")
    func envFileAndParam() throws {
        let old = try Rendered.stack()
        let new = try Rendered.edit(old, "Default: meno-connections", "Default: meno-conns")
        #expect(try diff(old, new, env: ["CONNECTIONS_TABLE_NAME=meno-live"]).resources.isEmpty)
        // The same value from the file, a different one from the flag: still the same on both sides.
        #expect(try diff(old, new, params: ["ConnectionsTableName=meno-x"], env: ["CONNECTIONS_TABLE_NAME=meno-live"]).resources.isEmpty)
        // Identical templates: a supplied value changes nothing, whatever it is.
        #expect(try diff(old, old, params: ["ConnectionsTableName=meno-x"]).isEmpty)
    }

    static func vpcLink(_ subnets: String) -> String {
        """
        Parameters:
          Subnets:
            Type: CommaDelimitedList
            Default: '\(subnets)'
        Resources:
          Link:
            Type: AWS::ApiGatewayV2::VpcLink
            Properties:
              Name: meno
              SubnetIds: !Ref Subnets
        """
    }

    @Test("A CommaDelimitedList parameter is a list: a changed member replaces the VPC link (SubnetIds is createOnly)")
    func commaDelimitedListChange() throws {
        let result = try diff(Self.vpcLink("subnet-0a,subnet-0b"), Self.vpcLink("subnet-0a,subnet-0c"))
        let link = try #require(result.resource("Link"))
        #expect(link.action == .replace)
        let subnets = try #require(link.property("SubnetIds"))
        #expect(subnets.old == .list([.scalar("subnet-0a"), .scalar("subnet-0b")]))
        #expect(subnets.new == .list([.scalar("subnet-0a"), .scalar("subnet-0c")]))
        #expect(result.parameters.map(\.change) == ["value"])
    }

    @Test("A CommaDelimitedList written with spaces after its commas is the same list (CloudFormation trims each member)")
    func commaDelimitedListSpaces() throws {
        let result = try diff(Self.vpcLink("subnet-0a,subnet-0b"), Self.vpcLink("subnet-0a, subnet-0b"))
        #expect(result.resources.isEmpty)
        #expect(result.parameters.allSatisfy { $0.change == "definition" })
    }

    @Test("A CommaDelimitedList given with --param is that list on both sides")
    func commaDelimitedListParam() throws {
        let result = try diff(Self.vpcLink("subnet-0a,subnet-0b"), Self.vpcLink("subnet-0a,subnet-0c"), params: ["Subnets=subnet-0z,subnet-0y"])
        #expect(result.resources.isEmpty)
    }

    @Test("A parameter only the new template declares is added, with the value the deploy gives it")
    func addedParameter() throws {
        let old = "Resources:\n  Topic: {Type: AWS::SNS::Topic}\n"
        let new = "Parameters:\n  TopicName: {Type: String, Default: meno}\nResources:\n  Topic: {Type: AWS::SNS::Topic, Properties: {TopicName: !Ref TopicName}}\n"
        let result = try diff(old, new)
        #expect(result.parameters.map(\.change) == ["added"])
        #expect(result.parameters.first?.new == .scalar("meno"))
        // TopicName is createOnly on AWS::SNS::Topic.
        #expect(result.resource("Topic")?.action == .replace)
    }

    @Test("A NoEcho parameter's supplied value appears in no output format")
    func noEchoHidden() throws {
        let old = """
            Parameters:
              DbUser: {Type: String, Default: meno}
            Resources:
              Credentials:
                Type: AWS::SecretsManager::Secret
                Properties:
                  SecretString: !Sub '{"user": "${DbUser}"}'
            """
        let new = """
            Parameters:
              DbUser: {Type: String, Default: meno-app}
              DbPassword: {Type: String, NoEcho: true}
            Resources:
              Credentials:
                Type: AWS::SecretsManager::Secret
                Properties:
                  SecretString: !Sub '{"user": "${DbUser}", "password": "${DbPassword}"}'
            """
        let result = try diff(old, new, params: ["DbPassword=hunter2-secret"])
        #expect(result.resource("Credentials")?.action == .update)
        #expect(result.parameters.map(\.name) == ["DbUser", "DbPassword"])
        // Shown as CloudFormation shows a NoEcho value.
        #expect(result.parameters.last?.new == .scalar("****"))
        for format in DiffFormat.allCases {
            let text = result.render(format, old: "old.yaml", new: "new.yaml")
            #expect(!text.contains("hunter2-secret"), "\(format)")
        }
    }

    @Test("A condition on a supplied NoEcho parameter is still decided, though its value is never shown")
    func noEchoCondition() throws {
        func template(_ retention: Int) -> String {
            """
            Parameters:
              ApiKey: {Type: String, NoEcho: true, Default: ''}
            Conditions:
              HasKey: !Not [!Equals [!Ref ApiKey, '']]
            Resources:
              Logs:
                Type: AWS::Logs::LogGroup
                Condition: HasKey
                Properties: {LogGroupName: meno, RetentionInDays: \(retention)}
            """
        }
        let result = try diff(template(7), template(14), params: ["ApiKey=k-123-secret"])
        #expect(result.actions == ["Logs": .update])
        #expect(try diff(template(7), template(14)).resources.isEmpty)
    }

    // MARK: Conditions

    static func decided(_ env: String) -> String {
        """
        Parameters:
          Env: {Type: String, Default: \(env), AllowedValues: [prod, dev]}
        Conditions:
          IsProd: !Equals [!Ref Env, prod]
        Resources:
          Connections:
            Type: AWS::DynamoDB::Table
            Properties:
              TableName: !If [IsProd, meno-connections, meno-connections-dev]
              BillingMode: PAY_PER_REQUEST
              AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
              KeySchema: [{AttributeName: id, KeyType: HASH}]
        """
    }

    @Test("A property under Fn::If whose condition the parameters decide changes for certain")
    func decidedCondition() throws {
        let result = try diff(Self.decided("prod"), Self.decided("dev"))
        let table = try #require(result.resource("Connections"))
        #expect(table.action == .replace)
        #expect(!table.mayReplace)
        let name = try #require(table.property("TableName"))
        #expect(!name.possible)
        #expect(name.old == .scalar("meno-connections"))
        #expect(name.new == .scalar("meno-connections-dev"))
        #expect(table.dataLoss?.destroyed == true)
        // The same value supplied to both: the condition holds the same way, nothing changes.
        #expect(try diff(Self.decided("prod"), Self.decided("dev"), params: ["Env=dev"]).resources.isEmpty)
    }

    static func regional(_ elsewhere: String, extraCondition: String = "", condition: String = "InUsEast") -> String {
        """
        Parameters:
          Env: {Type: String, Default: dev}
        Conditions:
          InUsEast: !Equals [!Ref AWS::Region, us-east-1]
          IsProd: !Equals [!Ref Env, prod]
          ProdInUsEast: !And [!Condition IsProd, !Condition InUsEast]
        Resources:
          Connections:
            Type: AWS::DynamoDB::Table
            Properties:
              TableName: !If [\(condition), meno-connections, \(elsewhere)]
              BillingMode: PAY_PER_REQUEST
              AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
              KeySchema: [{AttributeName: id, KeyType: HASH}]
        """
    }

    @Test("Under a condition menort cannot decide (AWS::Region), a replacing change is possible: the table may be replaced")
    func undecidableCondition() throws {
        let result = try diff(Self.regional("meno-connections-eu"), Self.regional("meno-connections-europe"))
        let table = try #require(result.resource("Connections"))
        #expect(table.action == .update)
        #expect(table.mayReplace)
        let name = try #require(table.property("TableName"))
        #expect(name.possible)
        #expect(name.replacement == .always)
        #expect(table.reasons == ["TableName may change: replaces the resource if the condition it is under holds"])
        // A possible replacement is a possible loss, said so that --fail-on data-loss stops it.
        #expect(table.dataLoss?.destroyed == true)
        #expect(table.dataLoss?.message == "Connections may be replaced, and then its data deleted (no UpdateReplacePolicy, so Delete); set UpdateReplacePolicy: Retain to keep it")
        // One resource, counted once.
        #expect(result.summaryLine == "1 may be replaced, 1 with data loss")
    }

    static func layers(_ last: String) -> String {
        """
        Conditions:
          InUsEast: !Equals [!Ref AWS::Region, us-east-1]
        Resources:
          Handler:
            Type: AWS::Lambda::Function
            Properties:
              Code: {ZipFile: 'exports.handler = async () => ({statusCode: 200})'}
              Handler: index.handler
              Runtime: nodejs24.x
              Role: arn:aws:iam::123456789012:role/handler
              Layers:
              - !If [InUsEast, 'arn:aws:lambda:us-east-1:123456789012:layer:tracing:3', !Ref AWS::NoValue]
              - \(last)
        """
    }

    @Test("A list holding an undecided Fn::If beside a changed plain item changes for certain, whichever way the condition goes")
    func certainBesideUndecided() throws {
        let result = try diff(Self.layers("arn:aws:lambda:eu-west-1:123456789012:layer:shared:1"),
                              Self.layers("arn:aws:lambda:eu-west-1:123456789012:layer:shared:2"))
        let layers = try #require(result.resource("Handler")?.property("Layers"))
        #expect(!layers.possible)
        #expect(result.actions == ["Handler": .update])
    }

    @Test("A value rewritten as an Fn::If whose branches both give it is no change")
    func bothBranchesTheSame() throws {
        let result = try diff(Self.regional("meno-connections", condition: "InUsEast"),
                              Self.regional("meno-connections", condition: "InUsEast")
                                .replacingOccurrences(of: "TableName: !If [InUsEast, meno-connections, meno-connections]", with: "TableName: meno-connections"))
        #expect(result.isEmpty)
        // Its twin with one branch changed stays possible.
        #expect(try diff(Self.regional("meno-connections"), Self.regional("meno-connections-eu")).resource("Connections")?.property("TableName")?.possible == true)
    }

    @Test("A condition that is false whatever the region (Fn::And with a false member) is decided")
    func andWithFalseMember() throws {
        // ProdInUsEast is false because Env is dev: the else branch is taken on both sides.
        let result = try diff(Self.regional("meno-connections-eu", condition: "ProdInUsEast"),
                              Self.regional("meno-connections-europe", condition: "ProdInUsEast"))
        let table = try #require(result.resource("Connections"))
        #expect(table.action == .replace)
        #expect(table.property("TableName")?.possible == false)
    }

    static func archive(_ keep: String) -> String {
        """
        Parameters:
          KeepArchive: {Type: String, Default: '\(keep)', AllowedValues: ['yes', 'no']}
        Conditions:
          WantArchive: !Equals [!Ref KeepArchive, 'yes']
        Resources:
          Archive:
            Type: AWS::DynamoDB::Table
            Condition: WantArchive
            Properties:
              BillingMode: PAY_PER_REQUEST
              AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
              KeySchema: [{AttributeName: id, KeyType: HASH}]
          Topic: {Type: AWS::SNS::Topic}
        """
    }

    @Test("A resource whose Condition a changed default switches off is removed, with its data")
    func conditionSwitchesOff() throws {
        let result = try diff(Self.archive("yes"), Self.archive("no"))
        #expect(result.actions == ["Archive": .remove])
        #expect(result.resource("Archive")?.dataLoss?.destroyed == true)
        let back = try diff(Self.archive("no"), Self.archive("yes"))
        #expect(back.actions == ["Archive": .add])
    }

    @Test("A resource switched off on both sides by a --param is not in the diff")
    func conditionOffOnBothSides() throws {
        let result = try diff(Self.archive("yes"), Self.archive("no"), params: ["KeepArchive=no"])
        #expect(result.resources.isEmpty)
    }
}
