import Testing
import Validation

@Suite("template resource limit")
struct TemplateLimitTests {
    /// A SAM template of `count` functions without a Role, so each also gets an implicit IAM role.
    static func samFunctions(_ count: Int) -> String {
        var text = "Transform: AWS::Serverless-2016-10-31\nResources:\n"
        for index in 0..<count {
            text += "  F\(index):\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs24.x\n      Handler: index.handler\n      InlineCode: x\n"
        }
        return text
    }

    /// A plain template of `count` SNS topics.
    static func topics(_ count: Int) -> String {
        "Resources:\n" + (0..<count).map { "  T\($0):\n    Type: AWS::SNS::Topic\n" }.joined()
    }

    @Test("SAM's implicit roles count towards the 500-resource quota")
    func implicitResourcesCount() {
        let diagnostics = findings("template-resource-limit", in: validate(Self.samFunctions(251), families: [.template]))
        #expect(diagnostics.map(Expected.init) == [Expected("template-resource-limit", 2, 1)])
        #expect(diagnostics.first?.message == "the stack has 502 resources (251 declared, 251 added by the SAM transform), more than CloudFormation's 500; split it into nested stacks")
    }

    @Test("Exactly 500 resources, implicit ones included, are allowed")
    func atTheQuota() {
        #expect(findings("template-resource-limit", in: validate(Self.samFunctions(250), families: [.template])).isEmpty)
        #expect(findings("template-resource-limit", in: validate(Self.topics(500), families: [.template])).isEmpty)
    }

    @Test("501 declared resources are too many without any transform")
    func declaredOnly() {
        let diagnostics = findings("template-resource-limit", in: validate(Self.topics(501), families: [.template]))
        #expect(diagnostics.first?.message == "the stack has 501 resources, more than CloudFormation's 500; split it into nested stacks")
        #expect(diagnostics.first?.line == 1)
    }
}
