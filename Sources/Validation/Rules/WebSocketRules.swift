import YAML

/// API Gateway WebSocket wiring: the defects that deploy fine and then answer
/// `Internal server error`, `403` on PostToConnection, or never reach a route.
///
/// Applies to every `AWS::ApiGatewayV2::Api` with `ProtocolType: WEBSOCKET` and the routes,
/// integrations, permissions, stages, deployments and functions around it; HTTP APIs are
/// left alone. Values are resolved structurally through `Ref`, `GetAtt`, `Sub` and `Join`;
/// whatever depends on a parameter or an import is not reported.
public struct WebSocketRules: RuleFamily {
    public static let family = Family.websocket

    static let routeSelection = Rule(
        "ws-route-selection", .websocket, .error, "A WebSocket API without a valid route selection expression",
        "A WebSocket API has no default route selection expression: CloudFormation fails to create one without RouteSelectionExpression, and API Gateway accepts only the form $request.body.<path> (for example $request.body.action), the JSON field of each message that picks its route. Set RouteSelectionExpression: $request.body.action.")
    static let duplicateKey = Rule(
        "ws-route-key-duplicate", .websocket, .error, "Two routes of one API share a route key",
        "Route keys are unique within an API: the second route fails to create with 'Route with key … already exists for this API' and the stack rolls back. Remove one of the routes or give it another key.")
    static let reservedKey = Rule(
        "ws-route-key-reserved", .websocket, .error, "A $-prefixed route key API Gateway does not define",
        "The only $ route keys a WebSocket API accepts are $connect, $disconnect and $default; any other key starting with $ is rejected when the route is created. Rename the route (chat.send, not $chat) or use $default.")
    static let apiId = Rule(
        "ws-api-id", .websocket, .error, "An API Gateway v2 resource whose ApiId names something that is not an API",
        "Routes, integrations, stages and deployments belong to an AWS::ApiGatewayV2::Api: ApiId must be !Ref of that API. A Ref to another kind of resource (a REST API, a function, a stage) yields an id API Gateway does not know, and the resource fails to create. Point ApiId at the WebSocket API.")
    static let routeTarget = Rule(
        "ws-route-target", .websocket, .error, "A route's Target is not an integration of its API",
        "A route's Target must be integrations/<IntegrationId> of an integration on the same API, written !Sub integrations/${Integration} or !Join ['/', [integrations, !Ref Integration]]. A bare id, a reference to something that is not an AWS::ApiGatewayV2::Integration, or an integration of another API fails to create or sends the route nowhere.")
    static let routeNoTarget = Rule(
        "ws-route-no-target", .websocket, .warning, "A route with no Target",
        "A route without a Target has no integration: API Gateway has nowhere to send the message, the deployment may be refused, and clients get an error instead of an answer. Add Target: !Sub integrations/${Integration}, or remove the route.")
    static let integrationURI = Rule(
        "ws-integration-uri", .websocket, .error, "An integration URI that cannot invoke its Lambda function",
        "A Lambda integration of a WebSocket API (AWS_PROXY, or AWS calling Lambda) invokes the function through the invocation URI arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/<function ARN>/invocations. Reported as errors are the URIs that cannot work: a Lambda service path that is not functions/<ARN>/invocations (another API version, a missing /invocations), an invocation URI whose ARN is not a Lambda function (a table, a queue), an AWS_PROXY integration pointed at an HTTP URL or another service, and an HTTP or HTTP_PROXY integration pointed at a Lambda function. Every message on such a route answers Internal server error. Write the invocation URI and use IntegrationType: AWS_PROXY. (A bare function ARN is ws-integration-uri-bare-arn, a warning.)")
    static let integrationURIBareARN = Rule(
        "ws-integration-uri-bare-arn", .websocket, .warning, "An integration URI that is the bare Lambda function ARN",
        "AWS documents the invocation URI arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/<function ARN>/invocations for Lambda integrations of WebSocket APIs. Whether a bare function ARN (!GetAtt F.Arn) also works is uncertain: aws-cdk #13679 reports a broken API with it, while the fix that followed (aws-cdk #13820) says the bare ARN worked and only the API Gateway console's view of the integration broke. Write the documented invocation URI so that neither the route nor the console depends on it.")
    static let routePermission = Rule(
        "ws-route-permission", .websocket, .error, "A routed function that API Gateway may not invoke",
        "Every function behind a route needs an AWS::Lambda::Permission with Action lambda:InvokeFunction, Principal apigateway.amazonaws.com, FunctionName naming it, and a SourceArn covering the API and route (arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/<route key>). Without it the deploy succeeds and every message on the route answers Internal server error, with API_CONFIGURATION_ERROR in the logs.")
    static let permissionPrincipal = Rule(
        "ws-permission-principal", .websocket, .error, "A Lambda permission for the wrong principal",
        "API Gateway invokes integrations as the service principal apigateway.amazonaws.com. A permission for another principal (lambda.amazonaws.com, an account, a misspelling) does not let the route call the function: clients get Internal server error. Set Principal: apigateway.amazonaws.com.")
    static let permissionAction = Rule(
        "ws-permission-action", .websocket, .error, "A Lambda permission that does not allow lambda:InvokeFunction",
        "API Gateway calls lambda:InvokeFunction. A permission for another action (lambda:InvokeAsync, lambda:GetFunction) leaves the route unable to call its function: clients get Internal server error. Set Action: lambda:InvokeFunction.")
    static let permissionAPI = Rule(
        "ws-permission-api", .websocket, .error, "A Lambda permission whose SourceArn names another API",
        "The SourceArn of the permission decides which API may invoke the function. When it names another API (or is not an execute-api ARN at all), the API that routes to the function is refused and clients get Internal server error. Use ${Api} (or ${Api.ApiId}) of the WebSocket API in the SourceArn.")
    static let permissionStage = Rule(
        "ws-permission-stage", .websocket, .error, "A Lambda permission whose SourceArn names another stage",
        "The second segment of the SourceArn's resource is the stage. When it is not the stage the API is deployed to, invocations from the real stage are refused and clients get Internal server error. Use ${StageName} of the stage, or *.")
    static let permissionRoute = Rule(
        "ws-permission-route", .websocket, .error, "A Lambda permission whose SourceArn covers another route",
        "The last segment of the SourceArn is the route key. A permission for route A does not let route B call the same function: B answers Internal server error. Give each route its own permission, or end the SourceArn with /* to cover every route of the API.")
    static let routeAuthorization = Rule(
        "ws-route-authorization", .websocket, .error, "Authorization on a route other than $connect",
        "A WebSocket API authorizes a client once, when it connects: AuthorizationType and AuthorizerId are accepted only on the $connect route, and the route fails to create elsewhere. Move the authorizer to $connect and set AuthorizationType: NONE (or remove it) on the other routes.")
    static let stageNotDeployed = Rule(
        "ws-stage-not-deployed", .websocket, .error, "A stage that is never deployed",
        "A stage with neither DeploymentId nor AutoDeploy: true, and no Deployment naming it, serves nothing: the URL exists but every connection fails. Set AutoDeploy: true, or DeploymentId: !Ref of a Deployment that depends on every route.")
    static let apiNoStage = Rule(
        "ws-api-no-stage", .websocket, .warning, "A WebSocket API with no stage",
        "Clients connect to wss://<api-id>.execute-api.<region>.amazonaws.com/<stage>: an API without an AWS::ApiGatewayV2::Stage (or a Deployment with StageName) cannot be reached. Add a stage with AutoDeploy: true, unless another stack creates it.")
    static let deploymentRoute = Rule(
        "ws-deployment-route", .websocket, .error, "A deployment that waits for no route of its API",
        "An AWS::ApiGatewayV2::Deployment snapshots the routes that exist when it is created. When it depends (through DependsOn, Ref or GetAtt) on no route of its API at all, while every route waits for something it does not (its integration, through Target, and that integration's function), CloudFormation creates it first and API Gateway refuses it: 'At least one route is required before deploying the Api' (aws/serverless-application-model#2512). List every route in the Deployment's DependsOn, or use AutoDeploy: true on the stage.")
    static let deploymentRouteOrder = Rule(
        "ws-deployment-route-order", .websocket, .warning, "A deployment that waits for some routes but not all",
        "An AWS::ApiGatewayV2::Deployment snapshots the routes that exist when it is created. When it depends on some routes of its API but not on another, CloudFormation creates that route and the deployment in parallel: whether the route is in the snapshot depends on which CloudFormation happens to create first, so the stage may silently lack the route until the next deployment; the deploy itself succeeds. When it depends on no route and some route waits for nothing more than the deployment does (a route without Target), the same race decides whether the deploy fails with 'At least one route is required before deploying the Api'. List every route in the Deployment's DependsOn (or use AutoDeploy: true on the stage).")
    static let manageConnections = Rule(
        "ws-manage-connections", .websocket, .error, "A policy for @connections that does not allow posting",
        "Posting to a client (PostToConnection) needs execute-api:ManageConnections on arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/${StageName}/POST/@connections/*. With execute-api:Invoke, another API or stage, or a path without POST/@connections/*, every post fails with 403 Forbidden and clients never hear back.")
    static let integrationTimeout = Rule(
        "ws-integration-timeout", .websocket, .error, "An integration timeout outside 50–29000 ms",
        "API Gateway accepts TimeoutInMillis between 50 and 29000 for WebSocket integrations; any other value fails the deploy. Use a value in that range, or leave it out for 29000.")
    static let functionTimeout = Rule(
        "ws-function-timeout", .websocket, .warning, "A routed function that may run longer than API Gateway waits",
        "API Gateway waits at most 29 seconds for an integration. A routed function whose Timeout (its own, from Globals, or a parameter's Default) is longer may still be running when API Gateway gives up: whatever the function returns after 29 s (its integration response) is lost, and a $connect handler that slow fails the connection. A handler that answers the client by posting to @connections (PostToConnection) can still do so after 29 s, as long as the connection is open. Keep the handler at 29 s or less, or make sure it answers through @connections and not through its return value, or move the long work to a queue.")

