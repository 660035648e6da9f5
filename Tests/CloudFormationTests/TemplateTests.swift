import Testing
import YAML
import CloudFormation

@Suite("Templates")
struct TemplateTests {
    @Test("Sections come out in CloudFormation's documented order")
    func sectionOrder() throws {
        let template = Template(
            transforms: [Template.serverlessTransform], description: "d",
            parameters: [Parameter(try LogicalID("P"))],
            conditions: [(try LogicalID("C"), .equals(.ref("P"), "x"))],
            globals: [.init("Function", ["Timeout": 3])],
            resources: [Resource(try LogicalID("R"), type: "AWS::SNS::Topic")],
            outputs: [Output(try LogicalID("O"), value: .ref("R"))])
        let keys = try template.node().pairs?.map { $0.key.scalar ?? "" }
        #expect(keys == ["AWSTemplateFormatVersion", "Transform", "Description", "Parameters", "Conditions", "Globals", "Resources", "Outputs"])
    }

    @Test("A parameter and a resource with the same id are refused")
    func sharedNamespace() throws {
        let id = try LogicalID("Same")
        let template = Template(parameters: [Parameter(id)], resources: [Resource(id, type: "AWS::SNS::Topic")])
        #expect(throws: ModelError.duplicateLogicalID(id, section: "Parameters and Resources")) { try template.node() }
    }

    @Test("An output may share its id with a resource")
    func outputNamespace() throws {
        let id = try LogicalID("Topic")
        let template = Template(resources: [Resource(id, type: "AWS::SNS::Topic")], outputs: [Output(id, value: .ref("Topic"))])
        #expect(try template.node()["Outputs"]?["Topic"]?["Value"] == .string("Topic", tag: "!Ref"))
    }

    @Test("Resource attributes come before Properties and a single DependsOn is a scalar")
    func resourceAttributes() throws {
        let resource = Resource(
            try LogicalID("Table"), type: "AWS::DynamoDB::Table", properties: [.init("TableName", "t")],
            dependsOn: [try LogicalID("Other")], deletionPolicy: .delete, updateReplacePolicy: .retain)
        let node = try resource.node()
        #expect(node.pairs?.map { $0.key.scalar ?? "" } == ["Type", "DependsOn", "DeletionPolicy", "UpdateReplacePolicy", "Properties"])
        #expect(node["DependsOn"] == .string("Other"))
    }

    @Test("A Number parameter's default is a plain number and a String's is a string")
    func parameterDefaults() throws {
        let number = Parameter(try LogicalID("Timeout"), type: .number, defaultValue: "10", minValue: "1", maxValue: "29")
        #expect(number.node()["Default"] == .plain("10"))
        #expect(number.node()["MaxValue"] == .plain("29"))
        let string = Parameter(try LogicalID("Stage"), defaultValue: "10")
        #expect(string.node()["Default"] == .string("10"))
        #expect(string.isRequired == false)
        #expect(Parameter(try LogicalID("Chat")).isRequired)
    }

    @Test("An export is written under Export/Name")
    func export() throws {
        let output = Output(try LogicalID("ApiId"), value: .ref("Api"), exportName: .sub("${AWS::StackName}-ApiId", []))
        #expect(try output.node()["Export"]?["Name"] == .string("${AWS::StackName}-ApiId", tag: "!Sub"))
    }
}
