#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
            attributes.contains(attribute) || patterns.contains { Wildcard.matches($0, attribute) }
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
    /// first use (about 1,900 entries, with memchr), so a lookup is a binary search.
    private static let index: [(start: Int, nameEnd: Int, end: Int)] = data.withUTF8Buffer { buffer in
        var lines: [(start: Int, nameEnd: Int, end: Int)] = []
        lines.reserveCapacity(2048)
        guard let base = buffer.baseAddress else { return lines }
        var start = 0
        while start < buffer.count {
            let remaining = buffer.count - start
            let newline = memchr(base + start, Int32(UInt8(ascii: "\n")), remaining).map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base } ?? buffer.count
            let space = memchr(base + start, Int32(UInt8(ascii: " ")), newline - start).map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base } ?? newline
            if newline > start { lines.append((start, space, newline)) }
            start = newline + 1
        }
        return lines
    }

    /// The byte range of `name`'s line in `data`, by binary search over the sorted names.
    private static func lineRange(named name: String) -> Range<Int>? {
        var name = name
        let lines = index
        return name.withUTF8 { target -> Range<Int>? in
            data.withUTF8Buffer { buffer -> Range<Int>? in
                guard let base = buffer.baseAddress else { return nil }
                var low = 0
                var high = lines.count
                while low < high {
                    let middle = (low + high) / 2
                    let line = lines[middle]
                    let length = line.nameEnd - line.start
                    // Byte order, as the generator sorts: common prefix, then the shorter first.
                    var order = target.count == 0 ? 0 : Int(memcmp(base + line.start, target.baseAddress!, min(length, target.count)))
                    if order == 0 { order = length - target.count }
                    if order == 0 { return line.start..<line.end }
                    if order < 0 { low = middle + 1 } else { high = middle }
                }
                return nil
            }
        }
    }

    /// The catalog line of `name`.
    private static func line(named name: String) -> String? {
        guard let range = lineRange(named: name) else { return nil }
        return data.withUTF8Buffer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    private static func lines() -> [Substring] {
        data.withUTF8Buffer { String(decoding: $0, as: UTF8.self) }.split(separator: "\n")
    }
}
