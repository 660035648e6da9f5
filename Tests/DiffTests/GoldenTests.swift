import Diff
import Testing

/// Whole reports of one pair (a renamed stage and a replaced table), byte for byte.
/// Re-record with `MENORT_RECORD=1 swift test` and review the diff.
@Suite("menort diff golden output")
struct GoldenTests {
    static let folder = "Tests/Fixtures/diff/"
    static let old = "stage-and-table.old.yaml"
    static let new = "stage-and-table.new.yaml"

    static func result() throws -> TemplateDiff {
        TemplateDiff.compare(old: try source(try Fixture.read(folder + old), file: old),
                             new: try source(try Fixture.read(folder + new), file: new),
                             settings: DiffSettings(region: "eu-west-1"))
    }

    @Test("Each format of the stage-and-table pair matches its golden file", arguments: DiffFormat.allCases)
    func golden(_ format: DiffFormat) throws {
        let output = try Self.result().render(format, old: Self.old, new: Self.new)
        let golden = Self.folder + "stage-and-table.\(format.rawValue)"
        if Fixture.recording { try Fixture.write(output, to: golden) }
        #expect(output == (try Fixture.read(golden)))
    }

    @Test("The stage-and-table pair says what its golden files show: the table replaced with data loss, the URL's new path")
    func content() throws {
        let result = try Self.result()
        #expect(result.actions == ["ConnectionsTable": .replace, "ConnectPermission": .replace, "WebSocketStage": .replace,
                                   "ConnectFunction": .update])
        #expect(result.resources.first?.logicalId == "ConnectionsTable")
        #expect(result.resources.first?.dataLoss?.destroyed == true)
        #expect(result.endpointChanges.map(\.newURL) == ["wss://<WebSocketApi's id>.execute-api.eu-west-1.amazonaws.com/v2"])
        #expect(result.parameters.map(\.name) == ["StageName"])
        #expect(result.outputs.map(\.name) == ["WebSocketInvokeUrl"])
    }
}
