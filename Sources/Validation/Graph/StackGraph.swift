import YAML

/// The stack as a picture: which route invokes which function, and what each function may
/// do with the tables and with the API's `@connections`.
///
/// Built from the same resolved WebSocket model the `websocket` and `stack` rules use, so
/// the picture and the findings agree: an edge is drawn only when the model answers yes.
/// Access that depends on a parameter, an import, a customer policy or anything else menort
/// cannot see is unknown, and unknown draws no edge: the picture never invents a right.
///
/// Order is the template's: routes, then functions, then tables (declared tables, then
/// parameters that name tables), then one `@connections` vertex per WebSocket API; edges
/// follow the same order, so the output is the same bytes for the same template.
public struct StackGraph: Sendable, Equatable {
    /// What a vertex stands for.
    public enum Kind: String, Sendable, Equatable {
        /// An `AWS::ApiGatewayV2::Route` of a WebSocket API.
        case route
        /// A Lambda function (`AWS::Lambda::Function` or `AWS::Serverless::Function`).
        case function
        /// A DynamoDB table: declared in the template, or named by a `…TableName` parameter.
        case table
        /// A WebSocket API's `@connections` (the Management API's PostToConnection).
        case connections
    }

    /// One box of the picture.
    public struct Vertex: Sendable, Equatable {
        /// An id safe in Mermaid and DOT: a kind prefix (`R_`, `F_`, `T_`, `C_`) and the
        /// logical id, with any byte outside `A-Za-z0-9` spelled `_xx` (hex).
        public let id: String
        /// What it stands for.
        public let kind: Kind
        /// The lines of its label (a route key; a function's logical id and code folder).
        public let label: [String]
    }

    /// What an edge means.
    public enum Access: String, Sendable, Equatable, CaseIterable {
        /// The route's integration invokes the function.
        case invokes
        /// The function may read items of the table and not write them.
        case read
        /// The function may write items of the table (and, with every policy menort renders,
        /// read them).
        case write
        /// The function may post to the API's connections (`execute-api:ManageConnections`).
        case post
    }

    /// One arrow of the picture.
    public struct Edge: Sendable, Equatable {
        /// The vertex id it leaves.
        public let from: String
        /// The vertex id it reaches.
        public let to: String
        /// What it means; the arrow's label.
        public let access: Access
    }

    /// The vertices, in template order by kind.
    public let vertices: [Vertex]
    /// The edges, in template order.
    public let edges: [Edge]

    /// The picture of `template`.
    public init(_ template: SourceTemplate) {
        let model = WebSocketModel(template)
        let access = Tables(model)
        var vertices: [Vertex] = []
        var edges: [Edge] = []

        // Routes, and the function each reaches.
        let severalAPIs = model.webSocketAPIs.count > 1
        let functionIds = template.resources.filter { $0.resourceType.map(WebSocketModel.functionTypes.contains) == true }.map(\.id)
        for route in model.routes {
            let id = StackGraph.vertexID("R", route.entry.id)
            var label = [route.key ?? route.entry.id]
            // Two APIs may both have `$connect`: say whose it is.
            if severalAPIs { label.append(route.api) }
            vertices.append(Vertex(id: id, kind: .route, label: label))
            if let function = model.handler(of: route)?.function {
                edges.append(Edge(from: id, to: StackGraph.vertexID("F", function), access: .invokes))
            }
        }

        // Functions, with their code folder.
        for function in functionIds {
            guard let entry = template.resource(function) else { continue }
            var label = [function]
            if let folder = StackGraph.codeFolder(entry, template) { label.append(folder) }
            vertices.append(Vertex(id: StackGraph.vertexID("F", function), kind: .function, label: label))
        }

        // Tables: those the template declares, then parameters that name a table it does not.
        let tables = StackGraph.tables(template)
        for table in tables {
            vertices.append(Vertex(id: StackGraph.vertexID("T", table.label), kind: .table, label: [table.label]))
        }

        // One @connections per WebSocket API.
        for api in model.webSocketAPIs {
            vertices.append(Vertex(id: StackGraph.vertexID("C", api), kind: .connections, label: [api, "@connections"]))
        }

        // What each function may do. Only `.yes` draws an edge.
        for function in functionIds {
            let from = StackGraph.vertexID("F", function)
            for table in tables {
                let to = StackGraph.vertexID("T", table.label)
                if access.mayWrite(function, table) == .yes {
                    edges.append(Edge(from: from, to: to, access: .write))
                } else if StackGraph.readActions.contains(where: { access.may(function, $0, table) == .yes }) {
                    edges.append(Edge(from: from, to: to, access: .read))
                }
            }
            for api in model.webSocketAPIs where model.mayPost(function, api: api) == .yes {
                edges.append(Edge(from: from, to: StackGraph.vertexID("C", api), access: .post))
            }
        }
        self.vertices = vertices
        self.edges = edges
    }

