import Foundation
import Testing

@Suite("render --output is atomic")
struct AtomicOutputTests {
    /// A config of 300 routes: the largest API Gateway allows, a template of several hundred
    /// kilobytes, so a kill lands in the middle of rendering or writing.
    static let bigConfig = "routes:\n" + (0..<300).map { "  action.\($0): { broadcast: true, tables: { connections: write } }\n" }.joined()

    @Test("Killed at any moment, render --output leaves the old template or the whole new one")
    func killedMidWrite() throws {
        let folder = try Menort.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("menort.yaml")
        try Self.bigConfig.write(to: config, atomically: true, encoding: .utf8)
        let target = folder.appendingPathComponent("template.yaml")
        let old = "old template\n"
        let started = Date()
        let full = try Menort.run(["render", "--config", config.path], in: folder)
        // How long a whole run takes here, to spread the kills over it (not a speed check).
        let duration = Date().timeIntervalSince(started)
        #expect(full.status == 0)
        #expect(full.stdout.count > 200_000)

        var sawOld = false
        var sawNew = false
        for attempt in 0..<24 {
            try old.write(to: target, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = Menort.binary
            process.arguments = ["render", "--config", config.path, "--output", target.path]
            process.currentDirectoryURL = folder
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Spread the kills from the start to past the end of a run.
            usleep(useconds_t(duration * 1_200_000 * Double(attempt) / 24))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let content = try String(contentsOf: target, encoding: .utf8)
            #expect(content == old || content == full.stdout, "attempt \(attempt): a partial template of \(content.utf8.count) bytes")
            sawOld = sawOld || content == old
            sawNew = sawNew || content == full.stdout
        }
        // Early kills land before the rename: the old file survived them whole.
        #expect(sawOld)
        print("render --output killed 24 times: old template kept \(sawOld), new template complete \(sawNew)")
    }
}
