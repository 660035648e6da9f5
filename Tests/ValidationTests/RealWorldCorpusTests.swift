import Foundation
import Testing
import Validation

/// The public WebSocket templates of `$MENORT_CORPUS/realworld/` against the table of the
/// errors menort may report on them (`Tests/Fixtures/realworld-errors.txt`): an error is a
/// promise that the deploy fails, so every one of them is listed there with the reason.
@Suite("real-world WebSocket templates")
struct RealWorldCorpusTests {
    /// One row of the table: an error menort reports, and why the deploy fails.
    struct Row: Hashable, CustomStringConvertible {
        let file: String
        let line: Int
        let column: Int
        let rule: String
        let logicalId: String?
        let why: String

        /// The row without its reason, to compare with a finding.
        var key: String { "\(file) | \(line):\(column) | \(rule) | \(logicalId ?? "-")" }
        var description: String { key }
    }

    static let table = WebSocketFixture.root + "/Tests/Fixtures/realworld-errors.txt"

    /// The rows of the table; a malformed row is reported as an issue and left out.
    static func rows() throws -> [Row] {
        let text = try String(contentsOfFile: table, encoding: .utf8)
        var rows: [Row] = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.components(separatedBy: " | ")
            let position = fields.count == 5 ? fields[1].split(separator: ":").compactMap { Int($0) } : []
            guard fields.count == 5, position.count == 2, !fields[4].isEmpty else {
                Issue.record("realworld-errors.txt:\(offset + 1) is not `file | line:column | rule | logical id | why`: \(line)")
                continue
            }
            rows.append(Row(file: fields[0], line: position[0], column: position[1], rule: fields[2],
                            logicalId: fields[3] == "-" ? nil : fields[3], why: fields[4]))
        }
        return rows
    }

    /// The corpus folder's templates, or `nil` when there is none (said once, in one line).
    static let files: [String]? = {
        let files = WebSocketFixture.corpusFiles("realworld") { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json") }
        if files.isEmpty {
            let why = Corpus.root.map { "\($0)/realworld holds no template" } ?? Corpus.absence
            print("corpus: skipped the real-world WebSocket templates, \(why)")
            return nil
        }
        return files
    }()

    @Test("Every error on the real-world WebSocket templates is in the table with its reason, and every row is reported")
    func errorsMatchTheTable() throws {
        let rows = try Self.rows()
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { $0.why.count > 20 }, "each row says why the deploy fails")
        #expect(Set(rows.map(\.key)).count == rows.count, "a row is listed twice")
        guard let files = Self.files else { return }
        #expect(files.count >= 23)
        let names = Set(files.map { ($0 as NSString).lastPathComponent })
        #expect(Set(rows.map(\.file)).subtracting(names).sorted() == [], "rows for files the corpus does not have")

        var reported: [String] = []
        for path in files {
            let name = (path as NSString).lastPathComponent
            let errors = WebSocketFixture.validateFile(path, families: Set(Family.allCases))
                .filter { $0.severity == .error }
            #expect(!errors.contains { $0.family == .yaml }, "\(name) does not parse")
            reported += errors.map { "\(name) | \($0.line):\($0.column) | \($0.rule.id) | \($0.logicalId ?? "-")" }
        }
        let listed = Set(rows.map(\.key))
        #expect(reported.filter { !listed.contains($0) } == [], "errors the table does not list: add them with why the deploy fails, or fix the rule")
        #expect(rows.map(\.key).filter { !reported.contains($0) } == [], "rows menort no longer reports")
        print("corpus: realworld \(files.count) templates, \(reported.count) errors checked against realworld-errors.txt")
    }

    @Test("No stack-* finding fires on the real-world WebSocket templates, none of which opts in to the realtime contract")
    func noStackFindings() {
        guard let files = Self.files else { return }
        var stack: [String] = []
        for path in files {
            let name = (path as NSString).lastPathComponent
            stack += WebSocketFixture.validateFile(path, families: Set(Family.allCases))
                .filter { $0.family == .stack }
                .map { "\(name):\($0.line):\($0.column) \($0.rule.id)" }
        }
        #expect(stack == [])
        #expect(files.count == 23)
    }
}
