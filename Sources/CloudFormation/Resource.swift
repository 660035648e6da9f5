import YAML

/// A resource of a template: its type, its properties and the resource attributes.
public struct Resource: Sendable, Equatable {
    /// The logical id, unique among parameters and resources.
    public var id: LogicalID
    /// `AWS::Service::Thing`, `AWS::Serverless::Function`, or `Custom::Name`.
    public var type: String
    /// `Properties`, in the order given.
    public var properties: [Value.Field]
    /// `DependsOn`: resources CloudFormation must create first.
    public var dependsOn: [LogicalID]
    /// `Condition`: the resource exists only when this condition holds.
    public var condition: String?
    /// `DeletionPolicy`.
    public var deletionPolicy: Policy?
    /// `UpdateReplacePolicy`.
    public var updateReplacePolicy: Policy?
    /// `Metadata`.
    public var metadata: Value?

    /// What CloudFormation does with the physical resource when the logical one goes away.
    public enum Policy: String, Sendable, Equatable {
        /// Delete it (the default for most types).
        case delete = "Delete"
        /// Keep it, outside the stack.
        case retain = "Retain"
        /// Keep it unless the stack is being rolled back after a failed create.
        case retainExceptOnCreate = "RetainExceptOnCreate"
        /// Take a snapshot, then delete it (databases and volumes only).
        case snapshot = "Snapshot"
    }

    /// Creates a resource.
    public init(
        _ id: LogicalID, type: String, properties: [Value.Field] = [], dependsOn: [LogicalID] = [],
        condition: String? = nil, deletionPolicy: Policy? = nil, updateReplacePolicy: Policy? = nil,
        metadata: Value? = nil
    ) {
        self.id = id
        self.type = type
        self.properties = properties
        self.dependsOn = dependsOn
        self.condition = condition
        self.deletionPolicy = deletionPolicy
        self.updateReplacePolicy = updateReplacePolicy
        self.metadata = metadata
    }

    /// The resource's body: `Type` first and `Properties` last, the order people read it in.
    public func node() throws(ModelError) -> Node {
        var pairs: [(String, Node)] = [("Type", .string(type))]
        if let condition { pairs.append(("Condition", .string(condition))) }
        if !dependsOn.isEmpty {
            let names = dependsOn.map { Node.string($0.rawValue) }
            pairs.append(("DependsOn", names.count == 1 ? names[0] : .sequence(names)))
        }
        if let deletionPolicy { pairs.append(("DeletionPolicy", .string(deletionPolicy.rawValue))) }
        if let updateReplacePolicy { pairs.append(("UpdateReplacePolicy", .string(updateReplacePolicy.rawValue))) }
        if let metadata { pairs.append(("Metadata", try metadata.node())) }
        if !properties.isEmpty { pairs.append(("Properties", try properties.node())) }
        return .mapping(pairs)
    }
}

/// A stack output, optionally exported for other stacks' `Fn::ImportValue`.
public struct Output: Sendable, Equatable {
    /// The output's logical id.
    public var id: LogicalID
    /// What the value is, for the console and `describe-stacks`.
    public var description: String?
    /// The value.
    public var value: Value
    /// The export name, when other stacks import it.
    public var exportName: Value?
    /// The output exists only when this condition holds.
    public var condition: String?

    /// Creates an output.
    public init(_ id: LogicalID, description: String? = nil, value: Value, exportName: Value? = nil, condition: String? = nil) {
        self.id = id
        self.description = description
        self.value = value
        self.exportName = exportName
        self.condition = condition
    }

    /// The output's body.
    public func node() throws(ModelError) -> Node {
        var pairs: [(String, Node)] = []
        if let description { pairs.append(("Description", .string(description))) }
        if let condition { pairs.append(("Condition", .string(condition))) }
        pairs.append(("Value", try value.node()))
        if let exportName { pairs.append(("Export", .mapping([("Name", try exportName.node())]))) }
        return .mapping(pairs)
    }
}