    public static let rules: [Rule] = [
        routeSelection, duplicateKey, reservedKey, apiId, routeTarget, routeNoTarget, integrationURI, integrationURIBareARN,
        routePermission, permissionPrincipal, permissionAction, permissionAPI, permissionStage, permissionRoute,
        routeAuthorization, stageNotDeployed, apiNoStage, deploymentRoute, deploymentRouteOrder, manageConnections,
        integrationTimeout, functionTimeout,
    ]

    public init() {}

    public func check(_ context: ValidationContext, into report: inout Report) {
        let model = context.webSocket
        checkAPIIds(model, into: &report)
        guard !model.webSocketAPIs.isEmpty else { return }
        var sink = Sink(report: report)
        for api in model.webSocketAPIs {
            guard let entry = model.apis[api]?.entry else { continue }
            checkSelection(entry, into: &sink)
            checkRoutes(api, model, into: &sink)
            checkDeployments(api, entry, model, into: &sink)
        }
        checkIntegrations(model, into: &sink)
        checkPermissions(model, into: &sink)
        checkManageConnections(model, into: &sink)
        checkFunctionTimeouts(model, into: &sink)
        report = sink.report
    }

    /// A report that drops a second finding of the same rule at the same place, since one
    /// bad permission or statement may fail several routes.
    struct Sink {
        var report: Report
        private var seen: Set<String> = []

