import YAML

/// An IAM policy document written in a template, what grammar it follows and where it is.
///
/// This is the one list of the places a template writes policy documents (the iam family
/// checks each; anything else that needs "every document of a resource" should read it here).
struct PolicyDocumentSite: Sendable {
    /// Who evaluates the document decides what a statement must and must not hold.
    enum Kind: Sendable, Equatable {
        /// Attached to a role, user or group: no Principal, a Resource in every statement.
        case identity
        /// A role's `AssumeRolePolicyDocument`: a Principal, no Resource.
        case trust
        /// A service resource's own policy (`AWS::S3::BucketPolicy`, …): a Principal in every statement.
        case resource(type: String)

        /// Whether every statement must name its resources. An ECR repository policy is
        /// about the repository it is set on, and ECR documents it without Resource.
        var needsResource: Bool {
            switch self {
            case .identity: return true
            case .trust: return false
            case .resource(let type): return type != "AWS::ECR::Repository"
            }
        }

        /// How messages name it.
        var name: String {
            switch self {
            case .identity: return "identity policy"
            case .trust: return "trust policy"
            case .resource(let type): return "\(type) resource policy"
            }
        }
    }

    let kind: Kind
    /// The document as written (it may be an `Fn::If`, a JSON string, anything).
    let node: Node
    /// Slash path of the document.
    let path: String
    /// The resource holding it; `nil` in `Globals`.
    let logicalId: String?

    /// Resource types with one document property, and its grammar. The resource policies
    /// are those whose service documents the statement grammar as IAM's and refuses a
    /// malformed document at create time (cfn-lint's E3512 and E3513 lists, less OpenSearch,
    /// whose access policies the domain reads with its own rules).
    static let documentProperties: [String: (property: String, kind: Kind)] = [
        "AWS::IAM::Policy": ("PolicyDocument", .identity),
        "AWS::IAM::ManagedPolicy": ("PolicyDocument", .identity),
        "AWS::IAM::RolePolicy": ("PolicyDocument", .identity),
        "AWS::IAM::UserPolicy": ("PolicyDocument", .identity),
        "AWS::IAM::GroupPolicy": ("PolicyDocument", .identity),
        "AWS::S3::BucketPolicy": ("PolicyDocument", .resource(type: "AWS::S3::BucketPolicy")),
        "AWS::SQS::QueuePolicy": ("PolicyDocument", .resource(type: "AWS::SQS::QueuePolicy")),
        "AWS::SNS::TopicPolicy": ("PolicyDocument", .resource(type: "AWS::SNS::TopicPolicy")),
        "AWS::KMS::Key": ("KeyPolicy", .resource(type: "AWS::KMS::Key")),
        "AWS::ECR::Repository": ("RepositoryPolicyText", .resource(type: "AWS::ECR::Repository")),
    ]

    /// Types whose `Policies` is a list of `{PolicyName, PolicyDocument}`.
    static let inlinePolicyTypes: Set<String> = ["AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"]

    /// SAM types whose `Policies` mixes managed policy names, policy templates and documents.
    static let samPolicyTypes: Set<String> = ["AWS::Serverless::Function", "AWS::Serverless::StateMachine"]

    /// Every policy document of `template`, in source order of the resources.
    static func all(in template: SourceTemplate) -> [PolicyDocumentSite] {
        var sites: [PolicyDocumentSite] = []
        for entry in template.resources {
            guard let type = entry.resourceType, let written = entry.properties else { continue }
            let base = "Resources/\(entry.id)/Properties"
            // `Properties: !If [C, {…}, {…}]` is a choice of two property sets: both are read.
            for properties in alternatives(written) where Intrinsic(properties) == nil && properties.pairs != nil {
                sites += documents(of: type, properties, base: base, logicalId: entry.id, isSAM: template.isSAM)
            }
        }
        // SAM copies Globals.Function.AssumeRolePolicyDocument into every function's role.
        if template.isSAM, let trust = template.root["Globals"]?["Function"]?["AssumeRolePolicyDocument"] {
            sites.append(PolicyDocumentSite(kind: .trust, node: trust, path: "Globals/Function/AssumeRolePolicyDocument", logicalId: nil))
        }
        return sites
    }

    /// The documents in one set of a resource's properties.
    private static func documents(of type: String, _ properties: Node, base: String, logicalId: String,
                                  isSAM: Bool) -> [PolicyDocumentSite] {
        var sites: [PolicyDocumentSite] = []
        if let (property, kind) = documentProperties[type], let node = properties[property] {
            sites.append(PolicyDocumentSite(kind: kind, node: node, path: "\(base)/\(property)", logicalId: logicalId))
        }
        if inlinePolicyTypes.contains(type), let policies = properties["Policies"] {
            for (policy, path) in listEntries(policies, path: "\(base)/Policies") {
                guard Intrinsic(policy) == nil, let document = policy["PolicyDocument"] else { continue }
                sites.append(PolicyDocumentSite(kind: .identity, node: document, path: "\(path)/PolicyDocument", logicalId: logicalId))
            }
        }
        // SAM types exist only under the transform; without it they are the template family's error.
        let isRoleOwner = type == "AWS::IAM::Role" || (isSAM && type == "AWS::Serverless::Function")
        if isRoleOwner, let trust = properties["AssumeRolePolicyDocument"] {
            sites.append(PolicyDocumentSite(kind: .trust, node: trust, path: "\(base)/AssumeRolePolicyDocument", logicalId: logicalId))
        }
        if isSAM, samPolicyTypes.contains(type), let policies = properties["Policies"] {
            for (policy, path) in listEntries(policies, path: "\(base)/Policies") where isSAMDocument(policy) {
                sites.append(PolicyDocumentSite(kind: .identity, node: policy, path: path, logicalId: logicalId))
            }
        }
        return sites
    }

    /// An entry of SAM `Policies` that is an inline document: a mapping with `Statement`.
    /// A policy template (`DynamoDBCrudPolicy: {…}`) and a managed policy name or ARN are not.
    static func isSAMDocument(_ node: Node) -> Bool {
        Intrinsic(node) == nil && node.pairs != nil && node["Statement"] != nil
    }

    /// The entries of a list-valued property with their paths: both branches of each `Fn::If`
    /// (`AWS::NoValue` dropped), a single value standing for a one-item list.
    static func listEntries(_ node: Node, path: String) -> [(Node, String)] {
        alternatives(node).flatMap { option -> [(Node, String)] in
            guard Intrinsic(option) == nil, let items = option.items else { return [(option, path)] }
            return items.enumerated().flatMap { index, item in alternatives(item).map { ($0, "\(path)/\(index)") } }
        }
    }
}
