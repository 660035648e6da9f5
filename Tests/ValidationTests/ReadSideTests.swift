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
}
