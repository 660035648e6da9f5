import ArgumentParser
import RealtimeStack
import Validation
import YAML

/// A command that ends with a message for a person and one of the documented exit codes.
package enum Failure: Error {
    /// The input is wrong or out of date: exit 1.
    case invalid(String)
    /// menort could not run (a file missing or unreadable): exit 2.
    case cannotRun(String)
}

extension Failure: CustomStringConvertible {
    package var description: String {
        switch self {
        case .invalid(let message), .cannotRun(let message): return message
        }
    }
}

extension ParsableCommand {
    /// ArgumentParser prints unknown errors with an "Error:" prefix and exit 1; a `Failure`
    /// is printed as it is, on stderr, with its own code.
    package static func handle(_ failure: Failure) -> Never {
        System.writeStandardError("menort: \(failure)\n")
        switch failure {
        case .invalid: System.exit(1)
        case .cannotRun: System.exit(2)
        }
    }
}

extension ParsableCommand {
    /// Parses and runs the command, mapping usage errors to exit 2 as the README documents
    /// (ArgumentParser's own default is 64) and a `Failure` to its own code.
    package static func mainWithExitCodes() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as Failure {
            handle(failure)
        } catch {
            if exitCode(for: error) == .validationFailure {
                System.writeStandardError(fullMessage(for: error) + "\n")
                System.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// Reading the inputs every command shares.
package enum Load {
    /// The name a config is reported under.
    package static func configName(_ path: String?) -> String {
        path ?? (System.exists(defaultConfig) ? defaultConfig : "built-in stack")
    }

    package static let defaultConfig = "menort.yaml"

    /// `--config`, else `./menort.yaml`, else the built-in stack.
    package static func config(_ path: String?) throws -> StackConfig {
        if let path { return try configFile(path).config }
        if System.exists(defaultConfig) { return try configFile(defaultConfig).config }
        return .default
    }

    /// The config file at `path` and its bytes; exit 2 when it cannot be read, 1 when it is wrong.
    package static func configFile(_ path: String) throws -> (config: StackConfig, bytes: [UInt8]) {
        let bytes = try bytes(path, what: "config")
        do {
            return (try StackConfig.parse(bytes: bytes, file: path, today: today()), bytes)
        } catch {
            throw Failure.invalid(error.description)
        }
    }

    /// A whole file, or exit 2 naming it.
    package static func bytes(_ path: String, what: String) throws -> [UInt8] {
        switch System.entry(path) {
        case .missing:
            throw Failure.cannotRun("cannot read \(what) \(path): no such file")
        case .directory:
            throw Failure.cannotRun("cannot read \(what) \(path): it is a directory")
        case .file:
            do {
                return try System.read(path)
            } catch {
                throw Failure.cannotRun("cannot read \(what) \(path): \(error)")
            }
        }
    }

    /// `--param KEY=VALUE` options, in the order given; a value may itself hold `=`.
    package static func flagParameters(_ pairs: [String]) throws -> [SuppliedParameter] {
        try pairs.map { pair in
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ValidationError("--param takes KEY=VALUE, got '\(pair)'")
            }
            return SuppliedParameter(key: String(pair[..<equals]), value: String(pair[pair.index(after: equals)...]), origin: .flag)
        }
    }

    /// Env files in the order given, each entry with its file and line; a missing file or a
    /// line that is not `KEY=VALUE` stops the run (exit 2).
    package static func envFiles(_ paths: [String]) throws -> [SuppliedParameter] {
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

    /// A template to act on, as `params` and `local` find it: the path given, else
    /// `./template.yaml`, else what `render` would write now (`./menort.yaml` or the
    /// built-in stack). `directory` is where its relative paths start.
    package static func template(_ path: String?) throws -> (name: String, bytes: [UInt8], directory: String) {
        if let path { return (path, try bytes(path, what: "template"), System.folder(of: path)) }
        if System.exists("template.yaml") {
            return ("template.yaml", try bytes("template.yaml", what: "template"), ".")
        }
        let name = System.exists(defaultConfig) ? "stack of \(defaultConfig)" : "built-in stack"
        let stack = try config(nil)
        do {
            return (name, Array(try stack.render().utf8), ".")
        } catch {
            throw Failure.cannotRun("cannot render the \(name): \(error)")
        }
    }

    /// The root mapping of a template, or exit 2 when it is not YAML or not a mapping.
    package static func templateRoot(_ name: String, _ bytes: [UInt8]) throws -> Node {
        do {
            guard let document = try Parser.parse(bytes: bytes), document.pairs != nil else {
                throw Failure.cannotRun("cannot read template \(name): it is not a mapping of sections such as Parameters and Resources")
            }
            return document
        } catch let error as YAMLError {
            throw Failure.cannotRun("cannot read template \(name): \(error)")
        }
    }

    /// Today in UTC, `yyyy-mm-dd`: runtimes are deprecated by calendar day.
    package static func today() -> String { System.today() }
}
