import Foundation
import Testing
import Validation

@Suite("iam rules")
struct IAMRulesTests {
    /// A template and exactly the iam findings it must produce.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let yaml: String
        let expected: [Expected]
        /// A fragment the first finding's message must contain.
        let message: String
        /// The first finding's path, when the row pins it.
        let path: String?
        var testDescription: String { name }

        init(_ name: String, _ yaml: String, _ expected: [Expected], _ message: String, path: String? = nil) {
            self.name = name
            self.yaml = yaml
            self.expected = expected
            self.message = message
            self.path = path
        }
    }

    static func findings(_ yaml: String) -> [Diagnostic] {
        validate(yaml, families: [.iam])
    }

    /// A role with one inline policy whose single statement is `statement` (indented by 10).
    static func role(_ statement: String, version: String = "'2012-10-17'") -> String {
        """
        Resources:
          Role:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument:
                Statement:
                - Effect: Allow
                  Principal: {Service: lambda.amazonaws.com}
                  Action: sts:AssumeRole
              Policies:
              - PolicyName: access
                PolicyDocument:
                  Version: \(version)
                  Statement:
        \(statement)
        """
    }

    /// A SAM function whose Policies hold a policy template, a managed policy name, then
    /// `policies` (list items indented by 6).
    static func samFunction(_ policies: String) -> String {
        """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Function:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: nodejs22.x
              Handler: index.handler
              InlineCode: x
              Policies:
              - DynamoDBCrudPolicy: {TableName: chat}
              - AWSLambdaBasicExecutionRole
        \(policies)
        """
    }

    // MARK: - Documents that IAM refuses

    static let reported: [Case] = [
        // Documents
        Case("a policy document written as a list is not a mapping", """
            Resources:
              Policy:
                Type: AWS::IAM::ManagedPolicy
                Properties:
                  PolicyDocument:
                  - Effect: Allow
            """, [Expected("iam-document", 6, 7, "Policy")], "the identity policy is a 1-item list, not a mapping",
            path: "Resources/Policy/Properties/PolicyDocument"),
        Case("an unknown key at the top of a document is refused and a misplaced statement key named", """
            Resources:
              Policy:
                Type: AWS::IAM::ManagedPolicy
                Properties:
                  PolicyDocument:
                    Effect: Allow
                    Statement:
                    - Effect: Allow
                      Action: s3:GetObject
                      Resource: '*'
            """, [Expected("iam-document-key", 6, 9, "Policy")], "'Effect' is not a key of a policy document, which holds only Version, Id and Statement; Effect belongs inside a statement",
            path: "Resources/Policy/Properties/PolicyDocument/Effect"),
        Case("a Version that is no policy language version is refused", role("""
                      - Effect: Allow
                        Action: s3:GetObject
                        Resource: '*'
            """, version: "'2012-10-18'"), [Expected("iam-version", 13, 20, "Role")],
            "Version '2012-10-18' is not a policy language version; IAM knows only 2012-10-17 and 2008-10-17",
            path: "Resources/Role/Properties/Policies/0/PolicyDocument/Version"),
        Case("a document without Statement is refused at the document", """
            Resources:
              Policy:
                Type: AWS::IAM::Policy
                Properties:
                  PolicyName: p
                  Roles: [r]
                  PolicyDocument: {Version: '2012-10-17'}
            """, [Expected("iam-statement", 7, 23, "Policy")], "the identity policy has no Statement"),
        Case("a statement that is a string is not a mapping", role("""
                      - s3:GetObject
            """), [Expected("iam-statement", 15, 13, "Role")], "statement 0 is 's3:GetObject', not a mapping",
            path: "Resources/Role/Properties/Policies/0/PolicyDocument/Statement/0"),

        // Statement keys
        Case("a misspelled Resource key leaves the statement without resources", role("""
                      - Effect: Allow
                        Action: s3:GetObject
                        Resources: '*'
            """), [Expected("iam-resource-missing", 15, 13, "Role"), Expected("iam-statement-key", 17, 13, "Role")],
            "the statement of this identity policy has neither Resource nor NotResource"),
        Case("a misspelled statement key is refused, and the right spelling suggested", role("""
                      - Effect: Allow
                        Action: s3:GetObject
                        Resource: '*'
                        Conditions: {}
            """), [Expected("iam-statement-key", 18, 13, "Role")],
            "'Conditions' is not a statement key; a statement holds only Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource, NotResource, Condition (case sensitive); did you mean Condition?"),
        Case("a trust policy with a Resource is refused as IAM does", """
            Resources:
              Role:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument:
                    Version: '2012-10-17'
                    Statement:
                    - Effect: Allow
                      Principal: {Service: lambda.amazonaws.com}
                      Action: sts:AssumeRole
                      Resource: '*'
            """, [Expected("iam-statement-key", 11, 11, "Role")], "a trust policy has no Resource: the role is the resource, and IAM refuses the document ('Has prohibited field Resource')",
            path: "Resources/Role/Properties/AssumeRolePolicyDocument/Statement/0/Resource"),

        // Effect
        Case("a lowercase Effect is refused because IAM is case sensitive", role("""
                      - Effect: allow
                        Action: s3:GetObject
                        Resource: '*'
            """), [Expected("iam-effect", 15, 21, "Role")], "Effect 'allow' is not Allow or Deny; IAM is case sensitive here",
            path: "Resources/Role/Properties/Policies/0/PolicyDocument/Statement/0/Effect"),
        Case("a statement without Effect is refused at the statement", role("""
                      - Action: s3:GetObject
                        Resource: '*'
            """), [Expected("iam-effect", 15, 13, "Role")], "the statement has no Effect; add `Effect: Allow` or `Effect: Deny`"),
        Case("an Effect chosen by Fn::If is checked in both branches", role("""
                      - Effect: !If [Prod, Deny, Alow]
                        Action: s3:GetObject
                        Resource: '*'
            """), [Expected("iam-effect", 15, 21, "Role")], "Effect 'Alow' is not Allow or Deny"),

        // Actions
        Case("a statement without Action or NotAction is refused", role("""
                      - Effect: Allow
                        Resource: '*'
            """), [Expected("iam-action", 15, 13, "Role")], "the statement has neither Action nor NotAction"),
        Case("a statement with both Action and NotAction is reported at NotAction", role("""
                      - Effect: Allow
                        Action: s3:GetObject
                        NotAction: s3:PutObject
                        Resource: '*'
            """), [Expected("iam-action", 17, 13, "Role")], "the statement has both Action and NotAction; keep one of them"),
        Case("an empty Action list names no action", role("""
                      - Effect: Allow
                        Action: []
                        Resource: '*'
            """), [Expected("iam-action", 16, 21, "Role")], "Action is an empty list; name at least one action"),
        Case("an action without a service prefix is refused at the list item", role("""
                      - Effect: Allow
                        Action:
                        - s3:GetObject
                        - PutObject
                        Resource: '*'
            """), [Expected("iam-action-form", 18, 15, "Role")], "action 'PutObject' has no service prefix; write service:action",
            path: "Resources/Role/Properties/Policies/0/PolicyDocument/Statement/0/Action/1"),
        Case("an action with two colons is refused", role("""
                      - Effect: Allow
                        Action: dynamodb:table:GetItem
                        Resource: '*'
            """), [Expected("iam-action-form", 16, 21, "Role")], "action 'dynamodb:table:GetItem' has 2 colons; IAM allows exactly one"),
        Case("an action written with Fn::Sub and no variable is checked as the text it is", role("""
                      - Effect: Allow
                        Action: !Sub 'dynamodb-GetItem'
                        Resource: '*'
            """), [Expected("iam-action-form", 16, 21, "Role")], "action 'dynamodb-GetItem' has no service prefix"),
        Case("an action built by Fn::Join from literals is checked", role("""
                      - Effect: Allow
                        Action: !Join ['', [dynamodb, GetItem]]
                        Resource: '*'
            """), [Expected("iam-action-form", 16, 21, "Role")], "action 'dynamodbGetItem' has no service prefix"),

        // Resources
        Case("an identity statement without Resource is refused", role("""
                      - Effect: Allow
                        Action: s3:GetObject
            """), [Expected("iam-resource-missing", 15, 13, "Role")],
            "the statement of this identity policy has neither Resource nor NotResource"),
        Case("a statement with both Resource and NotResource is reported at NotResource", role("""
                      - Effect: Allow
                        Action: s3:GetObject
                        Resource: '*'
                        NotResource: arn:aws:s3:::private/*
            """), [Expected("iam-resource-missing", 18, 13, "Role")], "the statement has both Resource and NotResource"),
        Case("a bare table name as Resource is not an ARN", role("""
                      - Effect: Allow
                        Action: dynamodb:GetItem
                        Resource: [!GetAtt Table.Arn, Chat]
            """), [Expected("iam-resource-form", 17, 43, "Role")], "Resource 'Chat' is not an ARN; IAM accepts only ARNs",
            path: "Resources/Role/Properties/Policies/0/PolicyDocument/Statement/0/Resource/1"),
        Case("a mapping in a Resource list is not a string", role("""
                      - Effect: Allow
                        Action: dynamodb:GetItem
                        Resource:
                        - Effect: Allow
            """), [Expected("iam-resource-form", 18, 15, "Role")], "a Resource entry is a mapping, not a string"),
        Case("a bucket policy statement without Resource is refused", """
            Resources:
              BucketPolicy:
                Type: AWS::S3::BucketPolicy
                Properties:
                  Bucket: b
                  PolicyDocument:
                    Statement:
                      Effect: Deny
                      Principal: '*'
                      Action: s3:*
            """, [Expected("iam-resource-missing", 8, 11, "BucketPolicy")], "AWS::S3::BucketPolicy resource policy has neither Resource nor NotResource"),

        Case("an ECR repository policy needs no Resource but is held to Allow or Deny", """
            Resources:
              Repository:
                Type: AWS::ECR::Repository
                Properties:
                  RepositoryPolicyText:
                    Version: '2012-10-17'
                    Statement:
                    - Effect: NotAllow
                      Principal: {AWS: arn:aws:iam::123456789012:root}
                      Action: ecr:BatchGetImage
            """, [Expected("iam-effect", 8, 19, "Repository")], "Effect 'NotAllow' is not Allow or Deny",
            path: "Resources/Repository/Properties/RepositoryPolicyText/Statement/0/Effect"),

        // Principals
        Case("a Principal in an identity policy is refused at the key", role("""
                      - Effect: Allow
                        Principal: '*'
                        Action: s3:GetObject
                        Resource: '*'
            """), [Expected("iam-principal", 16, 13, "Role")], "an identity policy applies to the role, user or group it is attached to and cannot name a Principal"),
        Case("a trust policy statement without Principal is refused", """
            Resources:
              Role:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument:
                    Statement:
                    - Effect: Allow
                      Action: sts:AssumeRole
            """, [Expected("iam-principal", 7, 11, "Role")], "the statement of this trust policy has no Principal; add Principal, the identities allowed to assume the role"),
        Case("a queue policy statement without Principal is refused", """
            Resources:
              QueuePolicy:
                Type: AWS::SQS::QueuePolicy
                Properties:
                  Queues: [q]
                  PolicyDocument:
                    Version: '2012-10-17'
                    Statement:
                    - Effect: Allow
                      Action: sqs:SendMessage
                      Resource: '*'
            """, [Expected("iam-principal", 9, 11, "QueuePolicy")], "has no Principal; add Principal (or NotPrincipal)"),
        Case("a bare ARN as Principal is refused and the mapping form suggested", """
            Resources:
              Key:
                Type: AWS::KMS::Key
                Properties:
                  KeyPolicy:
                    Version: '2012-10-17'
                    Statement:
                    - Effect: Allow
                      Principal: arn:aws:iam::123456789012:root
                      Action: kms:*
                      Resource: '*'
            """, [Expected("iam-principal", 9, 22, "Key")], "Principal 'arn:aws:iam::123456789012:root' is neither '*' nor a mapping; write {AWS: 'arn:aws:iam::123456789012:root'}"),
        Case("a misspelled principal type is refused with the right one", """
            Resources:
              Role:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument:
                    Statement:
                    - Effect: Allow
                      Principal: {Services: lambda.amazonaws.com}
                      Action: sts:AssumeRole
            """, [Expected("iam-principal", 8, 23, "Role")], "'Services' is not a principal type; a Principal maps AWS, Service, Federated or CanonicalUser to ids; did you mean Service?"),

        // Conditions
        Case("an unknown condition operator is refused with the closest one", role("""
                      - Effect: Allow
                        Action: s3:GetObject
                        Resource: '*'
                        Condition:
                          StringEqual: {aws:SourceAccount: '123456789012'}
            """), [Expected("iam-condition", 19, 15, "Role")], "'StringEqual' is not a condition operator IAM knows",
            path: "Resources/Role/Properties/Policies/0/PolicyDocument/Statement/0/Condition/StringEqual"),
        Case("a condition key written directly under Condition is refused", role("""
                      - Effect: Allow
                        Action: s3:GetObject
                        Resource: '*'
                        Condition:
                          aws:SourceAccount: '123456789012'
            """), [Expected("iam-condition", 19, 15, "Role")], "'aws:SourceAccount' is a condition key written directly under Condition; put it under an operator"),
        Case("an operator given a plain value is refused", role("""
                      - Effect: Allow
                        Action: s3:GetObject
                        Resource: '*'
                        Condition:
                          Bool: 'true'
            """), [Expected("iam-condition", 19, 21, "Role")], "operator Bool is given 'true'; it takes a mapping of condition keys to values"),
        Case("a Condition written as a list is not a mapping of operators", role("""
                      - Effect: Allow
                        Action: s3:GetObject
                        Resource: '*'
                        Condition: [StringEquals]
            """), [Expected("iam-condition", 18, 24, "Role")], "Condition is a 1-item list, not a mapping of operators"),
        Case("IfExists on Null is not an operator", role("""
                      - Effect: Allow
                        Action: s3:GetObject
                        Resource: '*'
                        Condition:
                          NullIfExists: {aws:TokenIssueTime: 'true'}
            """), [Expected("iam-condition", 19, 15, "Role")], "'NullIfExists' is not a condition operator IAM knows"),
        Case("a condition key given a mapping is refused", role("""
                      - Effect: Allow
                        Action: s3:GetObject
                        Resource: '*'
                        Condition:
                          StringEquals: {aws:SourceAccount: {Account: '1'}}
            """), [Expected("iam-condition", 19, 49, "Role")], "condition key 'aws:SourceAccount' of StringEquals is given a mapping"),
        Case("an operator in another letter case is a warning, since IAM does not document it", role("""
                      - Effect: Allow
                        Action: s3:GetObject
                        Resource: '*'
                        Condition:
                          stringequals: {aws:SourceAccount: '123456789012'}
            """), [Expected("iam-condition-case", 19, 15, "Role")], "condition operator 'stringequals' differs in letter case"),

        // Statement ids
        Case("a Sid with a hyphen in an identity policy is refused", role("""
                      - Sid: read-chat
                        Effect: Allow
                        Action: s3:GetObject
                        Resource: '*'
            """), [Expected("iam-sid", 15, 18, "Role")], "Sid 'read-chat' contains '-'; IAM accepts only A-Z, a-z and 0-9"),
        Case("two statements with one Sid are refused at the second", role("""
                      - Sid: Read
                        Effect: Allow
                        Action: s3:GetObject
                        Resource: '*'
                      - Sid: Read
                        Effect: Allow
                        Action: s3:ListBucket
                        Resource: '*'
            """), [Expected("iam-sid-duplicate", 19, 18, "Role")], "Sid 'Read' is already used by the statement at line 15"),

        // SAM
        Case("a SAM function's inline statement is an identity policy", samFunction("""
                  - Statement:
                    - Effect: Allow
                      Action: execute-api:ManageConnections
            """), [Expected("iam-resource-missing", 13, 11, "Function")], "identity policy has neither Resource nor NotResource",
            path: "Resources/Function/Properties/Policies/2/Statement/0"),
        Case("Globals.Function.AssumeRolePolicyDocument is a trust policy", """
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function:
                AssumeRolePolicyDocument:
                  Version: '2012-10-17'
                  Statement:
                  - Effect: Allow
                    Action: sts:AssumeRole
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            """, [Expected("iam-principal", 7, 9)], "the statement of this trust policy has no Principal"),
        Case("each branch of Properties chosen by Fn::If is read", """
            Resources:
              Policy:
                Type: AWS::IAM::Policy
                Properties:
                  Fn::If:
                  - Prod
                  - PolicyName: p
                    PolicyDocument: {Statement: {Effect: Allow, Action: 's3:*', Resource: '*'}}
                  - PolicyName: p
                    PolicyDocument: {}
            """, [Expected("iam-statement", 10, 25, "Policy")], "the identity policy has no Statement"),
    ]

    @Test("Each defect is reported once, by the right rule, at the offending node", arguments: reported)
    func reportedCase(_ row: Case) {
        let diagnostics = Self.findings(row.yaml)
        #expect(diagnostics.map(Expected.init) == row.expected)
        if !row.expected.isEmpty {
            #expect(diagnostics.first?.message.contains(row.message) == true, "\(diagnostics.first?.message ?? "no finding")")
        }
        if let path = row.path { #expect(diagnostics.first?.path == path) }
    }

    @Test("Every rule of the family is exercised by a template that triggers it")
    func everyRuleExercised() {
        let triggered = Set(Self.reported.flatMap { $0.expected.map(\.rule) })
        #expect(Set(IAMRules.rules.map(\.id)).subtracting(triggered).isEmpty)
    }

    // MARK: - The rendered stack, one edit away

    /// The `$default` handler's inline policy: the only function whose Policies start with a document.
    static let defaultPolicy = """
              Policies:
              - Version: '2012-10-17'
                Statement:
                - Effect: Allow
                  Action: execute-api:ManageConnections
        """

    static let mutations: [(String, String, Expected, String)] = [
        ("'2012-10-17'", "'2012-10-17 '", Expected("iam-version", 229, 18, "DefaultFunction"), "Version '2012-10-17 '"),
        ("- Effect: Allow", "- Effect: allow", Expected("iam-effect", 231, 19, "DefaultFunction"), "Effect 'allow' is not Allow or Deny; IAM is case sensitive here"),
        ("Action: execute-api:ManageConnections", "Action: ManageConnections", Expected("iam-action-form", 232, 19, "DefaultFunction"), "action 'ManageConnections' has no service prefix"),
        ("Action: execute-api:ManageConnections", "Action: execute-api:ManageConnections\n          Principal: {Service: lambda.amazonaws.com}",
         Expected("iam-principal", 233, 11, "DefaultFunction"), "cannot name a Principal"),
        ("Statement:\n        - Effect: Allow", "Statement:\n        - Sid: Post connections\n          Effect: Allow",
         Expected("iam-sid", 231, 16, "DefaultFunction"), "Sid 'Post connections' contains ' '"),
    ]

    @Test("One edit to the rendered stack's inline policy is caught and located", arguments: 0..<mutations.count)
    func renderedStackMutation(_ index: Int) throws {
        let (old, new, expected, message) = Self.mutations[index]
        let edit = WebSocketFixture.Edit(Self.defaultPolicy, Self.defaultPolicy.replacingOccurrences(of: old, with: new))
        let text = try #require(WebSocketFixture.mutated([edit]), "the fixture drifted from the renderer")
        let diagnostics = Self.findings(text)
        #expect(diagnostics.map(Expected.init) == [expected])
        #expect(diagnostics.first?.message.contains(message) == true, "\(diagnostics.first?.message ?? "no finding")")
    }

    @Test("Removing the Resource of the rendered stack's inline statement is caught at the statement")
    func renderedStackWithoutResource() throws {
        let resource = "\n          Resource: !Sub arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WebSocketApi}/${StageName}/POST/@connections/*"
        let text = try #require(WebSocketFixture.mutated([WebSocketFixture.Edit(Self.defaultPolicy + resource, Self.defaultPolicy)]))
        let diagnostics = Self.findings(text)
        #expect(diagnostics.map(Expected.init) == [Expected("iam-resource-missing", 231, 11, "DefaultFunction")])
        #expect(diagnostics.first?.path == "Resources/DefaultFunction/Properties/Policies/0/Statement/0")
    }

    @Test("The rendered realtime stacks produce no iam finding",
          arguments: ["templates/realtime/template.yaml", "Tests/Fixtures/six-routes.template.yaml"])
    func renderedStack(_ path: String) throws {
        let text = try String(contentsOfFile: WebSocketFixture.root + "/" + path, encoding: .utf8)
        #expect(!text.isEmpty)
        let diagnostics = Self.findings(text)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
    }

    // MARK: - Documents IAM accepts, or whose content is not known

    static let accepted: [(String, String)] = [
        ("a SAM policy template, a managed policy name and an ARN are not documents", samFunction("""
                  - !Sub arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess
                  - {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'sqs:*', Resource: '*'}]}
            """)),
        ("an unquoted date Version, the 2008 version and set operators with IfExists", role("""
                      - Effect: Allow
                        Action: ['s3:Get*', 's3:List?ucket', '*']
                        NotResource: arn:aws:s3:::private/*
                        Condition:
                          ForAnyValue:StringLikeIfExists: {aws:TagKeys: [a*, b*]}
                          NumericLessThanEquals: {s3:max-keys: 10}
                          'Null': {aws:TokenIssueTime: true}
                          Bool: {aws:SecureTransport: false}
            """, version: "2012-10-17") + "\n" + """
                  - PolicyName: old
                    PolicyDocument:
                      Version: 2008-10-17
                      Id: Legacy
                      Statement: {Sid: Old1, Effect: Deny, NotAction: 'iam:*', Resource: '*'}
            """),
        ("values computed by intrinsics whose text is unknown are never reported", """
            Parameters:
              Effect: {Type: String}
              Actions: {Type: CommaDelimitedList}
              Service: {Type: String}
            Resources:
              Role:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: !Ref TrustPolicy
                  Policies:
                  - PolicyName: p
                    PolicyDocument:
                      Version: !Ref Version
                      Statement:
                      - Effect: !Ref Effect
                        Action: !Ref Actions
                        Resource: !GetAtt Table.Arn
                      - Effect: Allow
                        Action: [!Sub '${Service}:GetItem', !Select [0, !Ref Actions]]
                        Resource: [!ImportValue table-arn, !Sub '${Table.Arn}/index/*']
                        Condition: !If [Prod, {Bool: {aws:SecureTransport: true}}, !Ref AWS::NoValue]
                      - !If [Prod, {Effect: Allow, Action: 's3:*', Resource: '*'}, !Ref AWS::NoValue]
                      - !Ref ExtraStatement
                  - PolicyName: q
                    PolicyDocument: !If [Prod, !Ref AWS::NoValue, {Statement: {Effect: Allow, Action: 's3:*', Resource: '*'}}]
                  - PolicyName: json
                    PolicyDocument: '{"Statement": "any JSON string is handed to IAM as is"}'
            """),
        ("the same Sid in the two branches of one Fn::If statement is no duplicate", role("""
                      - !If
                        - Prod
                        - {Sid: Write, Effect: Allow, Action: 's3:PutObject', Resource: '*'}
                        - {Sid: Write, Effect: Deny, Action: 's3:PutObject', Resource: '*'}
                      - Sid: Read
                        Effect: Allow
                        Action: s3:GetObject
                        Resource: '*'
            """)),
        ("the same Sid in two statement lists chosen by Fn::If is no duplicate", """
            Resources:
              Policy:
                Type: AWS::IAM::ManagedPolicy
                Properties:
                  PolicyDocument:
                    Statement: !If
                    - Prod
                    - [{Sid: Main, Effect: Allow, Action: 's3:GetObject', Resource: '*'}]
                    - [{Sid: Main, Effect: Allow, Action: 's3:*', Resource: '*'}]
            """),
        ("resource policies with principals, Sids with spaces and a repeated Sid", """
            Resources:
              BucketPolicy:
                Type: AWS::S3::BucketPolicy
                Properties:
                  Bucket: b
                  PolicyDocument:
                    Version: '2012-10-17'
                    Statement:
                    - Sid: Deny insecure transport
                      Effect: Deny
                      Principal: '*'
                      Action: s3:*
                      Resource: [arn:aws:s3:::b, arn:aws:s3:::b/*]
                      Condition: {Bool: {aws:SecureTransport: 'false'}}
                    - Sid: Deny insecure transport
                      Effect: Allow
                      NotPrincipal: {AWS: [arn:aws:iam::123456789012:root, '123456789012']}
                      NotAction: s3:DeleteBucket
                      Resource: '*'
              Topic:
                Type: AWS::SNS::TopicPolicy
                Properties:
                  Topics: [t]
                  PolicyDocument:
                    Statement:
                    - Effect: Allow
                      Principal: {Service: events.amazonaws.com, AWS: '*', Federated: cognito-identity.amazonaws.com, CanonicalUser: abc}
                      Action: sns:Publish
                      Resource: '*'
            """),
        ("a template rewritten by a macro is not read, nor a document merged with AWS::Include", """
            Transform: [MyMacro]
            Resources:
              Policy:
                Type: AWS::IAM::ManagedPolicy
                Properties:
                  PolicyDocument: {Statement: {Effect: allow}}
            """),
        ("a statement merged with AWS::Include is not read", role("""
                      - Fn::Transform: {Name: AWS::Include, Parameters: {Location: s3://b/statement.yaml}}
                        Effect: Allow
            """)),
        ("SAM types without the transform are the template family's, not read here", """
            Resources:
              Function:
                Type: AWS::Serverless::Function
                Properties:
                  Policies: [{Statement: {Effect: allow}}]
            """),
    ]

    @Test("Documents IAM accepts, or whose content is not known, produce no finding", arguments: 0..<accepted.count)
    func acceptedDocument(_ index: Int) {
        let diagnostics = Self.findings(Self.accepted[index].1)
        #expect(diagnostics.isEmpty, "\(Self.accepted[index].0): \(diagnostics.map(\.description))")
    }

    @Test("Every rule has an id in the family, a title and an explanation")
    func ruleDeclarations() {
        for rule in IAMRules.rules {
            #expect(rule.id.hasPrefix("iam-"))
            #expect(rule.family == .iam)
            #expect(!rule.title.isEmpty && !rule.title.hasSuffix("."))
            #expect(rule.explanation.count > 80)
        }
    }
}

