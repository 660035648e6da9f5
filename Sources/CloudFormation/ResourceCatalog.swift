/// Every CloudFormation resource type (SAM's included) and the attributes `Fn::GetAtt` may
/// read from it, compiled from AWS's resource provider schemas.
///
/// The data is a string in the binary, parsed into a dictionary on first use only, so
/// commands that never look a type up pay nothing for it.
public enum ResourceCatalog {
    /// What the catalog knows of one type.
    public struct Entry: Sendable {
        /// Exact attribute names.
        public let attributes: Set<String>
        /// Attribute patterns in which `*` stands for any text (`Outputs.*`).
        public let patterns: [String]

        /// Whether `Fn::GetAtt` may read `attribute`.
        public func hasAttribute(_ attribute: String) -> Bool {
            attributes.contains(attribute) || patterns.contains { ResourceCatalog.glob($0, matches: attribute) }
        }

        /// Every attribute and pattern, sorted, for messages.
        public var allAttributes: [String] { (attributes.sorted() + patterns).sorted() }
    }

    /// The types, parsed from `data` once.
    public static let types: [String: Entry] = {
        var types: [String: Entry] = [:]
        for line in data.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard let name = words.first else { continue }
            var attributes = Set<String>()
            var patterns: [String] = []
            for word in words.dropFirst() {
                if word.contains("*") { patterns.append(String(word)) } else { attributes.insert(String(word)) }
            }
            types[String(name)] = Entry(attributes: attributes, patterns: patterns)
        }
        return types
    }()

    /// The entry for `type`; `Custom::Anything` is a custom resource, whose attributes are
    /// whatever its handler returns.
    public static func entry(for type: String) -> Entry? {
        if type.hasPrefix("Custom::") { return types["AWS::CloudFormation::CustomResource"] }
        return types[type]
    }

    /// Whether `type` is a resource type CloudFormation (or the SAM transform) knows.
    public static func isKnown(_ type: String) -> Bool { entry(for: type) != nil }

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
