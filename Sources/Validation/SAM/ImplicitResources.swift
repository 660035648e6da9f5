import YAML

/// A resource the SAM transform creates that the template does not declare.
public struct ImplicitResource: Sendable, Equatable, CustomStringConvertible {
    /// The logical id SAM gives it (`ChatSendRole`, `ServerlessRestApiProdStage`).
    public let id: String
    /// Its CloudFormation type.
    public let type: String
    /// The declaring resource's logical id (a resource several share, like `ServerlessRestApi`
    /// or `CodeDeployServiceRole`, names the first one that made SAM create it).
    public let source: String

    /// Creates an implicit resource.
    public init(id: String, type: String, source: String) {
        self.id = id
        self.type = type
        self.source = source
    }

    /// `id (type, from source)`, for test failures.
    public var description: String { "\(id) (\(type), from \(source))" }
}

/// What the SAM transform (aws-sam-translator 1.110) adds to a template, learnt from the
/// translator's source and checked against its own test pairs (input → output).
///
/// Ids SAM derives from a hash of content (`FVersion<hash>`, `ApiDeployment<hash>`,
/// `ApiGatewayDomainName<hash>`, `RecordSetGroup<hash>`, a stage whose name is not
/// alphanumeric, a layer's new id) cannot be known before the transform runs, so they are
/// not listed; templates reach those resources through the dotted names SAM resolves
/// (`F.Version`, `Api.Deployment`, `Api.DomainName`, …), which `referenceableNames` holds.
public enum SAMImplicit {
    /// Every resource SAM would create for `template` beyond those it declares, in template
    /// order, each id once; empty unless the template names the SAM transform or declares
    /// `AWS::Serverless::*` resources.
    public static func resources(in template: SourceTemplate) -> [ImplicitResource] {
        Model(template).resources
    }

    /// Names that `Ref`/`Fn::GetAtt`/`${}`/`DependsOn` may use in a SAM template besides
    /// declared ids: implicit ids, the dotted forms SAM resolves (`F.Alias`, `F.Version`,
    /// `F.DestinationTopic`, `F.DestinationQueue`, `Api.Stage`, `Api.Deployment`,
    /// `Api.DomainName`, `Api.DomainNameV2`, `Api.UsagePlan`, `Api.UsagePlanKey`, `Api.ApiKey`,
    /// `HttpApi.Stage`, `HttpApi.DomainName`, `WebSocketApi.Stage`, `WebSocketApi.DomainName`),
    /// and the ids of connectors embedded in resources (`DependsOn` may name them: SAM
    /// replaces them with the resources the connector generates).
    public static func referenceableNames(in template: SourceTemplate) -> Set<String> {
        Model(template).referenceableNames
    }

    /// Whether SAM's names apply: the template names the SAM transform, or declares
    /// `AWS::Serverless::*` resources (without the transform CloudFormation rejects those types,
    /// which is another rule's finding; names are still judged as SAM would resolve them).
    static func applies(to template: SourceTemplate) -> Bool {
        template.isSAM || template.resources.contains { $0.type?.hasPrefix("AWS::Serverless::") == true }
    }

    /// Everything the refs family needs from one reading of a template.
    struct Model {
        /// What `resources(in:)` returns.
        let resources: [ImplicitResource]
        /// What `referenceableNames(in:)` returns.
        let referenceableNames: Set<String>
        /// Dotted names (`F.Alias`) and the declared resource each belongs to.
        let dotted: [String: String]
        /// The API (implicit, or explicit without a definition of its own) into whose definition
        /// SAM writes an integration with each function or state machine it routes to: that API
        /// then depends on the target.
        let integrations: [(api: String, target: String)]

        init(_ template: SourceTemplate) {
            let expansion = Expansion(template)
            resources = expansion.resources
            dotted = expansion.dotted
            integrations = expansion.integrations
            var names = Set(expansion.resources.map(\.id))
            names.formUnion(expansion.dotted.keys)
            names.formUnion(expansion.embeddedConnectors)
            referenceableNames = names
        }
    }
}

extension SAMImplicit {
    /// Types of the SAM resources this file reads.
    enum Types {
        static let function = "AWS::Serverless::Function"
        static let stateMachine = "AWS::Serverless::StateMachine"
        static let api = "AWS::Serverless::Api"
        static let httpApi = "AWS::Serverless::HttpApi"
        static let webSocketApi = "AWS::Serverless::WebSocketApi"
        static let graphQLApi = "AWS::Serverless::GraphQLApi"
        static let connector = "AWS::Serverless::Connector"
        static let capacityProvider = "AWS::Serverless::CapacityProvider"
        static let simpleTable = "AWS::Serverless::SimpleTable"
    }
}

