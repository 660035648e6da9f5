import Foundation
import Testing
import Validation

@Suite("Rule catalog")
struct RuleCatalogTests {
    @Test("Rule ids are unique and carry their family's prefix")
    func ids() {
        let ids = Validator.allRules.map(\.id)
        #expect(Set(ids).count == ids.count)
        let prefixes: [Family: String] = [.yaml: "yaml-", .template: "template-", .refs: "refs-", .params: "params-", .websocket: "ws-", .stack: "stack-", .iam: "iam-", .sam: "sam-", .schema: "schema-"]
        for rule in Validator.allRules {
            #expect(rule.id.hasPrefix(prefixes[rule.family] ?? "?"), "\(rule.id)")
        }
    }

    @Test("Every rule has a one-line title and an explanation that says how to fix it")
    func words() {
        for rule in Validator.allRules {
            #expect(!rule.title.isEmpty && !rule.title.contains("\n"), "\(rule.id)")
            #expect(rule.explanation.count > 60, "\(rule.id)")
        }
    }

    @Test("Every family has rules, and every rule can be looked up by id")
    func lookup() {
        for family in Family.allCases {
            #expect(Validator.allRules.contains { $0.family == family }, "\(family)")
        }
        for rule in Validator.allRules {
            #expect(Validator.rule(rule.id) == rule)
        }
    }

    @Test("Every Rule declared in Sources/Validation is listed in its family's rules")
    func everyDeclaredRuleIsRegistered() throws {
        // The registry is the families' `rules` lists; a rule declared but left out of its list
        // would still report findings that `--explain`, `menort rules` and SARIF know nothing of.
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/Validation")
        let declaration = try Regex(#"\bRule\(\s*"([a-z0-9-]+)""#)
        var declared: Set<String> = []
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String } ?? []
        for name in files where name.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(name), encoding: .utf8)
            for match in text.matches(of: declaration) {
                if let id = match.output[1].substring { declared.insert(String(id)) }
            }
        }
        #expect(declared.count > 50, "the scan found \(declared.count) declarations; has the declaration syntax changed?")
        let unregistered = declared.subtracting(Validator.allRules.map(\.id))
        #expect(unregistered.isEmpty, "declared but not in their family's rules: \(unregistered.sorted())")
    }

    @Test("Each family lists only rules of its own family")
    func familiesListTheirOwnRules() {
        for family in Validator.allFamilies {
            let kind = type(of: family)
            for rule in kind.rules { #expect(rule.family == kind.family, "\(rule.id) is listed by \(kind.family)") }
        }
    }

    @Test("Every rule's id appears in an expectation of some test")
    func everyRuleIsTested() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let root = folder.deletingLastPathComponent()
        var text = ""
        for suite in ["ValidationTests", "menortTests"] {
            let directory = root.appendingPathComponent(suite)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".swift") && name != "RuleCatalogTests.swift" {
                text += try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            }
        }
        // Tables kept as fixtures (read by both a Swift test and a peer's script) count too.
        let tabled = Set(SAMCase.all.flatMap { $0.expected.map(\.rule) })
        let untested = Validator.allRules.map(\.id).filter { !text.contains("\"\($0)\"") && !tabled.contains($0) }
        #expect(untested.isEmpty, "rules without a test: \(untested)")
    }
}

@Suite("Edit distance")
struct EditDistanceTests {
    @Test("Edits are counted per character, a swap is one edit only with transpositions", arguments: [
        ("TableName", "TableName", false, 0), ("TableName", "TabelName", false, 2), ("TableName", "TabelName", true, 1),
        ("", "abc", false, 3), ("abc", "", false, 3), ("kitten", "sitting", false, 3), ("Ünï", "Uni", false, 2),
    ])
    func distance(_ a: String, _ b: String, _ transpositions: Bool, _ expected: Int) {
        #expect(EditDistance.between(a, b, transpositions: transpositions) == expected)
    }

    @Test("With a limit, a far name stops at limit + 1")
    func limit() {
        #expect(EditDistance.between("ChatTableName", "WebSocketApi", limit: 2) == 3)
        #expect(EditDistance.between("ChatTableName", "ChatTablename", limit: 2) == 1)
    }
}
