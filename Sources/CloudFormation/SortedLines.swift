#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A static text of lines sorted by their first word (byte order), searched in place: the
/// layout of the generated catalogs, so a lookup binary-searches the text itself and a run
/// pays for the few names its template uses instead of parsing every line into a table.
struct SortedLines: Sendable {
    /// The text, as generated.
    let text: StaticString

    /// Wraps `text`; nothing is read until a lookup.
    init(_ text: StaticString) {
        self.text = text
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
    ///
    /// A binary search over byte offsets: each probe moves on to the next line start, so no
    /// table of lines is built and a run touches only the pages it probes.
    func line(named name: String) -> (line: Range<Int>, rest: Range<Int>)? {
        var name = name
        return name.withUTF8 { target in
            text.withUTF8Buffer { buffer -> (line: Range<Int>, rest: Range<Int>)? in
                guard let base = buffer.baseAddress, let key = target.baseAddress else { return nil }
                var low = 0
                var high = buffer.count
                while low < high {
                    let middle = (low + high) / 2
                    // The first line starting after `middle` (found with memchr, not byte by byte
                    // backwards: catalog lines run to hundreds of bytes), or the range's first
                    // line when none starts before `high`. `low` and `high` are always line starts.
                    let next = memchr(base + middle, Int32(UInt8(ascii: "\n")), high - middle)
                        .map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base + 1 }
                    let start = next.map { $0 < high ? $0 : low } ?? low
                    let end = memchr(base + start, Int32(UInt8(ascii: "\n")), buffer.count - start)
                        .map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base } ?? buffer.count
                    let nameEnd = memchr(base + start, Int32(UInt8(ascii: " ")), end - start)
                        .map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base } ?? end
                    let length = nameEnd - start
                    // Byte order, as the generators sort: common prefix, then the shorter first.
                    var order = Int(memcmp(base + start, key, min(length, target.count)))
                    if order == 0 { order = length - target.count }
                    if order == 0 { return (start..<end, min(nameEnd + 1, end)..<end) }
                    if order < 0 { low = end + 1 } else { high = start }
                }
                return nil
            }
        }
    }

    /// The text of `range`.
    func string(_ range: Range<Int>) -> String {
        text.withUTF8Buffer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    /// Every line's first word, in order (reads the whole text: for suggestions, which are rare).
    var names: [String] {
        SortedLines.lineRanges(in: text, 0..<text.utf8CodeUnitCount).map { line in
            string(line.lowerBound..<(text.withUTF8Buffer { buffer in
                buffer[line].firstIndex(of: UInt8(ascii: " ")) ?? line.upperBound
            }))
        }
    }
}
