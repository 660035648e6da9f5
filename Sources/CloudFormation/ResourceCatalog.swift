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
        type.hasPrefix("Custom::") || lines.line(named: type) != nil
    }

    /// Every type name, for "did you mean" suggestions (rare).
    public static var typeNames: [String] { lines.names }

    /// `data`, searched in place by binary search.
    private static let lines = SortedLines(data)

    /// The catalog line of `name`.
    private static func line(named name: String) -> String? {
        lines.line(named: name).map { lines.string($0.line) }
    }
}
