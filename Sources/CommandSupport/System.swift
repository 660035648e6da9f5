#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The little of the operating system the commands need, straight from libc.
///
/// menort does not link Foundation: on Linux it brings ICU and some 30 MiB of libraries
/// whose loading alone took longer than validating the realtime stack.
package enum System {
    /// Why a file could not be read, in the OS's words.
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// What is at a path.
    package enum Entry {
        case missing
        case file
        case directory
    }

    /// What is at `path` (symbolic links followed).
    package static func entry(_ path: String) -> Entry {
        var status = stat()
        guard stat(path, &status) == 0 else { return .missing }
        return (status.st_mode & S_IFMT) == S_IFDIR ? .directory : .file
    }

    /// Whether anything exists at `path`.
    package static func exists(_ path: String) -> Bool {
        if case .missing = entry(path) { return false }
        return true
    }

    /// The whole content of the file at `path`.
    package static func read(_ path: String) throws(Failure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw Failure(description: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        return try readAll(descriptor)
    }

    /// Everything on standard input.
    package static func readStandardInput() throws(Failure) -> [UInt8] {
        try readAll(STDIN_FILENO)
    }

    private static func readAll(_ descriptor: Int32) throws(Failure) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { posixRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(description: String(cString: strerror(errno)))
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// Writes all of `text` to standard output.
    package static func writeStandardOutput(_ text: String) { write(text, to: STDOUT_FILENO) }

    /// Writes all of `text` to standard error.
    package static func writeStandardError(_ text: String) { write(text, to: STDERR_FILENO) }

    private static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let count = posixWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    return  // a closed pipe: nobody is reading
                }
                offset += count
            }
        }
    }

    /// The current working directory.
    package static var currentDirectory: String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// An environment variable.
    package static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// Every environment variable (for `menort local`, which hands `PATH` and `AWS_*` on).
    package static func environmentVariables() -> [String: String] {
        var variables: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            cursor += 1
        }
        return variables
    }

    /// Creates the folder at `path` and every missing folder above it (`mkdir -p`); an
    /// existing folder is fine, anything else in the way is an error in the OS's words.
    package static func makeDirectories(_ path: String) throws(Failure) {
        switch entry(path) {
        case .directory: return
        case .file: throw Failure(description: "\(path) is a file, not a folder")
        case .missing: break
        }
        let parent = folder(of: path)
        if parent != path, parent != ".", parent != "/" { try makeDirectories(parent) }
        if mkdir(path, 0o777) != 0 {
            let code = errno
            if code == EEXIST, case .directory = entry(path) { return }  // made meanwhile
            throw Failure(description: String(cString: strerror(code)))
        }
    }

    /// The absolute path of what `path` names, symbolic links resolved; `nil` when it does
    /// not exist.
    package static func canonicalPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `path` made absolute against the current directory.
    package static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        if path == "." { return currentDirectory }
        return currentDirectory + "/" + (path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
    }

    /// Whether standard output is a terminal (for colour).
    package static var standardOutputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Whether standard input is a terminal: when it is not, something is piped in (as `jq`
    /// reads a pipe when given no file).
    package static var standardInputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    /// Today in UTC as `yyyy-mm-dd`: Lambda runtimes are deprecated by calendar day.
    package static func today() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))"
    }

    /// The folder part of a path: `a/b/c.yaml` → `a/b`, `c.yaml` → `.`.
    package static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The last component of a path.
    package static func fileName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// Ends the process.
    package static func exit(_ code: Int32) -> Never {
        #if canImport(Glibc)
        Glibc.exit(code)
        #else
        Darwin.exit(code)
        #endif
    }
}

#if canImport(Glibc)
package let posixWrite = Glibc.write
package let posixRead = Glibc.read
#else
package let posixWrite = Darwin.write
package let posixRead = Darwin.read
#endif
