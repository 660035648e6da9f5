/// The forms `menort params` writes a deploy's parameter values in, one per tool that reads
/// them back.
public enum OverridesFormat: String, CaseIterable, Sendable {
    /// One line for `sam deploy --parameter-overrides "$(menort params)"`.
    case sam
    /// `[{"ParameterKey": …, "ParameterValue": …}]`, as `aws cloudformation create-stack`
    /// and `update-stack` take with `--parameters file://…` (and AWS CLI v2's `deploy` with
    /// `--parameter-overrides file://…`).
    case json
    /// A `[default.deploy.parameters]` table of `samconfig.toml` with `parameter_overrides`.
    case samconfig
    /// `KEY=VALUE` lines that `EnvFile.parse` (and so `--env-file`) reads back.
    case env
}

/// A value that a format cannot carry exactly, and why.
public struct OverridesRefusal: Sendable, Equatable, CustomStringConvertible {
    /// The parameter concerned.
    public let parameter: String
    /// What is wrong and what to do, in one sentence; never holds a `NoEcho` value.
    public let message: String

    /// Creates a refusal.
    public init(parameter: String, message: String) {
        self.parameter = parameter
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// Every value a rendering refused; nothing is written when there is one.
public struct OverridesError: Error, Sendable, Equatable {
    /// The refusals, in parameter order.
    public let refusals: [OverridesRefusal]
}

/// Writes effective parameter values in the form each deploy tool reads back **exactly**,
/// or refuses a value a form cannot carry. Pure functions of the values: the checks on the
/// values themselves are `ParameterValues.resolve`'s.
public enum Overrides {
    /// The text for stdout, every parameter in the order given (the template's), ending in
    /// a line break when there is any parameter.
    ///
    /// - Throws: every value `format` cannot carry, at once.
    public static func render(_ values: [ParameterValue], as format: OverridesFormat) throws(OverridesError) -> String {
        let result: (text: String, refusals: [OverridesRefusal])
        switch format {
        case .sam: result = samLine(values)
        case .samconfig: result = samconfig(values)
        case .json: result = (json(values), [])
        case .env: result = env(values)
        }
        guard result.refusals.isEmpty else { throw OverridesError(refusals: result.refusals) }
        return result.text
    }

    // MARK: - sam

    /// `Key=Value Key=Value …`: each value written as `samToken` writes it, the line then
    /// read back with `SAMParameterParser` and any value it would not return exactly refused.
    static func samLine(_ values: [ParameterValue]) -> (text: String, refusals: [OverridesRefusal]) {
        var refusals: [OverridesRefusal] = []
        var pairs: [(value: ParameterValue, pair: String)] = []
        for value in values {
            if let refusal = keyRefusal(value, format: .sam) {
                refusals.append(refusal)
                continue
            }
            // The line is one command-line argument, which cannot hold a NUL (samconfig can).
            if value.value.unicodeScalars.contains("\0") {
                refusals.append(refusal(value, .nul, format: .sam))
                continue
            }
            switch samToken(value.value) {
            case .success(let token): pairs.append((value, "\(value.name)=\(token)"))
            case .failure(let defect): refusals.append(refusal(value, defect, format: .sam))
            }
        }
        // Read the line back as SAM CLI would; a value it would not return exactly is
        // refused (the long form `ParameterKey=…,ParameterValue=` inside a value is the one
        // case quoting cannot avoid), and the line is read again without it.
        while !pairs.isEmpty {
            let line = pairs.map(\.pair).joined(separator: " ")
            let blamed = misread(pairs.map { ($0.value, $0.pair) }, in: line)
            guard !blamed.isEmpty else { return (refusals.isEmpty ? line + "\n" : "", sorted(refusals, like: values)) }
            for (offset, defect) in blamed { refusals.append(refusal(pairs[offset].value, defect, format: .sam)) }
            let dropped = Set(blamed.map(\.offset))
            pairs = pairs.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
        }
        return ("", sorted(refusals, like: values))
    }

    /// The pairs (by offset) that SAM CLI's parser would not read back from `line`, which
    /// is the pairs joined by single spaces.
    static func misread(_ pairs: [(value: ParameterValue, pair: String)], in line: String) -> [(offset: Int, defect: SAMDefect)] {
        // Where each pair starts and ends in the line, in scalars.
        var bounds: [Range<Int>] = []
        var start = 0
        for (_, pair) in pairs {
            let count = pair.unicodeScalars.count
            bounds.append(start..<(start + count))
            start += count + 1
        }
        let longForm = SAMParameterParser.longFormMatches(line)
        if !longForm.isEmpty {
            let offsets = Set(longForm.compactMap { position in bounds.firstIndex { $0.contains(position) } })
            return offsets.sorted().map { ($0, .longForm) }
        }
        let read = Dictionary(SAMParameterParser.parse(line), uniquingKeysWith: { _, last in last })
        return pairs.enumerated().compactMap { offset, entry in
            sameBytes(read[entry.value.name], entry.value.value) ? nil : (offset, .misread)
        }
    }

    /// Why SAM CLI's `--parameter-overrides` parser cannot read a value back.
    public enum SAMDefect: Error, Sendable, Equatable {
        /// An odd run of backslashes at the end: the last one escapes the closing quote.
        case trailingBackslash
        /// An odd run of backslashes before a line feed: the value pattern cannot pair them.
        case backslashBeforeLineFeed
        /// `\"` and `\'` (each after an odd run of backslashes) in one value: no quote can wrap it.
        case escapedQuotesOfBothKinds
        /// A NUL character, which a command-line argument cannot hold (the sam line only).
        case nul
        /// `ParameterKey=…,ParameterValue=…` inside the value: SAM CLI switches to its long form.
        case longForm
        /// Read back differently for another reason (a safety net; no known value).
        case misread
    }

    /// The value as SAM CLI's `CfnParameterOverridesType` reads it back exactly: bare when
    /// it is only letters, digits and `-_.:/@+`; otherwise wrapped in double quotes, or in
    /// single quotes when double quotes cannot carry it.
    ///
    /// SAM CLI (`samcli/cli/types.py`) matches a value with `_generate_match_regex`, whose
    /// quoted alternative is `"(?:\\.|[^"\\]+)*"`: a backslash always pairs with the next
    /// character (any but a line feed), and the first unpaired `"` ends the value. Then
    /// `_unquote_wrapped_quotes` strips the wrapping quotes and replaces `\ `, `\"` and
    /// `\'` (in that order) by the character alone; every other backslash stays. So inside
    /// double quotes, a run of `n` backslashes before
    /// - `"` is written as `n + 1` backslashes (odd, so the quote is paired; one is removed);
    ///   `n` must be even, or the quote cannot be written at all;
    /// - a space or `'` is written as `n + 1` when `n > 0` (one is removed), as is when `n = 0`;
    /// - a line feed, or the end of the value, is written as is, and `n` must be even (an odd
    ///   run would pair with the line feed, which `.` does not match, or with the closing quote);
    /// - any other character is written as is.
    ///
    /// Single quotes are the same with `'` and `"` exchanged. The values neither quote
    /// can carry are the first three `SAMDefect`s. (SAM CLI 1.170 happens to read `K='a\'`
    /// as `a\`: its unquoted alternative takes the token and `_unquote_wrapped_quotes`
    /// strips quotes that do not pair; menort does not rely on that accident.)
    public static func samToken(_ value: String) -> Result<String, SAMDefect> {
        let scalars = Array(value.unicodeScalars)
        if !scalars.isEmpty, scalars.allSatisfy(isSAMBare) { return .success(value) }
        if let token = samQuoted(scalars, quote: "\"") ?? samQuoted(scalars, quote: "'") { return .success(token) }
        // Why neither quote works, the more basic reason first.
        var run = 0
        var escapedDouble = false
        var escapedSingle = false
        for scalar in scalars {
            if scalar == "\\" { run += 1; continue }
            if run % 2 == 1 {
                if scalar == "\n" { return .failure(.backslashBeforeLineFeed) }
                if scalar == "\"" { escapedDouble = true }
                if scalar == "'" { escapedSingle = true }
            }
            run = 0
        }
        if run % 2 == 1 { return .failure(.trailingBackslash) }
        // What is left: `\"` stops double quotes and `\'` single ones.
        return .failure(escapedDouble && escapedSingle ? .escapedQuotesOfBothKinds : .misread)
    }

    private static func isSAMBare(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "-", "_", ".", ":", "/", "@", "+": return true
        default: return false
        }
    }

    /// `value` wrapped in `quote` as SAM CLI reads it back, or `nil` when it cannot be.
    private static func samQuoted(_ scalars: [Unicode.Scalar], quote: Unicode.Scalar) -> String? {
        let other: Unicode.Scalar = quote == "\"" ? "'" : "\""
        var token = String.UnicodeScalarView()
        token.append(quote)
        var run = 0
        func backslashes(_ count: Int) { for _ in 0..<count { token.append("\\") } }
        for scalar in scalars {
            if scalar == "\\" { run += 1; continue }
            switch scalar {
            case quote:
                guard run % 2 == 0 else { return nil }
                backslashes(run + 1)
            case " ", other:
                backslashes(run == 0 ? 0 : run + 1)
            case "\n":
                guard run % 2 == 0 else { return nil }
                backslashes(run)
            default:
                backslashes(run)
            }
            token.append(scalar)
            run = 0
        }
        guard run % 2 == 0 else { return nil }
        backslashes(run)
        token.append(quote)
        return String(token)
    }

    // MARK: - samconfig

    /// A TOML table `[default.deploy.parameters]` whose `parameter_overrides` is an array of
    /// `Key=Value` strings, one per line.
    ///
    /// SAM CLI reads the array item by item with the same parser as the command line
    /// (`CfnParameterOverridesType.convert` flattens it), so each item is a `samToken`
    /// pair; it is then written as a TOML string: basic when it needs no escape, literal
    /// (`'…'`, no escapes at all) when it has no `'` and no control character, else basic
    /// with TOML's escapes.
    static func samconfig(_ values: [ParameterValue]) -> (text: String, refusals: [OverridesRefusal]) {
        var refusals: [OverridesRefusal] = []
        var items: [String] = []
        for value in values {
            if let refusal = keyRefusal(value, format: .samconfig) {
                refusals.append(refusal)
                continue
            }
            switch samToken(value.value) {
            case .success(let token):
                let pair = "\(value.name)=\(token)"
                if let (_, defect) = misread([(value, pair)], in: pair).first {
                    refusals.append(refusal(value, defect, format: .samconfig))
                } else {
                    items.append(pair)
                }
            case .failure(let defect):
                refusals.append(refusal(value, defect, format: .samconfig))
            }
        }
        guard refusals.isEmpty else { return ("", refusals) }
        var text = "[default.deploy.parameters]\n"
        if items.isEmpty {
            text += "parameter_overrides = []\n"
        } else {
            text += "parameter_overrides = [\n" + items.map { "  \(tomlString($0)),\n" }.joined() + "]\n"
        }
        return (text, [])
    }

    /// `text` as a TOML string that reads back as exactly `text`.
    public static func tomlString(_ text: String) -> String {
        let scalars = text.unicodeScalars
        let isControl = { (scalar: Unicode.Scalar) in scalar.value < 0x20 || scalar.value == 0x7F }
        if !scalars.contains(where: { $0 == "\"" || $0 == "\\" || isControl($0) }) { return "\"\(text)\"" }
        if !scalars.contains(where: { $0 == "'" || ($0 != "\t" && isControl($0)) }) { return "'\(text)'" }
        var result = String.UnicodeScalarView()
        result.append("\"")
        for scalar in scalars {
            switch scalar {
            case "\"": result.append(contentsOf: "\\\"".unicodeScalars)
            case "\\": result.append(contentsOf: "\\\\".unicodeScalars)
            case "\n": result.append(contentsOf: "\\n".unicodeScalars)
            case "\t": result.append(contentsOf: "\\t".unicodeScalars)
            case "\r": result.append(contentsOf: "\\r".unicodeScalars)
            case _ where isControl(scalar):
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
            default:
                result.append(scalar)
            }
        }
        result.append("\"")
        return String(result)
    }

    // MARK: - json

    /// The parameter list `aws cloudformation create-stack --parameters file://…` takes.
    static func json(_ values: [ParameterValue]) -> String {
        JSONValue.array(values.map { value in
            .object([("ParameterKey", .string(value.name)), ("ParameterValue", .string(value.value))])
        }).serialized() + "\n"
    }

    // MARK: - env

    /// `KEY=VALUE` lines: the key is the parameter's UPPER_SNAKE_CASE form when that names
    /// it alone (else its name); the value is the first of `envValueCandidates` that
    /// `EnvFile.parse` reads back exactly.
    static func env(_ values: [ParameterValue]) -> (text: String, refusals: [OverridesRefusal]) {
        var refusals: [OverridesRefusal] = []
        var lines: [String] = []
        let names = values.map(\.name)
        for value in values {
            let key = envKey(for: value.name, among: names)
            // The reader's own rule on keys: it must read `KEY=x` back with this key.
            guard (try? EnvFile.parse("\(key)=x\n", file: "-"))?.map(\.key) == [key] else {
                refusals.append(OverridesRefusal(
                    parameter: value.name,
                    message: "parameter name '\(value.name)' is not a valid env-file key (letters, digits, _, . and -, not starting with a digit); use --format json"))
                continue
            }
            let line = envValueCandidates(value.value).lazy.map { "\(key)=\($0)" }.first { line in
                guard let entries = try? EnvFile.parse(line + "\n", file: "-"), entries.count == 1 else { return false }
                return sameBytes(entries[0].value, value.value)
            }
            guard let line else {
                refusals.append(OverridesRefusal(
                    parameter: value.name,
                    message: "\(subject(value)) cannot be written so that menort's env-file reader reads it back exactly (a combining mark or similar character would join the quote beside it); use --format json"))
                continue
            }
            lines.append(line)
        }
        return (refusals.isEmpty ? lines.map { $0 + "\n" }.joined() : "", refusals)
    }

    /// The key an env file names `name` by among `names`: the UPPER_SNAKE_CASE form when no
    /// other parameter is called that or has that form too, else the name itself.
    public static func envKey(for name: String, among names: [String]) -> String {
        let snake = ParameterValues.upperSnakeCase(name)
        if snake == name { return name }
        let clash = names.contains { other in other != name && (other == snake || ParameterValues.upperSnakeCase(other) == snake) }
        return clash ? name : snake
    }

    /// The ways to write `value` in an env file, most readable first: bare (letters, digits
    /// and `-_.:/@+,=`), 'single quoted' (taken literally: no `'` and no line break), then
    /// "double quoted" with `\\`, `\"`, `\$`, `\n` and `\t` escaped.
    public static func envValueCandidates(_ value: String) -> [String] {
        let scalars = value.unicodeScalars
        var candidates: [String] = []
        if !scalars.isEmpty, scalars.allSatisfy({ isSAMBare($0) || $0 == "," || $0 == "=" }) {
            candidates.append(value)
        }
        if !scalars.contains(where: { $0 == "'" || $0 == "\n" }) {
            candidates.append("'\(value)'")
        }
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        for scalar in scalars {
            switch scalar {
            case "\\": quoted.append(contentsOf: "\\\\".unicodeScalars)
            case "\"": quoted.append(contentsOf: "\\\"".unicodeScalars)
            case "$": quoted.append(contentsOf: "\\$".unicodeScalars)
            case "\n": quoted.append(contentsOf: "\\n".unicodeScalars)
            case "\t": quoted.append(contentsOf: "\\t".unicodeScalars)
            default: quoted.append(scalar)
            }
        }
        quoted.append("\"")
        candidates.append(String(quoted))
        return candidates
    }

    // MARK: - Messages

    /// A parameter name SAM CLI cannot read as a key (its key pattern is `[A-Za-z0-9"']+`;
    /// CloudFormation's names are alphanumeric).
    static func keyRefusal(_ value: ParameterValue, format: OverridesFormat) -> OverridesRefusal? {
        let alphanumeric = !value.name.isEmpty && value.name.unicodeScalars.allSatisfy {
            ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0)
        }
        guard !alphanumeric else { return nil }
        return OverridesRefusal(
            parameter: value.name,
            message: "parameter name '\(value.name)' is not alphanumeric, as CloudFormation requires, and SAM CLI's parser reads keys of letters and digits only; the \(format.rawValue) format cannot carry it")
    }

