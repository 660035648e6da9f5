/// Wildcard patterns as AWS writes them: `*` stands for any run of characters (attribute
/// patterns such as `Outputs.*`, names `Fn::ForEach` generates, IAM resources), and, in
/// IAM's `ArnLike`, `?` for exactly one character.
public enum Wildcard {
    /// Whether `pattern` matches the whole of `text`.
    ///
    /// The classic greedy match with one backtrack point: linear in practice, no regex
    /// engine, over Unicode scalars (IAM compares code points, not grapheme clusters).
    public static func matches(_ pattern: String, _ text: String, questionMark: Bool = false, ignoringCase: Bool = false) -> Bool {
        let pattern = Array((ignoringCase ? pattern.lowercased() : pattern).unicodeScalars)
        let text = Array((ignoringCase ? text.lowercased() : text).unicodeScalars)
        var p = 0
        var t = 0
        var lastStar: Int?
        var resume = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "*" {
                lastStar = p
                p += 1
                resume = t
            } else if p < pattern.count, pattern[p] == text[t] || (questionMark && pattern[p] == "?") {
                p += 1
                t += 1
            } else if let lastStar {
                p = lastStar + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
