import CloudFormation
import YAML

/// CloudFormation's template grammar and the service limits it enforces at deploy time:
/// sections, resource types and attributes, `Fn::GetAtt` attributes, the shapes of intrinsic
/// calls, Lambda limits and runtimes, and DynamoDB key definitions.
///
/// Everything here is what `CreateStack`/`UpdateStack` (or the SAM transform, or the service
/// behind a resource) refuses. Names that are not declared are the refs family's business.
public struct TemplateRules: RuleFamily {
    public static let family = Family.template

    // MARK: Sections

    static let unknownSection = Rule(
        "template-unknown-section", .template, .error, "A top-level section CloudFormation does not know",
        "A template's top level holds only AWSTemplateFormatVersion, Description, Metadata, Parameters, Rules, Mappings, Conditions, Transform, Resources, Outputs (and Globals with the SAM transform, Hooks with the CodeDeploy blue/green transform). CloudFormation rejects anything else with 'Invalid template property or properties'. Section names are case sensitive: fix the spelling, or move the content under Metadata. Not checked when a macro Transform (other than SAM and AWS::LanguageExtensions) could rewrite the template.")
    static let globalsWithoutSAM = Rule(
        "template-globals-without-sam", .template, .error, "A Globals section without the SAM transform",
        "Globals is consumed by the AWS SAM transform. Without `Transform: AWS::Serverless-2016-10-31` CloudFormation sees an unknown section and rejects the template. Add the transform, or move the settings into each resource.")
    static let missingResources = Rule(
        "template-missing-resources", .template, .error, "The template has no Resources section",
        "Resources is the only required section: CloudFormation refuses a template without it ('At least one Resources member must be defined'). Add the resources the stack creates.")
    static let emptyResources = Rule(
        "template-empty-resources", .template, .error, "The Resources section is empty",
        "CloudFormation refuses a template whose Resources section declares nothing ('At least one Resources member must be defined'). Declare at least one resource; a stack that only exports values still needs one (AWS::CloudFormation::WaitConditionHandle costs nothing).")
    static let sectionNotMapping = Rule(
        "template-section-not-mapping", .template, .error, "A section that must be a mapping is a list or a value",
        "Resources, Parameters, Mappings, Conditions, Outputs, Rules, Metadata and Globals are mappings of names to definitions. A list or a bare value there is a template format error. Check the indentation: the entries belong indented under the section name, without '-'.")
    static let formatVersion = Rule(
        "template-format-version", .template, .error, "AWSTemplateFormatVersion is not 2010-09-09",
        "The only template format version CloudFormation has ever defined is 2010-09-09; any other value is rejected. Write `AWSTemplateFormatVersion: '2010-09-09'` (quoted, so YAML 1.1 readers keep it a string), or leave the section out.")
    static let description = Rule(
        "template-description", .template, .error, "The template Description is not a string of at most 1024 bytes",
        "CloudFormation limits a template's Description to 1024 bytes (UTF-8) and requires a literal string; a longer or non-string Description fails validation. Shorten it and move the details into Metadata or a README.")

    // MARK: Resources

    static let logicalID = Rule(
        "template-logical-id", .template, .error, "A resource, parameter or output logical id that is not alphanumeric",
        "CloudFormation accepts only A-Z, a-z and 0-9 in the logical id of a resource, a parameter or an output, at most 255 characters ('Resource name my.Instance is non alphanumeric'). Rename it, and every Ref, GetAtt, Sub and DependsOn that uses it; hyphens, dots and underscores are the usual culprits.")

