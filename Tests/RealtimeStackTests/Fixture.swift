import Foundation

/// Paths of the files the tests compare against.
enum Fixture {
    /// The package root, found from this file's path so tests run from any directory.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Whether golden files are rewritten instead of compared (`MENORT_RECORD=1 swift test`).
    static var recording: Bool { ProcessInfo.processInfo.environment["MENORT_RECORD"] == "1" }

    static func read(_ relativePath: String) throws -> String {
        try String(contentsOfFile: root + "/" + relativePath, encoding: .utf8)
    }

    static func write(_ text: String, to relativePath: String) throws {
        try text.write(toFile: root + "/" + relativePath, atomically: true, encoding: .utf8)
    }
}
