import ArgumentParser
import Foundation
import RealtimeStack
import Validation

/// A command that ends with a message for a person and one of the documented exit codes.
enum Failure: Error {
    /// The input is wrong or out of date: exit 1.
    case invalid(String)
    /// menort could not run (a file missing or unreadable): exit 2.
    case cannotRun(String)
}

extension Failure: CustomStringConvertible {
    var description: String {
        switch self {
        case .invalid(let message), .cannotRun(let message): return message
        }
    }
}

extension ParsableCommand {
    /// ArgumentParser prints unknown errors with an "Error:" prefix and exit 1; a `Failure`
    /// is printed as it is, on stderr, with its own code.
    static func handle(_ failure: Failure) -> Never {
        FileHandle.standardError.write(Data("menort: \(failure)\n".utf8))
        switch failure {
        case .invalid: Foundation.exit(1)
        case .cannotRun: Foundation.exit(2)
        }
    }
}

/// Reading the inputs every command shares.
enum Load {
    /// The name a config is reported under.
    static func configName(_ path: String?) -> String {
        path ?? (FileManager.default.fileExists(atPath: defaultConfig) ? defaultConfig : "built-in stack")
    }

    static let defaultConfig = "menort.yaml"

    /// `--config`, else `./menort.yaml`, else the built-in stack.
    static func config(_ path: String?) throws -> StackConfig {
        let file: String
        if let path {
            file = path
        } else if FileManager.default.fileExists(atPath: defaultConfig) {
            file = defaultConfig
        } else {
            return .default
        }
        let bytes = try bytes(file, what: "config")
        do {
            return try StackConfig.parse(bytes: bytes, file: file, today: today())
        } catch {
            throw Failure.invalid(error.description)
        }
    }

    /// A whole file, or exit 2 naming it.
    static func bytes(_ path: String, what: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw Failure.cannotRun("cannot read \(what) \(path): no such file")
        }
        guard !isDirectory.boolValue else {
            throw Failure.cannotRun("cannot read \(what) \(path): it is a directory")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure.cannotRun("cannot read \(what) \(path): permission denied or unreadable")
        }
        return Array(data)
    }

    /// Env files in the order given, each entry with its file and line; a missing file or a
    /// line that is not `KEY=VALUE` stops the run (exit 2).
    static func envFiles(_ paths: [String]) throws -> [SuppliedParameter] {
        var entries: [SuppliedParameter] = []
        for path in paths {
            let bytes = try bytes(path, what: "env file")
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw Failure.cannotRun("cannot read env file \(path): it is not UTF-8 text")
            }
            do {
                entries += try EnvFile.parse(text, file: path)
            } catch {
                throw Failure.cannotRun("env file \(error)")
            }
        }
        return entries
    }

    /// Today in UTC, `yyyy-mm-dd`: runtimes are deprecated by calendar day.
    static func today() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}
