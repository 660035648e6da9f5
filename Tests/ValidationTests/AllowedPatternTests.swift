import Testing
import Validation

@Suite("allowed patterns")
struct AllowedPatternTests {
    static let simple = [
        "^[A-Za-z0-9-]+$", "^[A-Za-z0-9_.-]+$", "[0-9]{12}", "^[a-z]{3,5}$", "^[a-z]{2,}$", "[-a-z]*", "^[a-z-]+$",
        "^[\\w]+$", "^[\\d.]+$", "^[A-Z\\-_]+$", "^[ -~]+$", "^[a-zA-Z0-9+=,.@_-]{1,64}$", "^[$.]+$",
    ]
    static let values = ["", "a", "abc", "ABC", "abc-def", "a_b.c", "123456789012", "12345", "a b", "é", "ab\u{0}",
                         "x$y", "-", "---", "aaaaaa", "Z-_", "+=,.@", "9.1.2", "tab\there", "~"]

    @Test("Repeated one-class patterns are matched without Regex, with exactly Regex's answers", arguments: simple)
    func sameAnswers(_ pattern: String) throws {
        let fast = AllowedPattern(pattern)
        let regex = try Regex(pattern).matchingSemantics(.unicodeScalar)
        guard case .repeatedClass = fast.compiled else {
            // `\w` is not taken by the fast path: Regex decides it.
            #expect(pattern.contains("\\w"), "\(pattern) was expected on the fast path")
            return
        }
        for value in Self.values {
            #expect(fast.matches(value) == ((try? regex.wholeMatch(in: value)) != nil), "\(pattern) on \(value.debugDescription)")
        }
    }

    @Test("Anything beyond one plain class is left to Regex", arguments: [
        "^[^a-z]+$", "^[a-z]+[0-9]$", "^([a-z])+$", "^[[a-z]]+$", "^[a-z&&[^b]]+$", "^[]a]+$", "^[a-z]+?$", "^[a-z]{5,2}$",
        "^[\\p{Alpha}]+$", "^[a-z]+\\$", "[a\\tb]+",
    ])
    func leftToRegex(_ pattern: String) {
        if case .repeatedClass = AllowedPattern(pattern).compiled {
            Issue.record("\(pattern) took the fast path")
        }
    }
}
