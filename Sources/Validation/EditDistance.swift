/// How many single-character edits turn one name into another: the measure behind every
/// "did you mean" hint in menort.
public enum EditDistance {
    /// The edit distance between `a` and `b`, over Unicode scalars.
    ///
    /// With `transpositions`, swapping two adjacent characters counts as one edit (optimal
    /// string alignment), as a typo does. With a `limit`, the computation gives up as soon
    /// as every alignment of a row exceeds it and returns `limit + 1`: callers only want to
    /// know whether a name is close.
    public static func between(_ a: String, _ b: String, limit: Int? = nil, transpositions: Bool = false) -> Int {
        between(Array(a.unicodeScalars), Array(b.unicodeScalars), limit: limit, transpositions: transpositions)
    }

    /// The same over scalar arrays a caller has already made.
    public static func between(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int? = nil, transpositions: Bool = false) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if transpositions, i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if let limit, rowMinimum > limit { return limit + 1 }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