    static let resourceNotMapping = Rule(
        "template-resource-not-mapping", .template, .error, "A resource is not a mapping",
        "Each entry under Resources is a mapping with at least a Type (and usually Properties). A list or a bare value is a template format error; it is usually an indentation mistake. Fn::ForEach entries need `Transform: AWS::LanguageExtensions`.")
    static let missingType = Rule(
        "template-resource-missing-type", .template, .error, "A resource has no Type",
        "Every resource needs a Type such as AWS::Lambda::Function; CloudFormation rejects a resource without one. Add it (the name is case sensitive).")
    static let typeNotString = Rule(
        "template-resource-type-not-string", .template, .error, "A resource's Type is not a literal string",
        "Type must be written out as a string: CloudFormation resolves no intrinsic function there, and a list or mapping is a format error. Write the type name, e.g. `Type: AWS::SQS::Queue`; use Conditions to choose between resources.")
    static let unknownType = Rule(
        "template-unknown-resource-type", .template, .error, "A resource type CloudFormation does not know",
        "CloudFormation refuses types it has no provider for ('Unrecognized resource types'). Type names are case sensitive and the message suggests the closest known one. Custom resources are written Custom::Name or AWS::CloudFormation::CustomResource; third-party and private types (Organization::Service::Resource, outside the AWS namespaces) are registered per account, so only near misses of known types are reported for them. Not checked when a macro Transform could define types.")
    static let serverlessWithoutTransform = Rule(
        "template-serverless-without-transform", .template, .error, "An AWS::Serverless::* resource without the SAM transform",
        "AWS::Serverless::* types exist only inside the AWS SAM transform, which expands them into plain CloudFormation resources. Without `Transform: AWS::Serverless-2016-10-31` at the top level CloudFormation reports them as unrecognized types. Add the transform.")
    static let unknownAttribute = Rule(
        "template-unknown-resource-attribute", .template, .error, "A key at resource level CloudFormation does not know",
        "A resource holds only Type, Properties, DependsOn, Condition, DeletionPolicy, UpdateReplacePolicy, Metadata, CreationPolicy, UpdatePolicy and Version (and, with the SAM transform, Connectors and, on AWS::Serverless resources, IgnoreGlobals). Anything else fails with 'Invalid template resource property'. It is usually a property indented one level too little: move it under Properties, or fix its spelling (keys are case sensitive).")
    static let policyValue = Rule(
        "template-policy-value", .template, .error, "A DeletionPolicy or UpdateReplacePolicy CloudFormation does not accept",
        "DeletionPolicy takes Delete, Retain, RetainExceptOnCreate or Snapshot; UpdateReplacePolicy takes Delete, Retain or Snapshot. Values are case sensitive. Anything else fails the deploy. A value computed by an intrinsic function (Fn::If, Ref) is not checked.")
    static let snapshotUnsupported = Rule(
        "template-snapshot-unsupported", .template, .warning, "Snapshot policy on a type that cannot be snapshotted",
        "The Snapshot deletion and replace policy applies to AWS::DocDB::DBCluster, AWS::EC2::Volume, AWS::ElastiCache::CacheCluster, AWS::ElastiCache::ReplicationGroup, AWS::Neptune::DBCluster, AWS::RDS::DBCluster, AWS::RDS::DBInstance and AWS::Redshift::Cluster. On any other type there is no snapshot to take: use Retain to keep the data.")
    static let getAttAttribute = Rule(
        "template-getatt-attribute", .template, .error, "Fn::GetAtt reads an attribute the resource type does not have",
        "Each resource type exposes a fixed set of attributes to Fn::GetAtt (and to ${Resource.Attribute} in Fn::Sub); CloudFormation rejects any other ('Requested attribute ... does not exist in schema'). Names are case sensitive; the message lists the closest valid one. Custom resources accept any attribute their handler returns.")
    static let intrinsicShape = Rule(
        "template-intrinsic-shape", .template, .error, "An intrinsic function called with the wrong arguments",
        "Each intrinsic function takes a fixed shape: Ref a name; Fn::Sub a string or [string, {variables}]; Fn::Join [delimiter, list]; Fn::GetAtt Resource.Attribute or [Resource, Attribute]; Fn::Select [index, list]; Fn::If [condition, value if true, value if false]; Fn::Equals two values; Fn::And/Fn::Or 2 to 10 conditions; Fn::Not a one-item list; Fn::FindInMap [map, top key, second key]; Fn::Split [delimiter, string]; Fn::Cidr [block, count, bits]; Fn::GetAZs, Fn::ImportValue and Fn::Base64 one value. CloudFormation rejects anything else with a template format error.")

    // MARK: Lambda

