/// Every CloudFormation resource type (SAM's included) and the attributes `Fn::GetAtt` may
/// read from it, compiled from AWS's resource provider schemas.
///
/// The data is a sorted static string in the binary. A lookup binary-searches its lines in
/// place, so a run pays for the few types its template names, not for parsing all 1,900
/// (which cost a validate of the realtime stack most of its time).
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
        type.hasPrefix("Custom::") || line(named: type) != nil
    }

    /// Every type name, for "did you mean" suggestions (parsed on demand; rare).
    public static var typeNames: [String] {
        lines().map { line in String(line.prefix { $0 != " " }) }
    }

    /// The catalog line of `name`, found by binary search over the sorted lines.
    private static func line(named name: String) -> String? {
        let target = Array(name.utf8)
        return data.withUTF8Buffer { buffer -> String? in
            var low = 0
            var high = buffer.count
            while low < high {
                // Start of the line that contains the midpoint.
                var start = (low + high) / 2
                while start > low, buffer[start - 1] != UInt8(ascii: "\n") { start -= 1 }
                var end = start
                while end < buffer.count, buffer[end] != UInt8(ascii: "\n") { end += 1 }
                var nameEnd = start
                while nameEnd < end, buffer[nameEnd] != UInt8(ascii: " ") { nameEnd += 1 }
                switch compare(buffer[start..<nameEnd], target) {
                case 0:
                    return String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
                case let order where order < 0:
                    low = end + 1
                default:
                    high = start
                }
            }
            return nil
        }
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