        init(report: Report) { self.report = report }

        /// Adds a finding; with `perPlace`, only the first of its rule at that node and id.
        mutating func add(_ rule: Rule, _ message: String, at node: Node?, logicalId: String?, path: String?, perPlace: Bool = true) {
            let key = "\(rule.id)|\(node?.mark?.description ?? "-")|\(logicalId ?? "-")" + (perPlace ? "" : "|" + message)
            guard seen.insert(key).inserted else { return }
            report.add(rule, message, at: node, logicalId: logicalId, path: path)
        }
    }

    // MARK: - API

    private func checkAPIIds(_ model: WebSocketModel, into report: inout Report) {
        let children: Set<String> = [
            "AWS::ApiGatewayV2::Route", "AWS::ApiGatewayV2::Integration", "AWS::ApiGatewayV2::Stage",
            "AWS::ApiGatewayV2::Deployment", "AWS::ApiGatewayV2::Authorizer", "AWS::ApiGatewayV2::RouteResponse",
            "AWS::ApiGatewayV2::IntegrationResponse", "AWS::ApiGatewayV2::Model",
        ]
        for entry in model.template.resources where entry.resourceType.map(children.contains) == true {
            guard case .notAnAPI(let id, let type) = model.apiOf(entry) else { continue }
            report.add(WebSocketRules.apiId,
                       "ApiId names '\(id)', \(WebSocketRules.article(type)) \(type), not an AWS::ApiGatewayV2::Api; use !Ref of the API",
                       at: entry.properties?["ApiId"], logicalId: entry.id, path: "Resources/\(entry.id)/Properties/ApiId")
        }
    }

    private func checkSelection(_ entry: SourceTemplate.Entry, into sink: inout Sink) {
        guard let node = entry.properties?["RouteSelectionExpression"] else {
            sink.add(WebSocketRules.routeSelection,
                     "WebSocket API '\(entry.id)' has no RouteSelectionExpression; add RouteSelectionExpression: $request.body.action",
                     at: entry.properties == nil ? entry.key : propertiesKey(entry), logicalId: entry.id,
                     path: "Resources/\(entry.id)/Properties")
            return
        }
        guard let text = literalText(node) else { return }
        guard !WebSocketRules.isSelectionExpression(text) else { return }
        sink.add(WebSocketRules.routeSelection,
                 "route selection expression '\(text)' is not of the form $request.body.<path>; use $request.body.action",
                 at: node, logicalId: entry.id, path: "Resources/\(entry.id)/Properties/RouteSelectionExpression")
    }

    /// `$request.body.<path>` (or `${request.body.<path>}`), the only selection API Gateway
    /// supports for WebSocket APIs.
    static func isSelectionExpression(_ text: String) -> Bool {
        var path: Substring
        if text.hasPrefix("$request.body.") {
            path = text.dropFirst("$request.body.".count)
        } else if text.hasPrefix("${request.body."), text.hasSuffix("}") {
            path = text.dropFirst("${request.body.".count).dropLast()
        } else {
            return false
        }
        if path.isEmpty || path.hasPrefix(".") || path.hasSuffix(".") || path.containsText("..") { return false }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.[]'\"*")
        path = path[...]
        return path.allSatisfy { allowed.contains($0) }
    }

