/// The picture's text formats.
public enum GraphFormat: String, Sendable, CaseIterable {
    /// A Mermaid `flowchart LR`: GitHub renders it in Markdown.
    case mermaid
    /// A Graphviz `digraph`, for `dot -Tsvg`.
    case dot
}

extension StackGraph {
    /// The picture in `format`, ending in a newline.
    public func rendered(as format: GraphFormat) -> String {
        switch format {
        case .mermaid: return mermaid()
        case .dot: return dot()
        }
    }

    /// A Mermaid flowchart, left to right: routes as stadiums, functions as boxes, tables as
    /// cylinders, `@connections` as hexagons; `A -->|access| B` for every edge.
    ///
    /// Every label is quoted, so route keys such as `$connect` and `chat.send` cannot be read
    /// as syntax; vertex ids are alphanumeric with a kind prefix, so none is a Mermaid
    /// keyword (`end`) or starts an edge token (`o`, `x`).
    public func mermaid() -> String {
        var lines = ["flowchart LR"]
        for vertex in vertices {
            let label = "\"" + vertex.label.map(StackGraph.mermaidText).joined(separator: "<br/>") + "\""
            let shaped: String
            switch vertex.kind {
            case .route: shaped = "([" + label + "])"
            case .function: shaped = "[" + label + "]"
            case .table: shaped = "[(" + label + ")]"
            case .connections: shaped = "{{" + label + "}}"
            }
            lines.append("  " + vertex.id + shaped)
        }
        for edge in edges {
            lines.append("  \(edge.from) -->|\(edge.access.rawValue)| \(edge.to)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Graphviz digraph, left to right, with the same shapes as the Mermaid picture.
    public func dot() -> String {
        var lines = [
            "digraph stack {",
            "  rankdir=LR;",
            "  node [fontname=\"Helvetica\", fontsize=11];",
            "  edge [fontname=\"Helvetica\", fontsize=10];",
        ]
        for vertex in vertices {
            let label = vertex.label.map(StackGraph.dotText).joined(separator: "\\n")
            let shape: String
            switch vertex.kind {
            case .route: shape = "shape=box, style=rounded"
            case .function: shape = "shape=box"
            case .table: shape = "shape=cylinder"
            case .connections: shape = "shape=hexagon"
            }
            lines.append("  \(vertex.id) [label=\"\(label)\", \(shape)];")
        }
        for edge in edges {
            lines.append("  \(edge.from) -> \(edge.to) [label=\"\(edge.access.rawValue)\"];")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text safe inside a quoted Mermaid label: the characters Mermaid or its HTML labels
    /// would read as syntax are written as Mermaid entity codes (`#34;`), and control
    /// characters as spaces.
    static func mermaidText(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"", "#", "&", "<", ">", "`": output += "#\(scalar.value);"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: output += " "
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// Text safe inside a quoted DOT string: backslash and quote escaped (a backslash would
    /// otherwise start one of Graphviz's label escapes), control characters as spaces.
    static func dotText(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": output += "\\\\"
            case "\"": output += "\\\""
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: output += " "
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}
