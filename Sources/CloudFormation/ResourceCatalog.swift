/// Every CloudFormation resource type (SAM's included) and the attributes `Fn::GetAtt` may
/// read from it, compiled from AWS's resource provider schemas.
///
/// The data is a sorted static string in the binary. A lookup binary-searches its lines in
/// place, so a run pays for the few types its template names, not for parsing all 1,900
/// into sets (which cost a validate of the realtime stack most of its time).
public enum ResourceCatalog {
    /// What the catalog knows of one type.
    public struct Entry: Sendable {
        /// Exact attribute names.
        public let attributes: Set<String>
        /// Attribute patterns in which `*` stands for any text (`Outputs.*`).
        public let patterns: [String]

        /// An entry with these attribute names; a name containing `*` is a pattern.
        public init(attributes: [String]) {
            var exact = Set<String>()
            var patterns: [String] = []
            for attribute in attributes {
                if attribute.contains("*") { patterns.append(attribute) } else { exact.insert(attribute) }
            }
            self.attributes = exact
            self.patterns = patterns
        }

        /// Whether `Fn::GetAtt` may read `attribute`.
        public func hasAttribute(_ attribute: String) -> Bool {
            attributes.contains(attribute) || patterns.contains { ResourceCatalog.glob($0, matches: attribute) }
        }

        /// Every attribute and pattern, sorted, for messages.
        public var allAttributes: [String] { (Array(attributes) + patterns).sorted() }
    }

    /// The entry for `type`; `Custom::Anything` is a custom resource, whose attributes are
    /// whatever its handler returns.
    public static func entry(for type: String) -> Entry? {
        let name = type.hasPrefix("Custom::") ? "AWS::CloudFormation::CustomResource" : type
        guard let line = line(named: name) else { return nil }
        return Entry(attributes: line.split(separator: " ").dropFirst().map(String.init))
    }

    /// Whether `type` is a resource type CloudFormation (or the SAM transform) knows.
    public static func isKnown(_ type: String) -> Bool {
        type.hasPrefix("Custom::") || lineRange(named: type) != nil
    }

    /// Every type name, for "did you mean" suggestions (parsed on demand; rare).
    public static var typeNames: [String] {
        lines().map { line in String(line.prefix { $0 != " " }) }
    }

    /// Where each line of `data` starts and where its type name ends, found in one pass on
    /// first use (about 1,900 entries), so a lookup is a binary search over names.
    private static let index: [(start: Int, nameEnd: Int, end: Int)] = data.withUTF8Buffer { buffer in
        var lines: [(start: Int, nameEnd: Int, end: Int)] = []
        lines.reserveCapacity(2048)
        var start = 0
        var nameEnd: Int?
        for offset in 0...buffer.count {
            if offset == buffer.count || buffer[offset] == UInt8(ascii: "\n") {
                if offset > start { lines.append((start, nameEnd ?? offset, offset)) }
                start = offset + 1
                nameEnd = nil
            } else if nameEnd == nil, buffer[offset] == UInt8(ascii: " ") {
                nameEnd = offset
            }
        }
        return lines
    }

    /// The byte range of `name`'s line in `data`, by binary search over the sorted names.
    private static func lineRange(named name: String) -> Range<Int>? {
        let target = Array(name.utf8)
        let lines = index
        return data.withUTF8Buffer { buffer -> Range<Int>? in
            var low = 0
            var high = lines.count
            while low < high {
                let middle = (low + high) / 2
                let line = lines[middle]
                switch compare(buffer[line.start..<line.nameEnd], target) {
                case 0: return line.start..<line.end
                case let order where order < 0: low = middle + 1
                default: high = middle
                }
            }
            return nil
        }
    }

    /// The catalog line of `name`.
    private static func line(named name: String) -> String? {
        guard let range = lineRange(named: name) else { return nil }
        return data.withUTF8Buffer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    /// Byte-order comparison, the order the generator sorts in.
    private static func compare(_ lhs: Slice<UnsafeBufferPointer<UInt8>>, _ rhs: [UInt8]) -> Int {
        var index = lhs.startIndex
        for byte in rhs {
            guard index < lhs.endIndex else { return -1 }
            if lhs[index] != byte { return lhs[index] < byte ? -1 : 1 }
            index += 1
        }
        return index < lhs.endIndex ? 1 : 0
    }

    private static func lines() -> [Substring] {
        data.withUTF8Buffer { String(decoding: $0, as: UTF8.self) }.split(separator: "\n")
    }

    /// `*` matches any run of characters, everything else itself (the classic greedy
    /// wildcard match with one backtrack point: linear in practice, no regex engine).
    static func glob(_ pattern: String, matches text: String) -> Bool {
        let pattern = Array(pattern.utf8)
        let text = Array(text.utf8)
        let star = UInt8(ascii: "*")
        var p = 0
        var t = 0
        var lastStar: Int?
        var resume = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == star {
                lastStar = p
                p += 1
                resume = t
            } else if p < pattern.count, pattern[p] == text[t] {
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
        while p < pattern.count, pattern[p] == star { p += 1 }
        return p == pattern.count
    }
}