    /// "an" before a resource type (`an AWS::Lambda::Function`), "a" otherwise.
    static func article(_ type: String) -> String {
        guard let first = type.first else { return "a" }
        return "AEIOUaeiou".contains(first) ? "an" : "a"
    }

    private func propertiesKey(_ entry: SourceTemplate.Entry) -> Node {
        entry.value.pairs?.first { $0.key.scalar == "Properties" }?.key ?? entry.key
    }

    // MARK: - Routes

    static let builtInKeys: Set<String> = ["$connect", "$disconnect", "$default"]

    private func checkRoutes(_ api: String, _ model: WebSocketModel, into sink: inout Sink) {
        var firstByKey: [String: String] = [:]
        for route in model.routesByAPI[api] ?? [] {
            let id = route.entry.id
            let properties = route.entry.properties
            let conditional = route.entry.value["Condition"] != nil
            if let key = route.key {
                if key.hasPrefix("$") && !WebSocketRules.builtInKeys.contains(key) {
                    sink.add(WebSocketRules.reservedKey,
                             "route key '\(key)' starts with $ but is not $connect, $disconnect or $default; rename it",
                             at: route.keyNode, logicalId: id, path: "Resources/\(id)/Properties/RouteKey")
                }
                if !conditional {
                    if let first = firstByKey[key] {
                        sink.add(WebSocketRules.duplicateKey,
                                 "route key '\(key)' is already used by route '\(first)' of API '\(api)'; remove one of them",
                                 at: route.keyNode, logicalId: id, path: "Resources/\(id)/Properties/RouteKey")
                    } else {
                        firstByKey[key] = id
                    }
                }
                if key != "$connect" { checkAuthorization(route, key: key, into: &sink) }
            }
            guard let targetNode = properties?["Target"] else {
                sink.add(WebSocketRules.routeNoTarget,
                         "route '\(route.key ?? id)' has no Target, so its messages reach no integration; add Target: !Sub integrations/${Integration}",
                         at: route.entry.key, logicalId: id, path: "Resources/\(id)")
                continue
            }
            checkTarget(route, targetNode, model, into: &sink)
        }
    }

    private func checkAuthorization(_ route: WebSocketModel.Route, key: String, into sink: inout Sink) {
        let id = route.entry.id
        let properties = route.entry.properties
        if let node = properties?["AuthorizationType"], let type = literalText(node), type.uppercased() != "NONE" {
            sink.add(WebSocketRules.routeAuthorization,
                     "route '\(key)' sets AuthorizationType \(type), but a WebSocket API authorizes only on $connect; move it to the $connect route",
                     at: node, logicalId: id, path: "Resources/\(id)/Properties/AuthorizationType")
        } else if let node = properties?["AuthorizerId"] {
            sink.add(WebSocketRules.routeAuthorization,
                     "route '\(key)' names an authorizer, but a WebSocket API authorizes only on $connect; move it to the $connect route",
                     at: node, logicalId: id, path: "Resources/\(id)/Properties/AuthorizerId")
        }
    }

    private func checkTarget(_ route: WebSocketModel.Route, _ node: Node, _ model: WebSocketModel, into sink: inout Sink) {
        let id = route.entry.id
        let path = "Resources/\(id)/Properties/Target"
        let name = route.key ?? id
        switch model.target(node) {
        case .integration(let integration):
            guard let entry = model.template.resource(integration) else { return }
            if case .api(let other) = model.apiOf(entry), other != route.api {
                sink.add(WebSocketRules.routeTarget,
                         "route '\(name)' targets integration '\(integration)', which is on API '\(other)', not '\(route.api)'; target an integration of '\(route.api)'",
                         at: node, logicalId: id, path: path)
            }
        case .malformed:
            let written = Symbolic(node)?.description ?? node.description
            sink.add(WebSocketRules.routeTarget,
                     "route '\(name)' has Target '\(written)', which is not integrations/<id>; use !Sub integrations/${Integration}",
                     at: node, logicalId: id, path: path)
        case .notAnIntegration(let other, let type):
            sink.add(WebSocketRules.routeTarget,
                     "route '\(name)' targets '\(other)', \(WebSocketRules.article(type)) \(type), not an AWS::ApiGatewayV2::Integration; name the route's integration",
                     at: node, logicalId: id, path: path)
        case .undeclared(let other):
            sink.add(WebSocketRules.routeTarget,
                     "route '\(name)' targets integration '\(other)', which is not declared; name an integration of '\(route.api)'",
                     at: node, logicalId: id, path: path)
        case .unknown:
            break
        }
    }

    // MARK: - Integrations