/// One pass over a SAM template that collects what the transform adds.
private struct Expansion {
    private(set) var resources: [ImplicitResource] = []
    private(set) var dotted: [String: String] = [:]
    private(set) var embeddedConnectors: [String] = []
    private(set) var integrations: [(api: String, target: String)] = []
    private var seen: Set<String> = []
    private let template: SourceTemplate
    private let globals: Node?

    /// The properties of a resource as SAM sees them after merging `Globals`: a path is
    /// looked up in the resource first, then in its `Globals` section (SAM merges maps key by
    /// key, the resource winning).
    private struct Properties {
        let own: Node?
        let global: Node?
        var fixed: [String: Node] = [:]

        func callAsFunction(_ path: String...) -> Node? {
            if path.count == 1, let value = fixed[path[0]] { return value }
            return own.flatMap { Expansion.dig($0, path) } ?? global.flatMap { Expansion.dig($0, path) }
        }
    }

    init(_ template: SourceTemplate) {
        self.template = template
        globals = template.root["Globals"]
        guard SAMImplicit.applies(to: template) else { return }
        var implicitRestApiSource: String?
        var implicitHttpApiSource: String?
        for entry in template.resources {
            guard let type = entry.type else { continue }
            switch type {
            case SAMImplicit.Types.function where entry.id == "ServerlessRestApi" || entry.id == "ServerlessHttpApi":
                // SAM's implicit API plugin overwrites a resource declared under its id.
                continue
            case SAMImplicit.Types.function:
                let usesImplicit = function(entry)
                if usesImplicit.rest, implicitRestApiSource == nil { implicitRestApiSource = entry.id }
                if usesImplicit.http, implicitHttpApiSource == nil { implicitHttpApiSource = entry.id }
            case SAMImplicit.Types.stateMachine:
                if stateMachine(entry), implicitRestApiSource == nil { implicitRestApiSource = entry.id }
            case SAMImplicit.Types.api:
                restApi(entry.id, properties(entry, "Api"))
            case SAMImplicit.Types.httpApi:
                httpApi(entry.id, properties(entry, "HttpApi"))
            case SAMImplicit.Types.webSocketApi:
                webSocketApi(entry.id, properties(entry, "WebSocketApi"))
            case SAMImplicit.Types.graphQLApi:
                graphQLApi(entry.id, entry.properties)
            case SAMImplicit.Types.capacityProvider:
                if properties(entry, "CapacityProvider")("OperatorRole") == nil {
                    add(entry.id + "OperatorRole", "AWS::IAM::Role", entry.id)
                }
            case SAMImplicit.Types.connector:
                connector(entry.id, entry.properties, source: entry.properties?["Source"])
            default:
                break
            }
        }
        // The implicit APIs, as SAM's plugins add them: `Globals` apply, the REST API's stage is
        // always `Prod`, the HTTP API's is `$default`.
        if let source = implicitRestApiSource, template.resource("ServerlessRestApi")?.type != SAMImplicit.Types.api {
            add("ServerlessRestApi", "AWS::ApiGateway::RestApi", source)
            var implicit = Properties(own: nil, global: globals?["Api"])
            implicit.fixed["StageName"] = .string("Prod")
            restApi("ServerlessRestApi", implicit, sourceOverride: source)
        }
        if let source = implicitHttpApiSource, template.resource("ServerlessHttpApi")?.type != SAMImplicit.Types.httpApi {
            add("ServerlessHttpApi", "AWS::ApiGatewayV2::Api", source)
            httpApi("ServerlessHttpApi", Properties(own: nil, global: globals?["HttpApi"]), sourceOverride: source)
        }
        embedded()
        deploymentPreferences()
    }

    // MARK: - Helpers

    static func dig(_ node: Node, _ path: [String]) -> Node? {
        var current = node
        for key in path {
            guard let next = current[key] else { return nil }
            current = next
        }
        return current
    }

    private func properties(_ entry: SourceTemplate.Entry, _ globalSection: String) -> Properties {
        Properties(own: entry.properties, global: globals?[globalSection])
    }

    private mutating func add(_ id: String, _ type: String, _ source: String) {
        guard template.resource(id) == nil, seen.insert(id).inserted else { return }
        resources.append(ImplicitResource(id: id, type: type, source: source))
    }

    /// A string the translator can read before deploy: a literal, or a `Ref` to a parameter
    /// with a literal `Default` (SAM resolves parameter references with their defaults).
    private func literal(_ node: Node?) -> String? {
        guard let node else { return nil }
        if node.tag == nil, let text = node.scalar { return text }
        if let call = Intrinsic(node), call.name == "Ref", let name = call.argument.scalar,
           let parameter = template.parameter(name), let value = parameter.value["Default"], value.tag == nil {
            return value.scalar
        }
        return nil
    }