    static let lambdaTimeout = Rule(
        "template-lambda-timeout", .template, .error, "A Lambda Timeout outside 1–900 seconds",
        "Lambda accepts a Timeout between 1 and 900 seconds (15 minutes), as a whole number; any other value fails the create or update of the function. Behind an API Gateway integration, a response returned after 29 seconds is lost: API Gateway stops waiting then.")
    static let lambdaMemory = Rule(
        "template-lambda-memory", .template, .error, "A Lambda MemorySize outside 128–10240 MB",
        "Lambda accepts a MemorySize between 128 and 10240 MB, as a whole number; any other value fails the create or update of the function.")
    static let lambdaParameterDefault = Rule(
        "template-lambda-parameter-default", .template, .warning, "A Lambda limit given by a parameter whose default is out of range",
        "Timeout or MemorySize is a Ref to a parameter whose Default lies outside Lambda's limits (1–900 s, 128–10240 MB). A deploy that does not override the parameter fails. Fix the default, and give the parameter MinValue/MaxValue so bad values are refused before the deploy starts.")
    static let runtimeDeprecated = Rule(
        "template-runtime-deprecated", .template, .warning, "A deprecated Lambda runtime",
        "AWS no longer patches a deprecated runtime, and on published dates it blocks creating and then updating functions on it, at which point a deploy of this template fails. The message names the dates and the successor; move the function to it.")
    static let runtimeBlocked = Rule(
        "template-runtime-blocked", .template, .error, "A Lambda runtime on which functions can no longer be created",
        "Past the runtime's create-block date, Lambda refuses to create functions on it, so a new stack (or any change that replaces the function) fails; past the update-block date, updates fail too. Move the function to the successor runtime named in the message.")
    static let runtimeUnknown = Rule(
        "template-runtime-unknown", .template, .error, "A Lambda runtime name Lambda does not know",
        "Runtime must be one of Lambda's runtime identifiers (nodejs24.x, python3.13, java21, provided.al2023, …); Lambda rejects any other value. The message suggests the closest known name.")

    static let lambdaEnvironmentName = Rule(
        "template-lambda-environment-name", .template, .error, "A Lambda environment variable name Lambda refuses",
        "Lambda accepts environment variable names of a letter followed by one or more letters, digits or underscores ([a-zA-Z]([a-zA-Z0-9_])+), and reserves some for itself (AWS_REGION, AWS_LAMBDA_FUNCTION_NAME, _HANDLER, …). Creating or updating the function with any other name fails ('Member must satisfy regular expression pattern', 'Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys'). Hyphens and dots are the usual culprits: use underscores. Checked on AWS::Lambda::Function, AWS::Serverless::Function and Globals.Function.")

    // MARK: DynamoDB

    static let dynamoUnusedAttribute = Rule(
        "template-dynamodb-attribute-unused", .template, .error, "A DynamoDB attribute definition that is not a key",
        "AttributeDefinitions must list exactly the attributes used in the KeySchema of the table and of its global and local secondary indexes. CloudFormation refuses any other ('Property AttributeDefinitions is inconsistent with the KeySchema of the table and the secondary indexes'). Remove the definition: DynamoDB is schemaless outside its keys, and the TTL attribute is not declared here either.")
    static let dynamoThroughput = Rule(
        "template-dynamodb-throughput", .template, .error, "A DynamoDB table whose throughput does not match its billing mode",
        "A table in PROVISIONED mode (the default when BillingMode is absent) needs ProvisionedThroughput, and so does each of its global secondary indexes; a PAY_PER_REQUEST table must not set any capacity but 0. DynamoDB refuses the table otherwise ('ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED', 'Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST'). Set BillingMode: PAY_PER_REQUEST, or give the throughput.")
    static let dynamoUndefinedKey = Rule(
        "template-dynamodb-key-undefined", .template, .error, "A DynamoDB key attribute without an attribute definition",
        "Every attribute used in the KeySchema of the table or of a secondary index needs an entry in AttributeDefinitions with its type (S, N or B); otherwise DynamoDB rejects the table ('Some index key attributes are not defined in AttributeDefinitions'). Add `- AttributeName: <name>` with its `AttributeType`.")