    static func refusal(_ value: ParameterValue, _ defect: SAMDefect, format: OverridesFormat) -> OverridesRefusal {
        let why: String
        switch defect {
        case .trailingBackslash:
            why = "ends in a backslash, which SAM CLI's parser takes as escaping the closing quote"
        case .backslashBeforeLineFeed:
            why = "has a backslash before a line break, which SAM CLI's parser cannot pair with it"
        case .escapedQuotesOfBothKinds:
            why = "has both \\\" and \\' in it, and SAM CLI's parser would end the value at one of them whichever quotes wrap it"
        case .nul:
            why = "contains a NUL character, which a command-line argument cannot hold"
        case .longForm:
            why = "contains 'ParameterKey=…,ParameterValue=', and SAM CLI's parser then reads the whole string in its long form (ParameterKey=K,ParameterValue=V), dropping the other values"
        case .misread:
            why = "would not be read back exactly by SAM CLI's parser"
        }
        return OverridesRefusal(parameter: value.name, message: "\(subject(value)) \(why); the \(format.rawValue) format cannot carry it: use --format json")
    }

    /// `value 'x' for Name (from --param)`, `default 'x' of Name`, with `(hidden: NoEcho)`
    /// in place of a NoEcho value and control characters shown escaped.
    static func subject(_ value: ParameterValue) -> String {
        let shown = value.noEcho ? "(hidden: NoEcho)" : "'\(visible(value.value))'"
        guard let origin = value.origin else { return "default \(shown) of \(value.name)" }
        return "value \(shown) for \(value.name) (from \(origin))"
    }

