import Foundation
import Testing

/// The three output formats of one multi-defect template, compared byte for byte.
/// Re-record with `MENORT_RECORD=1 swift test` and review the diff.
@Suite("menort validate golden output")
struct ValidateGoldenTests {
    static let folder = Menort.root.appendingPathComponent("Tests/Fixtures/validate")

    @Test("Each format of the multi-defect template matches its golden file", arguments: ["text", "json", "sarif"])
    func golden(_ format: String) throws {
        let result = try Menort.run(["validate", "multi-defect.yaml", "--format", format], in: Self.folder)
        #expect(result.status == 1)
        #expect(result.stderr.isEmpty)
        let golden = Self.folder.appendingPathComponent("multi-defect.\(format)")
        if ProcessInfo.processInfo.environment["MENORT_RECORD"] == "1" {
            try result.stdout.write(to: golden, atomically: true, encoding: .utf8)
        }
        #expect(result.stdout == (try String(contentsOf: golden, encoding: .utf8)))
    }

    @Test("The multi-defect template's seven hand edits are each caught by the rule made for them")
    func sevenDefects() throws {
        let result = try Menort.run(["validate", "multi-defect.yaml", "--format", "json"], in: Self.folder)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let rules = Set(((object?["diagnostics"] as? [[String: Any]]) ?? []).compactMap { $0["rule"] as? String })
        #expect(rules.isSuperset(of: [
            "ws-permission-route", "ws-manage-connections", "stack-connections-ttl", "ws-deployment-route-order",
            "refs-undefined-ref", "refs-unused-parameter", "stack-invoke-url",
        ]))
    }

    @Test("--strict turns a warnings-only run into exit 1")
    func strict() throws {
        let unusedOnly = "Parameters:\n  Unused:\n    Type: String\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n"
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try unusedOnly.write(to: folder.appendingPathComponent("template.yaml"), atomically: true, encoding: .utf8)
        #expect(try Menort.run(["validate"], in: folder).status == 0)
        #expect(try Menort.run(["validate", "--strict"], in: folder).status == 1)
    }

    @Test("A resource's Metadata silences a rule there and only there")
    func metadataSuppression() throws {
        let template = """
            Resources:
              A:
                Type: AWS::SNS::Topic
                Metadata: {menort: {ignore: [refs-undefined-depends-on]}}
                DependsOn: Missing
              B:
                Type: AWS::SNS::Topic
                DependsOn: Missing
            """
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try template.write(to: folder.appendingPathComponent("template.yaml"), atomically: true, encoding: .utf8)
        let result = try Menort.run(["validate", "--rules", "refs"], in: folder)
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("template.yaml:8:16: error: "))
        #expect(result.stdout.hasSuffix("1 error, 0 warnings, 0 notes in 1 template\n"))
    }
}