    public static let rules: [Rule] = [
        unknownSection, globalsWithoutSAM, missingResources, emptyResources, sectionNotMapping, formatVersion, description,
        logicalID, resourceNotMapping, missingType, typeNotString, unknownType, serverlessWithoutTransform, unknownAttribute,
        policyValue, snapshotUnsupported, getAttAttribute, intrinsicShape, subNeeded,
        lambdaTimeout, lambdaMemory, lambdaParameterDefault, runtimeDeprecated, runtimeBlocked, runtimeUnknown,
        lambdaEnvironmentName, dynamoUnusedAttribute, dynamoUndefinedKey, dynamoThroughput, tooManyResources,
        outputValue, outputKey, exportName, exportNameCharacters, exportNameUnicode, exportNameDuplicate,
    ]

    public init() {}

    public func check(_ context: ValidationContext, into report: inout Report) {
        let scope = Scope(context)
        Self.checkSections(scope, into: &report)
        let sites = Self.resourceSites(scope)
        for site in sites {
            Self.checkLogicalID(site.id, key: site.key, section: "resource", path: site.path, into: &report)
            Self.checkResource(site, scope, into: &report)
        }
        for parameter in context.template.parameters {
            Self.checkLogicalID(parameter.id, key: parameter.key, section: "parameter", path: "Parameters/\(parameter.id)", into: &report)
        }
        for output in context.template.outputs {
            // Fn::ForEach output loops are expanded by AWS::LanguageExtensions.
            if scope.hasLanguageExtensions && output.id.hasPrefix("Fn::ForEach::") { continue }
            Self.checkLogicalID(output.id, key: output.key, section: "output", path: "Outputs/\(output.id)", into: &report)
        }
        Self.checkOutputs(scope, into: &report)
        Self.checkIntrinsics(scope, into: &report)
        Self.checkSubNeeded(scope, into: &report)
        Self.checkLambda(sites, scope, into: &report)
        Self.checkDynamoDB(sites, into: &report)
        Self.checkResourceCount(context, into: &report)
    }
}

// MARK: - What the whole family needs to know about a template

extension TemplateRules {
    /// The template and what its transforms (read by `SourceTemplate`) allow it to say.
    struct Scope {
        let template: SourceTemplate
        let today: String
        /// `AWS::Serverless-2016-10-31`: SAM types, Globals, Connectors.
        var isSAM: Bool { template.isSAM }
        /// `AWS::LanguageExtensions`: Fn::ForEach, intrinsics in policies and Ref/GetAtt names.
        var hasLanguageExtensions: Bool { template.hasLanguageExtensions }
        /// Any other transform (a macro, AWS::Include, CodeDeploy blue/green): it may rewrite
        /// the template, so what it might define is not reported.
        var hasMacro: Bool { template.hasUnknownMacro }
        /// `AWS::CodeDeployBlueGreen`, which brings the Hooks section.
        var hasBlueGreen: Bool { template.hasBlueGreen }

        init(_ context: ValidationContext) {
            template = context.template
            today = context.today
        }
    }

    /// One resource as written: `Resources/<id>`, or inside an `Fn::ForEach` fragment.
    struct ResourceSite {
        /// The logical id as written (a ForEach fragment's id still holds `${Identifier}`).
        let id: String
        let key: Node
        let value: Node
        /// Slash path of the resource's body.
        let path: String

        var type: String? {
            guard let node = value["Type"], Intrinsic(node) == nil else { return nil }
            return node.scalar
        }
    }

    /// The resources to check, with `Fn::ForEach` fragments expanded one level per loop
    /// (under AWS::LanguageExtensions) and `Fn::Transform` includes left out.
    static func resourceSites(_ scope: Scope) -> [ResourceSite] {
        var sites: [ResourceSite] = []
        func collect(_ section: Node, path: String) {
            for pair in section.pairs ?? [] {
                guard let id = pair.key.scalar else { continue }
                if id == "Fn::Transform" { continue }  // AWS::Include: the snippet is not here to check
                if scope.hasLanguageExtensions, id.hasPrefix("Fn::ForEach::") {
                    if let items = pair.value.items, items.count == 3, items[2].pairs != nil {
                        collect(items[2], path: "\(path)/\(id)/2")  // depth is bounded by the parser
                    }
                    continue
                }
                sites.append(ResourceSite(id: id, key: pair.key, value: pair.value, path: "\(path)/\(id)"))
            }
        }
        if let resources = scope.template.root["Resources"] { collect(resources, path: "Resources") }
        return sites
    }

