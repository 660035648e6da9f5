import Validation

/// The forms `menort diff` writes: text for people, JSON for machines, Markdown for a pull
/// request comment.
public enum DiffFormat: String, Sendable, CaseIterable {
    case text, json, markdown
}

extension TemplateDiff {
    /// The report in `format`, ending with a newline.
    public func render(_ format: DiffFormat, old: String, new: String) -> String {
        switch format {
        case .text: return text(old: old, new: new)
        case .json: return json(old: old, new: new).serialized() + "\n"
        case .markdown: return markdown(old: old, new: new)
        }
    }

    /// One line: `2 replaced (1 with data loss), 3 updated, …`, or that nothing changes.
    public var summaryLine: String {
        var counts = counts
        // A resource that may be replaced is said once, not also as updated.
        counts["update", default: 0] -= counts["mayReplace"] ?? 0
        guard !isEmpty else { return "no changes: the templates deploy the same stack" }
        var parts: [String] = []
        func add(_ key: String, _ word: String, one: String? = nil) {
            if let count = counts[key], count > 0 { parts.append("\(count) \(count == 1 ? one ?? word : word)") }
        }
        add("refused", "refused")
        add("replace", "replaced")
        add("mayReplace", "may be replaced")
        add("update", "updated")
        add("add", "added")
        add("remove", "removed")
        add("dataLoss", "with data loss")
        add("endpoint", "endpoint changes", one: "endpoint change")
        add("parameters", "parameters changed", one: "parameter changed")
        add("outputs", "outputs changed", one: "output changed")
        return parts.joined(separator: ", ")
    }

    func label(_ change: ResourceChange) -> String {
        if change.action == .update && change.mayReplace { return "may replace" }
        return change.action.rawValue
    }

    func text(old: String, new: String) -> String {
        var lines = ["menort diff: \(old) → \(new)"]
        for change in resources {
            var line = "  \(label(change).uppercased().padding(11)) \(change.logicalId) (\(change.oldType.map { "\($0) → " } ?? "")\(change.type))"
            let paths = change.properties.map(\.path)
            if change.action == .update, !change.mayReplace, !paths.isEmpty { line += ": " + paths.joined(separator: ", ") }
            lines.append(line)
            for reason in change.reasons { lines.append("      \(reason)") }
            if change.action == .update, !change.mayReplace {
                // Why a property changes when its written value did not (a replaced resource it names).
                for property in change.properties { if let reason = property.reason { lines.append("      \(reason)") } }
            }
            if let loss = change.dataLoss { lines.append("      \(loss.destroyed ? "DATA LOSS: " : "data kept: ")\(loss.message)") }
        }
        for change in endpointChanges {
            lines.append("  ENDPOINT    \(change.message)")
            lines.append("      new URL: \(change.newURL); update:")
            for setting in change.settings { lines.append("        \(setting)") }
        }
        for parameter in parameters {
            lines.append("  PARAMETER   \(parameter.name): \(parameter.change)\(describe(parameter))")
        }
        for output in outputs {
            lines.append("  OUTPUT      \(output.name): \(output.change)\(describe(output))")
        }
        lines.append(summaryLine)
        return lines.joined(separator: "\n") + "\n"
    }

    func describe(_ change: EntryChange) -> String {
        guard change.old != nil || change.new != nil else { return "" }
        return " \(change.old?.brief ?? "(none)") → \(change.new?.brief ?? "(none)")"
    }

