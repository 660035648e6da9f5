import Foundation
import Validation

/// The rendered realtime stack (read from the repository at test time), one-edit mutations
/// of it, and the real-world corpus when `MENORT_CORPUS` names it.
enum WebSocketFixture {
    /// The repository's root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// `templates/realtime/template.yaml` as `menort render` wrote it.
    static let rendered: String = (try? String(contentsOfFile: root + "/templates/realtime/template.yaml", encoding: .utf8)) ?? ""

    /// The handler folders of the rendered stack, as `validate` (template in `/stack`) asks for them.
    static let handlerFolders: Set<String> = Set(
        ["connect", "disconnect", "default", "chat-send", "presence-update"].map { "/stack/lambda/realtime/\($0)/" })

    /// One replacement in the rendered text.
    struct Edit: Sendable {
        let old: String
        let new: String

        init(_ old: String, _ new: String) {
            self.old = old
            self.new = new
        }
    }

    /// The rendered stack with the edits applied; `nil` when an edit's text does not occur
    /// exactly once (the fixture drifted from the renderer).
    static func mutated(_ edits: [Edit]) -> String? {
        var text = rendered
        for edit in edits {
            guard text.components(separatedBy: edit.old).count == 2 else { return nil }
            text = text.replacingOccurrences(of: edit.old, with: edit.new)
        }
        return text
    }

    /// The corpus folder, when the environment names one.
    static let corpus: String? = Corpus.root

    /// Files of a corpus folder whose names match, sorted.
    static func corpusFiles(_ folder: String, where include: (String) -> Bool) -> [String] {
        guard let corpus else { return [] }
        let path = corpus + "/" + folder
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter(include).sorted().map { path + "/" + $0 }
    }

    /// Validates a file of the corpus with the given families.
    static func validateFile(_ path: String, families: Set<Family>) -> [Diagnostic] {
        let bytes = FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
        var validator = Validator(today: testDay, fileExists: { _ in true })
        validator.families = families
        return validator.validate(file: path, bytes: bytes, directory: nil)
    }
}
