import YAML

/// The dependency graph of a template's resources, for circles CloudFormation would refuse.
///
/// Nodes are the declared resources and, in SAM templates, the resources SAM creates that
/// others hang on: a function's or state machine's role (the function depends on it, it depends
/// on what its `Policies` name) and the implicit APIs (they depend on the functions they
/// integrate). Edges come from `Ref`, `Fn::GetAtt`, `Fn::Sub` and `DependsOn` in `Properties`;
/// for SAM resources only from the properties that end up in the resource others refer to (a
/// function's `Events` become separate permissions and mappings that depend on the function,
/// not the other way round), so every edge is a dependency CloudFormation would see. Other
/// implicit resources and unknown names add no edge: a missed circle is better than a false one.
struct RefsResourceGraph {
    private let dotted: [String: String]
    private var names: [String] = []
    private var index: [String: Int] = [:]
    private var declaredCount = 0
    private var graph = RefsDependencyGraph(nodeCount: 0)

    /// Dotted SAM names whose resource depends on the declaring one (`F.Alias` points at
    /// `F`), so a reference to them is a dependency on it; others (`Api.DomainName`) are not.
    private static let dependentProperties: Set<String> = ["Alias", "Version", "Stage", "Deployment", "UsagePlan", "UsagePlanKey", "ApiKey"]

    /// Which properties of a resource land in the resource others refer to.
    private enum Filter {
        case all
        case excluding(Set<String>)
        case only(Set<String>)
        case none

        func keeps(_ key: String) -> Bool {
            switch self {
            case .all: return true
            case .excluding(let keys): return !keys.contains(key)
            case .only(let keys): return keys.contains(key)
            case .none: return false
            }
        }
    }

    /// Function properties that SAM moves to the function's role.
    private static let functionRoleProperties: Set<String> = ["Policies", "PermissionsBoundary", "AssumeRolePolicyDocument", "RolePath", "EventInvokeConfig"]
    private static let stateMachineRoleProperties: Set<String> = ["Policies", "PermissionsBoundary", "RolePath"]

    private static func filter(for type: String?) -> Filter {
        switch type {
        case SAMImplicit.Types.function:
            return .excluding(functionRoleProperties.union([
                "Events", "DeploymentPreference", "FunctionUrlConfig", "AutoPublishAlias", "AutoPublishAliasAllProperties",
                "AutoPublishCodeSha256", "ProvisionedConcurrencyConfig", "VersionDescription", "VersionDeletionPolicy",
            ]))
        case SAMImplicit.Types.stateMachine:
            return .excluding(stateMachineRoleProperties.union(["Events", "AutoPublishAlias", "DeploymentPreference", "UseAliasAsEventTarget"]))
        case SAMImplicit.Types.api:
            return .excluding([
                "StageName", "Variables", "MethodSettings", "AccessLogSetting", "CanarySetting", "TracingEnabled",
                "CacheClusterEnabled", "CacheClusterSize", "Domain", "AlwaysDeploy", "Tags", "DeploymentDescription", "PropagateTags",
            ])
        case SAMImplicit.Types.httpApi:
            return .excluding(["StageName", "StageVariables", "AccessLogSettings", "DefaultRouteSettings", "RouteSettings", "Domain", "Tags", "PropagateTags"])
        case SAMImplicit.Types.webSocketApi:
            return .only(["Name", "Description", "ApiKeySelectionExpression", "RouteSelectionExpression", "DisableSchemaValidation",
                          "DisableExecuteApiEndpoint", "IpAddressType"])
        case SAMImplicit.Types.graphQLApi:
            return .only(["Name", "Auth", "XrayEnabled", "Logging", "Visibility", "OwnerContact", "IntrospectionConfig",
                          "QueryDepthLimit", "ResolverCountLimit"])
        case SAMImplicit.Types.connector:
            return .none
        case SAMImplicit.Types.simpleTable, "AWS::Serverless::LayerVersion", "AWS::Serverless::Application", SAMImplicit.Types.capacityProvider:
            return .all
        case let type? where type.hasPrefix("AWS::Serverless::"):
            return .none
        default:
            return .all
        }
    }

    private static let globalsSection: [String: String] = [
        SAMImplicit.Types.function: "Function", SAMImplicit.Types.stateMachine: "StateMachine", SAMImplicit.Types.api: "Api", SAMImplicit.Types.httpApi: "HttpApi",
        SAMImplicit.Types.simpleTable: "SimpleTable", SAMImplicit.Types.webSocketApi: "WebSocketApi",
    ]

