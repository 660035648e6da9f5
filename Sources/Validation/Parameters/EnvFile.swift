/// A dotenv file that cannot be read as `KEY=VALUE` lines.
public struct EnvFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as named.
    public var file: String
    /// The 1-based line.
    public var line: Int
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message`.
    public var description: String { "\(file):\(line): \(message)" }
}

/// The dotenv format teams keep deploy values in (`.env`, `.env.example`).
///
/// `KEY=VALUE` per line; an optional `export ` prefix; values bare, 'single quoted' (taken
/// literally) or "double quoted" (`\"`, `\\`, `\n`, `\t` escapes); `#` starts a comment on
/// its own line, or after a value when preceded by a space; blank lines are skipped. A
/// later line for the same key wins.
public enum EnvFile {
    /// The entries of `text`, in file order, each with its line.
    public static func parse(_ text: String, file: String) throws(EnvFileError) -> [SuppliedParameter] {
        var entries: [SuppliedParameter] = []
        var lineNumber = 0
        // "\r\n" is one Character in Swift, so splitting on "\n" alone would keep a CRLF
        // file on one line: split on both.
        var body = Substring(text)
        if body.first == "\u{FEFF}" { body.removeFirst() }  // a byte order mark, as Windows editors write
        for rawLine in body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            var line = Substring(rawLine)
            if line.last == "\r" { line.removeLast() }
            line = line.drop { $0 == " " || $0 == "\t" }
            if line.isEmpty || line.first == "#" { continue }
            if line.hasPrefix("export ") || line.hasPrefix("export\t") {
                line = line.dropFirst(7).drop { $0 == " " || $0 == "\t" }
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw EnvFileError(file: file, line: lineNumber, message: "expected KEY=VALUE, found '\(line)'")
            }
            var key = line[..<equals]
            while key.last == " " || key.last == "\t" { key.removeLast() }
            guard isKey(key) else {
                throw EnvFileError(file: file, line: lineNumber, message: "'\(key)' is not a valid key (letters, digits and _, not starting with a digit)")
            }
            let value = try self.value(line[line.index(after: equals)...], file: file, line: lineNumber)
            entries.append(SuppliedParameter(key: String(key), value: value, origin: .file(file, line: lineNumber)))
        }
        return entries
    }

    private static func isKey(_ key: Substring) -> Bool {
        guard let first = key.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return key.unicodeScalars.allSatisfy { $0 == "_" || $0 == "." || $0 == "-" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    private static func value(_ raw: Substring, file: String, line: Int) throws(EnvFileError) -> String {
        let text = raw.drop { $0 == " " || $0 == "\t" }
        guard let quote = text.first, quote == "\"" || quote == "'" else {
            // Bare value: a comment starts at " #"; surrounding blanks are not part of it.
            // `KEY= # note` is an empty value with a comment (the blank before `#` was in `raw`).
            if text.first == "#", raw.first == " " || raw.first == "\t" { return "" }
            var value = text
            if let hash = value.indices.first(where: { value[$0] == "#" && $0 > value.startIndex && (value[value.index(before: $0)] == " " || value[value.index(before: $0)] == "\t") }) {
                value = value[..<hash]
            }
            while value.last == " " || value.last == "\t" { value.removeLast() }
            return String(value)
        }
        var result = ""
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let character = text[index]
            if character == quote {
                let rest = text[text.index(after: index)...].drop { $0 == " " || $0 == "\t" }
                guard rest.isEmpty || rest.first == "#" else {
                    throw EnvFileError(file: file, line: line, message: "unexpected text after the closing quote: '\(rest)'")
                }
                return result
            }
            if quote == "\"", character == "\\", text.index(after: index) < text.endIndex {
                index = text.index(after: index)
                switch text[index] {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "\"": result.append("\"")
                case "\\": result.append("\\")
                case "$": result.append("$")
                default: result.append("\\"); result.append(text[index])
                }
            } else {
                result.append(character)
            }
            index = text.index(after: index)
        }
        throw EnvFileError(file: file, line: line, message: "the value's \(quote) quote is never closed")
    }
}
