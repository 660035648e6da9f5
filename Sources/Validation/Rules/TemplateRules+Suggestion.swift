import CloudFormation

extension TemplateRules {
    /// "Did you mean" for names: a case-insensitive match first, then the nearest name by
    /// edit distance, only when it is close enough to be what was meant.
    ///
    /// Kept inside `TemplateRules` so that another family's helper of the same name cannot
    /// collide with it in the module.
    enum Suggestion {
        /// The candidate closest to `word`, or `nil` when none is close.
        static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
            let lowered = word.lowercased()
            let target = Array(lowered.utf8)
            let limit = threshold(target.count)
            var best: (name: String, distance: Int)?
            for candidate in candidates {
                let other = candidate.lowercased()
                if other == lowered { return candidate }
                let bytes = Array(other.utf8)
                guard abs(bytes.count - target.count) <= limit else { continue }
                let distance = levenshtein(target, bytes, limit: limit)
                // Ties go to the alphabetically first name, so messages are stable.
                guard distance <= limit else { continue }
                if let current = best, (current.distance, current.name) <= (distance, candidate) { continue }
                best = (candidate, distance)
            }
            return best?.name
        }

        /// The closest known resource type to `name`.
        static func closestType(to name: String) -> String? {
            closest(to: name, in: ResourceCatalog.typeNames)
        }

        /// How many edits still look like a typo: about one in four characters, at most 3.
        static func threshold(_ length: Int) -> Int {
            max(1, min(3, length / 4))
        }

        /// Edit distance between two byte strings, giving up (returning `limit + 1`) once
        /// every cell of a row exceeds `limit`.
        static func levenshtein(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
            if a.isEmpty { return b.count }
            if b.isEmpty { return a.count }
            var previous = Array(0...b.count)
            var current = [Int](repeating: 0, count: b.count + 1)
            for i in 1...a.count {
                current[0] = i
                var rowMinimum = current[0]
                for j in 1...b.count {
                    let cost = a[i - 1] == b[j - 1] ? 0 : 1
                    current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                    rowMinimum = min(rowMinimum, current[j])
                }
                if rowMinimum > limit { return limit + 1 }
                swap(&previous, &current)
            }
            return previous[b.count]
        }
    }
}
