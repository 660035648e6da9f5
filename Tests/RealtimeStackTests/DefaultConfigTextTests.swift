import Foundation
import Testing
@testable import RealtimeStack

@Suite("The commented default config")
struct DefaultConfigTextTests {
    @Test("templates/realtime/menort.yaml is StackConfig.commentedDefaults byte for byte")
    func checkedInFileIsTheConstant() throws {
        let file = try Data(contentsOf: URL(fileURLWithPath: Fixture.root + "/templates/realtime/menort.yaml"))
        #expect(Array(file) == Array(StackConfig.commentedDefaults.utf8),
                "edit Sources/RealtimeStack/DefaultConfigText.swift and templates/realtime/menort.yaml together")
    }

    @Test("The commented defaults parse to StackConfig.default")
    func parsesToTheDefault() throws {
        #expect(try StackConfig.parse(StackConfig.commentedDefaults, file: "menort.yaml", today: testDay) == .default)
    }

    @Test("The commented defaults explain every top-level and route key the reader accepts")
    func documentsEveryKey() {
        let comments = StackConfig.commentedDefaults.split(separator: "\n").filter { $0.hasPrefix("#") }
        for key in StackConfig.topLevelKeys + StackConfig.routeKeys {
            #expect(comments.contains { $0.hasPrefix("# \(key):") || $0.hasPrefix("#   \(key):") }, "\(key) is not explained")
        }
    }
}
