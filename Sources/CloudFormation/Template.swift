import YAML

/// A whole CloudFormation (or SAM) template, every section in the order it is rendered.
public struct Template: Sendable, Equatable {
    /// `AWSTemplateFormatVersion`; the only version that exists is `2010-09-09`.
    public var formatVersion: String?
    /// `Transform`: macros, e.g. `AWS::Serverless-2016-10-31` for SAM.
    public var transforms: [String]
    /// `Description` (at most 1024 bytes).
    public var description: String?
    /// Template-level `Metadata`.
    public var metadata: [Value.Field]
    /// `Parameters`, in the order a person reads and supplies them.
    public var parameters: [Parameter]
    /// `Mappings`: name → top-level key → second-level key → value.
    public var mappings: [(LogicalID, Value)]
    /// `Conditions`: name → condition expression.
    public var conditions: [(LogicalID, Value)]
    /// SAM `Globals`, e.g. `Function` properties every function shares.
    public var globals: [Value.Field]
    /// `Resources` (at least one).
    public var resources: [Resource]
    /// `Outputs`.
    public var outputs: [Output]

    /// The SAM transform.
    public static let serverlessTransform = "AWS::Serverless-2016-10-31"
    /// The only `AWSTemplateFormatVersion` CloudFormation knows.
    public static let currentFormatVersion = "2010-09-09"

    /// Creates a template.
    public init(
        formatVersion: String? = Template.currentFormatVersion, transforms: [String] = [], description: String? = nil,
        metadata: [Value.Field] = [], parameters: [Parameter] = [], mappings: [(LogicalID, Value)] = [],
        conditions: [(LogicalID, Value)] = [], globals: [Value.Field] = [], resources: [Resource] = [],
        outputs: [Output] = []
    ) {
        self.formatVersion = formatVersion
        self.transforms = transforms
        self.description = description
        self.metadata = metadata
        self.parameters = parameters
        self.mappings = mappings
        self.conditions = conditions
        self.globals = globals
        self.resources = resources
        self.outputs = outputs
    }

    public static func == (lhs: Template, rhs: Template) -> Bool {
        lhs.formatVersion == rhs.formatVersion && lhs.transforms == rhs.transforms
            && lhs.description == rhs.description && lhs.metadata == rhs.metadata
            && lhs.parameters == rhs.parameters
            && lhs.mappings.elementsEqual(rhs.mappings, by: ==) && lhs.conditions.elementsEqual(rhs.conditions, by: ==)
            && lhs.globals == rhs.globals && lhs.resources == rhs.resources && lhs.outputs == rhs.outputs
    }

    /// The resource with this logical id.
    public func resource(_ id: String) -> Resource? {
        resources.first { $0.id.rawValue == id }
    }

    /// The template as a YAML document, sections in CloudFormation's documented order except
    /// `Metadata`, which comes last.
    ///
    /// Template-level metadata is a record for tools (menort's contract, cfn-lint's
    /// settings), not something a person reads first; written last, it leaves every line a
    /// person reads where it was and keeps findings' line numbers stable when it changes.
    ///
    /// Throws when two declarations share a logical id: parameters and resources share one
    /// namespace in CloudFormation, outputs, conditions and mappings each have their own.
    public func node() throws(ModelError) -> Node {
        try Template.checkUnique(parameters.map(\.id) + resources.map(\.id), section: "Parameters and Resources")
        try Template.checkUnique(outputs.map(\.id), section: "Outputs")
        try Template.checkUnique(conditions.map(\.0), section: "Conditions")
        try Template.checkUnique(mappings.map(\.0), section: "Mappings")

        var pairs: [(String, Node)] = []
        if let formatVersion { pairs.append(("AWSTemplateFormatVersion", .string(formatVersion))) }
        if transforms.count == 1 {
            pairs.append(("Transform", .string(transforms[0])))
        } else if !transforms.isEmpty {
            pairs.append(("Transform", .sequence(transforms.map { .string($0) })))
        }
        if let description { pairs.append(("Description", .string(description))) }
        if !parameters.isEmpty {
            pairs.append(("Parameters", .mapping(parameters.map { ($0.id.rawValue, $0.node()) })))
        }
        if !mappings.isEmpty { pairs.append(("Mappings", try Template.section(mappings))) }
        if !conditions.isEmpty { pairs.append(("Conditions", try Template.section(conditions))) }
        if !globals.isEmpty { pairs.append(("Globals", try globals.node())) }
        var resourceNodes: [(String, Node)] = []
        for resource in resources { resourceNodes.append((resource.id.rawValue, try resource.node())) }
        pairs.append(("Resources", .mapping(resourceNodes)))
        if !outputs.isEmpty {
            var outputNodes: [(String, Node)] = []
            for output in outputs { outputNodes.append((output.id.rawValue, try output.node())) }
            pairs.append(("Outputs", .mapping(outputNodes)))
        }
        if !metadata.isEmpty { pairs.append(("Metadata", try metadata.node())) }
        return .mapping(pairs)
    }

    private static func section(_ entries: [(LogicalID, Value)]) throws(ModelError) -> Node {
        var pairs: [(String, Node)] = []
        for (id, value) in entries { pairs.append((id.rawValue, try value.node())) }
        return .mapping(pairs)
    }

    private static func checkUnique(_ ids: [LogicalID], section: String) throws(ModelError) {
        var seen = Set<LogicalID>()
        for id in ids where !seen.insert(id).inserted {
            throw .duplicateLogicalID(id, section: section)
        }
    }
}