    private func checkIntegrations(_ model: WebSocketModel, into sink: inout Sink) {
        let webSocket = Set(model.webSocketAPIs)
        for entry in model.template.resources where entry.resourceType == "AWS::ApiGatewayV2::Integration" {
            guard case .api(let api) = model.apiOf(entry), webSocket.contains(api) else { continue }
            let id = entry.id
            if let node = entry.properties?["TimeoutInMillis"], let text = literalText(node), let value = Double(text),
               value < 50 || value > 29000 {
                sink.add(WebSocketRules.integrationTimeout,
                         "TimeoutInMillis \(text) is outside 50–29000; API Gateway refuses it, use at most 29000",
                         at: node, logicalId: id, path: "Resources/\(id)/Properties/TimeoutInMillis")
            }
            checkIntegrationURI(entry, model, into: &sink)
        }
    }

    private func checkIntegrationURI(_ entry: SourceTemplate.Entry, _ model: WebSocketModel, into sink: inout Sink) {
        let id = entry.id
        guard let typeNode = entry.properties?["IntegrationType"], let type = literalText(typeNode)?.uppercased(),
              let uriNode = entry.properties?["IntegrationUri"], let value = Symbolic(uriNode) else { return }
        let path = "Resources/\(id)/Properties/IntegrationUri"
        let uri = LambdaURI(value)
        let parts = value.split(":")
        let bareFunction: Bool = {
            if case .function = model.function(value) { return true }
            return parts.count >= 7 && parts[0].literal == "arn" && parts[2].literal == "lambda"
        }()
        switch type {
        case "AWS_PROXY", "AWS":
            if let function = uri.function {
                if case .other(let other, let otherType) = model.function(function) {
                    sink.add(WebSocketRules.integrationURI,
                             "integration URI invokes '\(other)', \(WebSocketRules.article(otherType)) \(otherType), not a Lambda function; use ${Function.Arn}",
                             at: uriNode, logicalId: id, path: path)
                }
                return
            }
            if bareFunction {
                sink.add(WebSocketRules.integrationURIBareARN,
                         "IntegrationUri is the bare function ARN, not the invocation URI AWS documents; whether API Gateway invokes the function with it is uncertain (aws-cdk #13679 reports a broken API, aws-cdk #13820 only a broken console view), so write arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Function.Arn}/invocations",
                         at: uriNode, logicalId: id, path: path)
            } else if uri.isLambdaPath {
                sink.add(WebSocketRules.integrationURI,
                         "IntegrationUri '\(value)' is not of the form …:lambda:path/2015-03-31/functions/<function ARN>/invocations; fix the service path",
                         at: uriNode, logicalId: id, path: path)
            } else if type == "AWS_PROXY", uri.isServiceARN || value.literal.map({ $0.hasPrefix("http://") || $0.hasPrefix("https://") }) == true {
                sink.add(WebSocketRules.integrationURI,
                         "AWS_PROXY integrations of a WebSocket API call Lambda only, but IntegrationUri is '\(value)'; use a Lambda invocation URI, or HTTP_PROXY/AWS for other targets",
                         at: uriNode, logicalId: id, path: path)
            }
        case "HTTP_PROXY", "HTTP":
            if bareFunction || uri.function != nil {
                sink.add(WebSocketRules.integrationURI,
                         "IntegrationType \(type) sends HTTP requests, but IntegrationUri names a Lambda function; use IntegrationType: AWS_PROXY",
                         at: typeNode, logicalId: id, path: "Resources/\(id)/Properties/IntegrationType")
            }
        default:
            break
        }
    }

    // MARK: - Permissions

    /// Every route with a resolved handler, as (route, integration, function).
    private func routedHandlers(_ model: WebSocketModel) -> [(route: WebSocketModel.Route, integration: String, function: String)] {
        model.routes.compactMap { route in
            model.handler(of: route).map { (route, $0.integration, $0.function) }
        }
    }

