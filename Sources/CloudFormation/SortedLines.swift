#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A static text of lines sorted by their first word (byte order), searched in place: the
/// layout of the generated catalogs, so a lookup binary-searches the names and a run pays
/// for the few names its template uses instead of parsing every line into a table.
struct SortedLines: Sendable {
    /// The text, as generated.
    let text: StaticString
    /// Each line's start, the end of its first word, and its end; found in one pass.
    private let lines: [(start: Int, nameEnd: Int, end: Int)]

    /// Indexes `text` (one memchr pass over it).
    init(_ text: StaticString) {
        self.text = text
        var lines: [(start: Int, nameEnd: Int, end: Int)] = []
        lines.reserveCapacity(2048)
        for line in SortedLines.lineRanges(in: text, 0..<text.utf8CodeUnitCount) {
            let space = text.withUTF8Buffer { buffer -> Int in
                guard let base = buffer.baseAddress else { return line.upperBound }
                return memchr(base + line.lowerBound, Int32(UInt8(ascii: " ")), line.count)
                    .map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base } ?? line.upperBound
            }
            lines.append((line.lowerBound, space, line.upperBound))
        }
        self.lines = lines
    }

    /// The ranges of the lines of `text` within `range`, in order; empty lines too when
    /// `keepingEmpty` (where line numbers are node numbers).
    static func lineRanges(in text: StaticString, _ range: Range<Int>, keepingEmpty: Bool = false) -> [Range<Int>] {
        text.withUTF8Buffer { buffer in
            var ranges: [Range<Int>] = []
            guard let base = buffer.baseAddress else { return ranges }
            var start = range.lowerBound
            while start < range.upperBound {
                let end = memchr(base + start, Int32(UInt8(ascii: "\n")), range.upperBound - start)
                    .map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base } ?? range.upperBound
                if keepingEmpty || end > start { ranges.append(start..<end) }
                start = end + 1
            }
            return ranges
        }
    }

    /// The line whose first word is `name`: its whole range, and the range after the word
    /// and its space (empty when the line is the word alone).
    func line(named name: String) -> (line: Range<Int>, rest: Range<Int>)? {
        var name = name
        let lines = self.lines
        let found: (start: Int, nameEnd: Int, end: Int)? = name.withUTF8 { target in
            text.withUTF8Buffer { buffer in
                guard let base = buffer.baseAddress, let key = target.baseAddress else { return nil }
                var low = 0
                var high = lines.count
                while low < high {
                    let middle = (low + high) / 2
                    let line = lines[middle]
                    let length = line.nameEnd - line.start
                    // Byte order, as the generators sort: common prefix, then the shorter first.
                    var order = Int(memcmp(base + line.start, key, min(length, target.count)))
                    if order == 0 { order = length - target.count }
                    if order == 0 { return line }
                    if order < 0 { low = middle + 1 } else { high = middle }
                }
                return nil
            }
        }
        guard let found else { return nil }
        return (found.start..<found.end, min(found.nameEnd + 1, found.end)..<found.end)
    }

    /// The text of `range`.
    func string(_ range: Range<Int>) -> String {
        text.withUTF8Buffer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    /// Every line's first word, in order.
    var names: [String] { lines.map { string($0.start..<$0.nameEnd) } }
}
