/// What a plain (unquoted) scalar means to a YAML 1.1 reader (PyYAML, cfn-lint, the AWS CLI) or a YAML 1.2 reader.
///
/// The emitter asks this for every string it writes: a string is written plain only when
/// both kinds of reader would read it back as that same string.
public enum ImplicitType: Sendable, Equatable {
    /// Read as the string itself: safe to write plain.
    case string
    /// `null`, `~` or nothing.
    case null
    /// `true`/`false`, and YAML 1.1's `yes`/`no`/`on`/`off`/`y`/`n`.
    case bool
    /// Decimal, octal, hex, binary or base-60 integer.
    case int
    /// Decimal, exponent, base-60, infinity or not-a-number.
    case float
    /// A YAML 1.1 date or date-time.
    case timestamp
    /// `<<`, the YAML 1.1 merge key.
    case merge
    /// `=`, the YAML 1.1 value key (PyYAML cannot even construct it).
    case value

    /// The type a reader gives `text` written plain. Must be conservative: anything that either a YAML 1.1 or a YAML 1.2 core-schema reader would not read as a string is reported as non-string.
    ///
    /// Conservative means the union of both schemas, loosened where a rule is fiddly: `0999`
    /// (a string to YAML 1.1, an int to 1.2), `0:30` and `2010-9-9` are all reported as
    /// non-strings. Quoting a string that did not need it costs two characters; not quoting
    /// one that did changes the template's meaning.
    public static func of(_ text: String) -> ImplicitType {
        var text = text
        // withUTF8 is free for native Swift strings (it copies only bridged ones).
        return text.withUTF8 { classify($0) }
    }

