/// Where each property of an `AWS::Serverless::Function` goes when the SAM transform expands
/// it: onto the `AWS::Lambda::Function` of the same logical id (unchanged, renamed or
/// reshaped), onto a resource SAM makes beside it, or into resources of their own. Read from
/// the SAM translator (aws-sam-translator 1.115, as aws-sam-cli 1.170 pins it):
/// `SamFunction._construct_lambda_function`, `_construct_code_dict`, `_construct_role`,
/// `_construct_version`, `_construct_alias` and `to_cloudformation` in
/// `samtranslator/model/sam_resources.py`, and the event sources of `samtranslator/model/eventsources`.
///
/// A diff of SAM templates asks `replacements(forChangeAt:)` what a changed SAM property does
/// to the resources it lands on, with the answers of `ResourceSchema.replacement(for:)`.
public enum SAMFunctionMapping {
    /// A resource a SAM property lands on, and where.
    public struct Target: Sendable, Equatable {
        /// The resource type.
        public let type: String
        /// The property it becomes there; `nil` when it makes or reshapes whole resources
        /// (events, versions) rather than setting one property.
        public let path: ResourceSchema.PropertyPath?
        /// Whether the value is handed over unchanged, so a path inside it is the same path
        /// inside `path` (`VpcConfig.SubnetIds`); `false` when SAM reshapes it.
        public let sameShape: Bool
    }

    /// One SAM property and where it goes.
    public struct Property: Sendable {
        /// The SAM property.
        public let name: String
        /// Where it lands: the Lambda function first when it does.
        public let targets: [Target]
        /// How, in a few words.
        public let note: String
    }

    static let function = "AWS::Lambda::Function"
    static let role = "AWS::IAM::Role"
    static let version = "AWS::Lambda::Version"
    static let alias = "AWS::Lambda::Alias"

    /// Unchanged onto the Lambda function, under the same name.
    private static func passed(_ name: String, also: [Target] = [], _ note: String = "the function's property of the same name") -> Property {
        Property(name: name, targets: [Target(type: function, path: ResourceSchema.PropertyPath([name]), sameShape: true)] + also, note: note)
    }

    private static func target(_ type: String, _ path: ResourceSchema.PropertyPath? = nil, sameShape: Bool = false) -> Target {
        Target(type: type, path: path, sameShape: sameShape)
    }