    private func checkPermissions(_ model: WebSocketModel, into sink: inout Sink) {
        guard !model.hasUnresolvedPermission, model.isComplete else { return }
        for (route, integration, function) in routedHandlers(model) {
            guard let key = route.key, !model.connectedFunctions.contains(function) else { continue }
            // An integration with CredentialsArn invokes through that role, not a permission.
            if model.template.resource(integration)?.properties?["CredentialsArn"] != nil { continue }
            let permissions = model.permissionsByFunction[function] ?? []
            var failures: [(permission: SourceTemplate.Entry, failed: [Failure])] = []
            var covered = false
            for permission in permissions {
                let failed = evaluate(permission, api: route.api, key: key, model)
                if failed.isEmpty {
                    covered = true
                    break
                }
                failures.append((permission, failed))
            }
            if covered { continue }
            guard let best = failures.min(by: { $0.failed.count < $1.failed.count }), let failure = best.failed.first else {
                sink.add(WebSocketRules.routePermission,
                         "route '\(key)' invokes '\(function)', which has no AWS::Lambda::Permission for apigateway.amazonaws.com, so clients get Internal server error; add one with SourceArn …:${\(route.api)}/*/\(key)",
                         at: route.keyNode ?? route.entry.key, logicalId: route.entry.id,
                         path: "Resources/\(route.entry.id)/Properties/RouteKey")
                continue
            }
            let id = best.permission.id
            let message: String
            switch failure.rule.id {
            case WebSocketRules.permissionPrincipal.id:
                message = "permission '\(id)' is for principal '\(failure.found)', but API Gateway invokes '\(function)' for route '\(key)' as apigateway.amazonaws.com; set Principal: apigateway.amazonaws.com"
            case WebSocketRules.permissionAction.id:
                message = "permission '\(id)' allows '\(failure.found)', but route '\(key)' needs lambda:InvokeFunction on '\(function)'; set Action: lambda:InvokeFunction"
            case WebSocketRules.permissionAPI.id:
                message = failure.found.isEmpty
                    ? "permission '\(id)' has a SourceArn that is not an execute-api ARN, so API '\(route.api)' cannot invoke '\(function)' for route '\(key)'; use arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${\(route.api)}/*/\(key)"
                    : "permission '\(id)' lets '\(failure.found)' invoke '\(function)', not API '\(route.api)' that routes '\(key)' to it; use ${\(route.api)} in the SourceArn"
            case WebSocketRules.permissionStage.id:
                message = "permission '\(id)' covers stage '\(failure.found)', which is not a stage of API '\(route.api)', so route '\(key)' cannot invoke '\(function)'; use the stage's name or *"
            default:
                message = failure.found.isEmpty
                    ? "permission '\(id)' covers no route of API '\(route.api)', so route '\(key)' cannot invoke '\(function)'; end the SourceArn with /*/\(key)"
                    : "permission '\(id)' covers route '\(failure.found)', not '\(key)' that API '\(route.api)' routes to '\(function)'; end the SourceArn with /\(key) or /*"
            }
            sink.add(failure.rule, message, at: failure.node, logicalId: id, path: "Resources/\(id)/Properties/\(failure.property)")
        }
    }

    private struct Failure {
        let rule: Rule
        let node: Node?
        let property: String
        let found: String
    }

    /// What keeps `permission` from letting route `key` of `api` invoke its function, in the
    /// order a reader would fix it; empty when it allows it (or menort cannot tell).
    private func evaluate(_ permission: SourceTemplate.Entry, api: String, key: String, _ model: WebSocketModel) -> [Failure] {
        var failures: [Failure] = []
        let properties = permission.properties
        if let node = properties?["Principal"], let value = Symbolic(node), let first = value.pieces.first {
            var ok = Tri.unknown
            if let text = value.literal {
                ok = Tri(text.lowercased() == "apigateway.amazonaws.com" || text.lowercased() == "apigateway.amazonaws.com.cn")
            } else if case .text(let prefix) = first {
                ok = Tri(prefix.lowercased().hasPrefix("apigateway."))
            }
            if ok == .no { failures.append(Failure(rule: WebSocketRules.permissionPrincipal, node: node, property: "Principal", found: value.description)) }
        }
        if let node = properties?["Action"], let text = literalText(node),
           !["lambda:invokefunction", "lambda:*", "*"].contains(text.lowercased()) {
            failures.append(Failure(rule: WebSocketRules.permissionAction, node: node, property: "Action", found: text))
        }
        guard let node = properties?["SourceArn"], let value = Symbolic(node) else { return failures }
        let coverage = model.executeAPICoverage(value, api: api, tail: key)
        if coverage.result == .no, let aspect = coverage.failed {
            switch aspect.kind {
            case .service:
                failures.append(Failure(rule: WebSocketRules.permissionAPI, node: node, property: "SourceArn", found: ""))
            case .api:
                failures.append(Failure(rule: WebSocketRules.permissionAPI, node: node, property: "SourceArn", found: aspect.found))
            case .stage:
                failures.append(Failure(rule: WebSocketRules.permissionStage, node: node, property: "SourceArn", found: aspect.found))
            case .tail:
                failures.append(Failure(rule: WebSocketRules.permissionRoute, node: node, property: "SourceArn", found: aspect.found))
            }
        }
        return failures
    }

    // MARK: - Deployments

