/// What changing a property does to a resource on a stack update: CloudFormation replaces it
/// (creates a new resource, then deletes the old one) or updates it in place.
///
/// The facts are the provider schemas' `createOnlyProperties` (a change always replaces) and
/// `conditionalCreateOnlyProperties` (a change replaces when it cannot be made in place), kept
/// in the schema index by `scripts/gen-resource-schemas.py` and read for a type only when asked;
/// then `replacementCorrections`, a short hand-written table of what CloudFormation's
/// documentation says where it is stronger than the schema, each row with its page.
///
/// How a changed path is judged against a rule path (`ReplacementRule.replacement(forChangeAt:)`):
/// * a change at or below a rule path takes the rule's answer: changing `KeySchema.0.AttributeName`
///   changes `KeySchema`;
/// * a change above a rule path (`Conditions` as a whole on an
///   `AWS::CustomerProfiles::CalculatedAttributeDefinition`, whose `Conditions.Range.TimestampSource`
///   is createOnly; an object or list added, removed or edited anywhere inside) is `.conditional`:
///   the rule applies only if the value at the rule path differs, which only a caller holding
///   both values can tell (`paths(under:)` lists the rule paths to compare);
/// * `*` in a rule path is any item of a list and matches any segment of the change (a list
///   position `0`, or `*`); a `*` in the change matches only a `*` of the rule;
/// * the strongest match wins: at or below an `.always` path, then at or below a `.conditional`
///   one, then above an `.always` one, then above a `.conditional` one; among equals the rule path
///   nearest the change (`PosixUser.Uid` itself rather than `PosixUser`), then the schema's first;
/// * no match is `.never` when the schema has the property, and `.unknown` when the schema
///   refuses it (a name a closed object does not list): never a "never" for a typo.
extension ResourceSchema {
    /// A place inside a resource's `Properties`: property names from the top, `*` for any item
    /// of a list (a caller may also give a list position, `0`).
    public struct PropertyPath: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
        /// The segments, outermost first; empty for the whole `Properties`.
        public let segments: [String]

        /// The path of these segments.
        public init(_ segments: [String]) {
            self.segments = segments
        }

        /// `VpcConfig.SubnetIds`, `Tags.*.Key`: segments joined by `.` (for names without a dot).
        public init(dotted: String) {
            segments = dotted.isEmpty ? [] : dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        }

        /// A path written as a literal, dotted.
        public init(stringLiteral value: String) {
            self.init(dotted: value)
        }

        /// The segments joined by `.`.
        public var description: String { segments.joined(separator: ".") }