    /// Every property of `AWS::Serverless::Function` the translator reads, by name.
    public static let properties: [Property] = [
        passed("Architectures"),
        Property(name: "AssumeRolePolicyDocument", targets: [target(role, "AssumeRolePolicyDocument", sameShape: true)],
                 note: "the trust policy of the role SAM makes (<Id>Role), when Role is not given"),
        Property(name: "AutoPublishAlias", targets: [target(version), target(alias, "Name")],
                 note: "a version <Id>Version<hash of the code> (a new resource when the code changes; the old one is kept) and an alias <Id>Alias<Name>"),
        Property(name: "AutoPublishAliasAllProperties", targets: [target(version)],
                 note: "the version's logical id hashes every function property, so any change makes a new version"),
        Property(name: "AutoPublishCodeSha256", targets: [target(function, "Description"), target(version)],
                 note: "appended to the function's Description and hashed into the version's logical id"),
        Property(name: "CapacityProviderConfig", targets: [target(function, "CapacityProviderConfig")],
                 note: "reshaped into CapacityProviderConfig.LambdaManagedInstancesCapacityProviderConfig (Arn becomes CapacityProviderArn)"),
        passed("CodeSigningConfigArn"),
        Property(name: "CodeUri", targets: [target(function, "Code"), target(version)],
                 note: "Code.S3Bucket, S3Key, S3ObjectVersion; with AutoPublishAlias a new version too"),
        Property(name: "DeadLetterQueue", targets: [target(function, "DeadLetterConfig.TargetArn"), target(role, "Policies")],
                 note: "DeadLetterConfig.TargetArn, and a policy on the role SAM makes allowing sqs:SendMessage or sns:Publish"),
        Property(name: "DeploymentPreference",
                 targets: [target("AWS::CodeDeploy::Application"), target("AWS::CodeDeploy::DeploymentGroup"), target(role), target(alias)],
                 note: "ServerlessDeploymentApplication, <Id>DeploymentGroup, CodeDeployServiceRole, and the alias's CodeDeployLambdaAliasUpdate UpdatePolicy"),
        passed("Description"),
        passed("DurableConfig", also: [target(role, "ManagedPolicyArns")],
               "the function's DurableConfig; the role SAM makes gets AWSLambdaBasicDurableExecutionRolePolicy"),
        passed("Environment", also: [target(version)], "the function's Environment; hashed into the version's logical id"),
        passed("EphemeralStorage"),
        Property(name: "EventInvokeConfig",
                 targets: [target("AWS::Lambda::EventInvokeConfig"), target("AWS::SNS::Topic"), target("AWS::SQS::Queue"), target(role, "Policies")],
                 note: "<Id>EventInvokeConfig; an SNS topic or SQS queue when a destination names a Type without a Destination; policies on the role"),
        Property(name: "Events",
                 targets: ["AWS::Lambda::Permission", "AWS::Lambda::EventSourceMapping", "AWS::Events::Rule", "AWS::Scheduler::Schedule",
                           "AWS::SNS::Subscription", "AWS::Logs::SubscriptionFilter", "AWS::IoT::TopicRule", "AWS::ApiGateway::RestApi",
                           "AWS::ApiGatewayV2::Api"].map { target($0) },
                 note: "per event: permissions, event source mappings (SQS, Kinesis, DynamoDB, MSK, MQ, SelfManagedKafka, DocumentDB), rules, schedules, subscriptions, filters, topic rules, and the implicit ServerlessRestApi or ServerlessHttpApi"),
        passed("FileSystemConfigs"),
        passed("FunctionName"),
        passed("FunctionScalingConfig"),
        Property(name: "FunctionUrlConfig", targets: [target("AWS::Lambda::Url"), target("AWS::Lambda::Permission")],
                 note: "<Id>Url and <Id>UrlPublicPermissions (and an invoke permission for AuthType NONE)"),
        passed("Handler"),
        passed("ImageConfig"),
        Property(name: "ImageUri", targets: [target(function, "Code.ImageUri"), target(version)], note: "Code.ImageUri"),
        Property(name: "InlineCode", targets: [target(function, "Code.ZipFile"), target(version)], note: "Code.ZipFile"),
        passed("KmsKeyArn"),
        passed("Layers"),
        passed("LoggingConfig"),
        passed("MemorySize", also: [target(version)], "the function's MemorySize; hashed into the version's logical id"),
        passed("PackageType"),
        Property(name: "PermissionsBoundary", targets: [target(role, "PermissionsBoundary", sameShape: true)],
                 note: "the PermissionsBoundary of the role SAM makes"),
        Property(name: "Policies", targets: [target(role, "Policies"), target(role, "ManagedPolicyArns")],
                 note: "inline policies, managed policy ARNs and policy templates of the role SAM makes"),
        Property(name: "PropagateTags", targets: [],
                 note: "copies Tags onto the resources SAM makes for the function"),
        Property(name: "ProvisionedConcurrencyConfig", targets: [target(alias, "ProvisionedConcurrencyConfig", sameShape: true)],
                 note: "the alias's ProvisionedConcurrencyConfig (needs AutoPublishAlias)"),
        passed("PublishToLatestPublished"),
        passed("RecursiveLoop"),
        passed("ReservedConcurrentExecutions"),
        passed("Role", also: [target(role)], "the function's Role; without it SAM makes <Id>Role"),
        Property(name: "RolePath", targets: [target(role, "Path", sameShape: true)], note: "the Path of the role SAM makes"),
        passed("Runtime"),
        passed("RuntimeManagementConfig"),
        passed("SnapStart", also: [target(version)], "the function's SnapStart; hashed into the version's logical id"),
        Property(name: "SourceKMSKeyArn", targets: [target(function, "Code.SourceKMSKeyArn")], note: "Code.SourceKMSKeyArn (zip packages)"),
        Property(name: "Tags", targets: [target(function, "Tags"), target(role, "Tags")],
                 note: "a map made a list of Key/Value, with lambda:createdBy: SAM added, on the function and the role"),
        passed("TenancyConfig"),
        passed("Timeout"),
        Property(name: "Tracing", targets: [target(function, "TracingConfig.Mode"), target(role, "ManagedPolicyArns")],
                 note: "TracingConfig.Mode (dropped for Disabled), and the X-Ray policy on the role SAM makes"),
        Property(name: "VersionDeletionPolicy", targets: [target(version)], note: "the version's DeletionPolicy"),
        Property(name: "VersionDescription", targets: [target(version, "Description", sameShape: true)], note: "the version's Description"),
        passed("VpcConfig", also: [target(role, "ManagedPolicyArns")],
               "the function's VpcConfig; the role SAM makes gets AWSLambdaVPCAccessExecutionRole"),
    ]

    /// The mapping of SAM property `name`; `nil` when the translator has no such property.
    public static func property(_ name: String) -> Property? {
        properties.first { $0.name == name }
    }

    /// What changing the SAM function's value at `path` (`CodeUri`, `VpcConfig.SubnetIds`) does
    /// to each resource it lands on that has a property for it: one verdict per target with a
    /// path (a path inside a reshaped value is judged at the target's path). Empty when the
    /// property is unknown or lands on no property (events, versions: their own resources).
    public static func replacements(forChangeAt path: ResourceSchema.PropertyPath) -> [(target: Target, verdict: ResourceSchema.ReplacementVerdict)] {
        guard let name = path.segments.first, let mapping = property(name) else { return [] }
        return mapping.targets.compactMap { target in
            guard let targetPath = target.path else { return nil }
            let changed = target.sameShape ? ResourceSchema.PropertyPath(targetPath.segments + path.segments.dropFirst()) : targetPath
            return ResourceSchema.replacement(for: target.type, changedAt: changed).map { (target, $0) }
        }
    }
}