    /// `model` is SAM's view of the template, `nil` when it is not a SAM template.
    init(template: SourceTemplate, model: SAMImplicit.Model?) {
        self.dotted = model?.dotted ?? [:]
        let sam = model != nil
        for entry in template.resources where !entry.id.hasPrefix("Fn::ForEach::") && index[entry.id] == nil {
            index[entry.id] = names.count
            names.append(entry.id)
        }
        declaredCount = names.count
        var roles: [String: String] = [:]  // declaring resource → role node
        var implicitApis: [String] = []
        if sam {
            for resource in model?.resources ?? [] {
                let sourceType = template.resource(resource.source)?.type
                if resource.type == "AWS::IAM::Role", resource.id == resource.source + "Role",
                   sourceType == SAMImplicit.Types.function || sourceType == SAMImplicit.Types.stateMachine {
                    roles[resource.source] = resource.id
                } else if resource.id == "ServerlessRestApi" || resource.id == "ServerlessHttpApi" {
                    implicitApis.append(resource.id)
                } else {
                    continue
                }
                index[resource.id] = names.count
                names.append(resource.id)
            }
        }
        graph = RefsDependencyGraph(nodeCount: names.count)
        let globals = template.root["Globals"]
        for entry in template.resources {
            guard let from = index[entry.id], from < declaredCount, template.resource(entry.id)?.key.mark == entry.key.mark else { continue }
            if let dependsOn = entry.value["DependsOn"] {
                for item in dependsOn.items ?? [dependsOn] {
                    if let name = item.scalar, name != entry.id, let to = index[name] { graph.addEdge(from, to) }
                }
            }
            let filter = RefsResourceGraph.filter(for: entry.type)
            let global = entry.type.flatMap { RefsResourceGraph.globalsSection[$0] }.flatMap { globals?[$0] }
            let role = roles[entry.id]
            let roleProperties = entry.type == SAMImplicit.Types.function ? RefsResourceGraph.functionRoleProperties : RefsResourceGraph.stateMachineRoleProperties
            for properties in [entry.properties, sam ? global : nil] {
                for pair in properties?.pairs ?? [] {
                    guard let key = pair.key.scalar else { continue }
                    if let role, roleProperties.contains(key), let roleNode = index[role] {
                        addEdges(from: roleNode, pair.value)
                    } else if filter.keeps(key) {
                        addEdges(from: from, key == "Auth" && entry.type == SAMImplicit.Types.api ? RefsResourceGraph.withoutUsagePlan(pair.value) : pair.value)
                    }
                }
            }
            if let role, let roleNode = index[role] { graph.addEdge(from, roleNode) }
        }
        for api in implicitApis {
            guard let from = index[api] else { continue }
            let type = api == "ServerlessRestApi" ? SAMImplicit.Types.api : SAMImplicit.Types.httpApi
            let filter = RefsResourceGraph.filter(for: type)
            for pair in globals?[api == "ServerlessRestApi" ? "Api" : "HttpApi"]?.pairs ?? [] {
                guard let key = pair.key.scalar, filter.keeps(key) else { continue }
                addEdges(from: from, key == "Auth" && type == SAMImplicit.Types.api ? RefsResourceGraph.withoutUsagePlan(pair.value) : pair.value)
            }
        }
        if sam {
            for integration in model?.integrations ?? [] {
                if let from = index[integration.api], let to = index[integration.target] { graph.addEdge(from, to) }
            }
        }
    }

    /// `Auth` without its `UsagePlan`, which SAM turns into usage plan resources.
    private static func withoutUsagePlan(_ auth: Node) -> Node {
        guard case .mapping(let pairs, let style) = auth.kind else { return auth }
        var copy = auth
        copy.kind = .mapping(pairs.filter { $0.key.scalar != "UsagePlan" }, style)
        return copy
    }

    private mutating func addEdges(from: Int, _ node: Node) {
        var targets: [String] = []
        RefsResourceGraph.collect(node, into: &targets)
        for name in targets {
            if let to = resolve(name) { graph.addEdge(from, to) }
        }
    }

    /// The node a referenced name stands for.
    private func resolve(_ name: String) -> Int? {
        if let node = index[name] { return node }
        guard let dot = name.firstIndex(of: "."), dotted[name] != nil else { return nil }
        let property = String(name[name.index(after: dot)...])
        guard RefsResourceGraph.dependentProperties.contains(property) else { return nil }
        return index[String(name[..<dot])]
    }

    /// The names `node` refers to: Ref targets (as written), Fn::GetAtt resources, and the
    /// resource part of each `${…}` of Fn::Sub that is not a local variable.
    private static func collect(_ node: Node, into targets: inout [String]) {
        if let call = Intrinsic(node) {
            switch call.name {
            case "Ref":
                if call.argument.tag == nil, let name = call.argument.scalar { targets.append(name) }
            case "Fn::GetAtt":
                if let target = call.getAttTarget { targets.append(target.resource) }
            case "Fn::Sub":
                let text = call.argument.scalar ?? call.argument.items?.first?.scalar
                let locals = Set((call.argument.items?.dropFirst().first?.pairs ?? []).compactMap(\.key.scalar))
                for variable in SubVariable.parse(text ?? "") where !locals.contains(variable.name) {
                    let name = variable.name
                    targets.append(name.firstIndex(of: ".").map { String(name[..<$0]) } ?? name)
                }
            default:
                break
            }
            // The argument may itself be a call (`!Base64 {Fn::Sub: …}`).
            collect(call.argument, into: &targets)
            return
        }
        switch node.kind {
        case .scalar:
            return
        case .sequence(let items, _):
            for item in items { collect(item, into: &targets) }
        case .mapping(let pairs, _):
            for pair in pairs { collect(pair.value, into: &targets) }
        }
    }

    /// Each knot of mutually dependent resources once: a shortest circle through its declared
    /// resource that comes first in the template (names along it, first and last the same), and
    /// the other resources of the knot that circle does not pass through.
    func cycles() -> [(circle: [String], others: [String])] {
        var result: [(first: Int, circle: [String], others: [String])] = []
        for component in graph.components() {
            let members = Set(component)
            guard let start = members.filter({ $0 < declaredCount }).min(),
                  members.count > 1 || graph.edges[start].contains(start),
                  let path = graph.cycle(through: start, within: members) else { continue }
            let onPath = Set(path)
            let others = members.subtracting(onPath).sorted().map { names[$0] }
            result.append((start, path.map { names[$0] }, others))
        }
        return result.sorted { $0.first < $1.first }.map { ($0.circle, $0.others) }
    }
}