    /// A YAML boolean as SAM's reader takes it.
    private func isTrue(_ node: Node?) -> Bool {
        guard let text = literal(node) else { return false }
        return ["true", "True", "TRUE", "yes", "Yes", "on", "On"].contains(text)
    }

    private func isFalse(_ node: Node?) -> Bool {
        guard let text = literal(node) else { return false }
        return ["false", "False", "FALSE", "no", "No", "off", "Off"].contains(text)
    }

    /// `!If [C, x, !Ref AWS::NoValue]` (or the other way round).
    private static func mayBeNoValue(_ node: Node?) -> Bool {
        guard let node, let call = Intrinsic(node), call.name == "Fn::If", let items = call.argument.items, items.count == 3 else {
            return false
        }
        return items.dropFirst().contains { Intrinsic.isNoValue($0) }
    }

    private static func isAlphanumeric(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil }
    }

    /// The logical id an event source property names (`!Ref X`, `X`), if any.
    private func referencedId(_ node: Node?) -> String? {
        guard let node else { return nil }
        if node.tag == nil, let text = node.scalar { return text }
        if let call = Intrinsic(node), call.name == "Ref" { return call.argument.scalar }
        return nil
    }

    // MARK: - Functions

    /// Adds a function's resources; says whether its events use the implicit APIs.
    private mutating func function(_ entry: SourceTemplate.Entry) -> (rest: Bool, http: Bool) {
        let id = entry.id
        let props = properties(entry, "Function")
        // SAM creates the role when none is given, and under a condition when `Role` is an `Fn::If`.
        if props("Role").map({ Intrinsic($0)?.name == "Fn::If" }) ?? true {
            add(id + "Role", "AWS::IAM::Role", id)
        }
        if let aliasNode = props("AutoPublishAlias"), !(aliasNode.scalar?.isEmpty ?? false) {
            dotted[id + ".Version"] = id
            dotted[id + ".Alias"] = id
            if let name = literal(aliasNode) {
                let alphanumeric = name.replacing("-", with: "D").replacing("_", with: "U")
                add(id + "Alias" + alphanumeric, "AWS::Lambda::Alias", id)
            }
        }
        if let url = props("FunctionUrlConfig") {
            add(id + "Url", "AWS::Lambda::Url", id)
            if url["AuthType"]?.tag == nil, url["AuthType"]?.scalar == "NONE" {
                add(id + "UrlPublicPermissions", "AWS::Lambda::Permission", id)
                add(id + "URLInvokeAllowPublicAccess", "AWS::Lambda::Permission", id)
            }
        }
        if let config = props("EventInvokeConfig"), config.pairs != nil {
            add(id + "EventInvokeConfig", "AWS::Lambda::EventInvokeConfig", id)
            for outcome in ["OnSuccess", "OnFailure"] {
                // SAM creates the queue or topic when no destination is given, or when it is given
                // under a condition (`!If [C, arn, !Ref AWS::NoValue]`).
                guard let destination = config["DestinationConfig"]?[outcome],
                      destination["Destination"] == nil || Expansion.mayBeNoValue(destination["Destination"]) else { continue }
                switch literal(destination["Type"]) {
                case "SQS":
                    add(id + "EventInvokeConfig" + outcome + "Queue", "AWS::SQS::Queue", id)
                    dotted[id + ".DestinationQueue"] = id
                case "SNS":
                    add(id + "EventInvokeConfig" + outcome + "Topic", "AWS::SNS::Topic", id)
                    dotted[id + ".DestinationTopic"] = id
                default:
                    break
                }
            }
        }
        var usesImplicit = (rest: false, http: false)
        for pair in entry.properties?["Events"]?.pairs ?? [] {
            guard let name = pair.key.scalar, let type = literal(pair.value["Type"]) else { continue }
            let event = id + name
            let eventProps = pair.value["Properties"]
            switch type {
            case "Schedule", "CloudWatchEvent", "EventBridgeRule":
                add(event, "AWS::Events::Rule", id)
                deadLetterQueue(eventProps?["DeadLetterConfig"], event, policy: true, source: id)
                add(event + "Permission", "AWS::Lambda::Permission", id)
            case "ScheduleV2":
                add(event, "AWS::Scheduler::Schedule", id)
                if eventProps?["RoleArn"] == nil { add(event + "Role", "AWS::IAM::Role", id) }
                deadLetterQueue(eventProps?["DeadLetterConfig"], event, policy: false, source: id)
            case "S3", "AlexaSkill":
                add(event + "Permission", "AWS::Lambda::Permission", id)
            case "IoTRule":
                add(event + "Permission", "AWS::Lambda::Permission", id)
                add(event, "AWS::IoT::TopicRule", id)
            case "CloudWatchLogs":
                add(event + "Permission", "AWS::Lambda::Permission", id)
                add(event, "AWS::Logs::SubscriptionFilter", id)
            case "Cognito":
                add(id + "CognitoPermission", "AWS::Lambda::Permission", id)
            case "SNS":
                sns(eventProps, event, source: id)
            case "SQS", "Kinesis", "DynamoDB", "MSK", "MQ", "SelfManagedKafka", "DocumentDB":
                add(event, "AWS::Lambda::EventSourceMapping", id)
            case "Api":
                guard eventProps?.pairs?.isEmpty == false else { continue }
                if let suffix = restApiPermissionSuffix(eventProps?["RestApiId"]) {
                    add(event + "Permission" + suffix, "AWS::Lambda::Permission", id)
                }
                if let apiId = managedRestApi(eventProps?["RestApiId"]) {
                    integrations.append((apiId, id))
                    if apiId == "ServerlessRestApi", eventProps?["RestApiId"] == nil { usesImplicit.rest = true }
                }
            case "HttpApi":
                if httpApiPermission(eventProps, among: entry.properties?["Events"]) {
                    add(event + "Permission", "AWS::Lambda::Permission", id)
                }
                if let apiId = managedHttpApi(eventProps?["ApiId"]) {
                    integrations.append((apiId, id))
                    if apiId == "ServerlessHttpApi", eventProps?["ApiId"] == nil { usesImplicit.http = true }
                }
            default:
                break
            }
        }
        return usesImplicit
    }

    /// An SNS event: a subscription and a permission, or (with `SqsSubscription`) a queue, its
    /// policy, the subscription and an event source mapping.
    private mutating func sns(_ props: Node?, _ event: String, source: String) {
        let subscription = props?["SqsSubscription"]
        if subscription == nil || isFalse(subscription) {
            add(event + "Permission", "AWS::Lambda::Permission", source)
            add(event, "AWS::SNS::Subscription", source)
        } else if let map = subscription, map.pairs != nil {
            add(literal(map["QueuePolicyLogicalId"]) ?? event + "QueuePolicy", "AWS::SQS::QueuePolicy", source)
            add(event, "AWS::SNS::Subscription", source)
            add(event + "EventSourceMapping", "AWS::Lambda::EventSourceMapping", source)
        } else if isTrue(subscription) {
            add(event + "EventSourceMapping", "AWS::Lambda::EventSourceMapping", source)
            add(event + "Queue", "AWS::SQS::Queue", source)
            add(event + "QueuePolicy", "AWS::SQS::QueuePolicy", source)
            add(event, "AWS::SNS::Subscription", source)
        }
    }

    /// The queue SAM creates for a rule's `DeadLetterConfig: {Type: SQS}` (named by
    /// `QueueLogicalId` when given), and for EventBridge rules its queue policy.
    private mutating func deadLetterQueue(_ config: Node?, _ event: String, policy: Bool, source: String) {
        guard let config, config["Arn"] == nil, config["Type"] != nil else { return }
        add(literal(config["QueueLogicalId"]) ?? event + "Queue", "AWS::SQS::Queue", source)
        if policy { add(event + "QueuePolicy", "AWS::SQS::QueuePolicy", source) }
    }

    /// The suffix of an Api event's permission: `Prod` for the implicit API, else the
    /// explicit API's stage name (`Stage` when it is not a literal, `AllStages` when the API
    /// is not a resource of this template); `nil` when the id is a hash.
    private func restApiPermissionSuffix(_ restApiId: Node?) -> String? {
        guard let restApiId else { return "Prod" }
        guard let apiId = referencedId(restApiId) else { return "AllStages" }
        guard let api = template.resource(apiId) else { return nil }
        guard let stage = api.properties?["StageName"], stage.tag == nil, let name = stage.scalar else { return "Stage" }
        return Expansion.isAlphanumeric(name) ? name : nil
    }

    /// The REST API whose definition SAM writes this event's integration into: the implicit
    /// one, or an explicit `AWS::Serverless::Api` without a definition of its own.
    private func managedRestApi(_ restApiId: Node?) -> String? {
        guard let restApiId else { return "ServerlessRestApi" }
        guard let apiId = referencedId(restApiId), let api = template.resource(apiId), api.type == SAMImplicit.Types.api else { return nil }
        let props = properties(api, "Api")
        if props("DefinitionBody") == nil && props("DefinitionUri") == nil || isTrue(props("MergeDefinitions")) { return apiId }
        return nil
    }

    /// Whether SAM gives an HttpApi event its own permission: not when the function already has
    /// a catch-all `$default` event on the same API (that permission covers every route), and not
    /// knowably when the API brings its own definition (SAM skips routes it finds integrated).
    private func httpApiPermission(_ props: Node?, among events: Node?) -> Bool {
        if HTTPEvent.isDefault(props) { return true }
        let api = referencedId(props?["ApiId"])
        if let api, template.resource(api)?.properties?["DefinitionBody"] != nil { return false }
        return !(events?.pairs ?? []).contains { pair in
            literal(pair.value["Type"]) == "HttpApi" && HTTPEvent.isDefault(pair.value["Properties"])
                && referencedId(pair.value["Properties"]?["ApiId"]) == api
        }
    }

    private enum HTTPEvent {
        /// An event without a path is the API's catch-all `$default` route.
        static func isDefault(_ props: Node?) -> Bool {
            guard let path = props?["Path"] else { return true }
            return path.tag == nil && path.scalar == "$default"
        }
    }

    private func managedHttpApi(_ apiIdNode: Node?) -> String? {
        guard let apiIdNode else { return "ServerlessHttpApi" }
        guard let apiId = referencedId(apiIdNode), let api = template.resource(apiId), api.type == SAMImplicit.Types.httpApi else { return nil }
        let props = properties(api, "HttpApi")
        return props("DefinitionBody") == nil && props("DefinitionUri") == nil ? apiId : nil
    }

    // MARK: - State machines

    /// Adds a state machine's resources; says whether its events use the implicit REST API.
    private mutating func stateMachine(_ entry: SourceTemplate.Entry) -> Bool {
        let id = entry.id
        let props = entry.properties
        if props?["Role"] == nil { add(id + "Role", "AWS::IAM::Role", id) }
        if let alias = literal(props?["AutoPublishAlias"]) {
            add(id + "Version", "AWS::StepFunctions::StateMachineVersion", id)
            add(id + "Alias" + alias, "AWS::StepFunctions::StateMachineAlias", id)
        }
        var usesImplicit = false
        for pair in props?["Events"]?.pairs ?? [] {
            guard let name = pair.key.scalar, let type = literal(pair.value["Type"]) else { continue }
            let event = id + name
            let eventProps = pair.value["Properties"]
            switch type {
            case "Schedule":
                add(event, "AWS::Events::Rule", id)
                if eventProps?["RoleArn"] == nil { add(event + "Role", "AWS::IAM::Role", id) }
                deadLetterQueue(eventProps?["DeadLetterConfig"], event, policy: true, source: id)
            case "CloudWatchEvent", "EventBridgeRule":
                add(event, "AWS::Events::Rule", id)
                add(event + "Role", "AWS::IAM::Role", id)
                deadLetterQueue(eventProps?["DeadLetterConfig"], event, policy: true, source: id)
            case "ScheduleV2":
                add(event, "AWS::Scheduler::Schedule", id)
                if eventProps?["RoleArn"] == nil { add(event + "Role", "AWS::IAM::Role", id) }
                deadLetterQueue(eventProps?["DeadLetterConfig"], event, policy: false, source: id)
            case "Api":
                add(event + "Role", "AWS::IAM::Role", id)
                if let apiId = managedRestApi(eventProps?["RestApiId"]) {
                    integrations.append((apiId, id))
                    if eventProps?["RestApiId"] == nil { usesImplicit = true }
                }
            default:
                break
            }
        }
        return usesImplicit
    }

    // MARK: - APIs

    private mutating func restApi(_ id: String, _ props: Properties, sourceOverride: String? = nil) {
        let source = sourceOverride ?? id
        dotted[id + ".Stage"] = id
        dotted[id + ".Deployment"] = id
        let stage = props("StageName")
        if let stage, stage.tag == nil, let name = stage.scalar {
            if Expansion.isAlphanumeric(name) { add(id + name + "Stage", "AWS::ApiGateway::Stage", source) }
        } else {
            add(id + "Stage", "AWS::ApiGateway::Stage", source)
        }
        if props("Domain")?.pairs != nil {
            let isPrivate = literal(props("Domain", "EndpointConfiguration")) == "PRIVATE"
            dotted[id + (isPrivate ? ".DomainNameV2" : ".DomainName")] = id
            let mappingType = isPrivate ? "AWS::ApiGateway::BasePathMappingV2" : "AWS::ApiGateway::BasePathMapping"
            for path in basePaths(props("Domain", "BasePath")) {
                let alphanumeric = String(path.unicodeScalars.filter { Expansion.isAlphanumeric(String($0)) }.map(Character.init))
                add(id + alphanumeric + "BasePathMapping", mappingType, source)
            }
        }
        switch literal(props("Auth", "UsagePlan", "CreateUsagePlan")) {
        case "PER_API":
            add(id + "UsagePlan", "AWS::ApiGateway::UsagePlan", source)
            add(id + "ApiKey", "AWS::ApiGateway::ApiKey", source)
            add(id + "UsagePlanKey", "AWS::ApiGateway::UsagePlanKey", source)
            for name in ["UsagePlan", "ApiKey", "UsagePlanKey"] { dotted[id + "." + name] = id }
        case "SHARED":
            add("ServerlessUsagePlan", "AWS::ApiGateway::UsagePlan", source)
            add("ServerlessApiKey", "AWS::ApiGateway::ApiKey", source)
            add("ServerlessUsagePlanKey", "AWS::ApiGateway::UsagePlanKey", source)
            for name in ["UsagePlan", "ApiKey", "UsagePlanKey"] { dotted[id + "." + name] = id }
        default:
            break
        }
        for pair in props("Auth", "Authorizers")?.pairs ?? [] {
            guard let name = pair.key.scalar, pair.value["FunctionArn"] != nil,
                  !isTrue(pair.value["DisableFunctionDefaultPermissions"]) else { continue }
            add(id + name + "AuthorizerPermission", "AWS::Lambda::Permission", source)
        }
    }

    /// `Domain.BasePath` as SAM reads it: one string, a list, or none (one mapping named after
    /// the API alone, here the empty path).
    private func basePaths(_ node: Node?) -> [String] {
        guard let node else { return [""] }
        if let text = literal(node) { return text.isEmpty ? [""] : [text] }
        if let items = node.items {
            let paths = items.compactMap { literal($0) }
            return paths.count == items.count ? paths : []
        }
        return []
    }

    private mutating func httpApi(_ id: String, _ props: Properties, sourceOverride: String? = nil) {
        let source = sourceOverride ?? id
        dotted[id + ".Stage"] = id
        let stage = props("StageName")
        if let stage, stage.tag == nil, let name = stage.scalar, !name.isEmpty {
            if name == "$default" {
                add(id + "ApiGatewayDefaultStage", "AWS::ApiGatewayV2::Stage", source)
            } else if Expansion.isAlphanumeric(name) {
                add(id + name + "Stage", "AWS::ApiGatewayV2::Stage", source)
            }
        } else if stage == nil || stage?.scalar?.isEmpty == true {
            add(id + "ApiGatewayDefaultStage", "AWS::ApiGatewayV2::Stage", source)
        } else {
            add(id + "Stage", "AWS::ApiGatewayV2::Stage", source)
        }
        apiMappings(id, props, source: source)
        for pair in props("Auth", "Authorizers")?.pairs ?? [] {
            guard let name = pair.key.scalar, pair.value["FunctionArn"] != nil,
                  isTrue(pair.value["EnableFunctionDefaultPermissions"]) else { continue }
            add(id + name + "AuthorizerPermission", "AWS::Lambda::Permission", source)
        }
    }

    /// The custom domain of an HTTP or WebSocket API: a `DomainName` (hash-named) and one
    /// `ApiMapping` per base path, its id the path without `-`, `_` and `/`.
    private mutating func apiMappings(_ id: String, _ props: Properties, source: String) {
        guard props("Domain")?.pairs != nil else { return }
        dotted[id + ".DomainName"] = id
        for path in basePaths(props("Domain", "BasePath")) {
            let cleaned = String(path.filter { $0 != "-" && $0 != "_" && $0 != "/" })
            add(id + cleaned + "ApiMapping", "AWS::ApiGatewayV2::ApiMapping", source)
        }
    }

    private mutating func webSocketApi(_ id: String, _ props: Properties) {
        dotted[id + ".Stage"] = id
        let stage = props("StageName")
        if let stage, stage.tag == nil, let name = stage.scalar {
            add(id + (name == "default" ? "Default" : name) + "Stage", "AWS::ApiGatewayV2::Stage", id)
        } else if stage == nil {
            add(id + "DefaultStage", "AWS::ApiGatewayV2::Stage", id)
        } else {
            add(id + "Stage", "AWS::ApiGatewayV2::Stage", id)
        }
        var hasConnect = false
        for pair in props("Routes")?.pairs ?? [] {
            guard let key = pair.key.scalar else { continue }
            let clean: String
            switch key {
            case "$connect", "$disconnect", "$default":
                clean = Expansion.capitalized(String(key.dropFirst()))
                hasConnect = hasConnect || key == "$connect"
            default:
                guard Expansion.isAlphanumeric(key) else { continue }
                clean = Expansion.capitalized(key)
            }
            add(id + clean + "Route", "AWS::ApiGatewayV2::Route", id)
            add(id + clean + "Integration", "AWS::ApiGatewayV2::Integration", id)
            add(id + clean + "Permission", "AWS::Lambda::Permission", id)
        }
        if hasConnect, literal(props("Auth", "AuthType")) == "CUSTOM", props("Auth", "AuthArn") != nil {
            add(id + "ConnectAuthorizer", "AWS::ApiGatewayV2::Authorizer", id)
            if props("Auth", "InvokeRole") == nil { add(id + "AuthorizerPermission", "AWS::Lambda::Permission", id) }
        }
        apiMappings(id, props, source: id)
    }

    /// Python's `str.capitalize`: the first letter upper case, the rest lower case.
    private static func capitalized(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst().lowercased()
    }

    // MARK: - GraphQL

    private mutating func graphQLApi(_ id: String, _ props: Node?) {
        add(id + "Schema", "AWS::AppSync::GraphQLSchema", id)
        let logging = props?["Logging"]
        if !isFalse(logging), logging?["CloudWatchLogsRoleArn"] == nil {
            add(id + "CloudWatchRole", "AWS::IAM::Role", id)
        }
        var lambdaAuthorizers = 0
        let auths = [props?["Auth"]] + (props?["Auth"]?["Additional"]?.items ?? []).map { Optional($0) }
        for auth in auths where literal(auth?["Type"]) == "AWS_LAMBDA" {
            lambdaAuthorizers += 1
            add(id + "ToLambdaAuthConnector\(lambdaAuthorizers)WriteLambdaPermission", "AWS::Lambda::Permission", id)
        }
        for pair in props?["ApiKeys"]?.pairs ?? [] {
            if let name = pair.key.scalar { add(id + name, "AWS::AppSync::ApiKey", id) }
        }
        if props?["Cache"] != nil { add(id + "ApiCache", "AWS::AppSync::ApiCache", id) }
        for (kind, connector) in [("DynamoDb", "ToTableConnector"), ("Lambda", "ToLambdaConnector")] {
            for pair in props?["DataSources"]?[kind]?.pairs ?? [] {
                guard let name = pair.key.scalar else { continue }
                let dataSource = id + name + (kind == "DynamoDb" ? "DynamoDB" : "Lambda") + "DataSource"
                add(dataSource, "AWS::AppSync::DataSource", id)
                if pair.value["ServiceRoleArn"] == nil {
                    add(dataSource + "Role", "AWS::IAM::Role", id)
                    add(dataSource + connector + "Policy", "AWS::IAM::ManagedPolicy", id)
                }
            }
        }
        if props?["DomainName"] != nil {
            add(id + "DomainName", "AWS::AppSync::DomainName", id)
            add(id + "DomainNameApiAssociation", "AWS::AppSync::DomainNameApiAssociation", id)
        }
        for pair in props?["Functions"]?.pairs ?? [] {
            guard let name = pair.key.scalar, pair.value["Id"] == nil else { continue }
            add(id + name, "AWS::AppSync::FunctionConfiguration", id)
            if let source = literal(pair.value["DataSource"]), source.lowercased() == "none" {
                add(id + "NoneDataSource", "AWS::AppSync::DataSource", id)
            }
        }
        for typePair in props?["Resolvers"]?.pairs ?? [] {
            guard let typeName = typePair.key.scalar else { continue }
            for pair in typePair.value.pairs ?? [] {
                if let name = pair.key.scalar { add(id + typeName + name, "AWS::AppSync::Resolver", id) }
            }
        }
    }

    // MARK: - Connectors

    /// SAM types as connector profiles know them.
    private static let connectorTypes: [String: String] = [
        SAMImplicit.Types.function: "AWS::Lambda::Function", SAMImplicit.Types.stateMachine: "AWS::StepFunctions::StateMachine",
        SAMImplicit.Types.api: "AWS::ApiGateway::RestApi", SAMImplicit.Types.httpApi: "AWS::ApiGatewayV2::Api",
        SAMImplicit.Types.simpleTable: "AWS::DynamoDB::Table", SAMImplicit.Types.graphQLApi: "AWS::AppSync::GraphQLApi",
        SAMImplicit.Types.webSocketApi: "AWS::ApiGatewayV2::Api",
    ]

    /// What each connector profile generates (samtranslator `connector_profiles/profiles.json`):
    /// an IAM managed policy, a queue policy, a topic policy, or Lambda permissions.
    private enum Generated { case policy, queuePolicy, topicPolicy, lambdaPermission }

    private static let profiles: [String: Generated] = {
        let lambda = "AWS::Lambda::Function", sfn = "AWS::StepFunctions::StateMachine", table = "AWS::DynamoDB::Table"
        let queue = "AWS::SQS::Queue", topic = "AWS::SNS::Topic", bus = "AWS::Events::EventBus", bucket = "AWS::S3::Bucket"
        let rule = "AWS::Events::Rule", dataSource = "AWS::AppSync::DataSource"
        var table_: [String: Generated] = [:]
        func set(_ source: String, _ destinations: [String], _ kind: Generated) {
            for destination in destinations { table_[source + " " + destination] = kind }
        }
        set(table, [lambda], .policy)
        set(rule, [bus, sfn], .policy)
        set(rule, [topic], .topicPolicy)
        set(rule, [lambda], .lambdaPermission)
        set(rule, [queue], .queuePolicy)
        set(lambda, [lambda, bucket, table, queue, topic, sfn, bus, "AWS::Location::PlaceIndex"], .policy)
        set("AWS::ApiGatewayV2::Api", [lambda], .lambdaPermission)
        set("AWS::ApiGateway::RestApi", [lambda], .lambdaPermission)
        set(topic, [queue], .queuePolicy)
        set(topic, [lambda], .lambdaPermission)
        set(queue, [lambda], .policy)
        set(bucket, [lambda], .lambdaPermission)
        set(sfn, [lambda, topic, queue, bucket, table, sfn, bus], .policy)
        set(dataSource, [table, lambda, bus], .policy)
        set("AWS::AppSync::GraphQLApi", [lambda], .lambdaPermission)
        return table_
    }()

    /// The type a connector end stands for: the type of the resource its `Id` names, or its
    /// `Type` when it names none.
    private func connectorEndType(_ end: Node?) -> String? {
        guard let end else { return nil }
        if let id = literal(end["Id"]) {
            guard let type = template.resource(id)?.type else { return nil }
            return Expansion.connectorTypes[type] ?? type
        }
        guard let type = literal(end["Type"]) else { return nil }
        return Expansion.connectorTypes[type] ?? type
    }

    private mutating func connector(_ id: String, _ props: Node?, source: Node?, declaredBy: String? = nil) {
        guard let sourceType = connectorEndType(source) else { return }
        let destinations: [Node]
        let multiple: Bool
        if let items = props?["Destination"]?.items {
            destinations = items
            multiple = true
        } else if let single = props?["Destination"] {
            destinations = [single]
            multiple = false
        } else {
            return
        }
        let permissions = Set((props?["Permissions"]?.items ?? []).compactMap { literal($0) })
        for (index, destination) in destinations.enumerated() {
            guard let destinationType = connectorEndType(destination),
                  let kind = Expansion.profiles[sourceType + " " + destinationType] else { continue }
            let suffix = multiple ? "Destination\(index)" : ""
            let owner = declaredBy ?? id
            switch kind {
            case .policy: add(id + "Policy" + suffix, "AWS::IAM::ManagedPolicy", owner)
            case .queuePolicy: add(id + "QueuePolicy" + suffix, "AWS::SQS::QueuePolicy", owner)
            case .topicPolicy: add(id + "TopicPolicy" + suffix, "AWS::SNS::TopicPolicy", owner)
            case .lambdaPermission:
                for permission in permissions.sorted() where permission == "Write" {
                    add(id + permission + "LambdaPermission" + suffix, "AWS::Lambda::Permission", owner)
                }
            }
        }
    }

    /// Connectors written inside a resource (`Connectors: {Name: {Properties: …}}`): SAM turns
    /// each into a connector `<Resource><Name>` whose source is that resource.
    private mutating func embedded() {
        for entry in template.resources {
            for pair in entry.value["Connectors"]?.pairs ?? [] {
                guard let name = pair.key.scalar else { continue }
                let id = entry.id + name
                embeddedConnectors.append(id)
                // SAM sets the source to `{Id: <resource>}`; `SourceReference` may add a qualifier, never another id.
                let source = Node.mapping([("Id", .string(entry.id))])
                connector(id, pair.value["Properties"], source: source, declaredBy: entry.id)
            }
        }
    }

    // MARK: - Deployment preferences

    /// CodeDeploy for functions that publish an alias with a `DeploymentPreference`: one
    /// application, one service role unless every preference brings its own, a deployment
    /// group per function.
    private mutating func deploymentPreferences() {
        var enabled: [String] = []
        var everyOneHasRole = true
        for entry in template.resources where entry.type == SAMImplicit.Types.function {
            let props = properties(entry, "Function")
            guard let preference = props("DeploymentPreference"), preference.pairs != nil,
                  props("AutoPublishAlias") != nil, !isFalse(preference["Enabled"]) else { continue }
            enabled.append(entry.id)
            if preference["Role"] == nil { everyOneHasRole = false }
        }
        guard let first = enabled.first else { return }
        add("ServerlessDeploymentApplication", "AWS::CodeDeploy::Application", first)
        if !everyOneHasRole { add("CodeDeployServiceRole", "AWS::IAM::Role", first) }
        for id in enabled { add(id + "DeploymentGroup", "AWS::CodeDeploy::DeploymentGroup", id) }
    }
}
