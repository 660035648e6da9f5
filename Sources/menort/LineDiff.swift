import CommandSupport
/// A short unified-style diff for `render --check`: enough to see what is stale, not a
/// replacement for `diff`.
struct LineDiff {
    let old: [Substring]
    let new: [Substring]
    let oldName: String
    let newName: String

    init(old: String, new: String, oldName: String, newName: String) {
        self.old = old.split(separator: "\n", omittingEmptySubsequences: false)
        self.new = new.split(separator: "\n", omittingEmptySubsequences: false)
        self.oldName = oldName
        self.newName = newName
    }

    /// The changed lines with up to three lines of context, cut after `maxLines` lines.
    ///
    /// Common leading and trailing lines are skipped first; the middle is aligned with a
    /// longest-common-subsequence table when it is small, and shown as one block otherwise,
    /// so a whole-file rewrite never costs quadratic time.
    func render(maxLines: Int) -> String {
        var prefix = 0
        while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix, suffix < new.count - prefix,
              old[old.count - 1 - suffix] == new[new.count - 1 - suffix] { suffix += 1 }
        let oldMiddle = Array(old[prefix..<(old.count - suffix)])
        let newMiddle = Array(new[prefix..<(new.count - suffix)])

        let before = old[max(0, prefix - 3)..<prefix]
        let after = old[(old.count - suffix)..<min(old.count, old.count - suffix + 3)]
        let start = before.startIndex + 1
        let oldCount = before.count + oldMiddle.count + after.count
        let newCount = before.count + newMiddle.count + after.count
        var lines = ["--- \(oldName)", "+++ \(newName)", "@@ -\(start),\(oldCount) +\(start),\(newCount) @@"]
        lines += before.map { " \($0)" }
        lines += LineDiff.align(oldMiddle, newMiddle)
        lines += after.map { " \($0)" }
        if lines.count > maxLines {
            let hidden = lines.count - maxLines
            lines = Array(lines.prefix(maxLines)) + ["… \(hidden) more lines"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func align(_ old: [Substring], _ new: [Substring]) -> [String] {
        guard old.count * new.count <= 4_000_000 else {
            return old.map { "-\($0)" } + new.map { "+\($0)" }
        }
        // lengths[i][j]: LCS length of old[i...] and new[j...].
        var lengths = Array(repeating: Array(repeating: 0, count: new.count + 1), count: old.count + 1)
        for i in stride(from: old.count - 1, through: 0, by: -1) {
            for j in stride(from: new.count - 1, through: 0, by: -1) {
                lengths[i][j] = old[i] == new[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var result: [String] = []
        var i = 0
        var j = 0
        while i < old.count || j < new.count {
            if i < old.count, j < new.count, old[i] == new[j] {
                result.append(" \(old[i])")
                i += 1
                j += 1
            } else if i < old.count, j == new.count || lengths[i + 1][j] >= lengths[i][j + 1] {
                // Deletions before insertions, as diff(1) prints them.
                result.append("-\(old[i])")
                i += 1
            } else {
                result.append("+\(new[j])")
                j += 1
            }
        }
        return result
    }
}