    func markdown(old: String, new: String) -> String {
        var lines = ["### menort diff", "", "`\(old)` → `\(new)`: **\(summaryLine)**", ""]
        if !endpointChanges.isEmpty {
            lines.append("#### ⚠️ The WebSocket URL changes")
            lines.append("")
            for change in endpointChanges { lines.append("- \(escaped(change.message))") }
            lines.append("")
            lines.append("New URL: `\(endpointChanges[0].newURL)`. Update:")
            lines.append("")
            lines.append("```")
            lines += endpointChanges[0].settings
            lines.append("```")
            lines.append("")
        }
        if !resources.isEmpty {
            lines.append("| action | resource | type | why |")
            lines.append("| --- | --- | --- | --- |")
            for change in resources {
                var why = change.reasons
                if let loss = change.dataLoss { why.append((loss.destroyed ? "**data loss:** " : "data kept: ") + loss.message) }
                if why.isEmpty, !change.properties.isEmpty { why = [change.properties.map { "`\($0.path)`" }.joined(separator: ", ")] }
                let action = change.dataLoss?.destroyed == true ? "**\(label(change))** 🔥" : change.action == .replace || change.action == .refused ? "**\(label(change))**" : label(change)
                lines.append("| \(action) | `\(change.logicalId)` | \(change.oldType.map { "\($0) → " } ?? "")\(change.type) | \(why.map(escaped).joined(separator: "<br>")) |")
            }
            lines.append("")
        }
        if !parameters.isEmpty || !outputs.isEmpty {
            lines.append("| parameter / output | change |")
            lines.append("| --- | --- |")
            for parameter in parameters { lines.append("| parameter `\(parameter.name)` | \(parameter.change)\(escaped(describe(parameter))) |") }
            for output in outputs { lines.append("| output `\(output.name)` | \(output.change)\(escaped(describe(output))) |") }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    func escaped(_ text: String) -> String {
        text.replacingText("|", with: "\\|").replacingText("\n", with: " ")
    }

    /// The documented JSON form (README, `menort diff`): `resources`, `parameters`,
    /// `outputs`, `endpointChanges`, `summary`.
    public func json(old: String, new: String) -> JSONValue {
        func value(_ value: DiffValue?) -> JSONValue { value?.json ?? .null }
        let counts = counts
        return .object([
            ("old", .string(old)),
            ("new", .string(new)),
            ("resources", .array(resources.map { change in
                .object([
                    ("logicalId", .string(change.logicalId)),
                    ("type", .string(change.type)),
                    ("oldType", .optional(change.oldType)),
                    ("action", .string(change.action.rawValue)),
                    ("mayReplace", .bool(change.mayReplace)),
                    ("properties", .array(change.properties.map { property in
                        .object([
                            ("path", .string(property.path)),
                            ("old", value(property.old)),
                            ("new", value(property.new)),
                            ("replacement", .string(property.replacement.rawValue)),
                            ("possible", .bool(property.possible)),
                            ("reason", .optional(property.reason)),
                        ])
                    })),
                    ("dataLoss", change.dataLoss.map { .object([("destroyed", .bool($0.destroyed)), ("message", .string($0.message))]) } ?? .null),
                    ("reasons", .array(change.reasons.map(JSONValue.string))),
                ])
            })),
            ("parameters", .array(parameters.map { .object([("name", .string($0.name)), ("change", .string($0.change)), ("old", value($0.old)), ("new", value($0.new))]) })),
            ("outputs", .array(outputs.map { .object([("name", .string($0.name)), ("change", .string($0.change)), ("old", value($0.old)), ("new", value($0.new))]) })),
            ("endpointChanges", .array(endpointChanges.map { .object([("message", .string($0.message)), ("newURL", .string($0.newURL)), ("settings", .array($0.settings.map(JSONValue.string)))]) })),
            ("summary", .object([
                ("equivalent", .bool(isEmpty)),
                ("add", .int(counts["add"] ?? 0)),
                ("remove", .int(counts["remove"] ?? 0)),
                ("update", .int(counts["update"] ?? 0)),
                ("replace", .int(counts["replace"] ?? 0)),
                ("mayReplace", .int(counts["mayReplace"] ?? 0)),
                ("refused", .int(counts["refused"] ?? 0)),
                ("dataLoss", .int(counts["dataLoss"] ?? 0)),
                ("endpoint", .int(counts["endpoint"] ?? 0)),
                ("parameters", .int(counts["parameters"] ?? 0)),
                ("outputs", .int(counts["outputs"] ?? 0)),
            ])),
        ])
    }
}

extension String {
    /// Padded with spaces to `width` characters.
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