    private func checkDeployments(_ api: String, _ entry: SourceTemplate.Entry, _ model: WebSocketModel, into sink: inout Sink) {
        let stages = model.stagesByAPI[api] ?? []
        let deployments = model.deploymentsByAPI[api] ?? []
        guard model.isComplete, !model.hasUnreadableStage else { return }
        var autoDeploy = false
        for stage in stages where WebSocketRules.autoDeploy(stage) != .no { autoDeploy = true }
        let deployedNames = deployments.compactMap { $0.properties?["StageName"] }.map(Symbolic.init)
        for stage in stages {
            let properties = stage.properties
            if properties?["DeploymentId"] != nil || WebSocketRules.autoDeploy(stage) != .no { continue }
            let name = properties?["StageName"].flatMap(Symbolic.init)
            // A Deployment with StageName deploys into that stage.
            if deployedNames.contains(where: { $0 == nil || name == nil || $0 == name || $0?.literal == nil || name?.literal == nil }) { continue }
            sink.add(WebSocketRules.stageNotDeployed,
                     "stage '\(stage.id)' of API '\(api)' has neither DeploymentId nor AutoDeploy: true, so it serves nothing; set AutoDeploy: true",
                     at: stage.key, logicalId: stage.id, path: "Resources/\(stage.id)")
        }
        if stages.isEmpty && deployedNames.isEmpty {
            sink.add(WebSocketRules.apiNoStage,
                     "WebSocket API '\(api)' has no stage, so clients cannot connect; add an AWS::ApiGatewayV2::Stage with AutoDeploy: true",
                     at: entry.key, logicalId: api, path: "Resources/\(api)")
        }
        guard !autoDeploy else { return }
        let routes = (model.routesByAPI[api] ?? []).filter { $0.entry.value["Condition"] == nil }
        for deployment in deployments {
            guard let dependencies = model.dependencies(of: deployment.id) else { continue }
            let dependsOn = deployment.value["DependsOn"]
            let place = dependsOn ?? deployment.key
            let path = dependsOn == nil ? "Resources/\(deployment.id)" : "Resources/\(deployment.id)/DependsOn"
            let awaited = routes.filter { dependencies.contains($0.entry.id) }
            let missed = routes.filter { !dependencies.contains($0.entry.id) }
            guard let first = missed.first else { continue }
            let names = missed.map(\.entry.id).joined(separator: ", ")
            let fix = missed.count == 1 ? first.entry.id : "the routes (\(names))"
            if awaited.isEmpty {
                // A route that needs nothing the deployment does not also wait for (no Target on
                // an integration, say) may be created first: then the deploy succeeds.
                let racing = missed.filter { route in
                    guard let needs = model.dependencies(of: route.entry.id) else { return true }
                    return needs.subtracting(dependencies).subtracting([deployment.id, route.entry.id]).isEmpty
                }
                if let racer = racing.first {
                    sink.add(WebSocketRules.deploymentRouteOrder,
                             "deployment '\(deployment.id)' waits for no route of API '\(api)', and route '\(racer.entry.id)' (\(racer.key ?? "?")) waits for nothing more than it does, so CloudFormation creates them in parallel: the deploy fails ('At least one route is required before deploying the Api') unless a route happens to come first; add \(fix) to DependsOn",
                             at: place, logicalId: deployment.id, path: path)
                    continue
                }
                // Every route waits for something (its integration) the deployment does not: the
                // deployment comes first, and API Gateway refuses a deployment of an API without routes.
                sink.add(WebSocketRules.deploymentRoute,
                         "deployment '\(deployment.id)' depends on no route of API '\(api)', while every route waits for its integration, so CloudFormation creates the deployment first and API Gateway refuses it ('At least one route is required before deploying the Api'); add \(fix) to DependsOn",
                         at: place, logicalId: deployment.id, path: path)
                continue
            }
            let ids = awaited.map(\.entry.id)
            let waitedFor = ids.count == 1 ? ids[0] : ids.dropLast().joined(separator: ", ") + " and " + ids[ids.count - 1]
            for route in missed {
                sink.add(WebSocketRules.deploymentRouteOrder,
                         "deployment '\(deployment.id)' waits for \(waitedFor) but not for route '\(route.entry.id)' (\(route.key ?? "?")), so whether the stage serves that route depends on the order CloudFormation happens to create them in; add \(route.entry.id) to DependsOn",
                         at: place, logicalId: deployment.id, path: path, perPlace: false)
            }
        }
    }

    /// `AutoDeploy` of a stage: true, false (also when absent) or unknown.
    static func autoDeploy(_ stage: SourceTemplate.Entry) -> Tri {
        guard let node = stage.properties?["AutoDeploy"] else { return .no }
        guard let text = literalText(node) else { return .unknown }
        return Tri(text.lowercased() == "true")
    }

    // MARK: - @connections