    /// The actions that read items; a function allowed any of them (and no write) reads.
    static let readActions = ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:BatchGetItem"]

    /// The stack's tables as policies may name them: each declared table (its `TableName`
    /// parameter is the same table), then each `…TableName` parameter no declared table uses,
    /// which names a table that exists outside the stack (chat, presence, sessions).
    static func tables(_ template: SourceTemplate) -> [TableIdentity] {
        var tables: [TableIdentity] = []
        for entry in template.resources {
            guard let type = entry.resourceType, type == "AWS::DynamoDB::Table" || type == "AWS::DynamoDB::GlobalTable" else { continue }
            let name = entry.properties?["TableName"].flatMap(Symbolic.init)
            let parameter = name?.singleRef.flatMap { template.parameter($0) != nil ? $0 : nil }
            tables.append(TableIdentity(resource: entry.id, parameter: parameter, name: name?.literal, label: entry.id))
        }
        let claimed = Set(tables.compactMap(\.parameter))
        for entry in template.parameters where entry.id.hasSuffix("TableName") && entry.id.count > "TableName".count {
            guard !claimed.contains(entry.id), template.resource(entry.id) == nil else { continue }
            tables.append(TableIdentity(resource: nil, parameter: entry.id, name: nil, label: entry.id))
        }
        return tables
    }

    /// The folder a function's code is in, when written literally: SAM's `CodeUri` (or the
    /// `Globals` one), or a plain function's `Code` given as a local path for `package`.
    static func codeFolder(_ entry: SourceTemplate.Entry, _ template: SourceTemplate) -> String? {
        let properties = entry.properties
        switch entry.resourceType {
        case "AWS::Serverless::Function":
            if properties?["InlineCode"] != nil { return nil }
            return literalText(properties?["CodeUri"] ?? template.root["Globals"]?["Function"]?["CodeUri"])
        case "AWS::Lambda::Function":
            return literalText(properties?["Code"])
        default:
            return nil
        }
    }

    /// `prefix_` and `name` with every byte outside `A-Za-z0-9` written `_xx`: logical ids
    /// are alphanumeric, but a hand-written template under review may hold anything, and
    /// two different names must never share a vertex.
    static func vertexID(_ prefix: String, _ name: String) -> String {
        var id = prefix + "_"
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                id.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16)
                id += "_" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return id
    }
}

// MARK: - Reading a template

/// A template whose text cannot be read, so there is nothing to draw.
public struct UnreadableTemplate: Error, Sendable {
    /// The `yaml` family's findings: where and why the text could not be read.
    public let diagnostics: [Diagnostic]
}

extension StackGraph {
    /// The picture of the template in `bytes` (YAML or JSON), read as `validate` reads it;
    /// `file` is the name findings carry.
    public init(file: String, bytes: [UInt8]) throws(UnreadableTemplate) {
        var report = Report(file: file)
        guard let root = YAMLRules.read(bytes, limits: .default, into: &report) else {
            throw UnreadableTemplate(diagnostics: report.diagnostics.sorted(by: Diagnostic.sourceOrder))
        }
        self.init(SourceTemplate(file: file, root: root))
    }
}
