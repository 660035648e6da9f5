import Testing
import YAML

@Suite("Node values")
struct NodeTests {
    @Test("Equality ignores where a node was read")
    func equalityIgnoresMarks() {
        let read = Node(.scalar("x", .plain), mark: Mark(line: 3, column: 7))
        #expect(read == .plain("x"))
        #expect(read != .string("x"))
    }

    @Test("A mapping subscript finds the first pair with that key, in order")
    func subscriptFindsKey() {
        let node = Node.mapping([("Type", .string("AWS::SNS::Topic")), ("Properties", .mapping([("TopicName", .string("t"))]))])
        #expect(node["Type"]?.scalar == "AWS::SNS::Topic")
        #expect(node["Properties"]?["TopicName"]?.scalar == "t")
        #expect(node["Missing"] == nil)
        #expect(Node.string("scalar")["Type"] == nil)
    }

    @Test("Marks order by line, then column, and print as line:column")
    func markOrder() {
        #expect(Mark(line: 2, column: 9) < Mark(line: 3, column: 1))
        #expect(Mark(line: 3, column: 1) < Mark(line: 3, column: 2))
        #expect(Mark(line: 12, column: 5).description == "12:5")
    }

    @Test("The description shows tags and nesting compactly")
    func description() {
        let node = Node.mapping([("A", .sequence([.string("x", tag: "!Ref"), .plain("1")]))])
        #expect(node.description == "{A: [!Ref x, 1]}")
    }
}
