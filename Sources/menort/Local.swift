import ArgumentParser
import CommandSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `menort local`: parsed here (for `--help`, completions and the man page), served by the
/// `menort-local` program beside this one, which it replaces (see `LocalArguments` for why
/// the server is a program of its own).
struct Local: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "local",
        abstract: LocalArguments.abstract,
        discussion: LocalArguments.discussion
    )

    @OptionGroup var arguments: LocalArguments

    func run() throws {
        let program = try Local.serverProgram()
        // Everything after `local`, as the user wrote it: menort-local parses the same arguments.
        let given = Array(CommandLine.arguments.drop { $0 != "local" }.dropFirst())
        let argv = ([program] + given).map { strdup($0) } + [nil]
        execv(program, argv)
        let reason = String(cString: strerror(errno))
        throw Failure.cannotRun("cannot run \(program): \(reason)")
    }

    /// `menort-local` in the folder of the running `menort` (where `swift build` and
    /// `make install` put both), else on `PATH`.
    static func serverProgram() throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if length > 0 {
            let own = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let sibling = System.folder(of: own) + "/menort-local"
            if access(sibling, X_OK) == 0 { return sibling }
        }
        for folder in (System.environment("PATH") ?? "").split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/menort-local"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        throw Failure.cannotRun("menort local needs the menort-local program beside menort or on PATH (`make install` installs both; `swift build` builds both)")
    }
}