    private func checkManageConnections(_ model: WebSocketModel, into sink: inout Sink) {
        guard model.isComplete else { return }
        var routedAPIs: [String: [String]] = [:]
        for (route, _, function) in routedHandlers(model) where routedAPIs[function]?.contains(route.api) != true {
            routedAPIs[function, default: []].append(route.api)
        }
        let webSocket = Set(model.webSocketAPIs)
        for entry in model.template.resources where model.functions[entry.id] != nil {
            let function = entry.id
            let statements = model.statements(of: function, mentioning: "@connections")
            guard !statements.isEmpty else { continue }
            var apis = routedAPIs[function] ?? []
            if apis.isEmpty {
                // A function no route calls (a worker) posts to the APIs its statements name.
                for statement in statements {
                    for item in listOrSingle(statement.node["Resource"]) {
                        guard let value = Symbolic(item) else { continue }
                        let parts = value.split(":")
                        guard parts.count >= 6 else { continue }
                        let segment = Symbolic.join(parts[5...], separator: ":").split("/")[0]
                        if case .api(let api) = model.apiReference(segment), webSocket.contains(api), !apis.contains(api) {
                            apis.append(api)
                        }
                    }
                }
            }
            for api in apis where model.mayPost(function, api: api) == .no {
                for statement in statements { diagnose(statement, function: function, api: api, model, into: &sink) }
            }
        }
    }

    private func diagnose(_ statement: WebSocketModel.Statement, function: String, api: String, _ model: WebSocketModel, into sink: inout Sink) {
        let action = statement.node["Action"]
        if model.actionTri(action, action: "execute-api:ManageConnections") == .no {
            let written = listOrSingle(action).compactMap(literalText).joined(separator: ", ")
            sink.add(WebSocketRules.manageConnections,
                     "'\(function)' is granted \(written.isEmpty ? "no action" : written) on @connections, but posting to a connection needs execute-api:ManageConnections; change the Action",
                     at: action ?? statement.node, logicalId: statement.owner, path: "\(statement.path)/Action")
            return
        }
        let resources = listOrSingle(statement.node["Resource"])
        let listed = statement.node["Resource"].map { Intrinsic($0) == nil && $0.items != nil } ?? false
        for (index, item) in resources.enumerated() {
            guard let value = Symbolic(item), value.mentions("@connections") else { continue }
            let coverage = model.executeAPICoverage(value, api: api, tail: WebSocketModel.connectionsTail)
            guard coverage.result == .no, let failed = coverage.failed else { continue }
            let message: String
            switch failed.kind {
            case .service:
                message = "'\(function)' is granted '\(value)', which is not an execute-api ARN; use arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${\(api)}/${StageName}/POST/@connections/*"
            case .api:
                message = "'\(function)' may post to connections of '\(failed.found)', not of API '\(api)' that it serves; use ${\(api)} in the Resource"
            case .stage:
                message = "'\(function)' may post to connections of stage '\(failed.found)', which is not a stage of API '\(api)'; use the stage's name or *"
            case .tail:
                message = "'\(function)' is granted '\(failed.found)' after the stage, which does not cover POST/@connections/*; end the Resource with /POST/@connections/*"
            }
            sink.add(WebSocketRules.manageConnections, message, at: item, logicalId: statement.owner,
                     path: listed ? "\(statement.path)/Resource/\(index)" : "\(statement.path)/Resource")
        }
    }

    // MARK: - Function timeouts

    private func checkFunctionTimeouts(_ model: WebSocketModel, into sink: inout Sink) {
        var seen: Set<String> = []
        for (route, _, function) in routedHandlers(model) where seen.insert(function).inserted {
            guard let timeout = WebSocketRules.timeout(of: function, model.template), timeout.seconds > 29 else { continue }
            let via = timeout.parameter.map { " (the Default of '\($0)')" } ?? ""
            sink.add(WebSocketRules.functionTimeout,
                     "'\(function)' handles route '\(route.key ?? route.entry.id)' with a \(timeout.text) s timeout\(via), but API Gateway waits at most 29 s: a response the function returns later is lost (posting to @connections still reaches the client); use at most 29, or answer through @connections",
                     at: timeout.node, logicalId: function, path: timeout.path)
        }
    }

    /// A function's timeout in seconds: its own `Timeout`, else SAM's `Globals.Function.Timeout`,
    /// through a parameter's `Default` when it is a `!Ref`.
    static func timeout(of function: String, _ template: SourceTemplate) -> (seconds: Double, text: String, node: Node, path: String, parameter: String?)? {
        guard let entry = template.resource(function) else { return nil }
        var node = entry.properties?["Timeout"]
        var path = "Resources/\(function)/Properties/Timeout"
        if node == nil, entry.resourceType == "AWS::Serverless::Function" {
            node = template.root["Globals"]?["Function"]?["Timeout"]
            path = "Globals/Function/Timeout"
        }
        guard let node else { return nil }
        var text = literalText(node)
        var parameter: String?
        if text == nil, let call = Intrinsic(node), call.name == "Ref", let name = call.argument.scalar,
           let declared = template.parameter(name) {
            text = literalText(declared.value["Default"])
            parameter = name
        }
        guard let text, let seconds = Double(text) else { return nil }
        return (seconds, text, node, path, parameter)
    }
}
