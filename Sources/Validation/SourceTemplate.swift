import YAML

/// A parsed template seen through CloudFormation's sections, every node still marked.
///
/// Rules read the YAML tree directly (not the `Template` model) because a template under
/// validation may be anything: the model could not represent what is wrong with it, and
/// the marks are what a finding points at.
public struct SourceTemplate: Sendable {
    /// A named entry of a section: a resource, parameter, condition, output or mapping.
    public struct Entry: Sendable {
        /// The logical id.
        public let id: String
        /// The key node (where the id is written).
        public let key: Node
        /// The entry's body.
        public let value: Node

        /// `Type` of a resource, when it is a literal string (`Type: !Ref X` is not a type).
        public var type: String? {
            guard let node = value["Type"], node.tag == nil else { return nil }
            return node.scalar
        }
        /// `Properties` of a resource.
        public var properties: Node? { value["Properties"] }
    }

    /// The file as the user named it.
    public let file: String
    /// The document's root mapping.
    public let root: Node
    /// `Resources`, in source order.
    public let resources: [Entry]
    /// `Parameters`, in source order.
    public let parameters: [Entry]
    /// `Conditions`, in source order.
    public let conditions: [Entry]
    /// `Outputs`, in source order.
    public let outputs: [Entry]
    /// `Mappings`, in source order.
    public let mappings: [Entry]
    /// `Transform` names.
    public let transforms: [String]

    private let resourceIndex: [String: Int]
    private let parameterIndex: [String: Int]
    private let conditionIndex: [String: Int]

    /// Indexes the sections of `root` (which must be a mapping).
    public init(file: String, root: Node) {
        self.file = file
        self.root = root
        func entries(_ section: String) -> [Entry] {
            (root[section]?.pairs ?? []).compactMap { pair in
                pair.key.scalar.map { Entry(id: $0, key: pair.key, value: pair.value) }
            }
        }
        func index(_ entries: [Entry]) -> [String: Int] {
            var index: [String: Int] = [:]
            for (offset, entry) in entries.enumerated() where index[entry.id] == nil { index[entry.id] = offset }
            return index
        }
        resources = entries("Resources")
        parameters = entries("Parameters")
        conditions = entries("Conditions")
        outputs = entries("Outputs")
        mappings = entries("Mappings")
        resourceIndex = index(resources)
        parameterIndex = index(parameters)
        conditionIndex = index(conditions)
        // `Transform: Name`, `[Name, …]`, or a macro with parameters `{Name: …, Parameters: …}`.
        func name(_ node: Node) -> String? { node.scalar ?? node["Name"]?.scalar }
        if let node = root["Transform"] {
            transforms = node.items.map { $0.compactMap(name) } ?? name(node).map { [$0] } ?? []
        } else {
            transforms = []
        }
    }

    /// Whether a macro other than SAM and AWS::LanguageExtensions rewrites the template, so
    /// what it will hold after the transform cannot be known here.
    public var hasUnknownMacro: Bool {
        transforms.contains { !$0.hasPrefix("AWS::Serverless") && $0 != "AWS::LanguageExtensions" }
    }

    /// Whether the SAM transform applies, so `AWS::Serverless::*` types and SAM's implicit
    /// resources exist.
    public var isSAM: Bool { transforms.contains { $0.hasPrefix("AWS::Serverless") } }

    /// The resource with this logical id.
    public func resource(_ id: String) -> Entry? { resourceIndex[id].map { resources[$0] } }
    /// The parameter with this logical id.
    public func parameter(_ id: String) -> Entry? { parameterIndex[id].map { parameters[$0] } }
    /// The condition with this name.
    public func condition(_ id: String) -> Entry? { conditionIndex[id].map { conditions[$0] } }

    /// Resources of one type, in source order.
    public func resources(ofType type: String) -> [Entry] { resources.filter { $0.type == type } }
}
