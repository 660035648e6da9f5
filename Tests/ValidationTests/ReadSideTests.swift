import CloudFormation
import Testing
import Validation
import YAML

/// The concepts every rule family reads the same way: each has one owner, tested here.
@Suite("One read side of CloudFormation")
struct ReadSideTests {
    static func template(_ yaml: String) throws -> SourceTemplate {
        let root = try #require(try Parser.parse(yaml))
        return SourceTemplate(file: "template.yaml", root: root)
    }

    @Test("The Transform section is read once: SAM, language extensions, blue/green and macros", arguments: [
        ("Resources: {}", false, false, false, false),
        ("Transform: AWS::Serverless-2016-10-31", true, false, false, false),
        ("Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]", true, true, false, false),
        ("Transform: {Name: AWS::Include, Parameters: {Location: s3://bucket/key}}", false, false, false, true),
        ("Transform: [AWS::Serverless-2016-10-31, {Name: MyMacro}]", true, false, false, true),
        ("Transform: AWS::CodeDeployBlueGreen", false, false, true, true),
        ("Transform: AWS::Serverless-2016-10-31-test", false, false, false, true),
        ("Transform: !Ref MacroName", false, false, false, true),
        ("Transform: [[AWS::Serverless-2016-10-31]]", false, false, false, true),
    ])
    func transforms(_ yaml: String, _ sam: Bool, _ extensions: Bool, _ blueGreen: Bool, _ macro: Bool) throws {
        let template = try Self.template(yaml)
        #expect(template.isSAM == sam)
        #expect(template.hasLanguageExtensions == extensions)
        #expect(template.hasBlueGreen == blueGreen)
        #expect(template.hasUnknownMacro == macro)
    }

    @Test("A Transform entry that cannot be read silences the refs family as it does the template family")
    func unreadableTransformIsAMacro() {
        let yaml = """
            Transform: [!Ref MacroName]
            Resources:
              Thing:
                Type: Made::Up::Type
                Properties:
                  Name: !Ref Nowhere
            """
        let diagnostics = validate(yaml, families: [.template, .refs])
        #expect(diagnostics.isEmpty, "\(diagnostics)")
    }

    @Test("YAML null is a plain null, Null, NULL, ~ or nothing, or a scalar tagged !!null", arguments: [
        ("Key:", true), ("Key: ~", true), ("Key: null", true), ("Key: Null", true), ("Key: NULL", true),
        ("Key: !!null ''", true), ("Key: nULL", false), ("Key: ''", false), ("Key: 'null'", false),
        ("Key: \"~\"", false), ("Key: !Ref null", false), ("Key: nil", false), ("Key: []", false), ("Key: {}", false),
    ])
    func null(_ yaml: String, _ expected: Bool) throws {
        let root = try #require(try Parser.parse(yaml))
        let node = try #require(root["Key"])
        #expect(node.isNull == expected)
    }

    @Test("An Fn::Sub string is text and variables; ${!Name} is the text ${Name}; an unclosed ${ is text", arguments: [
        ("plain", ["t:plain"]),
        ("${AWS::StackName}-chat", ["v:AWS::StackName@0", "t:-chat"]),
        ("arn:${AWS::Partition}:s3:::${Bucket}/*", ["t:arn:", "v:AWS::Partition@4", "t::s3:::", "v:Bucket@27", "t:/*"]),
        ("${!Literal}-${ Name }", ["t:${Literal}-", "v:Name@12"]),
        ("a${!B}c", ["t:a${B}c"]),
        ("${Api.Arn}", ["v:Api.Arn@0"]),
        ("$5 and ${", ["t:$5 and ${"]),
        ("${A}${B", ["v:A@0", "t:${B"]),
        ("é${X}", ["t:é", "v:X@2"]),
    ])
    func subScanner(_ text: String, _ expected: [String]) {
        let described = SubPart.scan(text).map { part -> String in
            switch part {
            case .text(let literal): return "t:\(literal)"
            case .variable(let variable): return "v:\(variable.name)@\(variable.offset)"
            }
        }
        #expect(described == expected)
        #expect(SubVariable.parse(text).map(\.name) == expected.filter { $0.hasPrefix("v:") }.map { String($0.dropFirst(2).prefix { $0 != "@" }) })
    }

    @Test("The websocket family reads an Fn::If as both branches: it judges what they share and nothing else", arguments: [
        ("!If [UseChat, !Ref ChatSendIntegration, !Ref ChatSendIntegration]", ["ws-route-target"]),
        ("!If [UseChat, !Ref ChatSendIntegration, !Ref AWS::NoValue]", ["ws-route-target"]),
        ("!If [UseChat, !Sub 'integrations/${ChatSendIntegration}', !Ref ChatSendIntegration]", []),
    ])
    func ifInWebSocketValues(_ target: String, _ expected: [String]) throws {
        let edit = WebSocketFixture.Edit("Target: !Sub integrations/${ChatSendIntegration}", "Target: \(target)")
        let text = try #require(WebSocketFixture.mutated([edit]), "the edit no longer matches the rendered stack")
        let diagnostics = validate(text, families: [.websocket], existing: WebSocketFixture.handlerFolders)
        #expect(diagnostics.map(\.rule.id) == expected, "\(diagnostics)")
    }

    @Test("A parameter the builder renders reads back as the same CloudFormation.Parameter")
    func parameterRoundTrip() throws {
        let parameters = [
            Parameter(try LogicalID("StageName"), defaultValue: "prod", description: "API Gateway stage",
                      allowedPattern: "^[A-Za-z0-9_-]+$", maxLength: 128),
            Parameter(try LogicalID("LambdaTimeout"), type: .number, defaultValue: "10", minValue: "1", maxValue: "29"),
            Parameter(try LogicalID("Mode"), allowedValues: ["on", "off"], constraintDescription: "on or off", noEcho: true),
            Parameter(try LogicalID("Subnets"), type: ParameterType("List<AWS::EC2::Subnet::Id>"), minLength: 0),
        ]
        let text = try Emitter.emit(try Template(parameters: parameters).node())
        let read = ParameterDefinition.definitions(in: try Self.template(text)).map(\.parameter)
        #expect(read == parameters)
    }
}
