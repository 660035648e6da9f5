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
    /// `Transform` names, in order.
    public let transforms: [String]
    /// Whether some `Transform` entry is neither a name nor a `{Name: …}` mapping (an
    /// intrinsic, a list in a list): what it does cannot be known, so it counts as a macro.
    public let hasUnreadableTransform: Bool

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
        var names: [String] = []
        var unreadable = false
        func read(_ node: Node) {
            if let name = node.scalar, Intrinsic(node) == nil {
                names.append(name)
            } else if let name = node["Name"]?.scalar {
                names.append(name)
            } else {
                unreadable = true
            }
        }
        if let node = root["Transform"] {
            if let items = node.items { items.forEach(read) } else { read(node) }
        }
        transforms = names
        hasUnreadableTransform = unreadable
    }

    /// The SAM transform's name; CloudFormation knows no other version.
    public static let samTransform = "AWS::Serverless-2016-10-31"
    /// The transform that brings `Fn::ForEach`, `Fn::Length`, `DefaultValue` in `Fn::FindInMap`.
    public static let languageExtensions = "AWS::LanguageExtensions"

    /// Whether the SAM transform applies, so `AWS::Serverless::*` types, `Globals` and SAM's
    /// implicit resources exist. Only the exact name: CloudFormation looks any other name up
    /// as a macro (`AWS::Serverless-2016-10-31-test` is one), which `hasUnknownMacro` covers.
    public var isSAM: Bool { transforms.contains(SourceTemplate.samTransform) }

    /// Whether `AWS::LanguageExtensions` applies.
    public var hasLanguageExtensions: Bool { transforms.contains(SourceTemplate.languageExtensions) }

    /// Whether `AWS::CodeDeployBlueGreen` applies, which brings the `Hooks` section.
    public var hasBlueGreen: Bool { transforms.contains("AWS::CodeDeployBlueGreen") }

    /// Whether a transform other than SAM and AWS::LanguageExtensions (a macro, AWS::Include,
    /// CodeDeploy blue/green, or an entry that cannot be read) may rewrite the template, so
    /// what it will hold after the transform cannot be known here. Every rule that must stay
    /// silent about what a macro might define asks this, and only this.
    public var hasUnknownMacro: Bool {
        hasUnreadableTransform
            || transforms.contains { $0 != SourceTemplate.samTransform && $0 != SourceTemplate.languageExtensions }
    }

    /// The resource with this logical id.
    public func resource(_ id: String) -> Entry? { resourceIndex[id].map { resources[$0] } }
    /// The parameter with this logical id.
    public func parameter(_ id: String) -> Entry? { parameterIndex[id].map { parameters[$0] } }
    /// The condition with this name.
    public func condition(_ id: String) -> Entry? { conditionIndex[id].map { conditions[$0] } }

    /// Resources of one type, in source order.
    public func resources(ofType type: String) -> [Entry] { resources.filter { $0.type == type } }
}
