import Foundation
import Testing
import Validation

/// The schema family on templates that deploy (or that their tools accept): the rendered
/// stacks get no schema error at all, and on the corpus every schema error is a row of
/// `Tests/Fixtures/corpus-schema-errors.txt`, which says why that deploy would fail.
@Suite("schema family on the rendered stacks and the corpus")
struct SchemaCorpusTests {
    static let table = WebSocketFixture.root + "/Tests/Fixtures/corpus-schema-errors.txt"

    static func validator() -> Validator {
        var validator = Validator(today: testDay, fileExists: { _ in true })
        validator.families = [.schema]
        return validator
    }

    @Test("The rendered stacks give no schema finding")
    func renderedStacks() throws {
        let fixtures = try FileManager.default.contentsOfDirectory(atPath: WebSocketFixture.root + "/Tests/Fixtures")
            .filter { $0.hasSuffix(".template.yaml") }.map { WebSocketFixture.root + "/Tests/Fixtures/" + $0 }
        let paths = [WebSocketFixture.root + "/templates/realtime/template.yaml"] + fixtures
        #expect(paths.count >= 2)
        for path in paths {
            let bytes = try #require(FileManager.default.contents(atPath: path))
            let diagnostics = Self.validator().validate(file: path, bytes: Array(bytes), directory: nil)
            #expect(diagnostics.map(\.description) == [])
        }
    }

    @Test("Every schema error on the corpus is in the table with its reason, and every row is reported")
    func corpusErrorsMatchTheTable() throws {
        guard let root = RefsCorpus.root(for: "the schema family on the corpus") else { return }
        let text = try String(contentsOfFile: Self.table, encoding: .utf8)
        var rows: Set<String> = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.components(separatedBy: " | ")
            #expect(fields.count == 5 && fields[4].count > 20, "corpus-schema-errors.txt: `file | line:column | rule | logical id | why`: \(line)")
            if fields.count == 5 { rows.insert(fields[0..<4].joined(separator: " | ")) }
        }
        let folders: [(folder: String, include: (String) -> Bool)] = [
            ("realworld", { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json") }),
            ("sam/output", { $0.hasSuffix(".json") }),
            ("sam/input", { $0.hasSuffix(".yaml") && !$0.hasPrefix("error_") }),
            ("cfn-lint/good", { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }),
        ]
        let validator = Self.validator()
        var reported: Set<String> = []
        for (folder, include) in folders {
            let files = RefsCorpus.files(root + "/" + folder, suffix: "").filter(include)
            var errors = 0
            var warnings = 0
            for name in files {
                let path = folder + "/" + name
                for diagnostic in validator.validate(file: path, bytes: RefsCorpus.bytes(root + "/" + path), directory: nil) {
                    guard diagnostic.severity == .error else { warnings += 1; continue }
                    errors += 1
                    reported.insert("\(path) | \(diagnostic.line):\(diagnostic.column) | \(diagnostic.rule.id) | \(diagnostic.logicalId ?? "-")")
                }
            }
            print("schema on \(folder): \(files.count) files, \(errors) errors (each in the table), \(warnings) warnings")
            #expect(!files.isEmpty, "\(folder) holds no template")
        }
        #expect(reported.subtracting(rows).sorted() == [], "schema errors that are not in the table")
        #expect(rows.subtracting(reported).sorted() == [], "rows of the table no longer reported")
    }
}
