/// How `menort validate` prints its findings.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// One line per finding, then a summary; colour on a terminal.
    case text
    /// One JSON object: `diagnostics` and `summary`.
    case json
    /// SARIF 2.1.0 for GitHub code scanning.
    case sarif
}

/// Counts for the summary line and the JSON summary.
public struct Summary: Sendable, Equatable {
    /// Findings of severity error.
    public var errors = 0
    /// Findings of severity warning.
    public var warnings = 0
    /// Findings of severity note.
    public var notes = 0
    /// Templates checked.
    public var files = 0

    /// Counts `diagnostics` over `files` templates.
    public init(_ diagnostics: [Diagnostic], files: Int) {
        self.files = files
        for diagnostic in diagnostics {
            switch diagnostic.severity {
            case .error: errors += 1
            case .warning: warnings += 1
            case .note: notes += 1
            }
        }
    }

    /// `2 errors, 1 warning, 0 notes in 1 template`.
    public var sentence: String {
        func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        return "\(count(errors, "error")), \(count(warnings, "warning")), \(count(notes, "note")) in \(count(files, "template"))"
    }
}

/// Renders findings in one of the output formats.
public struct DiagnosticFormatter: Sendable {
    /// The format.
    public var format: OutputFormat
    /// ANSI colour for severities (text only; callers pass `true` only for a terminal).
    public var color: Bool
    /// The version SARIF names as the tool's.
    public var toolVersion: String

    /// Creates a formatter.
    public init(format: OutputFormat, color: Bool = false, toolVersion: String) {
        self.format = format
        self.color = color
        self.toolVersion = toolVersion
    }

    /// The whole output for `diagnostics` from `files` templates, ending in a newline.
    public func render(_ diagnostics: [Diagnostic], files: Int) -> String {
        switch format {
        case .text: return text(diagnostics, files: files)
        case .json: return json(diagnostics, files: files).serialized() + "\n"
        case .sarif: return sarif(diagnostics).serialized() + "\n"
        }
    }

    private func text(_ diagnostics: [Diagnostic], files: Int) -> String {
        var output = ""
        for diagnostic in diagnostics {
            var severity = diagnostic.severity.rawValue
            if color {
                let code: String
                switch diagnostic.severity {
                case .error: code = "31"
                case .warning: code = "33"
                case .note: code = "36"
                }
                severity = "\u{1B}[1;\(code)m\(severity)\u{1B}[0m"
            }
            output += "\(diagnostic.file):\(diagnostic.line):\(diagnostic.column): \(severity): \(diagnostic.message) [\(diagnostic.rule.id)]"
            if let logicalId = diagnostic.logicalId { output += " (\(logicalId))" }
            output += "\n"
        }
        output += Summary(diagnostics, files: files).sentence + "\n"
        return output
    }

    /// The JSON document.
    public func json(_ diagnostics: [Diagnostic], files: Int) -> JSONValue {
        let summary = Summary(diagnostics, files: files)
        return .object([
            ("diagnostics", .array(diagnostics.map { diagnostic in
                .object([
                    ("rule", .string(diagnostic.rule.id)),
                    ("family", .string(diagnostic.family.rawValue)),
                    ("severity", .string(diagnostic.severity.rawValue)),
                    ("message", .string(diagnostic.message)),
                    ("file", .string(diagnostic.file)),
                    ("line", .int(diagnostic.line)),
                    ("column", .int(diagnostic.column)),
                    ("logicalId", .optional(diagnostic.logicalId)),
                    ("path", .optional(diagnostic.path)),
                ])
            })),
            ("summary", .object([
                ("errors", .int(summary.errors)),
                ("warnings", .int(summary.warnings)),
                ("notes", .int(summary.notes)),
                ("files", .int(summary.files)),
            ])),
        ])
    }

    /// The SARIF 2.1.0 log: every rule in `tool.driver.rules`, every finding a result.
    public func sarif(_ diagnostics: [Diagnostic]) -> JSONValue {
        let rules = Validator.allRules
        var ruleIndex: [String: Int] = [:]
        for (index, rule) in rules.enumerated() { ruleIndex[rule.id] = index }
        let descriptors: [JSONValue] = rules.map { rule in
            .object([
                ("id", .string(rule.id)),
                ("shortDescription", .object([("text", .string(rule.title))])),
                ("fullDescription", .object([("text", .string(rule.explanation))])),
                ("help", .object([("text", .string(rule.explanation))])),
                ("defaultConfiguration", .object([("level", .string(rule.severity.rawValue))])),
                ("properties", .object([("family", .string(rule.family.rawValue))])),
            ])
        }
        let results: [JSONValue] = diagnostics.map { diagnostic in
            var location: [(String, JSONValue)] = [
                ("physicalLocation", .object([
                    ("artifactLocation", .object([("uri", .string(diagnostic.file))])),
                    ("region", .object([("startLine", .int(diagnostic.line)), ("startColumn", .int(diagnostic.column))])),
                ])),
            ]
            if let logicalId = diagnostic.logicalId {
                var logical: [(String, JSONValue)] = [("name", .string(logicalId))]
                if let path = diagnostic.path { logical.append(("fullyQualifiedName", .string(path))) }
                location.append(("logicalLocations", .array([.object(logical)])))
            }
            var result: [(String, JSONValue)] = [("ruleId", .string(diagnostic.rule.id))]
            if let index = ruleIndex[diagnostic.rule.id] { result.append(("ruleIndex", .int(index))) }
            result += [
                ("level", .string(diagnostic.severity.rawValue)),
                ("message", .object([("text", .string(diagnostic.message))])),
                ("locations", .array([.object(location)])),
            ]
            return .object(result)
        }
        return .object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([.object([
                ("tool", .object([("driver", .object([
                    ("name", .string("menort")),
                    ("version", .string(toolVersion)),
                    ("rules", .array(descriptors)),
                ]))])),
                ("results", .array(results)),
            ])])),
        ])
    }
}