@Suite("iam family on the corpus")
struct IAMCorpusTests {
    /// The only iam errors on templates that deploy (or are meant to): each a placeholder
    /// that IAM itself refuses, reported by cfn-lint too where cfn-lint reads it.
    static let justified: Set<String> = [
        // Translator test inputs with placeholder resources ('my-sqs-arn', 'Dummy Secret Arn',
        // 'Arn'): IAM refuses them ("Resource … must be in ARN format or \"*\"").
        "sam/output/connector_hardcoded_props.json iam-resource-form",
        "sam/output/eventbridgerule_with_dlq.json iam-resource-form",
        "sam/output/function_with_conditional_policy_template.json iam-resource-form",
        "sam/output/function_with_conditional_policy_template_and_ref_no_value.json iam-resource-form",
        "sam/output/function_with_dlq.json iam-resource-form",
        "sam/output/function_with_event_dest.json iam-resource-form",
        "sam/output/function_with_event_dest_basic.json iam-resource-form",
        "sam/output/function_with_event_dest_conditional.json iam-resource-form",
        "sam/output/state_machine_with_schedule_dlq_retry_policy.json iam-resource-form",
        // `PolicyDocument: {}`: a managed policy without statements, which IAM refuses.
        "sam/input/managed_policies_everything.yaml iam-statement",
        "sam/output/managed_policies_everything.json iam-statement",
        // `Resource: [SomeOptionalParameter]`, a parameter's name where its Ref was meant
        // (cfn-lint: E3510), and `AssumeRolePolicyDocument: {}` placeholders (cfn-lint: E3530).
        "cfn-lint/good/resources_iam_policy.yaml iam-resource-form",
        "cfn-lint/good/resources_properties_list_duplicates.yaml iam-statement",
    ]