        /// The segment that stands for any item of a list.
        public static let anyItem = "*"
    }

    /// What a change does to the resource.
    public enum Replacement: Sendable, Equatable, CustomStringConvertible {
        /// The resource is replaced.
        case always
        /// The resource is replaced in some cases (the schema's conditionalCreateOnly, a
        /// documented condition, or a change that covers a createOnly path).
        case conditional
        /// The resource is updated in place.
        case never
        /// The schema has no such property: nothing is known of it.
        case unknown

        /// The case's name.
        public var description: String {
            switch self {
            case .always: "always"
            case .conditional: "conditional"
            case .never: "never"
            case .unknown: "unknown"
            }
        }
    }

    /// A row of the documentation corrections: CloudFormation's documentation says a change of
    /// `path` on `type` replaces the resource (always, or in a documented case) where the
    /// schema says less.
    public struct ReplacementCorrection: Sendable, Equatable {
        /// The resource type.
        public let type: String
        /// The property.
        public let path: PropertyPath
        /// What the documentation says: `.always` or `.conditional`.
        public let replacement: Replacement
        /// The page and anchor of the property.
        public let documentation: String
        /// The documentation's words.
        public let documentationSays: String
        /// What the schema lists it as, for messages.
        public let schemaSays: String
    }

    /// Where an answer comes from.
    public enum ReplacementSource: Sendable, Equatable {
        /// The schema's `createOnlyProperties`.
        case createOnly
        /// The schema's `conditionalCreateOnlyProperties`.
        case conditionalCreateOnly
        /// A row of `replacementCorrections`.
        case documentation(ReplacementCorrection)
        /// No rule path is at, below or above the change, and the schema has the property.
        case noRule
        /// The schema refuses the property.
        case notInSchema
    }

    /// The answer for one changed path.
    public struct ReplacementVerdict: Sendable, Equatable {
        /// The resource type.
        public let type: String
        /// The changed path asked about.
        public let change: PropertyPath
        /// What the change does.
        public let replacement: Replacement
        /// The rule path that decided (`nil` for `.never` and `.unknown`).
        public let rule: PropertyPath?
        /// Whether the change is above `rule` (a parent of it changed) rather than at or below it.
        public let covers: Bool
        /// Where the answer comes from.
        public let source: ReplacementSource

        /// One sentence for messages, naming the fact and, for a documented one, the page.
        public var reason: String {
            guard let rule else {
                return source == .notInSchema
                    ? "\(type)'s schema has no property '\(change)'"
                    : "no createOnly or conditionalCreateOnly property of \(type) is at, under or inside '\(change)': it updates in place"
            }
            let subject = covers ? "'\(change)' contains '\(rule)', which"
                : rule == change ? "'\(change)'" : "'\(change)' is under '\(rule)', which"
            var fact = ""
            var ruleReplaces = "replaces the resource when the change cannot be made in place"
            switch source {
            case .createOnly:
                fact = "is createOnly in \(type)'s schema"
                ruleReplaces = "replaces the resource"
            case .conditionalCreateOnly:
                fact = "is conditionalCreateOnly in \(type)'s schema"
            case .documentation(let correction):
                fact = "is '\(correction.documentationSays)' in CloudFormation's documentation (\(correction.documentation)); the schema lists it \(correction.schemaSays)"
                ruleReplaces = correction.replacement == .always ? "replaces the resource" : "replaces the resource in the documented case"
            case .noRule, .notInSchema:
                break
            }
            let outcome = covers ? "if the value at '\(rule)' differs, that change \(ruleReplaces)" : "changing it \(ruleReplaces)"
            return "\(subject) \(fact): \(outcome)"
        }
    }

    /// The replacement facts of one resource type.
    public struct ReplacementRule: Sendable {
        /// The resource type.
        public let type: String
        /// The schema's createOnlyProperties, as it lists them.
        public let createOnly: [PropertyPath]
        /// The schema's conditionalCreateOnlyProperties, as it lists them (without those also
        /// in `createOnly`).
        public let conditionalCreateOnly: [PropertyPath]
        /// The documentation corrections of this type.
        public let corrections: [ReplacementCorrection]
        /// Every rule path with its answer and source, the schema's first, corrections applied.
        let entries: [(path: PropertyPath, replacement: Replacement, source: ReplacementSource)]

        init(type: String, createOnly: [PropertyPath], conditionalCreateOnly: [PropertyPath], corrections: [ReplacementCorrection]) {
            self.type = type
            self.createOnly = createOnly
            self.conditionalCreateOnly = conditionalCreateOnly
            self.corrections = corrections
            var entries = createOnly.map { (path: $0, replacement: Replacement.always, source: ReplacementSource.createOnly) }
                + conditionalCreateOnly.map { (path: $0, replacement: Replacement.conditional, source: ReplacementSource.conditionalCreateOnly) }
            for correction in corrections {
                let entry = (path: correction.path, replacement: correction.replacement, source: ReplacementSource.documentation(correction))
                if let index = entries.firstIndex(where: { $0.path == correction.path }) {
                    entries[index] = entry
                } else {
                    entries.append(entry)
                }
            }
            self.entries = entries
        }

        /// The paths whose change always replaces the resource, corrections applied.
        public var always: [PropertyPath] { entries.filter { $0.replacement == .always }.map(\.path) }

        /// The paths whose change replaces it in some cases, corrections applied.
        public var conditional: [PropertyPath] { entries.filter { $0.replacement == .conditional }.map(\.path) }

        /// What changing the value at `path` does (see the extension's documentation).
        public func replacement(forChangeAt path: PropertyPath) -> ReplacementVerdict {
            // Rank: at or below always 4, at or below conditional 3, above always 2, above conditional 1;
            // among equals the rule path nearest the change (the path itself before its parent), then the first.
            var best: (rank: Int, distance: Int, index: Int)?
            for (index, entry) in entries.enumerated() {
                guard let covers = Self.relation(of: path.segments, to: entry.path.segments) else { continue }
                let rank = (covers ? 0 : 2) + (entry.replacement == .always ? 2 : 1)
                let distance = abs(entry.path.segments.count - path.segments.count)
                if best.map({ rank > $0.rank || (rank == $0.rank && distance < $0.distance) }) ?? true {
                    best = (rank, distance, index)
                }
            }
            if let best {
                let entry = entries[best.index]
                return ReplacementVerdict(type: type, change: path, replacement: best.rank == 4 ? .always : .conditional,
                                          rule: entry.path, covers: best.rank <= 2, source: entry.source)
            }
            let known = ResourceSchema.schema(for: type).map { ResourceSchema.knows($0, path.segments) } ?? true
            return ReplacementVerdict(type: type, change: path, replacement: known ? .never : .unknown,
                                      rule: nil, covers: false, source: known ? .noRule : .notInSchema)
        }

        /// What changing the value at the path of these segments does.
        public func replacement(forChangeAt segments: [String]) -> ReplacementVerdict {
            replacement(forChangeAt: PropertyPath(segments))
        }

        /// The rule paths at or under `path`, with their answers: what a caller compares, old
        /// value against new, when a whole object or list changed.
        public func paths(under path: PropertyPath) -> [(path: PropertyPath, replacement: Replacement)] {
            entries.filter { entry in
                entry.path.segments.count >= path.segments.count && Self.relation(of: path.segments, to: entry.path.segments) != nil
            }.map { ($0.path, $0.replacement) }
        }

        /// `false` when `change` is at or below `rule`, `true` when above it, `nil` when apart.
        /// A `*` of the rule matches any segment of the change.
        static func relation(of change: [String], to rule: [String]) -> Bool? {
            for (changed, ruled) in zip(change, rule) where ruled != PropertyPath.anyItem && ruled != changed {
                return nil
            }
            return change.count < rule.count
        }
    }

    /// The replacement facts of `type`: `nil` for a type without a schema here (SAM's,
    /// `Custom::*`, unknown names), whose answers are not known.
    public static func replacement(for type: String) -> ReplacementRule? {
        guard let fields = indexFields(of: type) else { return nil }
        func paths(_ key: String) -> [PropertyPath] {
            guard let field = fields.first(where: { $0.hasPrefix(key) }) else { return [] }
            return field.dropFirst(key.count).split(separator: ",").map { path in
                PropertyPath(path.split(separator: ".", omittingEmptySubsequences: false).map { decodePathSegment($0) })
            }
        }
        return ReplacementRule(type: type, createOnly: paths("a="), conditionalCreateOnly: paths("c="),
                               corrections: replacementCorrections.filter { $0.type == type })
    }

    /// What changing the value at `path` of a `type` resource does; `nil` when `type` has no schema.
    public static func replacement(for type: String, changedAt path: PropertyPath) -> ReplacementVerdict? {
        replacement(for: type)?.replacement(forChangeAt: path)
    }

    /// A path segment of the index, its `%XX` escapes undone.
    private static func decodePathSegment(_ text: Substring) -> String {
        guard text.contains("%") else { return String(text) }
        var text = String(text)
        return text.withUTF8 { string($0[...]) }
    }

    /// See `TypeSchema.allows(_:)`.
    static func knows(_ schema: TypeSchema, _ segments: [String]) -> Bool {
        var node: Property? = schema.root
        for segment in segments {
            guard let current = node else { return true }
            let isItem = segment == PropertyPath.anyItem || (!segment.isEmpty && segment.allSatisfy(\.isNumber))
            if let named = current.property(segment) {
                node = named.flatMap(schema.node)
            } else if isItem, let items = current.items {
                node = schema.node(items)
            } else if let branch = current.branch(for: isItem ? .array : .object), let branchNode = schema.node(branch) {
                // A oneOf/anyOf branch for this kind of value: look the segment up there.
                if let named = branchNode.property(segment) {
                    node = named.flatMap(schema.node)
                } else if isItem, let items = branchNode.items {
                    node = schema.node(items)
                } else if let other = branchNode.otherValues {
                    node = schema.node(other)
                } else {
                    return !branchNode.closed
                }
            } else if let other = current.otherValues {
                node = schema.node(other)
            } else {
                return !current.closed
            }
        }
        return true
    }

    /// Where CloudFormation's documentation says a change replaces the resource and the
    /// schema says less. Each row was read on the property's page ("Update requires"); the
    /// text was checked in the documentation's source, awsdocs/aws-cloudformation-user-guide,
    /// doc_source/aws-resource-dynamodb-table.md (commit c23f1eb), and for the local secondary
    /// index also on the current Template Reference.
    public static let replacementCorrections: [ReplacementCorrection] = [
        // DynamoDB has no API that changes a table's key: UpdateTable takes no KeySchema.
        ReplacementCorrection(
            type: "AWS::DynamoDB::Table", path: "KeySchema", replacement: .always,
            documentation: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-dynamodb-table.html#cfn-dynamodb-table-keyschema",
            documentationSays: "Update requires: Replacement", schemaSays: "only as conditionalCreateOnly"),
        // "A local secondary index can only be created when its parent table is created"
        // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-dynamodb-table-localsecondaryindex.html,
        // whose every property says "Update requires: Updates are not supported").
        ReplacementCorrection(
            type: "AWS::DynamoDB::Table", path: "LocalSecondaryIndexes", replacement: .always,
            documentation: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-dynamodb-table.html#cfn-dynamodb-table-lsi",
            documentationSays: "Update requires: Replacement", schemaSays: "neither createOnly nor conditionalCreateOnly"),
        // Adding a definition (for a new global secondary index) updates in place; editing one does not.
        ReplacementCorrection(
            type: "AWS::DynamoDB::Table", path: "AttributeDefinitions", replacement: .conditional,
            documentation: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-dynamodb-table.html#cfn-dynamodb-table-attributedef",
            documentationSays: "Update requires: Some interruptions. Replacement if you edit an existing AttributeDefinition",
            schemaSays: "neither createOnly nor conditionalCreateOnly"),
    ]
}

extension ResourceSchema.TypeSchema {
    /// Whether the schema may hold a value at `path` (a list position, or `*`, for an item):
    /// `false` only when a closed object on the way does not list a segment (an unknown
    /// property), `true` when the schema lists it or stops saying (an open object or map, a
    /// node known but not checked).
    public func allows(_ path: ResourceSchema.PropertyPath) -> Bool {
        ResourceSchema.knows(self, path.segments)
    }
}
