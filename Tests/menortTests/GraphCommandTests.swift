import Foundation
import Testing

@Suite("menort graph")
struct GraphCommandTests {
    static let fixtures = Menort.root.appendingPathComponent("Tests/Fixtures/graph")

    /// `menort graph` of `arguments`, read back as a flowchart; every line must be understood.
    func flowchart(_ arguments: [String], in directory: URL? = nil) throws -> MermaidFlowchart {
        let result = try Menort.run(["graph"] + arguments, in: directory)
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let chart = MermaidFlowchart(result.stdout)
        #expect(chart.unreadLines.isEmpty, "lines that are neither a vertex nor an edge: \(chart.unreadLines)")
        return chart
    }

    @Test("The default stack's Mermaid picture has its routes, functions, tables and @connections, and the edges its policies grant")
    func defaultStack() throws {
        let chart = try flowchart(["templates/realtime/template.yaml"])
        #expect(chart.direction == "LR")
        #expect(chart.vertices == [
            .init(id: "R_ConnectRoute", shape: "stadium", label: ["$connect"]),
            .init(id: "R_DisconnectRoute", shape: "stadium", label: ["$disconnect"]),
            .init(id: "R_DefaultRoute", shape: "stadium", label: ["$default"]),
            .init(id: "R_ChatSendRoute", shape: "stadium", label: ["chat.send"]),
            .init(id: "R_PresenceUpdateRoute", shape: "stadium", label: ["presence.update"]),
            .init(id: "F_ConnectFunction", shape: "box", label: ["ConnectFunction", "lambda/realtime/connect/"]),
            .init(id: "F_DisconnectFunction", shape: "box", label: ["DisconnectFunction", "lambda/realtime/disconnect/"]),
            .init(id: "F_DefaultFunction", shape: "box", label: ["DefaultFunction", "lambda/realtime/default/"]),
            .init(id: "F_ChatSendFunction", shape: "box", label: ["ChatSendFunction", "lambda/realtime/chat-send/"]),
            .init(id: "F_PresenceUpdateFunction", shape: "box", label: ["PresenceUpdateFunction", "lambda/realtime/presence-update/"]),
            .init(id: "T_ConnectionsTable", shape: "cylinder", label: ["ConnectionsTable"]),
            .init(id: "T_ChatTableName", shape: "cylinder", label: ["ChatTableName"]),
            .init(id: "T_PresenceTableName", shape: "cylinder", label: ["PresenceTableName"]),
            .init(id: "T_SessionTableName", shape: "cylinder", label: ["SessionTableName"]),
            .init(id: "C_WebSocketApi", shape: "hexagon", label: ["WebSocketApi", "@connections"]),
        ])
        #expect(chart.edges.map(\.description) == [
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
        // Every edge joins two declared vertices.
        let ids = Set(chart.vertices.map(\.id))
        #expect(chart.edges.allSatisfy { ids.contains($0.from) && ids.contains($0.to) })
    }

    @Test("On a hand-written template, access menort cannot resolve draws no edge and a quoted route key stays a label")
    func handWritten() throws {
        let chart = try flowchart(["hand-written.yaml"], in: Self.fixtures)
        #expect(chart.vertices == [
            .init(id: "R_ConnectRoute", shape: "stadium", label: ["$connect"]),
            .init(id: "R_SendRoute", shape: "stadium", label: ["say \"hi\""]),
            .init(id: "R_LegacyRoute", shape: "stadium", label: ["legacy"]),
            .init(id: "F_Connect", shape: "box", label: ["Connect", "handlers/connect"]),
            .init(id: "F_Send", shape: "box", label: ["Send", "handlers/send/"]),
            .init(id: "F_Worker", shape: "box", label: ["Worker", "handlers/worker"]),
            .init(id: "T_Messages", shape: "cylinder", label: ["Messages"]),
            .init(id: "T_AuditTableName", shape: "cylinder", label: ["AuditTableName"]),
            .init(id: "C_Api", shape: "hexagon", label: ["Api", "@connections"]),
        ])
        // LegacyRoute targets a literal integration id and Worker's role is a parameter:
        // neither may be guessed, so neither has an edge.
        #expect(chart.edges.map(\.description) == [
            "R_ConnectRoute -invokes-> F_Connect",
            "R_SendRoute -invokes-> F_Send",
            "F_Connect -write-> T_Messages",
            "F_Send -read-> T_Messages",
            "F_Send -read-> T_AuditTableName",
            "F_Send -post-> C_Api",
        ])
    }

    @Test("The README's picture of the stack is the one menort graph draws")
    func readmePicture() throws {
        let readme = try String(contentsOf: Menort.root.appendingPathComponent("README.md"), encoding: .utf8)
        let generated = try Menort.run(["graph", "templates/realtime/template.yaml"]).stdout
        let blocks = readme.components(separatedBy: "```mermaid\n").dropFirst().compactMap { $0.components(separatedBy: "```\n").first }
        #expect(blocks.count == 1, "README.md should hold exactly one ```mermaid block, the stack's picture")
        #expect(blocks.first == generated, "README.md's picture is stale: paste `menort graph templates/realtime/template.yaml` into its ```mermaid block")
    }

    @Test("The template can come from standard input, as `menort render | menort graph -`")
    func standardInput() throws {
        let template = Menort.root.appendingPathComponent("templates/realtime/template.yaml")
        let piped = try Menort.run(["graph", "-"], stdin: template)
        #expect(piped.status == 0)
        #expect(piped.stdout == (try Menort.run(["graph", template.path]).stdout))
    }

    @Test("With no argument it draws ./template.yaml")
    func defaultTemplate() throws {
        let chart = try flowchart([], in: Menort.root.appendingPathComponent("templates/realtime"))
        #expect(chart.vertices.count == 15)
        #expect(chart.edges.count == 19)
    }

    @Test("--format dot draws the same vertices and edges for Graphviz")
    func dotFormat() throws {
        let mermaid = try flowchart(["templates/realtime/template.yaml"])
        let result = try Menort.run(["graph", "templates/realtime/template.yaml", "--format", "dot"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "digraph stack {")
        #expect(lines.last == "}")
        // `  A -> B [label="access"];`
        let edges = lines.compactMap { line -> MermaidFlowchart.Edge? in
            let parts = line.trimmingCharacters(in: .whitespaces).split(separator: " ")
            guard parts.count == 4, parts[1] == "->", parts[3].hasPrefix("[label=\""), parts[3].hasSuffix("\"];") else { return nil }
            return MermaidFlowchart.Edge(from: String(parts[0]), label: String(parts[3].dropFirst(8).dropLast(3)), to: String(parts[2]))
        }
        #expect(edges == mermaid.edges)
        // `  Id [label="…", shape=…];`
        let vertices = lines.compactMap { line -> String? in
            guard line.hasPrefix("  "), line.contains(" [label=\""), !line.contains(" -> ") else { return nil }
            return String(line.dropFirst(2).prefix { $0 != " " })
        }
        #expect(vertices == mermaid.vertices.map(\.id))
        #expect(lines.contains("  C_WebSocketApi [label=\"WebSocketApi\\n@connections\", shape=hexagon];"))
    }

    @Test("A template that is not YAML exits 1 with the yaml findings on stderr, in source order as validate prints them, and nothing on stdout")
    func unreadableTemplate() throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "Resources:\n  A:\n    Type: [AWS::SNS::Topic\n".write(to: folder.appendingPathComponent("template.yaml"), atomically: true, encoding: .utf8)
        let result = try Menort.run(["graph"], in: folder)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == """
            menort: template.yaml:3:11: note: the flow sequence that fails at 4:1 starts here [yaml-syntax-context]
            menort: template.yaml:4:1: error: did not find expected ',' or ']' (while parsing a flow sequence that starts at 3:11) [yaml-syntax]

            """)
    }

    @Test("Usage errors and missing files exit 2 with one line naming what is wrong", arguments: [
        (["graph", "--format", "svg"], "Error: The value 'svg' is invalid for '--format <format>'. Please provide one of 'mermaid' and 'dot'.\n"),
        (["graph", "no-such.yaml"], "menort: cannot read template no-such.yaml: no such file\n"),
        (["graph", "Tests"], "menort: cannot read template Tests: it is a directory\n"),
    ])
    func cannotRun(_ arguments: [String], _ firstLine: String) throws {
        let result = try Menort.run(arguments)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix(firstLine))
    }
}