    @Test("Templates that deploy get no iam error but the justified placeholders, and every one of those is still found")
    func corpus() throws {
        guard let root = Corpus.root else {
            print("corpus: skipped the iam rules' corpus run, \(Corpus.absence)")
            return
        }
        var validator = Validator(today: testDay, fileExists: { _ in true })
        validator.families = [.iam]
        var found: Set<String> = []
        var checked: [String: Int] = [:]
        var warnings = 0
        for folder in ["realworld", "sam/output", "sam/input", "cfn-lint/good"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: root + "/" + folder).sorted().filter {
                ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json"))
                    // Inputs the translator refuses on purpose are not templates that deploy.
                    && !(folder == "sam/input" && $0.hasPrefix("error_"))
            }
            for name in names {
                let bytes = FileManager.default.contents(atPath: root + "/" + folder + "/" + name).map { [UInt8]($0) } ?? []
                let diagnostics = validator.validate(file: name, bytes: bytes, directory: nil).filter { $0.family == .iam }
                checked[folder, default: 0] += 1
                warnings += diagnostics.filter { $0.severity == .warning }.count
                for diagnostic in diagnostics where diagnostic.severity == .error {
                    found.insert("\(folder)/\(name) \(diagnostic.rule.id)")
                }
            }
        }
        print("iam corpus: \(checked.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")) files, errors in \(Set(found.map { $0.split(separator: " ")[0] }).count) justified files, \(warnings) warnings")
        #expect(checked["sam/output"] == 834 && checked["realworld"] ?? 0 >= 23 && checked["cfn-lint/good"] ?? 0 > 90)
        #expect(found.subtracting(Self.justified).sorted() == [], "errors on templates that deploy")
        #expect(Self.justified.subtracting(found).sorted() == [], "justified rows no longer reported")
    }
}
