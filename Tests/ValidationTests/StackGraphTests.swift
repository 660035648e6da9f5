import Testing
import Validation

@Suite("stack graph")
struct StackGraphTests {
    typealias Edit = WebSocketFixture.Edit

    /// The graph of `yaml`, or `nil` when it cannot be read.
    static func graph(_ yaml: String) -> StackGraph? {
        try? StackGraph(file: "template.yaml", bytes: Array(yaml.utf8))
    }

    /// Edges as `from -access-> to`, for readable comparisons.
    static func edges(_ graph: StackGraph?) -> [String] {
        (graph?.edges ?? []).map { "\($0.from) -\($0.access.rawValue)-> \($0.to)" }
    }

    @Test("The rendered stack has its five routes, five functions, four tables and one @connections, in template order")
    func renderedVertices() throws {
        let graph = try #require(Self.graph(WebSocketFixture.rendered))
        #expect(graph.vertices.map(\.id) == [
            "R_ConnectRoute", "R_DisconnectRoute", "R_DefaultRoute", "R_ChatSendRoute", "R_PresenceUpdateRoute",
            "F_ConnectFunction", "F_DisconnectFunction", "F_DefaultFunction", "F_ChatSendFunction", "F_PresenceUpdateFunction",
            "T_ConnectionsTable", "T_ChatTableName", "T_PresenceTableName", "T_SessionTableName",
            "C_WebSocketApi",
        ])
        #expect(graph.vertices.filter { $0.kind == .route }.map(\.label) == [["$connect"], ["$disconnect"], ["$default"], ["chat.send"], ["presence.update"]])
        #expect(graph.vertices.first { $0.id == "F_ChatSendFunction" }?.label == ["ChatSendFunction", "lambda/realtime/chat-send/"])
        #expect(graph.vertices.first { $0.id == "C_WebSocketApi" }?.label == ["WebSocketApi", "@connections"])
    }

    @Test("Each route invokes its handler, and each handler's edges are exactly the tables and posting its policies grant")
    func renderedEdges() {
        #expect(Self.edges(Self.graph(WebSocketFixture.rendered)) == [
            "R_ConnectRoute -invokes-> F_ConnectFunction",
            "R_DisconnectRoute -invokes-> F_DisconnectFunction",
            "R_DefaultRoute -invokes-> F_DefaultFunction",
            "R_ChatSendRoute -invokes-> F_ChatSendFunction",
            "R_PresenceUpdateRoute -invokes-> F_PresenceUpdateFunction",
            "F_ConnectFunction -write-> T_ConnectionsTable",
            "F_ConnectFunction -write-> T_PresenceTableName",
            "F_ConnectFunction -read-> T_SessionTableName",
            "F_DisconnectFunction -write-> T_ConnectionsTable",
            "F_DisconnectFunction -write-> T_PresenceTableName",
            "F_DisconnectFunction -post-> C_WebSocketApi",
            "F_DefaultFunction -post-> C_WebSocketApi",
            "F_ChatSendFunction -write-> T_ConnectionsTable",
            "F_ChatSendFunction -write-> T_ChatTableName",
            "F_ChatSendFunction -read-> T_SessionTableName",
            "F_ChatSendFunction -post-> C_WebSocketApi",
            "F_PresenceUpdateFunction -write-> T_ConnectionsTable",
            "F_PresenceUpdateFunction -write-> T_PresenceTableName",
            "F_PresenceUpdateFunction -post-> C_WebSocketApi",
        ])
    }

    /// One edit of the rendered stack and the edges of one function afterwards.
    struct Change: CustomTestStringConvertible, Sendable {
        let name: String
        let edits: [Edit]
        let function: String
        let edges: [String]
        var testDescription: String { name }
    }

    @Test("Edges follow the policies, and access menort cannot resolve draws none", arguments: [
        Change(name: "a Crud policy turned Read draws read",
               edits: [Edit("      - DynamoDBCrudPolicy:\n          TableName: !Ref ChatTableName", "      - DynamoDBReadPolicy:\n          TableName: !Ref ChatTableName")],
               function: "F_ChatSendFunction",
               edges: ["F_ChatSendFunction -write-> T_ConnectionsTable", "F_ChatSendFunction -read-> T_ChatTableName",
                       "F_ChatSendFunction -read-> T_SessionTableName", "F_ChatSendFunction -post-> C_WebSocketApi"]),
        Change(name: "execute-api:Invoke instead of ManageConnections draws no post",
               edits: [Edit("""
                          CodeUri: lambda/realtime/default/
                          LoggingConfig:
                            LogGroup: !Ref DefaultLogs
                          Environment:
                            Variables:
                              MANAGEMENT_ENDPOINT: !Sub https://${WebSocketApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${StageName}
                          Policies:
                          - Version: '2012-10-17'
                            Statement:
                            - Effect: Allow
                              Action: execute-api:ManageConnections
                    """, """
                          CodeUri: lambda/realtime/default/
                          LoggingConfig:
                            LogGroup: !Ref DefaultLogs
                          Environment:
                            Variables:
                              MANAGEMENT_ENDPOINT: !Sub https://${WebSocketApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${StageName}
                          Policies:
                          - Version: '2012-10-17'
                            Statement:
                            - Effect: Allow
                              Action: execute-api:Invoke
                    """)],
               function: "F_DefaultFunction",
               edges: []),
        Change(name: "a role given as a parameter is unknown: no edge at all",
               edits: [Edit("Parameters:\n", "Parameters:\n  HandlerRoleArn:\n    Type: String\n"),
                       Edit("      CodeUri: lambda/realtime/connect/\n", "      CodeUri: lambda/realtime/connect/\n      Role: !Ref HandlerRoleArn\n")],
               function: "F_ConnectFunction",
               edges: []),
        Change(name: "a policy template menort does not know draws no edge to the table it names",
               edits: [Edit("      - DynamoDBReadPolicy:\n          TableName: !Ref SessionTableName\n  ConnectIntegration:",
                            "      - SomeCustomerPolicy:\n          TableName: !Ref SessionTableName\n  ConnectIntegration:")],
               function: "F_ConnectFunction",
               edges: ["F_ConnectFunction -write-> T_ConnectionsTable", "F_ConnectFunction -write-> T_PresenceTableName"]),
    ])
    func policyChanges(_ change: Change) throws {
        let text = try #require(WebSocketFixture.mutated(change.edits), "the fixture drifted from the renderer")
        let edges = Self.edges(Self.graph(text)).filter { $0.hasPrefix(change.function + " ") }
        #expect(edges == change.edges)
    }

    @Test("A route whose target cannot be resolved is drawn without an invokes edge")
    func unresolvedTarget() throws {
        let text = try #require(WebSocketFixture.mutated([Edit("Target: !Sub integrations/${ChatSendIntegration}", "Target: integrations/abc1234")]))
        let graph = try #require(Self.graph(text))
        #expect(graph.vertices.contains { $0.id == "R_ChatSendRoute" })
        #expect(!graph.edges.contains { $0.from == "R_ChatSendRoute" })
        #expect(graph.edges.contains { $0.from == "R_ConnectRoute" && $0.access == .invokes })
    }

    @Test("A logical id with other bytes than letters and digits gets a distinct, safe vertex id")
    func vertexIDs() throws {
        let text = try #require(WebSocketFixture.mutated([
            Edit("  ChatSendFunction:\n", "  Chat-Send.Function:\n"),
            Edit("${ChatSendFunction.Arn}", "${Chat-Send.Function.Arn}"),
            Edit("FunctionName: !Ref ChatSendFunction", "FunctionName: !Ref Chat-Send.Function"),
        ]))
        let graph = try #require(Self.graph(text))
        let function = try #require(graph.vertices.first { $0.kind == .function && $0.label.first == "Chat-Send.Function" })
        #expect(function.id == "F_Chat_2dSend_2eFunction")
    }

    @Test("A template without a WebSocket API still shows its functions and tables")
    func noAPI() throws {
        let graph = try #require(Self.graph("""
            Resources:
              Table:
                Type: AWS::DynamoDB::Table
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  InlineCode: exports.handler = async () => {}
                  Policies:
                    - DynamoDBCrudPolicy: {TableName: !Ref Table}
            Transform: AWS::Serverless-2016-10-31
            """))
        #expect(graph.vertices.map(\.id) == ["F_Fn", "T_Table"])
        #expect(graph.vertices.first?.label == ["Fn"])
        #expect(Self.edges(graph) == ["F_Fn -write-> T_Table"])
    }

    @Test("Text that is not YAML gives the yaml family's findings instead of a graph")
    func unreadable() {
        #expect(throws: UnreadableTemplate.self) { try StackGraph(file: "t.yaml", bytes: Array("a: [\n".utf8)) }
        do {
            _ = try StackGraph(file: "t.yaml", bytes: Array("Resources:\n  A: 1\n  A: 2\n".utf8))
            Issue.record("a duplicate key was read as a template")
        } catch {
            #expect(error.diagnostics.map(\.rule.id) == ["yaml-duplicate-key"])
            #expect(error.diagnostics.first?.description == "t.yaml:3:3: error: duplicate key 'A' (first at 2:3); YAML readers keep only one of the values [yaml-duplicate-key] (A)")
        }
    }

    @Test("Mermaid labels write quotes and markup as entity codes; DOT labels escape quotes and backslashes")
    func escaping() throws {
        let text = try #require(WebSocketFixture.mutated([Edit("RouteKey: chat.send", "RouteKey: 'say \"<b>\\ #1'")]))
        let graph = try #require(Self.graph(text))
        #expect(graph.mermaid().contains("  R_ChatSendRoute([\"say #34;#60;b#62;\\ #35;1\"])\n"))
        #expect(graph.dot().contains("  R_ChatSendRoute [label=\"say \\\"<b>\\\\ #1\", shape=box, style=rounded];\n"))
    }

    @Test("DOT output is a digraph with one statement per vertex and per edge")
    func dot() throws {
        let graph = try #require(Self.graph(WebSocketFixture.rendered))
        let lines = graph.dot().split(separator: "\n").map(String.init)
        #expect(lines.first == "digraph stack {")
        #expect(lines.last == "}")
        #expect(lines.contains("  F_ChatSendFunction [label=\"ChatSendFunction\\nlambda/realtime/chat-send/\", shape=box];"))
        #expect(lines.contains("  T_ConnectionsTable [label=\"ConnectionsTable\", shape=cylinder];"))
        #expect(lines.contains("  F_ChatSendFunction -> C_WebSocketApi [label=\"post\"];"))
        #expect(lines.filter { $0.contains(" -> ") }.count == graph.edges.count)
        #expect(lines.filter { $0.contains(" [label=") && !$0.contains(" -> ") }.count == graph.vertices.count)
    }
}
