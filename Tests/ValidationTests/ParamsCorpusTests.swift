import Foundation
import Testing
import Validation
import YAML

/// The real-world corpus (see /work/shared/corpus/README.md), from `MENORT_CORPUS`.
private let corpus = Corpus.root

@Suite("params rules on the corpus", .enabled(if: corpus != nil, "MENORT_CORPUS names no corpus folder: set it to the corpus folder to run"))
struct ParamsCorpusTests {
    static func files(_ folder: String) -> [(name: String, bytes: [UInt8])] {
        guard let corpus else { return [] }
        let directory = corpus + "/" + folder
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.sorted().compactMap { name in
            FileManager.default.contents(atPath: directory + "/" + name).map { (folder + "/" + name, Array($0)) }
        }
    }

    static func params(_ file: (name: String, bytes: [UInt8]), supplied: [SuppliedParameter]? = nil) -> [Diagnostic] {
        var validator = Validator(today: "2026-11-27", fileExists: { _ in true })
        validator.families = [.params]
        validator.supplied = supplied
        return validator.validate(file: file.name, bytes: file.bytes, directory: nil)
    }

    @Test("Templates the SAM translator produced and cfn-lint accepts get no params findings")
    func noFalsePositives() {
        var checked = 0
        for folder in ["sam/output", "cfn-lint/good"] {
            for file in Self.files(folder) {
                checked += 1
                let diagnostics = Self.params(file)
                #expect(diagnostics.isEmpty, "\(diagnostics)")
            }
        }
        #expect(checked > 900)
    }

    @Test("SAM's valid input templates get no params findings; its error_ ones only true positives")
    func samInput() {
        var errorFindings: [String: Int] = [:]
        for file in Self.files("sam/input") {
            let diagnostics = Self.params(file)
            if file.name.hasPrefix("sam/input/error_") {
                for diagnostic in diagnostics { errorFindings[diagnostic.rule.id, default: 0] += 1 }
            } else {
                #expect(diagnostics.isEmpty, "\(diagnostics)")
            }
        }
        // A lower-case `default`, list Defaults ("Every Default member must be a string"), `List` and `Boolean` types.
        #expect(errorFindings == ["params-unknown-property": 2, "params-property-value": 3, "params-type-invalid": 3])
    }

    @Test("Supplied values of every kind run over every template without a crash, and odd values are caught")
    func suppliedEverywhere() throws {
        var caught = 0
        for folder in ["sam/input", "sam/output", "cfn-lint/good", "cfn-lint/bad"] {
            for file in Self.files(folder) {
                guard let root = try? Parser.parse(bytes: file.bytes), root.pairs != nil else { continue }
                let definitions = ParameterDefinition.definitions(in: SourceTemplate(file: file.name, root: root))
                let supplied = definitions.map { SuppliedParameter(key: ParameterValues.upperSnakeCase($0.name), value: "a b/$default", origin: .file(".env", line: 1)) }
                    + [SuppliedParameter(key: "NoSuchParameter", value: "1", origin: .flag)]
                let diagnostics = Self.params(file, supplied: supplied)
                caught += diagnostics.filter { ["params-dynamodb-name", "params-stage-name", "params-lambda-timeout"].contains($0.rule.id) }.count
                #expect(diagnostics.contains { $0.rule.id == "params-unknown-name" }, "\(file.name)")
            }
        }
        #expect(caught > 0)
    }
}
