import Foundation
import Validation
import YAML

/// The day tests validate on, so runtime deprecation does not move with the calendar.
let testDay = "2026-11-27"

/// Validates `yaml` as the file `template.yaml` in the folder `/stack`, where exactly the
/// paths in `existing` exist.
func validate(
    _ yaml: String, families: Set<Family> = Set(Family.allCases), ignored: Set<String> = [],
    supplied: [SuppliedParameter]? = nil, existing: Set<String> = [], directory: String? = "/stack"
) -> [Diagnostic] {
    var validator = Validator(today: testDay, fileExists: { existing.contains($0) })
    validator.families = families
    validator.ignored = ignored
    validator.supplied = supplied
    return validator.validate(file: "template.yaml", bytes: Array(yaml.utf8), directory: directory)
}

/// The findings of one rule.
func findings(_ rule: String, in diagnostics: [Diagnostic]) -> [Diagnostic] {
    diagnostics.filter { $0.rule.id == rule }
}

/// What a table row expects of a finding: rule, line, column and logical id.
struct Expected: Equatable, CustomStringConvertible {
    let rule: String
    let line: Int
    let column: Int
    let logicalId: String?

    init(_ rule: String, _ line: Int, _ column: Int, _ logicalId: String? = nil) {
        self.rule = rule
        self.line = line
        self.column = column
        self.logicalId = logicalId
    }

    init(_ diagnostic: Diagnostic) {
        self.init(diagnostic.rule.id, diagnostic.line, diagnostic.column, diagnostic.logicalId)
    }

    var description: String { "\(rule)@\(line):\(column)(\(logicalId ?? "-"))" }
}

/// The real-world corpus (`MENORT_CORPUS`), or `nil` when the variable is unset, empty, or
/// names no folder: corpus tests then skip with a visible message instead of failing.
enum Corpus {
    static let root: String? = {
        guard let path = ProcessInfo.processInfo.environment["MENORT_CORPUS"], !path.isEmpty else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path + "/sam", isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
        return path
    }()

    /// Why the corpus is absent, for the one line a skipped test prints.
    static var absence: String {
        let path = ProcessInfo.processInfo.environment["MENORT_CORPUS"] ?? ""
        return path.isEmpty ? "MENORT_CORPUS is not set" : "MENORT_CORPUS=\(path) names no corpus folder"
    }
}
