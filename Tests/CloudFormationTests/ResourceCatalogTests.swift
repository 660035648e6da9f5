import Testing
import CloudFormation

@Suite("Resource catalog")
struct ResourceCatalogTests {
    @Test("Every type in the catalog is found by its exact name")
    func everyTypeIsFound() {
        let names = ResourceCatalog.typeNames
        #expect(names.count > 1800)
        #expect(names == names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        for name in names { #expect(ResourceCatalog.isKnown(name), "\(name)") }
    }

    @Test("Unknown names, prefixes and near misses are not types", arguments: [
        "AWS::SNS::Topics", "AWS::SNS::Topi", "AWS::SNS", "", "aws::sns::topic", "AWS::Serverless::Functions", "ZZZ::Last::Type", "AAA::First::Type",
    ])
    func unknown(_ name: String) {
        #expect(!ResourceCatalog.isKnown(name))
        #expect(ResourceCatalog.entry(for: name) == nil)
    }

    @Test("A type's GetAtt attributes come from the schema")
    func attributes() throws {
        let api = try #require(ResourceCatalog.entry(for: "AWS::ApiGatewayV2::Api"))
        #expect(api.hasAttribute("ApiId"))
        #expect(api.hasAttribute("ApiEndpoint"))
        #expect(!api.hasAttribute("Arn"))
        let function = try #require(ResourceCatalog.entry(for: "AWS::Serverless::Function"))
        #expect(function.hasAttribute("Arn"))
    }

    @Test("Wildcard attributes match any name in their place")
    func patterns() throws {
        let stack = try #require(ResourceCatalog.entry(for: "AWS::CloudFormation::Stack"))
        #expect(stack.hasAttribute("Outputs.BucketName"))
        #expect(!stack.hasAttribute("Arn"))
        let custom = try #require(ResourceCatalog.entry(for: "Custom::Anything"))
        #expect(custom.hasAttribute("Whatever.The.Handler.Returns"))
    }

    @Test("A wildcard * matches any run of characters", arguments: [
        ("Outputs.*", "Outputs.X", true), ("Outputs.*", "Output.X", false), ("A.*.Key", "A.3.Key", true),
        ("A.*.Key", "A.3.Value", false), ("*", "", true), ("a*b*c", "aXXbYYc", true), ("a*b*c", "aXXbYY", false),
    ])
    func wildcard(_ pattern: String, _ text: String, _ expected: Bool) {
        #expect(Wildcard.matches(pattern, text) == expected)
    }

    @Test("? is one character in IAM patterns and itself elsewhere; case is ignored on request")
    func questionMark() {
        #expect(Wildcard.matches("arn:aws:s3:::b?cket", "arn:aws:s3:::bucket", questionMark: true))
        #expect(!Wildcard.matches("arn:aws:s3:::b?cket", "arn:aws:s3:::bucket"))
        #expect(Wildcard.matches("b?cket", "b?cket"))
        #expect(Wildcard.matches("Execute-API", "execute-api", ignoringCase: true))
        #expect(!Wildcard.matches("Execute-API", "execute-api"))
    }
}