    private static func classify(_ b: UnsafeBufferPointer<UInt8>) -> ImplicitType {
        guard let first = b.first else { return .null }
        // Almost every scalar in a template is a name or a path: decide those on the
        // first byte, without scanning.
        switch first {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
            if let number = number(b) { return number }
            return isTimestamp(b) ? .timestamp : .string
        case UInt8(ascii: "~"):
            return b.count == 1 ? .null : .string
        case UInt8(ascii: "<"):
            return b.count == 2 && b[1] == UInt8(ascii: "<") ? .merge : .string
        case UInt8(ascii: "="):
            return b.count == 1 ? .value : .string
        case UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "y"), UInt8(ascii: "Y"),
             UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"),
             UInt8(ascii: "o"), UInt8(ascii: "O"):
            return word(b)
        default:
            return .string
        }
    }

    // MARK: - Words

    /// Null and bool words in any case: YAML 1.1 lists only three spellings of each, but a
    /// reader that is lax about case (or a human) must not get a bool where we meant a string.
    private static func word(_ b: UnsafeBufferPointer<UInt8>) -> ImplicitType {
        guard b.count <= 5 else { return .string }
        // ASCII lower-case into a small integer, so the comparison is one switch.
        var key: UInt64 = 0
        for byte in b {
            guard byte < 0x80 else { return .string }
            let lower = (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) ? byte | 0x20 : byte
            key = key << 8 | UInt64(lower)
        }
        switch key {
        case packed("null"):
            return .null
        case packed("y"), packed("n"), packed("yes"), packed("no"), packed("true"), packed("false"),
             packed("on"), packed("off"):
            return .bool
        default:
            return .string
        }
    }

    private static func packed(_ word: StaticString) -> UInt64 {
        var key: UInt64 = 0
        word.withUTF8Buffer { for byte in $0 { key = key << 8 | UInt64(byte) } }
        return key
    }

    // MARK: - Numbers

    /// Int or float per YAML 1.1 (PyYAML's resolver) or the YAML 1.2 core schema, or `nil`.
    private static func number(_ b: UnsafeBufferPointer<UInt8>) -> ImplicitType? {
        var i = 0
        let n = b.count
        if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < n else { return nil }

        if b[i] == UInt8(ascii: "."), n - i == 4 {
            // `.inf`, `.nan`; any case and any sign, to be safe.
            let a = b[i + 1] | 0x20, c = b[i + 2] | 0x20, d = b[i + 3] | 0x20
            if (a, c, d) == (UInt8(ascii: "i"), UInt8(ascii: "n"), UInt8(ascii: "f"))
                || (a, c, d) == (UInt8(ascii: "n"), UInt8(ascii: "a"), UInt8(ascii: "n")) {
                return .float
            }
        }

        // 0x1F, 0o17, 0b101 (YAML 1.1 allows `_` in the digits; 1.2 has `0o`).
        if b[i] == UInt8(ascii: "0"), i + 1 < n {
            let radixDigit: ((UInt8) -> Bool)?
            switch b[i + 1] | 0x20 {
            case UInt8(ascii: "x"): radixDigit = isHexDigit
            case UInt8(ascii: "o"): radixDigit = { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") }
            case UInt8(ascii: "b"): radixDigit = { $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "1") }
            default: radixDigit = nil
            }
            if let radixDigit {
                var j = i + 2
                guard j < n else { return nil }
                while j < n, radixDigit(b[j]) || b[j] == UInt8(ascii: "_") { j += 1 }
                return j == n ? .int : nil
            }
        }

        if isDigit(b[i]) {
            // Decimal (and YAML 1.1 octal `0755`, and `0999`, which 1.2 reads as an int).
            i = skipDigits(b, from: i, underscores: true)
            guard i < n else { return .int }
            switch b[i] {
            case UInt8(ascii: ":"):
                return sexagesimal(b, from: i)
            case UInt8(ascii: "."):
                i = skipDigits(b, from: i + 1, underscores: true)
                return exponentEnds(b, from: i) ? .float : nil
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                // `1e3`: a float in YAML 1.2 (1.1 wants a dot and a signed exponent).
                return exponentEnds(b, from: i) ? .float : nil
            default:
                return nil
            }
        }

        if b[i] == UInt8(ascii: "."), i + 1 < n, isDigit(b[i + 1]) || b[i + 1] == UInt8(ascii: "_") {
            // `.5`; PyYAML even resolves `._` as a float (and then fails to construct it).
            i = skipDigits(b, from: i + 1, underscores: true)
            return exponentEnds(b, from: i) ? .float : nil
        }
        return nil
    }

    /// `1:30`, `190:20:30` (ints) and `1:30.5` (float): YAML 1.1 base 60, each group after
    /// the first being `[0-5]?[0-9]`. `i` is at the first colon.
    private static func sexagesimal(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> ImplicitType? {
        var i = start
        let n = b.count
        while i < n, b[i] == UInt8(ascii: ":") {
            let groupStart = i + 1
            i = skipDigits(b, from: groupStart, underscores: false)
            switch i - groupStart {
            case 1: break
            case 2 where b[groupStart] <= UInt8(ascii: "5"): break
            default: return nil
            }
        }
        if i == n { return .int }
        guard b[i] == UInt8(ascii: ".") else { return nil }
        return skipDigits(b, from: i + 1, underscores: true) == n ? .float : nil
    }

    /// Whether the text from `i` is empty or an exponent (`e`, optional sign, digits) that
    /// ends the text.
    private static func exponentEnds(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        var i = start
        let n = b.count
        if i == n { return true }
        guard b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") else { return false }
        i += 1
        if i < n, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
        let digits = i
        i = skipDigits(b, from: i, underscores: false)
        return i > digits && i == n
    }

    // MARK: - Timestamps

    /// YAML 1.1 timestamps: `2010-09-09`, `2001-12-14t21:59:43.10-05:00`,
    /// `2001-12-14 21:59:43.10 -5`. Month and day may have one digit in either form
    /// (YAML 1.1 allows that only in the long form; being loose only adds quotes).
    private static func isTimestamp(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        var i = 0
        guard digits(b, &i, min: 4, max: 4), expect(b, &i, "-"),
              digits(b, &i, min: 1, max: 2), expect(b, &i, "-"),
              digits(b, &i, min: 1, max: 2) else { return false }
        if i == n { return true }

        if b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") {
            i += 1
        } else {
            let blanks = i
            skipBlanks(b, &i)
            guard i > blanks else { return false }
        }
        guard digits(b, &i, min: 1, max: 2), expect(b, &i, ":"),
              digits(b, &i, min: 2, max: 2), expect(b, &i, ":"),
              digits(b, &i, min: 2, max: 2) else { return false }
        if i < n, b[i] == UInt8(ascii: ".") {
            i = skipDigits(b, from: i + 1, underscores: false)
        }
        if i == n { return true }

        skipBlanks(b, &i)
        guard i < n else { return false }
        if b[i] == UInt8(ascii: "Z") { return i + 1 == n }
        guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") else { return false }
        i += 1
        guard digits(b, &i, min: 1, max: 2) else { return false }
        if i == n { return true }
        return expect(b, &i, ":") && digits(b, &i, min: 2, max: 2) && i == n
    }

    // MARK: - Byte helpers

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "f"))
    }

    /// The index after a run of digits (and `_`, when allowed) starting at `i`.
    private static func skipDigits(_ b: UnsafeBufferPointer<UInt8>, from start: Int, underscores: Bool) -> Int {
        var i = start
        while i < b.count, isDigit(b[i]) || (underscores && b[i] == UInt8(ascii: "_")) { i += 1 }
        return i
    }

    /// Consumes between `min` and `max` digits; false when the run is shorter or longer.
    private static func digits(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, min: Int, max: Int) -> Bool {
        let end = skipDigits(b, from: i, underscores: false)
        let count = end - i
        i = end
        return count >= min && count <= max
    }

    private static func expect(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ char: Unicode.Scalar) -> Bool {
        guard i < b.count, b[i] == UInt8(ascii: char) else { return false }
        i += 1
        return true
    }

    private static func skipBlanks(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) {
        while i < b.count, b[i] == UInt8(ascii: " ") || b[i] == UInt8(ascii: "\t") { i += 1 }
    }
}

extension Node {
    /// Whether a YAML 1.1 or 1.2 core-schema reader takes this node for null: a plain `null`,
    /// `Null`, `NULL`, `~` or nothing (`Key:`), or a scalar tagged `!!null`.
    ///
    /// The one definition every reader of a template uses. It is narrower than
    /// `ImplicitType.null`, which also takes `nULL` because a writer must quote anything a lax
    /// reader might misread; readers of both schemas list exactly these spellings.
    public var isNull: Bool {
        guard case .scalar(let text, let style) = kind else { return false }
        if tag == "tag:yaml.org,2002:null" { return true }
        guard tag == nil, style == .plain, ImplicitType.of(text) == .null else { return false }
        return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }
}
