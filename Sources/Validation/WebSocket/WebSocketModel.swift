import CloudFormation
import CloudFormation
import YAML

/// The WebSocket wiring of one template, resolved once: APIs, routes with their integration
/// and function, Lambda permissions, stages, deployments and what each function's role
/// grants. Built from `SourceTemplate` with dictionaries, so every lookup is constant time.
///
/// Everything here is read through `Symbolic`: `!Ref`, `!GetAtt`, `!Sub` (with or without a
/// variable map) and `!Join` are taken apart structurally, and whatever depends on a
/// parameter, an import or a condition is unknown, never wrong.
package struct WebSocketModel {
    package typealias Entry = SourceTemplate.Entry

    /// An `AWS::ApiGatewayV2::Api`.
    struct API {
        let entry: Entry
        /// `ProtocolType` when literal.
        let protocolType: String?
        var isWebSocket: Bool { protocolType == "WEBSOCKET" }
    }

    /// An `AWS::ApiGatewayV2::Route` of a WebSocket API of this template.
    package struct Route {
        package let entry: Entry
        /// The API's logical id.
        package let api: String
        /// `RouteKey` when literal.
        package let key: String?
        package let keyNode: Node?
    }

    /// What a name in a value designates.
    enum Designation: Equatable {
        /// A resource of this template, with its type.
        case resource(String, type: String)
        /// A parameter, a pseudo parameter, an import, a physical id: not knowable here.
        case unknown
        /// A name declared nowhere.
        case undeclared(String)
    }

    let template: SourceTemplate
    /// Every `AWS::ApiGatewayV2::Api`, by logical id.
    private(set) var apis: [String: API] = [:]
    /// WebSocket APIs in source order.
    package private(set) var webSocketAPIs: [String] = []
    /// Routes of WebSocket APIs, in source order.
    private(set) var routes: [Route] = []
    /// Routes by API.
    package private(set) var routesByAPI: [String: [Route]] = [:]
    /// Lambda functions (plain and SAM), by logical id.
    package private(set) var functions: [String: Entry] = [:]
    /// `AWS::Lambda::Permission` resources by the function they name.
    private(set) var permissionsByFunction: [String: [Entry]] = [:]
    /// Whether some permission names a function menort cannot resolve (a parameter, an
    /// import): it might be any function, so no function can be said to lack one.
    private(set) var hasUnresolvedPermission = false
    /// Functions named by a SAM connector, which grants what it wires up behind the scenes.
    private(set) var connectedFunctions: Set<String> = []
    /// Stages (`AWS::ApiGatewayV2::Stage`) by API.
    package private(set) var stagesByAPI: [String: [Entry]] = [:]
    /// Deployments (`AWS::ApiGatewayV2::Deployment`) by API.
    private(set) var deploymentsByAPI: [String: [Entry]] = [:]
    /// What each function's role may do, by function.
    private(set) var grants: [String: [Grant]] = [:]

    /// Whether every resource has a literal, known `Type` and no macro other than SAM and
    /// AWS::LanguageExtensions rewrites the template. Otherwise a resource menort cannot read
    /// (or one a macro adds) might be the missing permission, stage or policy: checks for
    /// something absent are skipped (the template family reports the type).
    private(set) var isComplete = true
    /// Whether some route's `ApiId` or `RouteKey` cannot be read: it might be any route of
    /// any API.
    private(set) var hasUnreadableRoute = false
    /// Whether some stage's or deployment's `ApiId` cannot be read: it might belong to any API.
    private(set) var hasUnreadableStage = false

    private var functionsByName: [Symbolic: String] = [:]
    private var rolesByName: [String: String] = [:]
    private var attachments: [String: [Entry]] = [:]
    private var hasUnlinkedPolicy = false

    static let functionTypes: Set<String> = ["AWS::Lambda::Function", "AWS::Serverless::Function"]
    static let apiTypes: Set<String> = ["AWS::ApiGatewayV2::Api", "AWS::Serverless::HttpApi", "AWS::Serverless::WebSocketApi"]

    package init(_ template: SourceTemplate) {
        self.template = template
        if template.hasUnknownMacro {
            isComplete = false
        }
        var permissions: [Entry] = []
        var routeEntries: [Entry] = []
        for entry in template.resources where entry.resourceType == "AWS::IAM::Role" {
            if let name = literalText(entry.properties?["RoleName"]), rolesByName[name] == nil { rolesByName[name] = entry.id }
        }
        for entry in template.resources {
            if entry.resourceType.map(ResourceCatalog.isKnown) != true { isComplete = false }
            switch entry.resourceType {
            case "AWS::ApiGatewayV2::Api":
                let api = API(entry: entry, protocolType: literalText(entry.properties?["ProtocolType"]))
                if apis[entry.id] == nil {
                    apis[entry.id] = api
                    if api.isWebSocket { webSocketAPIs.append(entry.id) }
                }
            case "AWS::Lambda::Function", "AWS::Serverless::Function":
                functions[entry.id] = entry
                if let name = entry.properties?["FunctionName"], let symbolic = Symbolic(name) {
                    functionsByName[symbolic] = entry.id
                }
            case "AWS::Lambda::Permission":
                permissions.append(entry)
            case "AWS::ApiGatewayV2::Route":
                routeEntries.append(entry)
            case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
                for role in listOrSingle(entry.properties?["Roles"]) { attach(entry, toRole: role) }
            case "AWS::IAM::RolePolicy":
                if let role = entry.properties?["RoleName"] { attach(entry, toRole: role) }
            case "AWS::Serverless::Connector":
                connect(entry.properties)
            default:
                break
            }
            // SAM's embedded connectors: `Connectors: {Name: {Properties: {Destination: …}}}`.
            for pair in entry.properties?["Connectors"]?.pairs ?? [] {
                connect(pair.value["Properties"])
                if entry.resourceType.map(WebSocketModel.functionTypes.contains) == true { connectedFunctions.insert(entry.id) }
            }
        }
        for entry in routeEntries {
            guard case .api(let api) = apiOf(entry) else {
                if apiOf(entry) == .unknown { hasUnreadableRoute = true }
                continue
            }
            let keyNode = entry.properties?["RouteKey"]
            let key = literalText(keyNode).flatMap { $0.isEmpty ? nil : $0 }
            if key == nil, apis[api]?.isWebSocket == true { hasUnreadableRoute = true }
            guard apis[api]?.isWebSocket == true else { continue }
            let route = Route(entry: entry, api: api, key: key, keyNode: keyNode)
            routes.append(route)
            routesByAPI[api, default: []].append(route)
        }
        for entry in template.resources {
            switch entry.resourceType {
            case "AWS::ApiGatewayV2::Stage":
                switch apiOf(entry) {
                case .api(let api): stagesByAPI[api, default: []].append(entry)
                case .unknown: hasUnreadableStage = true
                case .notAnAPI: break
                }
            case "AWS::ApiGatewayV2::Deployment":
                switch apiOf(entry) {
                case .api(let api): deploymentsByAPI[api, default: []].append(entry)
                case .unknown: hasUnreadableStage = true
                case .notAnAPI: break
                }
            default:
                break
            }
        }
        for entry in permissions {
            switch function(named: entry.properties?["FunctionName"]) {
            case .function(let id):
                permissionsByFunction[id, default: []].append(entry)
            case .unknown:
                hasUnresolvedPermission = true
            case .other, .external:
                break
            }
        }
        for id in functions.keys { grants[id] = computeGrants(function: id) }
    }

    // MARK: - Names

    /// What `name` designates: a resource, something unknowable, or nothing.
    func designation(_ name: String) -> Designation {
        if let resource = template.resource(name) {
            // A resource whose type is not a known literal is the template family's finding.
            guard let type = resource.resourceType, ResourceCatalog.isKnown(type) else { return .unknown }
            return .resource(name, type: type)
        }
        if name.hasPrefix("AWS::") || template.parameter(name) != nil { return .unknown }
        return .undeclared(name)
    }

    /// Where an `ApiId` points.
    enum APIReference: Equatable {
        /// An `AWS::ApiGatewayV2::Api` of this template.
        case api(String)
        /// A resource that is not an API.
        case notAnAPI(String, type: String)
        /// A SAM API, a parameter, an import, a literal id.
        case unknown
    }

    /// The API a child resource (route, integration, stage, deployment) belongs to.
    func apiOf(_ entry: Entry) -> APIReference {
        guard let node = entry.properties?["ApiId"], let value = Symbolic(node) else { return .unknown }
        return apiReference(value)
    }

    /// The API a value names: `!Ref Api`, `!GetAtt Api.ApiId`, `${Api}`.
    func apiReference(_ value: Symbolic) -> APIReference {
        let name: String
        if let ref = value.singleRef {
            name = ref
        } else if let att = value.singleAtt, att.attribute == "ApiId" {
            name = att.resource
        } else {
            return .unknown
        }
        guard case .resource(let id, let type) = designation(name) else { return .unknown }
        if type == "AWS::ApiGatewayV2::Api" { return .api(id) }
        if WebSocketModel.apiTypes.contains(type) { return .unknown }
        return .notAnAPI(id, type: type)
    }

    /// What a function reference resolves to.
    enum FunctionReference: Equatable {
        /// A function of this template.
        case function(String)
        /// A resource of this template that is not a function (a table, a role, an alias).
        case other(String, type: String)
        /// A literal name or ARN of a function that is not in this template.
        case external
        /// Not knowable (a parameter, an import, an alias of a SAM function).
        case unknown
    }

    /// The function a `FunctionName`, a function ARN or a piece of an integration URI names:
    /// `!Ref F`, `!GetAtt F.Arn`, `${F.Arn}`, or the literal `FunctionName` of F.
    func function(named node: Node?) -> FunctionReference {
        guard let node, let value = Symbolic(node) else { return .unknown }
        return function(value)
    }

    func function(_ value: Symbolic) -> FunctionReference {
        var name: String?
        if let ref = value.singleRef {
            name = ref
        } else if let att = value.singleAtt, att.attribute == "Arn" {
            name = att.resource
        }
        if let name {
            switch designation(name) {
            case .resource(let id, let type):
                if WebSocketModel.functionTypes.contains(type) { return .function(id) }
                // `Ref F.Alias` (SAM) and aliases or versions call a qualified function:
                // its permission is another story.
                return .other(id, type: type)
            case .unknown, .undeclared:
                return .unknown
            }
        }
        if let id = functionsByName[value] { return .function(id) }
        // `arn:aws:lambda:region:account:function:NAME` or a bare NAME.
        guard let text = value.literal else { return .unknown }
        var bare = Substring(text)
        if let range = text.firstTextRange(of: ":function:") { bare = text[range.upperBound...] }
        if let id = functionsByName[Symbolic([.text(String(bare))])] { return .function(id) }
        return .external
    }

    // MARK: - Routes to functions

    /// What a route's `Target` names.
    package enum TargetReference: Equatable {
        case integration(String)
        /// Not `integrations/<id>`.
        case malformed
        /// `integrations/<X>` where X is a resource that is not an integration.
        case notAnIntegration(String, type: String)
        /// `integrations/<X>` where X is declared nowhere.
        case undeclared(String)
        case unknown
    }

    /// The integration a `Target` names: `integrations/${X}`, `!Join ['/', [integrations, !Ref X]]`.
    package func target(_ node: Node) -> TargetReference {
        guard let value = Symbolic(node) else { return .malformed }
        let pieces = value.pieces
        guard let first = pieces.first else { return .malformed }
        guard case .text(let prefix) = first else {
            // `!Ref Integration` alone is an id without the `integrations/` prefix.
            if let name = value.singleRef, case .resource(_, let type) = designation(name),
               type == "AWS::ApiGatewayV2::Integration" { return .malformed }
            return .unknown
        }
        guard prefix.hasPrefix("integrations/") else {
            return "integrations/".hasPrefix(prefix) && pieces.count > 1 ? .unknown : .malformed
        }
        guard prefix == "integrations/" else { return .unknown }  // a literal id: not knowable
        guard pieces.count == 2 else { return .unknown }
        let name: String
        switch pieces[1] {
        case .ref(let ref): name = ref
        case .att(let resource, let attribute) where attribute == "IntegrationId": name = resource
        default: return .unknown
        }
        switch designation(name) {
        case .resource(let id, let type):
            return type == "AWS::ApiGatewayV2::Integration" ? .integration(id) : .notAnIntegration(id, type: type)
        case .undeclared(let id):
            // SAM's WebSocketApi generates `<Api>…Integration` resources a route may name.
            let generated = template.resources.contains { entry in
                entry.resourceType == "AWS::Serverless::WebSocketApi" && id.hasPrefix(entry.id)
            }
            return generated ? .unknown : .undeclared(id)
        case .unknown:
            return .unknown
        }
    }

    /// The function an integration invokes, read from its invocation URI
    /// (`arn:…:apigateway:…:lambda:path/2015-03-31/functions/<function ARN>/invocations`).
    func invokedFunction(_ integration: Entry) -> FunctionReference {
        guard let uri = integration.properties?["IntegrationUri"], let value = Symbolic(uri) else { return .unknown }
        guard let inner = LambdaURI(value).function else { return .unknown }
        return function(inner)
    }

    /// The integration and function a route reaches, when both resolve.
    package func handler(of route: Route) -> (integration: String, function: String)? {
        guard let targetNode = route.entry.properties?["Target"], case .integration(let id) = target(targetNode),
              let integration = template.resource(id), apiOf(integration) == .api(route.api),
              case .function(let function) = invokedFunction(integration)
        else { return nil }
        return (id, function)
    }

    // MARK: - Stages

    /// The stage names an API is deployed under: its stages' `StageName`s and its
    /// deployments' `StageName`s; `nil` for a name that is not a string.
    func stageNames(_ api: String) -> [Symbolic?] {
        let stages = (stagesByAPI[api] ?? []) + (deploymentsByAPI[api] ?? []).filter { $0.properties?["StageName"] != nil }
        return stages.map { entry in entry.properties?["StageName"].flatMap(Symbolic.init) }
    }

    /// Whether a stage segment of an ARN or URL (`*`, `prod`, `${StageName}`, `${Stage}`)
    /// names a stage of `api`.
    func matchStage(_ segment: Symbolic, api: String) -> Tri {
        if segment.literal == "*" { return .yes }
        // `Ref` of a stage resource is its name.
        if let ref = segment.singleRef, case .resource(let id, let type) = designation(ref), type == "AWS::ApiGatewayV2::Stage" {
            return (stagesByAPI[api] ?? []).contains { $0.id == id } ? .yes : .unknown
        }
        let names = stageNames(api)
        if names.isEmpty { return .unknown }
        var result = Tri.no
        for name in names {
            guard let name else {
                result = result.or(.unknown)
                continue
            }
            if name == segment { return .yes }
            if let pattern = segment.literal, let text = name.literal {
                result = result.or(Tri(wildcardMatch(pattern, text)))
            } else {
                result = result.or(.unknown)
            }
        }
        return result
    }

    // MARK: - Execute-api ARNs

    /// One part of an execute-api ARN checked against what it should cover.
    struct Aspect {
        enum Kind { case service, api, stage, tail }
        let kind: Kind
        let result: Tri
        /// What the ARN says there, for messages.
        let found: String
    }

    /// Whether an execute-api ARN pattern (a permission's `SourceArn`, a policy's `Resource`)
    /// covers `<api>/<stage>/<tail>` for some stage of `api` (`tail` is a route key, or
    /// `POST/@connections/…`), and when it does not, the part that is wrong.
    ///
    /// The pattern is matched as IAM's ArnLike does, `*` spanning slashes, on a string where
    /// each reference is one placeholder character: `${Api}` and `${Api.ApiId}` the API's,
    /// another resource a constant of its own (two resources never share a physical id),
    /// and parameters or unknown values a variable. A failed match is `.no` only when no value
    /// of the variables could make it match; a literal API id (the physical id of some API)
    /// is always `.unknown`.
    func executeAPICoverage(_ value: Symbolic, api: String, tail: String) -> (result: Tri, failed: Aspect?) {
        if value.literal == "*" { return (.yes, nil) }
        let parts = value.split(":")
        guard parts.count >= 6 else { return (.unknown, nil) }
        var serviceOK = Tri.unknown
        if let service = parts[2].literal {
            guard wildcardMatch(service, "execute-api") else {
                return (.no, Aspect(kind: .service, result: .no, found: service))
            }
            serviceOK = .yes
        }
        let resource = Symbolic.join(parts[5...], separator: ":")
        if let id = resource.split("/")[0].literal, !id.contains("*"), !id.contains("?") { return (.unknown, nil) }
        var encoder = PlaceholderEncoder(model: self, api: api)
        let (pattern, patternVariables) = encoder.encode(resource)
        var result = Tri.no
        let names = stageNames(api)
        for name in names.isEmpty ? [nil] : names {
            let (stage, stageVariables) = name.map { encoder.encode($0) } ?? encoder.variable()
            let target = String(encoder.apiCharacter) + "/" + stage + "/" + tail
            if wildcardMatch(pattern, target) { return (serviceOK, nil) }
            // A variable on both sides is the same value. One only in the pattern could be
            // anything, so it matches like `*`. One only in the target (a stage named by a
            // parameter the pattern does not use) is one segment of [A-Za-z0-9_-]: try it as
            // each text the pattern could require there.
            let loose = String(pattern.map { patternVariables.contains($0) && !stageVariables.contains($0) ? "*" : $0 })
            let free = stageVariables.subtracting(patternVariables)
            var candidates = [""]
            if !free.isEmpty {
                for segment in pattern.split(separator: "/") {
                    candidates.append(String(segment.filter { $0 != "*" && $0 != "?" }))
                }
            }
            let possible = candidates.contains { candidate in
                let filled = free.isEmpty ? target : target.map { free.contains($0) ? (candidate.isEmpty ? "\u{F8FF}" : candidate) : String($0) }.joined()
                return wildcardMatch(loose, filled)
            }
            result = result.or(possible ? .unknown : .no)
        }
        guard result == .no else { return (.unknown, nil) }
        return (serviceOK == .yes ? .no : .unknown, diagnose(resource, api: api, tail: tail))
    }

    /// The first part of a failed ARN pattern, read segment by segment, for the message.
    private func diagnose(_ resource: Symbolic, api: String, tail: String) -> Aspect {
        let segments = resource.split("/")
        let apiSegment = segments[0]
        if matchAPISegment(apiSegment, api: api) == .no {
            return Aspect(kind: .api, result: .no, found: namedResource(apiSegment) ?? apiSegment.description)
        }
        if segments.count >= 2, matchStage(segments[1], api: api) == .no {
            return Aspect(kind: .stage, result: .no, found: segments[1].description)
        }
        let rest = segments.count >= 3 ? Symbolic.join(segments[2...], separator: "/").description : ""
        return Aspect(kind: .tail, result: .no, found: rest)
    }

    /// Turns references into placeholder characters for `executeAPICoverage`: the same
    /// reference always becomes the same character; parameters and unknown values are
    /// returned as variables.
    private struct PlaceholderEncoder {
        let model: WebSocketModel
        let api: String
        private var characters: [Piece: Character] = [:]
        private var next: UInt32 = 0xE001

        init(model: WebSocketModel, api: String) {
            self.model = model
            self.api = api
        }

        var apiCharacter: Character { "\u{E000}" }

        mutating func variable() -> (String, Set<Character>) {
            let character = fresh()
            return (String(character), [character])
        }

        private mutating func fresh() -> Character {
            defer { next += 1 }
            return Character(Unicode.Scalar(next) ?? "\u{E000}")
        }

        mutating func encode(_ value: Symbolic, depth: Int = 0) -> (String, Set<Character>) {
            var text = ""
            var variables: Set<Character> = []
            for piece in value.pieces {
                switch piece {
                case .text(let literal):
                    text += literal
                case .ref(let name), .att(let name, _):
                    if model.apiReference(Symbolic([piece])) == .api(api) {
                        text.append(apiCharacter)
                        continue
                    }
                    // `Ref` of a stage is its name.
                    if case .ref = piece, depth < 4, let stage = model.template.resource(name),
                       stage.resourceType == "AWS::ApiGatewayV2::Stage",
                       let stageName = stage.properties?["StageName"].flatMap(Symbolic.init) {
                        let (inner, innerVariables) = encode(stageName, depth: depth + 1)
                        text += inner
                        variables.formUnion(innerVariables)
                        continue
                    }
                    let character = constant(piece)
                    text.append(character)
                    // Two resources never share a physical id: a resource is a constant.
                    if case .resource = model.designation(name) { continue }
                    variables.insert(character)
                case .unknown:
                    let character = fresh()
                    text.append(character)
                    variables.insert(character)
                }
            }
            return (text, variables)
        }

        private mutating func constant(_ piece: Piece) -> Character {
            if let character = characters[piece] { return character }
            let character = fresh()
            characters[piece] = character
            return character
        }
    }

    /// Whether the api segment of an ARN (`${Api}`, `${Api.ApiId}`, `*`) is `api`.
    func matchAPISegment(_ segment: Symbolic, api: String) -> Tri {
        if segment.literal == "*" { return .yes }
        switch apiReference(segment) {
        case .api(let id): return Tri(id == api)
        case .notAnAPI: return .no
        case .unknown: return .unknown
        }
    }

    /// The resource an api segment names, when it names one.
    func namedResource(_ segment: Symbolic) -> String? {
        if let ref = segment.singleRef, template.resource(ref) != nil { return ref }
        if let att = segment.singleAtt, template.resource(att.resource) != nil { return att.resource }
        return nil
    }

    // MARK: - Dependencies

    /// Every resource `id` waits for, through `DependsOn` and through references, transitively.
    /// `nil` when some `DependsOn` on the way cannot be read.
    func dependencies(of id: String) -> Set<String>? {
        var seen: Set<String> = []
        var queue = [id]
        var index = 0
        while index < queue.count {
            let current = queue[index]
            index += 1
            guard let entry = template.resource(current) else { continue }
            guard let direct = directDependencies(entry) else { return nil }
            for name in direct where !seen.contains(name) {
                seen.insert(name)
                queue.append(name)
            }
        }
        return seen
    }

    private func directDependencies(_ entry: Entry) -> Set<String>? {
        var names: Set<String> = []
        for node in listOrSingle(entry.value["DependsOn"]) {
            guard let name = literalText(node) else { return nil }
            names.insert(name)
        }
        entry.value.walk(path: "") { visit in
            guard let call = Intrinsic(visit.node) else { return }
            switch call.name {
            case "Ref":
                if let name = call.argument.scalar { names.insert(name) }
            case "Fn::GetAtt":
                if let target = call.getAttTarget { names.insert(target.resource) }
            case "Fn::Sub":
                let text = call.argument.scalar ?? call.argument.items?.first?.scalar ?? ""
                for variable in SubVariable.parse(text) {
                    names.insert(String(variable.name.split(separator: ".", maxSplits: 1).first ?? ""))
                }
            default:
                break
            }
        }
        return names.filter { template.resource($0) != nil }
    }

    // MARK: - IAM

    /// A policy statement and where it is written.
    struct Statement {
        let node: Node
        /// The resource holding it (the function for SAM `Policies`, else the role or policy).
        let owner: String
        let path: String
    }

    /// One thing that may grant a function permissions.
    enum Grant {
        case statement(Statement)
        /// An AWS managed policy, by name (`AWSLambdaBasicExecutionRole`).
        case managed(String)
        /// A SAM policy template and its parameters.
        case template(String, Node)
        /// A grant menort cannot read (a role given as a parameter, a customer policy ARN).
        case unknown
    }

    private mutating func attach(_ policy: Entry, toRole node: Node) {
        guard let value = Symbolic(node) else { return }
        if let ref = value.singleRef {
            attachments[ref, default: []].append(policy)
        } else if let name = value.literal {
            // A role named literally: attach it when a role of the template has that name.
            if let role = rolesByName[name] { attachments[role, default: []].append(policy) }
        } else {
            hasUnlinkedPolicy = true
        }
    }

    private mutating func connect(_ properties: Node?) {
        guard let properties else { return }
        for side in ["Source", "Destination"] {
            guard let end = properties[side] else { continue }
            if let id = literalText(end["Id"]) { connectedFunctions.insert(id) }
            if let arn = end["Arn"], case .function(let id) = function(named: arn) { connectedFunctions.insert(id) }
        }
    }

    private func computeGrants(function id: String) -> [Grant] {
        guard let entry = functions[id] else { return [.unknown] }
        var result: [Grant] = []
        if connectedFunctions.contains(id) { result.append(.unknown) }
        if let role = entry.properties?["Role"] {
            guard let roleId = self.role(role) else { return result + [.unknown] }
            return result + roleGrants(roleId)
        }
        guard entry.resourceType == "AWS::Serverless::Function" else { return result + [.unknown] }
        if template.root["Globals"]?["Function"]?["Role"] != nil { result.append(.unknown) }
        if let policies = entry.properties?["Policies"] {
            result += samPolicies(policies, owner: id, path: "Resources/\(id)/Properties/Policies")
        }
        // SAM names the role it creates `<Function>Role`; policies may attach to it.
        result += attachedGrants("\(id)Role")
        return result
    }

    /// The role a `Role` property names: `!GetAtt R.Arn`, or `…:role/${R}`.
    private func role(_ node: Node) -> String? {
        guard let value = Symbolic(node) else { return nil }
        if let att = value.singleAtt, att.attribute == "Arn", template.resource(att.resource)?.resourceType == "AWS::IAM::Role" {
            return att.resource
        }
        if let last = value.pieces.last, case .ref(let name) = last, value.mentions(":role/"),
           template.resource(name)?.resourceType == "AWS::IAM::Role" {
            return name
        }
        return nil
    }

    private func roleGrants(_ id: String) -> [Grant] {
        guard let role = template.resource(id) else { return [.unknown] }
        var result: [Grant] = []
        for (index, policy) in listOrSingle(role.properties?["Policies"]).enumerated() {
            for option in alternatives(policy) {
                guard let document = option["PolicyDocument"] else {
                    result.append(.unknown)
                    continue
                }
                result += documentGrants(document, owner: id, path: "Resources/\(id)/Properties/Policies/\(index)/PolicyDocument")
            }
        }
        for arn in listOrSingle(role.properties?["ManagedPolicyArns"]) {
            for option in alternatives(arn) { result += managedGrants(option) }
        }
        return result + attachedGrants(id)
    }

    private func attachedGrants(_ role: String) -> [Grant] {
        var result: [Grant] = hasUnlinkedPolicy ? [.unknown] : []
        for policy in attachments[role] ?? [] {
            guard let document = policy.properties?["PolicyDocument"] else { continue }
            result += documentGrants(document, owner: policy.id, path: "Resources/\(policy.id)/Properties/PolicyDocument")
        }
        return result
    }

    /// SAM `Policies`: a managed policy name or ARN, an inline document, a policy template,
    /// or a list of them.
    private func samPolicies(_ node: Node, owner: String, path: String) -> [Grant] {
        let listed = Intrinsic(node) == nil && node.items != nil
        let items = listed ? (node.items ?? []) : [node]
        var result: [Grant] = []
        for (index, item) in items.enumerated() {
            let itemPath = listed ? "\(path)/\(index)" : path
            for option in alternatives(item) {
                if Intrinsic(option) != nil || option.scalar != nil {
                    result += managedGrants(option)
                } else if option["Statement"] != nil {
                    result += documentGrants(option, owner: owner, path: itemPath)
                } else if let pairs = option.pairs, pairs.count == 1, let name = pairs[0].key.scalar {
                    result.append(.template(name, pairs[0].value))
                } else {
                    result.append(.unknown)
                }
            }
        }
        return result
    }

    /// A managed policy given by name, ARN, or `!Ref` of an `AWS::IAM::ManagedPolicy`.
    private func managedGrants(_ node: Node) -> [Grant] {
        guard let value = Symbolic(node) else { return [.unknown] }
        if let ref = value.singleRef, let policy = template.resource(ref), policy.resourceType == "AWS::IAM::ManagedPolicy" {
            guard let document = policy.properties?["PolicyDocument"] else { return [.unknown] }
            return documentGrants(document, owner: ref, path: "Resources/\(ref)/Properties/PolicyDocument")
        }
        guard let last = value.pieces.last, case .text(let text) = last else { return [.unknown] }
        // `arn:${AWS::Partition}:iam::aws:policy/Name` names an AWS managed policy; any other
        // ARN (a customer's policy) says nothing of its content.
        if value.pieces.count > 1 && !value.mentions(":iam::aws:policy/") { return [.unknown] }
        if value.literal != nil, text.containsText(":iam::"), !text.containsText(":iam::aws:policy/") { return [.unknown] }
        let name = text.split(separator: "/").last.map(String.init) ?? text
        return [.managed(name)]
    }

    private func documentGrants(_ document: Node, owner: String, path: String) -> [Grant] {
        var result: [Grant] = []
        for option in alternatives(document) {
            guard Intrinsic(option) == nil, let statement = option["Statement"] else {
                result.append(.unknown)
                continue
            }
            let listed = Intrinsic(statement) == nil && statement.items != nil
            for (index, item) in listOrSingle(statement).enumerated() {
                let itemPath = listed ? "\(path)/Statement/\(index)" : "\(path)/Statement"
                for choice in alternatives(item) {
                    if Intrinsic(choice) != nil || choice.pairs == nil {
                        result.append(.unknown)
                    } else {
                        result.append(.statement(Statement(node: choice, owner: owner, path: itemPath)))
                    }
                }
            }
        }
        return result
    }

    /// Whether `statement` allows `action` on a resource `resource` accepts.
    func allows(_ statement: Statement, action: String, resource: (Symbolic) -> Tri) -> Tri {
        let node = statement.node
        if literalText(node["Effect"])?.lowercased() == "deny" { return .no }
        if node["NotAction"] != nil || node["NotResource"] != nil { return .unknown }
        return actionTri(node["Action"], action: action).and(resourceTri(node["Resource"], resource))
    }

    func actionTri(_ node: Node?, action: String) -> Tri {
        var result = Tri.no
        for item in listOrSingle(node) {
            if let text = literalText(item) {
                result = result.or(Tri(wildcardMatch(text, action, ignoringCase: true)))
            } else {
                result = result.or(.unknown)
            }
        }
        return result
    }

    private func resourceTri(_ node: Node?, _ resource: (Symbolic) -> Tri) -> Tri {
        var result = Tri.no
        for item in listOrSingle(node) {
            guard let value = Symbolic(item) else {
                result = result.or(.unknown)
                continue
            }
            result = result.or(resource(value))
        }
        return result
    }

    /// Whether `function` may call `action` on a resource `resource` accepts, over every grant
    /// its role holds; SAM templates and managed policies answer through the two closures.
    func mayCall(_ function: String, action: String, resource: (Symbolic) -> Tri,
                 template: (String, Node) -> Tri, managed: (String) -> Tri) -> Tri {
        var result = Tri.no
        for grant in grants[function] ?? [.unknown] {
            switch grant {
            case .statement(let statement): result = result.or(allows(statement, action: action, resource: resource))
            case .managed(let name): result = result.or(managed(name))
            case .template(let name, let parameters): result = result.or(template(name, parameters))
            case .unknown: result = result.or(.unknown)
            }
            if result == .yes { return .yes }
        }
        return result
    }

    /// The statements of `function` whose resources mention `text` (`@connections`).
    func statements(of function: String, mentioning text: String) -> [Statement] {
        (grants[function] ?? []).compactMap { grant in
            guard case .statement(let statement) = grant else { return nil }
            if literalText(statement.node["Effect"])?.lowercased() == "deny" { return nil }
            let mentions = listOrSingle(statement.node["Resource"]).contains { Symbolic($0)?.mentions(text) == true }
            return mentions ? statement : nil
        }
    }

    // MARK: - Managed policies and SAM templates menort knows

    /// AWS managed policies that allow everything menort asks about.
    static let allPowerfulPolicies: Set<String> = ["AdministratorAccess", "PowerUserAccess"]

    /// AWS managed policies commonly attached to Lambda roles that grant neither
    /// execute-api nor DynamoDB writes.
    static let unrelatedManagedPolicies: Set<String> = [
        "AWSLambdaBasicExecutionRole", "AWSLambdaVPCAccessExecutionRole", "AWSXrayWriteOnlyAccess",
        "AWSXRayDaemonWriteAccess", "AWSLambdaSQSQueueExecutionRole", "AWSLambdaKinesisExecutionRole",
        "AWSLambdaDynamoDBExecutionRole", "CloudWatchLambdaInsightsExecutionRolePolicy", "AWSLambdaExecute",
        "AmazonS3ReadOnlyAccess", "AmazonSSMReadOnlyAccess", "CloudWatchLogsFullAccess", "AmazonDynamoDBReadOnlyAccess",
        "AWSLambdaRole", "AmazonSQSFullAccess", "AmazonSNSFullAccess", "AmazonS3FullAccess",
    ]

    /// SAM policy templates that do not grant execute-api or DynamoDB item writes (from
    /// samtranslator's policy_templates.json); any other name is unknown, not harmless.
    static let unrelatedTemplates: Set<String> = [
        "SQSPollerPolicy", "LambdaInvokePolicy", "CloudWatchDescribeAlarmHistoryPolicy", "CloudWatchPutMetricPolicy",
        "EC2DescribePolicy", "DynamoDBReadPolicy", "DynamoDBReconfigurePolicy", "DynamoDBStreamReadPolicy",
        "DynamoDBBackupFullAccessPolicy", "SESSendBouncePolicy", "ElasticsearchHttpPostPolicy", "S3ReadPolicy",
        "S3WritePolicy", "S3CrudPolicy", "S3FullAccessPolicy", "AMIDescribePolicy", "CloudFormationDescribeStacksPolicy",
        "RekognitionDetectOnlyPolicy", "RekognitionNoDataAccessPolicy", "RekognitionReadPolicy",
        "RekognitionWriteOnlyAccessPolicy", "RekognitionFacesManagementPolicy", "RekognitionFacesPolicy",
        "RekognitionLabelsPolicy", "SQSSendMessagePolicy", "SNSPublishMessagePolicy", "SNSCrudPolicy", "VPCAccessPolicy",
        "KinesisStreamReadPolicy", "KinesisCrudPolicy", "SESCrudPolicy", "SESBulkTemplatedCrudPolicy",
        "SESEmailTemplateCrudPolicy", "KMSDecryptPolicy", "KMSEncryptPolicy", "PollyFullAccessPolicy",
        "CodePipelineLambdaExecutionPolicy", "CodePipelineReadOnlyPolicy", "ServerlessRepoReadWriteAccessPolicy",
        "EC2CopyImagePolicy", "CloudWatchDashboardPolicy", "ComprehendBasicAccessPolicy", "AWSSecretsManagerRotationPolicy",
        "AWSSecretsManagerGetSecretValuePolicy", "MobileAnalyticsWriteOnlyAccessPolicy", "PinpointEndpointAccessPolicy",
        "FirehoseWritePolicy", "FirehoseCrudPolicy", "EKSDescribePolicy", "CostExplorerReadOnlyPolicy",
        "OrganizationsListAccountsPolicy", "FilterLogEventsPolicy", "SSMParameterReadPolicy",
        "SSMParameterWithSlashPrefixReadPolicy", "StepFunctionsExecutionPolicy", "CodeCommitCrudPolicy",
        "CodeCommitReadPolicy", "AthenaQueryPolicy", "TextractPolicy", "TextractDetectAnalyzePolicy",
        "TextractGetResultPolicy", "EventBridgePutEventsPolicy", "AcmGetCertificatePolicy",
        "Route53ChangeResourceRecordSetsPolicy", "EcsRunTaskPolicy",
    ]

    /// Whether `function` may post to the connections of `api`: `execute-api:ManageConnections`
    /// on `<api>/<stage>/POST/@connections/<id>`.
    func mayPost(_ function: String, api: String) -> Tri {
        mayCall(function, action: "execute-api:ManageConnections",
                resource: { executeAPICoverage($0, api: api, tail: WebSocketModel.connectionsTail).result },
                template: { name, _ in WebSocketModel.unrelatedTemplates.contains(name) || name.hasPrefix("DynamoDB") ? .no : .unknown },
                managed: { name in
                    if WebSocketModel.allPowerfulPolicies.contains(name) || name == "AmazonAPIGatewayInvokeFullAccess" { return .yes }
                    return WebSocketModel.unrelatedManagedPolicies.contains(name) || name.hasPrefix("AmazonDynamoDB") ? .no : .unknown
                })
    }

    /// A concrete path PostToConnection authorizes against.
    static let connectionsTail = "POST/@connections/Zm9vYmFyCg="
}

