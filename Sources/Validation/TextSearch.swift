extension StringProtocol {
    /// The first range of `needle` in this text, found over UTF-8 bytes.
    ///
    /// The standard library's `firstRange(of:)` and `contains(_:)` for strings go through
    /// the regex engine's generic searcher, about 20,000 instructions a call; validating the
    /// realtime stack made hundreds of such calls. Template text is short, so a plain byte
    /// scan is the fast way. Needles here are ASCII or whole UTF-8 sequences, so a byte match
    /// always starts and ends on character boundaries.
    package func firstTextRange(of needle: String) -> Range<Index>? {
        let haystack = utf8
        let pattern = Array(needle.utf8)
        guard let first = pattern.first else { return startIndex..<startIndex }
        var index = haystack.startIndex
        while index != haystack.endIndex {
            if haystack[index] == first {
                var candidate = index
                var matched = 0
                while matched < pattern.count, candidate != haystack.endIndex, haystack[candidate] == pattern[matched] {
                    matched += 1
                    candidate = haystack.index(after: candidate)
                }
                if matched == pattern.count { return index..<candidate }
            }
            index = haystack.index(after: index)
        }
        return nil
    }

    /// Whether `needle` occurs in this text (see `firstTextRange(of:)` for why not `contains`).
    package func containsText(_ needle: String) -> Bool {
        firstTextRange(of: needle) != nil
    }
}

extension String {
    /// Every occurrence of `needle` replaced by `replacement` (the standard library's
    /// `replacing(_:with:)` goes through the same generic searcher).
    package func replacingText(_ needle: String, with replacement: String) -> String {
        guard !needle.isEmpty else { return self }
        var output = ""
        var rest = self[...]
        while let range = rest.firstTextRange(of: needle) {
            output += rest[..<range.lowerBound]
            output += replacement
            rest = rest[range.upperBound...]
        }
        return output + rest
    }
}
