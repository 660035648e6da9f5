import Testing
import CloudFormation

@Suite("Resource schemas")
struct ResourceSchemaTests {
    @Test("Every AWS type of the catalog has a schema, and SAM's and custom types have none")
    func everyAWSTypeHasASchema() {
        let names = ResourceCatalog.typeNames.filter { $0.hasPrefix("AWS::") && !$0.hasPrefix("AWS::Serverless::") }
        #expect(names.count > 1700)
        for name in names { #expect(ResourceSchema.hasSchema(name), "\(name)") }
        for name in ["AWS::Serverless::Function", "Custom::Thing", "AWS::SNS::Topics", "", "AWS::SNS"] {
            #expect(!ResourceSchema.hasSchema(name), "\(name)")
        }
    }

    @Test("Every node a schema names exists, so node numbers and lines agree (empty nodes included)")
    func everyNamedNodeExists() throws {
        var nodes = 0
        for name in ResourceCatalog.typeNames where ResourceSchema.hasSchema(name) {
            let schema = try #require(ResourceSchema.schema(for: name))
            var pending = [0]
            var seen: Set<Int> = []
            while let index = pending.popLast() {
                guard seen.insert(index).inserted else { continue }
                guard let node = schema.node(index) else {
                    Issue.record("\(name) names node \(index), which it does not have")
                    continue
                }
                pending += node.properties.compactMap(\.node) + [node.items, node.otherValues].compactMap { $0 } + node.branches.map(\.node)
            }
            nodes += seen.count
        }
        #expect(nodes > 20000)
    }

    @Test("A type's root node lists its properties, which are closed, and its required ones")
    func rootNode() throws {
        let table = try #require(ResourceSchema.schema(for: "AWS::DynamoDB::Table")).root
        #expect(table.closed)
        #expect(table.required == ["KeySchema"])
        #expect(table.property("BillingMode") != nil)
        #expect(table.property("TableNme") == nil)
    }

    @Test("Nested definitions are followed by node number, with their enums, bounds and types")
    func nestedNodes() throws {
        func child(_ schema: ResourceSchema.TypeSchema, _ parent: ResourceSchema.Property?, _ name: String) -> ResourceSchema.Property? {
            (parent?.property(name) ?? nil).flatMap(schema.node)
        }
        let schema = try #require(ResourceSchema.schema(for: "AWS::DynamoDB::Table"))
        let billing = child(schema, schema.root, "BillingMode")
        #expect(billing?.allowedValues?.sorted() == ["PAY_PER_REQUEST", "PROVISIONED"])
        let definitions = child(schema, schema.root, "AttributeDefinitions")
        #expect(definitions?.types == .array)
        let definition = definitions?.items.flatMap(schema.node)
        #expect(definition?.required.sorted() == ["AttributeName", "AttributeType"])
        let name = child(schema, definition, "AttributeName")
        #expect(name?.minLength == 1 && name?.maxLength == 255)
        let function = try #require(ResourceSchema.schema(for: "AWS::Lambda::Function"))
        let timeout = child(function, function.root, "Timeout")
        #expect(timeout?.types == .integer && timeout?.minimum == 1)
    }

    @Test("A value with a space (escaped in the data) reads back as written")
    func escapedValues() throws {
        let schema = try #require(ResourceSchema.schema(for: "AWS::BillingConductor::PricingRule"))
        let values = (0..<64).compactMap { schema.node($0)?.allowedValues }.flatMap { $0 }
        #expect(values.contains("AWS Marketplace"))
    }
}