/// A Lambda invocation URI taken apart:
/// `arn:<partition>:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations`.
struct LambdaURI {
    /// The function ARN between `functions/` and `/invocations`, when the URI has that form.
    let function: Symbolic?
    /// Whether the URI is an API Gateway service ARN (`arn:…:apigateway:…`).
    let isServiceARN: Bool
    /// Whether the service path is Lambda's (`…:lambda:path/…`).
    let isLambdaPath: Bool

    static let prefix = ":lambda:path/2015-03-31/functions/"
    static let suffix = "/invocations"

    init(_ value: Symbolic) {
        let parts = value.split(":")
        isServiceARN = parts.count >= 4 && parts[0].literal == "arn" && parts[2].literal == "apigateway"
        isLambdaPath = value.mentions(":lambda:path/")
        var function: Symbolic?
        // Find the prefix inside one literal piece and the suffix at the end of the last one.
        if let start = value.pieces.firstIndex(where: { if case .text(let t) = $0 { return t.containsText(LambdaURI.prefix) } else { return false } }),
           case .text(let head) = value.pieces[start], let range = head.firstTextRange(of: LambdaURI.prefix),
           case .text(let tail)? = value.pieces.last, tail.hasSuffix(LambdaURI.suffix) {
            var inner: [Piece] = [.text(String(head[range.upperBound...]))]
            if start == value.pieces.count - 1 {
                let text = String(head[range.upperBound...])
                inner = text.hasSuffix(LambdaURI.suffix) ? [.text(String(text.dropLast(LambdaURI.suffix.count)))] : []
            } else {
                inner += value.pieces[(start + 1)..<(value.pieces.count - 1)]
                inner.append(.text(String(tail.dropLast(LambdaURI.suffix.count))))
            }
            function = inner.isEmpty ? nil : Symbolic(inner)
        }
        self.function = function
    }
}