    /// Whether `node` is a literal string: a scalar that is not a short-form call.
    static func isLiteral(_ node: Node) -> Bool {
        node.scalar != nil && Intrinsic(node) == nil
    }

    /// How a node looks, for messages: `'text'`, `a 3-item list`, `a mapping`, `a call to Fn::If`.
    static func describe(_ node: Node) -> String {
        if let call = Intrinsic(node) { return "a call to \(call.name)" }
        switch node.kind {
        case .scalar(let value, _):
            return "'\(value.count > 60 ? String(value.prefix(57)) + "..." : value)'"
        case .sequence(let items, _):
            return items.count == 1 ? "a 1-item list" : "a \(items.count)-item list"
        case .mapping:
            return "a mapping"
        }
    }
}

// MARK: - Sections

extension TemplateRules {
    static let knownSections: Set<String> = [
        "AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings", "Conditions",
        "Transform", "Resources", "Outputs",
    ]
    /// Sections whose body is a mapping of names.
    static let mappingSections = ["Metadata", "Parameters", "Rules", "Mappings", "Conditions", "Outputs", "Globals", "Hooks"]

    static func checkSections(_ scope: Scope, into report: inout Report) {
        let root = scope.template.root
        for pair in root.pairs ?? [] {
            guard let name = pair.key.scalar else { continue }
            if knownSections.contains(name) { continue }
            if name == "Globals" {
                if !scope.isSAM {
                    report.add(globalsWithoutSAM,
                               "Globals is a section of the SAM transform; add `Transform: AWS::Serverless-2016-10-31` or move its settings into each resource",
                               at: pair.key, path: name)
                }
                continue
            }
            if name == "Hooks", scope.hasBlueGreen || scope.hasMacro { continue }
            if scope.hasMacro { continue }
            var candidates = knownSections
            if scope.isSAM { candidates.insert("Globals") }
            let hint = Suggestion.closest(to: name, in: candidates).map { "; did you mean '\($0)'?" }
                ?? "; move it under Metadata or remove it"
            report.add(unknownSection, "unknown top-level section '\(name)'\(hint)", at: pair.key, path: name)
        }

        for name in mappingSections {
            guard let node = root[name], !node.isNull, node.pairs == nil else { continue }
            report.add(sectionNotMapping, "\(name) is \(describe(node)), not a mapping of names to definitions; indent its entries under it without '-'",
                       at: node, path: name)
        }

        switch root["Resources"] {
        case .none:
            if !scope.hasMacro {
                report.add(missingResources, "the template has no Resources section; CloudFormation needs at least one resource",
                           at: root.pairs?.first?.key ?? root)
            }
        case .some(let node) where node.isNull || node.pairs?.isEmpty == true:
            let key = root.pairs?.first { $0.key.scalar == "Resources" }?.key
            report.add(emptyResources, "the Resources section declares no resource; CloudFormation needs at least one",
                       at: node.isNull ? key : node, path: "Resources")
        case .some(let node) where node.pairs == nil:
            report.add(sectionNotMapping, "Resources is \(describe(node)), not a mapping of logical ids to resources; indent each resource under it without '-'",
                       at: node, path: "Resources")
        default:
            break
        }

        if let version = root["AWSTemplateFormatVersion"], version.scalar != "2010-09-09" || Intrinsic(version) != nil {
            report.add(formatVersion, "AWSTemplateFormatVersion is \(describe(version)); the only version is '2010-09-09'",
                       at: version, path: "AWSTemplateFormatVersion")
        }

        if let text = root["Description"] {
            if let value = text.scalar, Intrinsic(text) == nil {
                let bytes = value.utf8.count
                if bytes > 1024 {
                    report.add(description, "the Description is \(bytes) bytes long; CloudFormation accepts at most 1024, so shorten it",
                               at: text, path: "Description")
                }
            } else {
                report.add(description, "the Description is \(describe(text)); it must be a literal string of at most 1024 bytes",
                           at: text, path: "Description")
            }
        }
    }
}

