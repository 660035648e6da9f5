import Contract
import Validation
import YAML

/// Whether the URL clients connect to changes: the WebSocket API replaced or removed (a new
/// API id), its stage renamed or replaced (a new path), or the `WebSocketInvokeUrl` output
/// changed. The URL is pasted into three settings, which `menort endpoints` prints; each
/// change names them.
struct EndpointWatch {
    let old: SourceTemplate
    let new: SourceTemplate
    let diff: TemplateDiff
    var oldValues: ValueReader
    var newValues: ValueReader
    let region: String?

    mutating func changes() -> [TemplateDiff.EndpointChange] {
        var changes: [TemplateDiff.EndpointChange] = []
        let actions = Dictionary(diff.resources.map { ($0.logicalId, $0) }, uniquingKeysWith: { first, _ in first })
        let apis = webSocketAPIs(in: old, reader: &oldValues)
        for api in apis {
            guard let change = actions[api], change.action != .update, change.action != .add else { continue }
            let what: String
            switch change.action {
            case .remove: what = "the WebSocket API \(api) is removed: its URL stops answering"
            case .refused: what = "the WebSocket API \(api) changes type (the deploy is refused; if it went through, its id would change)"
            default: what = "the WebSocket API \(api) is replaced: the new API gets a new id, so the URL changes"
            }
            changes.append(endpointChange(what))
        }
        for stage in old.resources where stage.type == "AWS::ApiGatewayV2::Stage" {
            guard case .call("Ref", .scalar(let api))? = stage.properties?["ApiId"].flatMap({ oldValues.value($0) }),
                  apis.contains(api) else { continue }
            let before = stage.properties?["StageName"].flatMap { oldValues.value($0) }
            let after = new.resource(stage.id)?.properties?["StageName"].flatMap { newValues.value($0) }
            if new.resource(stage.id) == nil {
                changes.append(endpointChange("the stage \(stage.id) (\(before?.brief ?? "?")) is removed: the URL's path stops answering"))
            } else if before != after {
                changes.append(endpointChange("the stage \(stage.id) is renamed \(before?.brief ?? "?") → \(after?.brief ?? "?"): the URL's path changes"))
            }
        }
        // The output follows the API and the stage: said on its own only when they did not change.
        if changes.isEmpty, let output = diff.outputs.first(where: { $0.name == RealtimeContract.invokeURLOutput }), output.change == "value" || output.change == "removed" {
            changes.append(endpointChange("the \(RealtimeContract.invokeURLOutput) output changes: \(output.old?.brief ?? "(none)") → \(output.new?.brief ?? "(none)")"))
        }
        return changes
    }

    /// The logical ids of the template's `AWS::ApiGatewayV2::Api`s with `ProtocolType: WEBSOCKET`.
    func webSocketAPIs(in template: SourceTemplate, reader: inout ValueReader) -> [String] {
        template.resources.filter { entry in
            entry.type == "AWS::ApiGatewayV2::Api"
                && entry.properties?["ProtocolType"].flatMap({ reader.value($0) }) == .scalar(RealtimeContract.protocolType)
        }.map(\.id)
    }

    mutating func endpointChange(_ message: String) -> TemplateDiff.EndpointChange {
        let url = newURL()
        var fragment = ""
        JSONValue.writeString(url, to: &fragment)
        return TemplateDiff.EndpointChange(message: message, newURL: url, settings: [
            "\(RealtimeEndpoint.webVariable)=\(url)",
            "\(RealtimeEndpoint.serverVariable)=\(url)",
            "# app.json: {\"expo\": {\"extra\": {\"\(RealtimeEndpoint.appKey)\": \(fragment)}}}",
        ])
    }

    /// The new URL as far as it is known before the deploy: the new template's output with
    /// the region and domain written in, the API id a placeholder (it exists only once the
    /// deploy has made the API).
    mutating func newURL() -> String {
        // The partition's domain, what `${AWS::URLSuffix}` is there (`amazonaws.com.cn` in China).
        let domain = region.flatMap { RealtimeEndpoint.domain(of: $0) } ?? "amazonaws.com"
        let region = region ?? "<region>"
        guard let output = new.outputs.first(where: { $0.id == RealtimeContract.invokeURLOutput }),
              let value = output.value["Value"].flatMap({ newValues.value($0) }) else {
            return "wss://<new API id>.execute-api.\(region).\(domain)/<stage>"
        }
        switch value {
        case .scalar(let url):
            return url
        case .call("Fn::Sub", .scalar(let template)):
            var url = ""
            for part in SubPart.scan(template) {
                switch part {
                case .text(let text): url += text
                case .variable(let variable):
                    switch variable.name {
                    case "AWS::Region": url += region
                    case "AWS::URLSuffix": url += domain
                    default:
                        // The id of an API the deploy replaces is known only afterwards.
                        let replaced = diff.resources.contains { $0.logicalId == variable.name && ($0.action == .replace || $0.action == .add) }
                        url += replaced ? "<new id of \(variable.name)>" : "<\(variable.name)'s id>"
                    }
                }
            }
            return url
        default:
            return value.brief
        }
    }
}
