import Foundation

/// A Mermaid flowchart read back from `menort graph`'s output, strictly: the header, one
/// vertex per line (`Id["label"]` in one of four shapes), one edge per line
/// (`A -->|label| B`). Any other line is kept in `unreadLines`, so a test can demand that
/// every line was understood.
struct MermaidFlowchart: Equatable {
    struct Vertex: Equatable, CustomStringConvertible {
        let id: String
        let shape: String
        /// The label's lines (`<br/>` splits them), entity codes (`#34;`) decoded.
        let label: [String]
        var description: String { "\(id)\(shape)\(label)" }
    }

    struct Edge: Equatable, Hashable, CustomStringConvertible {
        let from: String
        let label: String
        let to: String
        var description: String { "\(from) -\(label)-> \(to)" }
    }

    var direction: String?
    var vertices: [Vertex] = []
    var edges: [Edge] = []
    var unreadLines: [String] = []

    /// The four shapes `menort graph` draws, as opening and closing delimiters.
    static let shapes: [(name: String, open: String, close: String)] = [
        ("stadium", "([\"", "\"])"),
        ("cylinder", "[(\"", "\")]"),
        ("hexagon", "{{\"", "\"}}"),
        ("box", "[\"", "\"]"),
    ]

    init(_ text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard let header = lines.first, header.hasPrefix("flowchart ") else {
            unreadLines = lines
            return
        }
        direction = String(header.dropFirst("flowchart ".count))
        for line in lines.dropFirst() {
            let body = line.hasPrefix("  ") ? String(line.dropFirst(2)) : line
            if let edge = MermaidFlowchart.edge(body) {
                edges.append(edge)
            } else if let vertex = MermaidFlowchart.vertex(body) {
                vertices.append(vertex)
            } else {
                unreadLines.append(line)
            }
        }
    }

    /// `A -->|label| B`, where A and B are plain ids.
    static func edge(_ line: String) -> Edge? {
        let parts = line.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, isID(parts[0]), isID(parts[2]), parts[1].hasPrefix("-->|"), parts[1].hasSuffix("|"),
              parts[1].count > 5 else { return nil }
        let label = parts[1].dropFirst(4).dropLast()
        return Edge(from: String(parts[0]), label: String(label), to: String(parts[2]))
    }

    /// `Id` followed by a shape holding a quoted label, nothing after it.
    static func vertex(_ line: String) -> Vertex? {
        guard let start = line.firstIndex(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_")) }) else { return nil }
        let id = line[..<start]
        let rest = line[start...]
        guard isID(id) else { return nil }
        for shape in shapes where rest.hasPrefix(shape.open) && rest.hasSuffix(shape.close) && rest.count >= shape.open.count + shape.close.count {
            let inner = rest.dropFirst(shape.open.count).dropLast(shape.close.count)
            guard !inner.contains("\"") else { return nil }  // a quote must be written #34;
            let label = inner.components(separatedBy: "<br/>").map { decodeEntities(Substring($0)) }
            return Vertex(id: String(id), shape: shape.name, label: label)
        }
        return nil
    }

    static func isID(_ text: Substring) -> Bool {
        guard let first = text.first, first.isASCII, first.isLetter else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// Mermaid's `#NN;` entity codes back to characters.
    static func decodeEntities(_ text: Substring) -> String {
        var output = ""
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "#", let semicolon = text[index...].firstIndex(of: ";"),
               let code = UInt32(text[text.index(after: index)..<semicolon]), let scalar = Unicode.Scalar(code) {
                output.unicodeScalars.append(scalar)
                index = text.index(after: semicolon)
            } else {
                output.append(text[index])
                index = text.index(after: index)
            }
        }
        return output
    }

    /// The vertex with `id`.
    func vertex(_ id: String) -> Vertex? { vertices.first { $0.id == id } }
}
