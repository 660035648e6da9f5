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
            let target = Array(lowered.unicodeScalars)
            let limit = threshold(target.count)
            var best: (name: String, distance: Int)?
            for candidate in candidates {
                let other = candidate.lowercased()
                if other == lowered { return candidate }
                let scalars = Array(other.unicodeScalars)
                guard abs(scalars.count - target.count) <= limit else { continue }
                let distance = EditDistance.between(target, scalars, limit: limit)
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
    }
}
