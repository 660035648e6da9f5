import Testing
import YAML
import CloudFormation

@Suite("Intrinsic values encode to the short forms people write")
struct ValueTests {
    @Test("Ref and GetAtt become tagged scalars")
    func refAndGetAtt() throws {
        #expect(try Value.ref("Api").node() == .string("Api", tag: "!Ref"))
        #expect(try Value.getAtt("Table", "Arn").node() == .string("Table.Arn", tag: "!GetAtt"))
    }

    @Test("Sub without variables is a tagged scalar, with variables a tagged sequence")
    func sub() throws {
        #expect(try Value.sub("${A}-x", []).node() == .string("${A}-x", tag: "!Sub"))
        let node = try Value.sub("${A}-${B}", [.init("B", .ref("X"))]).node()
        #expect(node.tag == "!Sub")
        #expect(node.items?.count == 2)
        #expect(node.items?[1]["B"] == .string("X", tag: "!Ref"))
    }

    @Test("Join of scalars is one flow sequence with the list flattened to flow too")
    func joinFlow() throws {
        let node = try Value.join("/", ["integrations", .ref("Integration")]).node()
        #expect(node.tag == "!Join")
        guard case .sequence(let items, .flow) = node.kind else {
            Issue.record("expected a flow sequence, got \(node)")
            return
        }
        #expect(items[0] == .string("/"))
        #expect(items[1] == Node(.sequence([.string("integrations"), .string("Integration", tag: "!Ref")], .flow)))
    }

    @Test("If with a map branch is written in block style")
    func ifBlock() throws {
        let node = try Value.if("IsProd", .object(["A": "b"]), .noValue).node()
        guard case .sequence(let items, .block) = node.kind else {
            Issue.record("expected a block sequence, got \(node)")
            return
        }
        #expect(node.tag == "!If")
        #expect(items.count == 3)
        #expect(items[2] == .string("AWS::NoValue", tag: "!Ref"))
    }

    @Test("A one-argument function around a tagged scalar falls back to the long form")
    func unaryLongForm() throws {
        let node = try Value.base64(.sub("#!/bin/sh\necho ${AWS::Region}", [])).node()
        #expect(node.tag == nil)
        #expect(node["Fn::Base64"] == .string("#!/bin/sh\necho ${AWS::Region}", tag: "!Sub"))
        #expect(try Value.getAZs("").node() == .string("", tag: "!GetAZs"))
    }

    @Test("Numbers and booleans are plain scalars, strings are not")
    func literals() throws {
        #expect(try Value.int(10).node() == .plain("10"))
        #expect(try Value.bool(true).node() == .plain("true"))
        #expect(try Value.string("10").node() == .string("10"))
    }

    @Test("Map literals keep their source order")
    func mapOrder() throws {
        let value: Value = ["Zeta": 1, "Alpha": 2, "Mid": 3]
        #expect(value.fields?.map(\.key) == ["Zeta", "Alpha", "Mid"])
    }

    @Test("And and Or refuse fewer than two or more than ten conditions", arguments: [0, 1, 11])
    func arity(_ count: Int) {
        let conditions = Array(repeating: Value.condition("C"), count: count)
        #expect(throws: ModelError.invalidIntrinsic("Fn::And takes 2 to 10 conditions, got \(count)")) {
            try Value.and(conditions).node()
        }
    }
}
