import CloudFormation
/// An `AllowedPattern` as CloudFormation applies it: a Java regular expression that must
/// match the whole value.
///
/// menort compiles it with Swift's `Regex`, whose syntax covers almost all of Java's
/// (possessive quantifiers, `\p{Alpha}`, `\Q…\E`, class intersections). Where the two differ
/// (Swift does not support lookbehind, `\p{javaLowerCase}` or `\p{InGreek}`), a pattern Swift
/// cannot compile is called invalid only when a Java-syntax scan also finds a defect that
/// Java rejects too (an unbalanced bracket, a quantifier with nothing to repeat, a trailing
/// backslash, a `{3,1}`); otherwise its values are simply not checked against it.
public struct AllowedPattern {
    /// What compiling the pattern gave.
    public enum Compiled {
        /// One ASCII character class repeated (`^[A-Za-z0-9_.-]+$`, `[0-9]{12}`): matched
        /// without a regular-expression engine, the commonest pattern in templates.
        case repeatedClass(ResourceSchema.RepeatedClass)
        /// A pattern Swift compiled.
        case regex(Regex<AnyRegexOutput>)
        /// A pattern Java rejects too: the reason.
        case invalid(String)
        /// A pattern Swift cannot compile but Java may accept: values are not checked.
        case unsupported
    }

    /// The pattern as written.
    public let pattern: String
    /// The compiled form.
    public let compiled: Compiled

    /// Compiles `pattern`; compile only when a value or the definition is checked.
    public init(_ pattern: String) {
        self.pattern = pattern
        // Compiling a Regex costs more than a whole validation of a small template; the
        // simplest patterns need none, and read the same in Java and Swift.
        if let simple = ResourceSchema.RepeatedClass(parsing: pattern) {
            compiled = .repeatedClass(simple)
            return
        }
        do {
            // Java matches UTF-16 code units, not grapheme clusters; scalars are closer.
            compiled = .regex(try Regex(pattern).matchingSemantics(.unicodeScalar))
        } catch {
            compiled = AllowedPattern.javaDefect(pattern).map(Compiled.invalid) ?? .unsupported
        }
    }

    /// Whether `value` matches as a whole; `nil` when the pattern cannot be applied.
    public func matches(_ value: String) -> Bool? {
        // A parsed class holds printable ASCII only, so a value with any other character
        // (where the data classes of the schemas answer "unknown") simply does not match.
        if case .repeatedClass(let simple) = compiled { return simple.matches(value) ?? false }
        guard case .regex(let regex) = compiled else { return nil }
        do {
            return try regex.wholeMatch(in: value) != nil
        } catch {
            return nil
        }
    }

    /// Why Java's `Pattern.compile` would reject `pattern`, for the defects that are certain
    /// in both dialects; `nil` when none of them is present.
    public static func javaDefect(_ pattern: String) -> String? {
        let chars = Array(pattern)
        var index = 0
        var groups: [Int] = []        // offsets of open `(`
        var classDepth = 0            // inside `[…]` (Java nests them)
        var classStart = 0
        var atomStart = true          // at the start, after `(` or `|`: nothing to repeat yet
        while index < chars.count {
            let character = chars[index]
            if character == "\\" {
                guard index + 1 < chars.count else { return "it ends with a lone backslash" }
                if chars[index + 1] == "Q" {
                    // \Q…\E quotes everything up to \E (or the end).
                    var end = index + 2
                    while end + 1 < chars.count, !(chars[end] == "\\" && chars[end + 1] == "E") { end += 1 }
                    index = end + 2
                } else {
                    index += 2
                }
                atomStart = false
                continue
            }
            if classDepth > 0 {
                if character == "[" {
                    classDepth += 1
                } else if character == "]", !(index == classStart + 1 || (index == classStart + 2 && chars[classStart + 1] == "^")) {
                    // A `]` first in a class is taken literally by POSIX dialects; do not call it a defect.
                    classDepth -= 1
                }
                index += 1
                continue
            }
            switch character {
            case "[":
                classDepth = 1
                classStart = index
                atomStart = false
            case "(":
                groups.append(index)
                atomStart = true
                index += 1
                // `(?:`, `(?=`, `(?<name>`, `(?i)`: the `?` belongs to the group.
                if index < chars.count, chars[index] == "?" { index += 1 }
                continue
            case ")":
                guard groups.popLast() != nil else { return "it has a ')' at offset \(index) that closes no group" }
                atomStart = false
            case "|":
                atomStart = true
            case "*", "+", "?":
                if atomStart { return "the quantifier '\(character)' at offset \(index) has nothing to repeat" }
            case "{":
                if let (low, high, end) = bounds(chars, from: index) {
                    if atomStart { return "the quantifier at offset \(index) has nothing to repeat" }
                    if let high, high < low { return "the repetition {\(low),\(high)} at offset \(index) has its bounds reversed" }
                    index = end
                    continue
                }
                atomStart = false
            default:
                atomStart = false
            }
            index += 1
        }
        if classDepth > 0 { return "the character class opened at offset \(classStart) is never closed" }
        if let open = groups.last { return "the group opened at offset \(open) is never closed" }
        return nil
    }

    /// `{n}`, `{n,}` or `{n,m}` at `start`: the bounds and the index after the `}`.
    private static func bounds(_ chars: [Character], from start: Int) -> (Int, Int?, Int)? {
        var index = start + 1
        func number() -> Int? {
            var digits = ""
            while index < chars.count, let digit = chars[index].wholeNumberValue, chars[index].isASCII, digits.count < 9 {
                digits.append(String(digit))
                index += 1
            }
            return Int(digits)
        }
        guard let low = number() else { return nil }
        var high: Int? = low
        if index < chars.count, chars[index] == "," {
            index += 1
            high = number()
        }
        guard index < chars.count, chars[index] == "}" else { return nil }
        return (low, high, index + 1)
    }
}