    /// `text` on one line: line breaks, tabs and other control characters as escapes.
    public static func visible(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029:
                result += "\\u{\(String(scalar.value, radix: 16))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Equal byte for byte (`==` on strings would take "é" and "e\u{301}" as equal).
    static func sameBytes(_ read: String?, _ value: String) -> Bool {
        guard let read else { return false }
        return read.utf8.elementsEqual(value.utf8)
    }

    private static func sorted(_ refusals: [OverridesRefusal], like values: [ParameterValue]) -> [OverridesRefusal] {
        let order = Dictionary(values.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        return refusals.enumerated().sorted { a, b in
            let left = order[a.element.parameter] ?? .max
            let right = order[b.element.parameter] ?? .max
            return left != right ? left < right : a.offset < b.offset
        }.map(\.element)
    }
}

/// SAM CLI's reading of one `--parameter-overrides` string, as
/// `CfnParameterOverridesType.convert` does it (aws-sam-cli 1.170, `samcli/cli/types.py`),
/// transcribed so that `menort params` can check its own output before printing it.
///
/// The string is stripped and prefixed with a space; if the long-form pattern
/// `ParameterKey=K,ParameterValue=V` matches anywhere, its matches are the result, else the
/// matches of ` K=V`. `K` is `[A-Za-z0-9"']+`; `V` is the first of `"…"`, `'…'` (a
/// backslash pairs with any next character but a line feed; the first unpaired quote
/// closes) or a bare run (pairs, or characters other than space, `"` and backslash). Each
/// key and value then loses wrapping quotes and has `\ `, `\"`, `\'` replaced, in that
/// order. Python's `re` works on code points, so this works on Unicode scalars.
public enum SAMParameterParser {
    /// The key–value pairs, in order (later duplicates win when made a dictionary).
    public static func parse(_ text: String) -> [(key: String, value: String)] {
        let scalars = normalized(text)
        let long = matches(scalars, long: true)
        return (long.isEmpty ? matches(scalars, long: false) : long).map { key, value in
            (unquote(key), unquote(value))
        }
    }

    /// Where long-form matches start, as scalar offsets into `text` (which must have no
    /// leading blanks: offsets are into the stripped text).
    public static func longFormMatches(_ text: String) -> [Int] {
        let scalars = normalized(text)
        var starts: [Int] = []
        var position = 0
        while position < scalars.count {
            if let (_, _, end) = longMatch(scalars, at: position) {
                starts.append(position - 1)  // minus the space `normalized` put in front
                position = end
            } else {
                position += 1
            }
        }
        return starts
    }

    /// `" " + text.strip()`.
    static func normalized(_ text: String) -> [Unicode.Scalar] {
        var scalars = Array(text.unicodeScalars)
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
        }
        while let last = scalars.last, isSpace(last) { scalars.removeLast() }
        let leading = scalars.prefix { isSpace($0) }.count
        return [" "] + scalars.dropFirst(leading)
    }

    static func matches(_ scalars: [Unicode.Scalar], long: Bool) -> [(String, String)] {
        var result: [(String, String)] = []
        var position = 0
        while position < scalars.count {
            let match = long ? longMatch(scalars, at: position) : shortMatch(scalars, at: position)
            if let (key, value, end) = match {
                result.append((key, value))
                position = end
            } else {
                position += 1
            }
        }
        return result
    }

    /// `(?: )K=V` at `position`.
    static func shortMatch(_ s: [Unicode.Scalar], at position: Int) -> (String, String, Int)? {
        guard s[position] == " " else { return nil }
        let keyEnd = keyRun(s, from: position + 1)
        guard keyEnd > position + 1, keyEnd < s.count, s[keyEnd] == "=",
              let valueEnd = valueMatch(s, at: keyEnd + 1) else { return nil }
        return (string(s[(position + 1)..<keyEnd]), string(s[(keyEnd + 1)..<valueEnd]), valueEnd)
    }

    /// `ParameterKey=K,ParameterValue=V` at `position`.
    static func longMatch(_ s: [Unicode.Scalar], at position: Int) -> (String, String, Int)? {
        guard has(s, "ParameterKey=", at: position) else { return nil }
        let keyStart = position + 13
        let keyEnd = keyRun(s, from: keyStart)
        guard keyEnd > keyStart, has(s, ",ParameterValue=", at: keyEnd),
              let valueEnd = valueMatch(s, at: keyEnd + 16) else { return nil }
        return (string(s[keyStart..<keyEnd]), string(s[(keyEnd + 16)..<valueEnd]), valueEnd)
    }

    static func has(_ s: [Unicode.Scalar], _ literal: String, at position: Int) -> Bool {
        let wanted = Array(literal.unicodeScalars)
        return position + wanted.count <= s.count && Array(s[position..<(position + wanted.count)]) == wanted
    }

    static func keyRun(_ s: [Unicode.Scalar], from start: Int) -> Int {
        var end = start
        while end < s.count, isKeyScalar(s[end]) { end += 1 }
        return end
    }

    static func isKeyScalar(_ scalar: Unicode.Scalar) -> Bool {
        ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "\"" || scalar == "'"
    }

    /// The end of the value pattern's match at `start`, or `nil`.
    static func valueMatch(_ s: [Unicode.Scalar], at start: Int) -> Int? {
        guard start < s.count else { return nil }
        for quote: Unicode.Scalar in ["\"", "'"] where s[start] == quote {
            var index = start + 1
            while index < s.count {
                if s[index] == "\\" {
                    guard index + 1 < s.count, s[index + 1] != "\n" else { break }
                    index += 2
                } else if s[index] == quote {
                    return index + 1
                } else {
                    index += 1
                }
            }
        }
        var index = start
        while index < s.count {
            if s[index] == "\\" {
                guard index + 1 < s.count, s[index + 1] != "\n" else { break }
                index += 2
            } else if s[index] == " " || s[index] == "\"" {
                break
            } else {
                index += 1
            }
        }
        return index > start ? index : nil
    }

    /// `_unquote_wrapped_quotes`.
    static func unquote(_ text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        if let first = scalars.first, first == scalars.last, first == "\"" || first == "'" {
            scalars = scalars.count == 1 ? [] : Array(scalars[1..<(scalars.count - 1)])
        }
        for quoted: Unicode.Scalar in [" ", "\"", "'"] {
            var result: [Unicode.Scalar] = []
            var index = 0
            while index < scalars.count {
                if scalars[index] == "\\", index + 1 < scalars.count, scalars[index + 1] == quoted {
                    result.append(quoted)
                    index += 2
                } else {
                    result.append(scalars[index])
                    index += 1
                }
            }
            scalars = result
        }
        return string(scalars[...])
    }

    static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}
