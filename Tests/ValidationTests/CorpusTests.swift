import Foundation
import Testing
import Validation
import YAML

/// The real-world corpus (`MENORT_CORPUS`, e.g. /work/shared/corpus): templates nobody on
/// this project wrote. Tests that need it print why they skip when it is absent.
enum RefsCorpus {
    /// The corpus folder, or `nil` (with a visible message) when `MENORT_CORPUS` is unset.
    static func root(for test: String) -> String? {
        guard let root = Corpus.root else {
            print("corpus: skipped \(test), \(Corpus.absence)")
            return nil
        }
        return root
    }

    /// The names of the files in `folder` ending in `suffix`, sorted.
    static func files(_ folder: String, suffix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(suffix) }.sorted()
    }

    /// The bytes of a file, empty when it cannot be read.
    static func bytes(_ path: String) -> [UInt8] {
        FileManager.default.contents(atPath: path).map { Array($0) } ?? []
    }

    /// The parsed root of a file, `nil` when it does not parse.
    static func tree(_ path: String) -> Node? {
        (try? Parser.parse(bytes: bytes(path))) ?? nil
    }
}

@Suite("refs family on the corpus")
struct RefsCorpusTests {
    /// The package root, from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static func validator(_ families: Set<Family>) -> Validator {
        var validator = Validator(today: testDay, fileExists: { _ in false })
        validator.families = families
        return validator
    }

    @Test("refs errors fire on exactly the SAM outputs that name something undeclared")
    func samOutputs() throws {
        guard let root = RefsCorpus.root(for: "refs on sam/output") else { return }
        let fixture = try String(contentsOfFile: Self.packageRoot + "/Tests/Fixtures/corpus-sam-output-undeclared.txt", encoding: .utf8)
        let expected = Set(fixture.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty })
        let validator = Self.validator([.yaml, .refs])
        var flagged: Set<String> = []
        var warnings = 0
        let files = RefsCorpus.files(root + "/sam/output", suffix: ".json")
        for name in files {
            let diagnostics = validator.validate(file: name, bytes: RefsCorpus.bytes(root + "/sam/output/" + name), directory: nil)
            if diagnostics.contains(where: { $0.family == .refs && $0.severity == .error }) { flagged.insert(name) }
            warnings += diagnostics.filter { $0.severity == .warning }.count
            #expect(!diagnostics.contains { $0.family == .yaml }, "\(name) does not parse")
        }
        print("sam/output: \(files.count) files, refs errors in \(flagged.count), \(warnings) warnings")
        #expect(files.count == 834)
        #expect(flagged.subtracting(expected).sorted() == [], "flagged but not in the fixture")
        #expect(expected.subtracting(flagged).sorted() == [], "in the fixture but not flagged")
    }

    @Test("On SAM inputs, refs errors fire only on translator error cases and inputs whose output names something undeclared")
    func samInputs() throws {
        guard let root = RefsCorpus.root(for: "refs on sam/input") else { return }
        let fixture = try String(contentsOfFile: Self.packageRoot + "/Tests/Fixtures/corpus-sam-output-undeclared.txt", encoding: .utf8)
        let undeclaredOutputs = Set(fixture.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty })
        let validator = Self.validator([.refs])
        var errors = 0
        var warnings = 0
        var flagged: [String] = []
        let files = RefsCorpus.files(root + "/sam/input", suffix: ".yaml")
        for name in files {
            let diagnostics = validator.validate(file: name, bytes: RefsCorpus.bytes(root + "/sam/input/" + name), directory: nil)
            let fileErrors = diagnostics.filter { $0.severity == .error }.count
            errors += fileErrors
            warnings += diagnostics.filter { $0.severity == .warning }.count
            if fileErrors > 0 { flagged.append(name) }
        }
        let regular = flagged.filter { !$0.hasPrefix("error_") }
        print("sam/input: \(files.count) files, \(errors) refs errors in \(flagged.count) files (\(regular.count) outside error_*), \(warnings) warnings")
        // A regular input may only be flagged when SAM's own output for it names something
        // undeclared too (the translator passes those names through): never for a SAM implicit name.
        #expect(regular.filter { !undeclaredOutputs.contains(String($0.dropLast(5)) + ".json") } == [])
        #expect(files.count == 831)
    }

    @Test("On cfn-lint's good templates, refs errors fire only where cfn-lint itself reports undefined names")
    func cfnLintGood() {
        guard let root = RefsCorpus.root(for: "refs on cfn-lint/good") else { return }
        let validator = Self.validator([.refs])
        var flagged: Set<String> = []
        var warnings = 0
        for name in RefsCorpus.files(root + "/cfn-lint/good", suffix: "") where name.hasSuffix(".yaml") || name.hasSuffix(".json") {
            let diagnostics = validator.validate(file: name, bytes: RefsCorpus.bytes(root + "/cfn-lint/good/" + name), directory: nil)
            if diagnostics.contains(where: { $0.severity == .error }) { flagged.insert(name) }
            warnings += diagnostics.filter { $0.severity == .warning }.count
        }
        print("cfn-lint/good: refs errors in \(flagged.sorted()), \(warnings) warnings")
        // cfn-lint 1.58 reports E1020 (Ref to 'NodeEnv') on the first and E1020/E1022
        // ('GreetingResource', 'GreetingApi', 'GreetingLambda') on the second: both really name
        // things they never declare.
        #expect(flagged == ["custom_is-defined.yaml", "functions_sub_needed.yaml"])
    }
}
