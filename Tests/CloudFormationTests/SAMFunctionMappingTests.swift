import Foundation
import Testing
import CloudFormation

@Suite("SAM function mapping")
struct SAMFunctionMappingTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test("Every property the SAM translator reads on a function is mapped, and no other")
    func everySAMPropertyIsMapped() throws {
        // SAMCatalog+Data.swift is generated from the installed translator's SamFunction.property_types.
        let catalog = try String(contentsOfFile: Self.packageRoot + "/Sources/Validation/SAM/SAMCatalog+Data.swift", encoding: .utf8)
        let line = try #require(catalog.split(separator: "\n").first { $0.contains("\"AWS::Serverless::Function\": SAMResourceShape(properties: [") })
        let list = try #require(line.split(separator: "[").dropFirst().first?.split(separator: "]").first)
        let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        #expect(names.count > 40)
        #expect(Set(SAMFunctionMapping.properties.map(\.name)) == Set(names))
        #expect(SAMFunctionMapping.properties.count == names.count)
    }

    @Test("Every target path is a property its resource's schema has")
    func targetsExist() {
        for property in SAMFunctionMapping.properties {
            for target in property.targets {
                #expect(ResourceSchema.hasSchema(target.type), "\(property.name) → \(target.type)")
                guard let path = target.path else { continue }
                let verdict = ResourceSchema.replacement(for: target.type, changedAt: path)
                #expect(verdict != nil && verdict?.replacement != .unknown, "\(property.name) → \(target.type) \(path)")
            }
        }
    }

    @Test("A SAM property's change is judged where it lands on the Lambda function", arguments: [
        // FunctionName → FunctionName: createOnly in the Lambda schema.
        ("FunctionName", ResourceSchema.Replacement.always, "FunctionName"),
        ("PackageType", .always, "PackageType"),
        ("TenancyConfig", .always, "TenancyConfig"),
        ("DurableConfig", .conditional, "DurableConfig"),
        // CodeUri → Code (S3Bucket/S3Key): updated in place.
        ("CodeUri", .never, "Code"),
        ("InlineCode", .never, "Code.ZipFile"),
        ("ImageUri", .never, "Code.ImageUri"),
        ("Runtime", .never, "Runtime"),
        ("Handler", .never, "Handler"),
        ("Architectures", .never, "Architectures"),
        ("MemorySize", .never, "MemorySize"),
        ("Tracing", .never, "TracingConfig.Mode"),
        ("DeadLetterQueue", .never, "DeadLetterConfig.TargetArn"),
        ("VpcConfig.SubnetIds", .never, "VpcConfig.SubnetIds"),
        ("Environment.Variables.TABLE", .never, "Environment.Variables.TABLE"),
    ])
    func onTheFunction(_ samPath: String, _ expected: ResourceSchema.Replacement, _ lambdaPath: String) throws {
        let verdicts = SAMFunctionMapping.replacements(forChangeAt: Path(dotted: samPath))
        let onFunction = try #require(verdicts.first { $0.target.type == "AWS::Lambda::Function" })
        #expect(onFunction.verdict.change == Path(dotted: lambdaPath))
        #expect(onFunction.verdict.replacement == expected)
    }

    @Test("SAM properties of the role SAM makes are judged on the role: RolePath is its createOnly Path")
    func onTheRole() throws {
        let path = try #require(SAMFunctionMapping.replacements(forChangeAt: "RolePath").first)
        #expect(path.target.type == "AWS::IAM::Role")
        #expect(path.verdict.replacement == .always && path.verdict.change == "Path")
        let trust = try #require(SAMFunctionMapping.replacements(forChangeAt: "AssumeRolePolicyDocument").first)
        #expect(trust.verdict.replacement == .never)
        #expect(SAMFunctionMapping.replacements(forChangeAt: "Policies").allSatisfy { $0.verdict.replacement == .never })
    }

    @Test("Properties that make resources of their own name them and judge no property")
    func generatedResources() throws {
        let events = try #require(SAMFunctionMapping.property("Events"))
        #expect(events.targets.allSatisfy { $0.path == nil })
        #expect(events.targets.map(\.type).contains("AWS::Lambda::Permission"))
        #expect(events.targets.map(\.type).contains("AWS::Lambda::EventSourceMapping"))
        #expect(SAMFunctionMapping.replacements(forChangeAt: "Events.Connect.Properties.Route").isEmpty)
        let alias = try #require(SAMFunctionMapping.property("AutoPublishAlias"))
        #expect(alias.targets.map(\.type) == ["AWS::Lambda::Version", "AWS::Lambda::Alias"])
        let deployment = try #require(SAMFunctionMapping.property("DeploymentPreference"))
        #expect(deployment.targets.map(\.type).contains("AWS::CodeDeploy::DeploymentGroup"))
        #expect(SAMFunctionMapping.property("Role")?.targets.map(\.type) == ["AWS::Lambda::Function", "AWS::IAM::Role"])
        #expect(SAMFunctionMapping.property("CodeUrl") == nil)
        #expect(SAMFunctionMapping.replacements(forChangeAt: "CodeUrl").isEmpty)
    }
}
