import Diff
import Foundation
import RealtimeStack
import Testing
import Validation
import YAML

/// A template read as `menort diff` reads it.
func source(_ text: String, file: String) throws -> SourceTemplate {
    let root = try #require(try Parser.parse(text), "\(file) is empty")
    return SourceTemplate(file: file, root: root)
}

/// `menort diff OLD NEW` in-process: `params` are `--param KEY=VALUE`, `env` env-file entries.
func diff(_ old: String, _ new: String, params: [String] = [], env: [String] = [], region: String? = nil) throws -> TemplateDiff {
    func supplied(_ pairs: [String], _ origin: (Int) -> SuppliedParameter.Origin) -> [SuppliedParameter] {
        pairs.enumerated().map { offset, pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            return SuppliedParameter(key: parts[0], value: parts.count > 1 ? parts[1] : "", origin: origin(offset + 1))
        }
    }
    let values = supplied(env) { .file(".env", line: $0) } + supplied(params) { _ in .flag }
    return TemplateDiff.compare(old: try source(old, file: "old.yaml"), new: try source(new, file: "new.yaml"),
                                settings: DiffSettings(supplied: values, region: region))
}

extension TemplateDiff {
    /// The change of one logical id, if it has one.
    func resource(_ id: String) -> ResourceChange? {
        resources.first { $0.logicalId == id }
    }

    /// Logical id → action, for comparing a whole diff at once.
    var actions: [String: Action] {
        Dictionary(resources.map { ($0.logicalId, $0.action) }, uniquingKeysWith: { first, _ in first })
    }
}

extension TemplateDiff.ResourceChange {
    /// The change of one property path.
    func property(_ path: String) -> TemplateDiff.PropertyChange? {
        properties.first { $0.path == path }
    }
}

/// What a removal or replacement does to data, as a table row states it.
enum Loss: Sendable, Equatable, CustomStringConvertible {
    /// The resource holds no data menort knows of, or is neither removed nor replaced.
    case none
    /// Removed or replaced and its data deleted.
    case destroyed
    /// Removed or replaced, but a policy keeps the data (retained, or in a snapshot).
    case kept

    init(_ loss: TemplateDiff.DataLoss?) {
        self = loss.map { $0.destroyed ? .destroyed : .kept } ?? .none
    }

    var description: String {
        switch self {
        case .none: "no data loss"
        case .destroyed: "data destroyed"
        case .kept: "data kept"
        }
    }
}

/// The built-in stack as `menort render` writes it, and a config's.
enum Rendered {
    static func stack(_ config: StackConfig = .default) throws -> String {
        try config.render()
    }

    /// `text` with `old` replaced by `new`, failing the test when `old` is not there once.
    static func edit(_ text: String, _ old: String, _ new: String) throws -> String {
        let parts = text.components(separatedBy: old)
        try #require(parts.count == 2, "'\(old)' occurs \(parts.count - 1) times")
        return parts.joined(separator: new)
    }
}

/// A template's YAML as JSON in CloudFormation's long forms (`!Ref X` → `{"Ref": "X"}`,
/// `!GetAtt A.B` → `{"Fn::GetAtt": ["A", "B"]}`), every scalar a JSON string: the same
/// template written as JSON.
func longFormJSON(_ yaml: String) throws -> String {
    func convert(_ node: Node) -> JSONValue {
        if node.tag != nil, let call = Intrinsic(node) {
            if call.name == "Fn::GetAtt", let text = call.argument.scalar, let dot = text.firstIndex(of: ".") {
                return .object([(call.name, .array([.string(String(text[..<dot])), .string(String(text[text.index(after: dot)...]))]))])
            }
            return .object([(call.name, convert(call.argument))])
        }
        if let items = node.items { return .array(items.map(convert)) }
        if let pairs = node.pairs { return .object(pairs.map { ($0.key.scalar ?? "", convert($0.value)) }) }
        return .string(node.scalar ?? "")
    }
    let root = try #require(try Parser.parse(yaml))
    return convert(root).serialized() + "\n"
}

/// The package root, found from this file's path.
enum Fixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Whether golden files are rewritten instead of compared (`MENORT_RECORD=1 swift test`).
    static var recording: Bool { ProcessInfo.processInfo.environment["MENORT_RECORD"] == "1" }

    static func read(_ relativePath: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
    }

    static func write(_ text: String, to relativePath: String) throws {
        try text.write(to: root.appendingPathComponent(relativePath), atomically: true, encoding: .utf8)
    }
}
