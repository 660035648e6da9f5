import Testing
import Validation

@Suite("yaml rules")
struct YAMLRulesTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let bytes: [UInt8]
        let expected: [Expected]
        let message: String
        var testDescription: String { name }

        init(_ name: String, _ text: String, _ expected: [Expected], _ message: String) {
            self.init(name, Array(text.utf8), expected, message)
        }

        init(_ name: String, _ bytes: [UInt8], _ expected: [Expected], _ message: String) {
            self.name = name
            self.bytes = bytes
            self.expected = expected
            self.message = message
        }
    }

    static let cases: [Case] = [
        Case("tab indentation", "Resources:\n\tTopic:\n\t\tType: AWS::SNS::Topic\n",
             [Expected("yaml-syntax", 2, 1)], "found character that cannot start any token (while scanning for the next token that starts at 2:1)"),
        Case("an unclosed flow sequence", "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    DependsOn: [A, B\n",
             [Expected("yaml-syntax-context", 4, 16), Expected("yaml-syntax", 5, 1)],
             "did not find expected ',' or ']' (while parsing a flow sequence that starts at 4:16)"),
        Case("a duplicate resource", "Resources:\n  T:\n    Type: AWS::SNS::Topic\n  T:\n    Type: AWS::SQS::Queue\n",
             [Expected("yaml-duplicate-key", 4, 3, "T")], "duplicate key 'T' (first at 2:3); YAML readers keep only one of the values"),
        Case("invalid UTF-8", Array("Description: ".utf8) + [0xFF, 0xFE] + Array("\nResources: {}\n".utf8),
             [Expected("yaml-encoding", 1, 14)], "invalid leading UTF-8 octet; CloudFormation reads templates as UTF-8"),
        Case("an empty file", "", [Expected("yaml-empty", 1, 1)], "the template is empty; CloudFormation needs at least a Resources section"),
        Case("a comment-only file", "# nothing\n", [Expected("yaml-empty", 1, 1)], "the template is empty; CloudFormation needs at least a Resources section"),
        Case("a list at the top", "- Resources\n", [Expected("yaml-not-mapping", 1, 1)],
             "the top level is a list; a template is a mapping of sections such as Resources"),
        Case("a scalar at the top", "hello\n", [Expected("yaml-not-mapping", 1, 1)],
             "the top level is a single value; a template is a mapping of sections such as Resources"),
        Case("deep nesting", String(repeating: "[", count: 100_000), [Expected("yaml-limit", 1, 257)], "nesting deeper than 256 levels"),
    ]

    @Test("Unreadable text gives one located finding of the right rule", arguments: cases)
    func unreadable(_ row: Case) {
        let diagnostics = validateBytes(row.bytes)
        #expect(diagnostics.map(Expected.init) == row.expected)
        #expect(diagnostics.first { $0.severity == .error }?.message == row.message)
        #expect(diagnostics.allSatisfy { $0.severity != .warning })
    }

    @Test("A duplicate key deep in a resource names the resource and the path to the key")
    func duplicateKeyPath() {
        let diagnostics = validate("""
            Resources:
              Table:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema:
                    - AttributeName: id
                      KeyType: HASH
                      KeyType: RANGE
            """, families: [.yaml])
        #expect(diagnostics.map(Expected.init) == [Expected("yaml-duplicate-key", 8, 11, "Table")])
        #expect(diagnostics.first?.path == "Resources/Table/Properties/KeySchema/0/KeyType")
    }

    @Test("A syntax error's note names the construct and where it failed")
    func contextNote() {
        let diagnostics = validate("Resources:\n  T: [a, b\n", families: [.yaml])
        #expect(diagnostics.first?.message == "the flow sequence that fails at 3:1 starts here")
        #expect(diagnostics.first?.severity == .note)
    }

    @Test("An alias bomb is refused by the limit, not expanded")
    func aliasBomb() {
        var text = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        for level in 1...8 {
            let previous = Character(UnicodeScalar(UInt8(96 + level)))
            let name = Character(UnicodeScalar(UInt8(97 + level)))
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
        }
        let diagnostics = validateBytes(Array(text.utf8))
        #expect(diagnostics.map(\.rule.id) == ["yaml-limit"])
        #expect(diagnostics.first?.message.hasPrefix("alias expansion exceeds") == true)
    }

    @Test("An unknown tag is reported at the tag with the resource's id")
    func unknownTag() {
        let diagnostics = validate("Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Refs Name\n", families: [.yaml])
        #expect(diagnostics.map(Expected.init) == [Expected("yaml-unknown-tag", 5, 18, "T")])
        #expect(diagnostics.first?.path == "Resources/T/Properties/TopicName")
    }

    @Test("A tagged key inside a flow list is reported at the key")
    func complexKey() {
        let diagnostics = validate("""
            Resources:
              G:
                Type: AWS::AutoScaling::AutoScalingGroup
                Properties:
                  VPCZoneIdentifier: !Join [',', [!ImportValue Fn::Sub: "${Net}-A"]]
            """, families: [.yaml])
        #expect(diagnostics.map(Expected.init) == [Expected("yaml-complex-key", 5, 39, "G")])
        #expect(diagnostics.first?.message == "the key !ImportValue Fn::Sub is not a plain string; CloudFormation cannot read it as a JSON object key")
    }

    @Test("Known short forms, Rules-section functions and standard tags are not reported")
    func knownTags() {
        let diagnostics = validate("""
            Rules:
              Users:
                Assertions:
                  - Assert: !And [!Contains [!Ref Users, a], !EachMemberIn [!RefAll 'AWS::EC2::VPC::Id', [v]]]
            Resources:
              T:
                Type: AWS::SNS::Topic
                Properties:
                  TopicName: !Sub '${AWS::StackName}-t'
                  DisplayName: !!str 10
                  Tags: !If [C, [], !Ref AWS::NoValue]
                  KmsMasterKeyId: !Join [':', [a, ! "Ref": "AWS::AccountId"]]
            """, families: [.yaml])
        #expect(diagnostics.isEmpty)
    }

    func validateBytes(_ bytes: [UInt8]) -> [Diagnostic] {
        var validator = Validator(today: testDay, fileExists: { _ in false })
        validator.families = [.yaml]
        return validator.validate(file: "template.yaml", bytes: bytes, directory: nil)
    }
}