// MARK: - Resources

extension TemplateRules {
    static let resourceAttributes: Set<String> = [
        "Type", "Properties", "DependsOn", "Condition", "DeletionPolicy", "UpdateReplacePolicy", "Metadata",
        "CreationPolicy", "UpdatePolicy", "Version",
    ]
    static let deletionPolicies = ["Delete", "Retain", "RetainExceptOnCreate", "Snapshot"]
    static let replacePolicies = ["Delete", "Retain", "Snapshot"]
    /// Types that take the Snapshot policy, from the DeletionPolicy attribute's documentation.
    static let snapshotTypes: Set<String> = [
        "AWS::DocDB::DBCluster", "AWS::EC2::Volume", "AWS::ElastiCache::CacheCluster", "AWS::ElastiCache::ReplicationGroup",
        "AWS::Neptune::DBCluster", "AWS::RDS::DBCluster", "AWS::RDS::DBInstance", "AWS::Redshift::Cluster",
    ]

    /// Whether `id` is 1 to 255 ASCII letters and digits.
    static func isAlphanumeric(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 255 && id.utf8.allSatisfy { byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
    }

    static func checkLogicalID(_ id: String, key: Node, section: String, path: String, into report: inout Report) {
        // Inside an Fn::ForEach fragment the id is a template (`Bucket${Name}`); Fn::ForEach
        // keys themselves are reported as malformed resources when the transform is missing.
        if isAlphanumeric(id) || id.containsText("${") || id.containsText("&{") || id.hasPrefix("Fn::") { return }
        let problem = id.utf8.count > 255 ? "is longer than 255 characters" : "is not alphanumeric"
        report.add(logicalID, "\(section) logical id '\(id)' \(problem); CloudFormation accepts only A-Z, a-z and 0-9, so rename it",
                   at: key, logicalId: id, path: path)
    }

    static func checkResource(_ site: ResourceSite, _ scope: Scope, into report: inout Report) {
        guard let pairs = site.value.pairs else {
            // An Fn::Transform (AWS::Include) in place of a body is a snippet we cannot see.
            if Intrinsic(site.value)?.name == "Fn::Transform" { return }
            var message = "resource '\(site.id)' is \(site.value.isNull ? "empty" : describe(site.value)), not a mapping with a Type"
            if site.id.hasPrefix("Fn::ForEach::") {
                message += "; Fn::ForEach needs `Transform: AWS::LanguageExtensions`"
            } else {
                message += "; indent its Type and Properties under it"
            }
            report.add(resourceNotMapping, message, at: site.value.isNull ? site.key : site.value, logicalId: site.id, path: site.path)
            return
        }
        if pairs.count == 1, Intrinsic(site.value)?.name == "Fn::Transform" { return }

        var type: String?
        if let typeNode = site.value["Type"] {
            if let name = typeNode.scalar, Intrinsic(typeNode) == nil {
                type = name
                checkType(name, at: typeNode, site, scope, into: &report)
            } else {
                report.add(typeNotString, "the Type of '\(site.id)' is \(describe(typeNode)); write the type name as a literal string",
                           at: typeNode, logicalId: site.id, path: site.path + "/Type")
            }
        } else {
            report.add(missingType, "resource '\(site.id)' has no Type; add one such as `Type: AWS::SQS::Queue`",
                       at: site.key, logicalId: site.id, path: site.path)
        }

        for pair in pairs {
            guard let key = pair.key.scalar else { continue }
            switch key {
            case "DeletionPolicy", "UpdateReplacePolicy":
                checkPolicy(key, pair.value, type: type, site, scope, into: &report)
            case _ where resourceAttributes.contains(key):
                continue
            case "Connectors" where scope.isSAM, "Fn::Transform":
                continue
            case "IgnoreGlobals" where scope.isSAM && (type?.hasPrefix("AWS::Serverless::") ?? true):
                continue
            default:
                if scope.hasMacro { continue }  // a macro may consume keys of its own
                var allowed = resourceAttributes
                if scope.isSAM { allowed.formUnion(["Connectors", "IgnoreGlobals"]) }
                let hint: String
                if key == "IgnoreGlobals" && scope.isSAM {
                    hint = "; IgnoreGlobals applies only to AWS::Serverless resources"
                } else if let close = Suggestion.closest(to: key, in: allowed) {
                    hint = "; did you mean '\(close)'?"
                } else {
                    hint = "; if it is a property, indent it under Properties"
                }
                report.add(unknownAttribute, "'\(key)' is not a resource attribute of '\(site.id)'\(hint)",
                           at: pair.key, logicalId: site.id, path: "\(site.path)/\(key)")
            }
        }
    }

    static func checkType(_ name: String, at node: Node, _ site: ResourceSite, _ scope: Scope, into report: inout Report) {
        if name.hasPrefix("AWS::Serverless::") && !scope.isSAM {
            if scope.hasMacro { return }
            report.add(serverlessWithoutTransform,
                       "\(name) exists only with the SAM transform; add `Transform: AWS::Serverless-2016-10-31` at the top level",
                       at: node, logicalId: site.id, path: site.path + "/Type")
            return
        }
        if ResourceCatalog.isKnown(name) || scope.hasMacro { return }
        let suggestion = Suggestion.closestType(to: name)
        // Outside AWS's namespaces a three-part name (`Org::Service::Thing`, or a module's
        // `Org::Service::Thing::MODULE`) may be a registry type of the account: only a near
        // miss of a known type is reported there.
        let segments = name.split(separator: "::", omittingEmptySubsequences: false).map(String.init)
        let reserved = ["AWS", "Alexa", "Custom"].contains(segments[0])
        let registryShape = segments.count == 3 || (segments.count == 4 && segments[3] == "MODULE")
        if !reserved, registryShape, suggestion == nil, segments.allSatisfy({ !$0.isEmpty }) { return }
        let hint = suggestion.map { "; did you mean '\($0)'?" }
            ?? (reserved ? "" : "; a third-party or private type is written Organization::Service::Resource")
        report.add(unknownType, "unknown resource type '\(name)'\(hint)", at: node, logicalId: site.id, path: site.path + "/Type")
    }

    static func checkPolicy(_ attribute: String, _ node: Node, type: String?, _ site: ResourceSite, _ scope: Scope,
                            into report: inout Report) {
        let path = "\(site.path)/\(attribute)"
        let allowed = attribute == "DeletionPolicy" ? deletionPolicies : replacePolicies
        guard let value = node.scalar, Intrinsic(node) == nil else {
            // CloudFormation resolves intrinsics here (Fn::If on a condition, Ref to a parameter);
            // what they resolve to is not known before the deploy.
            if Intrinsic(node) != nil { return }
            report.add(policyValue, "\(attribute) of '\(site.id)' is \(describe(node)); write one of \(allowed.joined(separator: ", "))",
                       at: node, logicalId: site.id, path: path)
            return
        }
        guard allowed.contains(value) else {
            var hint = Suggestion.closest(to: value, in: allowed).map { "; did you mean '\($0)'?" } ?? ""
            if value == "RetainExceptOnCreate" { hint = "; RetainExceptOnCreate is a DeletionPolicy only, use Retain" }
            report.add(policyValue, "\(attribute) '\(value)' of '\(site.id)' is not one of \(allowed.joined(separator: ", "))\(hint)",
                       at: node, logicalId: site.id, path: path)
            return
        }
        if value == "Snapshot", let type, ResourceCatalog.isKnown(type), !snapshotTypes.contains(type) {
            report.add(snapshotUnsupported, "\(attribute) Snapshot on '\(site.id)' (\(type)) has nothing to snapshot; use Retain to keep its data",
                       at: node, logicalId: site.id, path: path)
        }
    }
}
