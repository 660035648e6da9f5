import YAML

/// The text can be read at all: anything here stops the other families, which need a tree.
public struct YAMLRules: RuleFamily {
    public static let family = Family.yaml

    static let syntax = Rule(
        "yaml-syntax", .yaml, .error, "The text is not valid YAML (or JSON)",
        "libyaml could not parse the template. The finding points where parsing broke; a note points where the construct that broke started (an unclosed bracket, a mapping whose indentation went wrong). Fix the text there; tabs are not allowed for indentation in YAML.")
    static let syntaxContext = Rule(
        "yaml-syntax-context", .yaml, .note, "Where the construct that failed to parse started",
        "Accompanies yaml-syntax: libyaml's context mark, where the block, flow collection or scalar that could not be completed begins. The mistake is often here, not where parsing gave up.")
    static let duplicateKey = Rule(
        "yaml-duplicate-key", .yaml, .error, "A mapping holds the same key twice",
        "YAML readers keep only one of the two values (PyYAML and CloudFormation keep the last), so half of what was written is silently lost. Merge the two entries or rename one.")
    static let unknownTag = Rule(
        "yaml-unknown-tag", .yaml, .error, "A tag CloudFormation does not know",
        "CloudFormation's YAML reader accepts the short forms of its intrinsic functions (!Ref, !GetAtt, !Sub, !Join, !If, …) and the standard YAML tags. Any other tag, such as a misspelled !Refs or a tool-specific !include, fails the deploy. Use the long form (Fn::Name) or the right short form.")
    static let empty = Rule(
        "yaml-empty", .yaml, .error, "The template is empty",
        "The file holds no document (nothing, or only comments). CloudFormation needs at least a Resources section.")
    static let notMapping = Rule(
        "yaml-not-mapping", .yaml, .error, "The top level is not a mapping",
        "A template is a mapping of sections (AWSTemplateFormatVersion, Parameters, Resources, …). A list or a bare value at the top level cannot be a template.")
    static let encoding = Rule(
        "yaml-encoding", .yaml, .error, "The text is not valid UTF-8",
        "CloudFormation reads templates as UTF-8. The byte at the position given is not part of a valid UTF-8 sequence, or is a control character YAML forbids. Re-save the file as UTF-8.")
    static let limit = Rule(
        "yaml-limit", .yaml, .error, "The document exceeds a safety limit",
        "menort refuses input deeper than 256 levels, larger than 64 MiB, with more than 64 documents, or whose aliases expand past 1,000,000 nodes (a 'billion laughs' bomb). CloudFormation accepts at most 1 MB of template, so a real template never reaches these.")

    static let complexKey = Rule(
        "yaml-complex-key", .yaml, .error, "A mapping key that is not a plain string",
        "CloudFormation reads templates as JSON objects, whose keys are strings. A key that is a list, a mapping or a tagged value (often `!ImportValue Fn::Sub: ...` written inside a flow list, which YAML reads as a one-pair mapping whose key is `!ImportValue Fn::Sub`) cannot be represented; the deploy fails to parse the template. Quote the key, or use the long form on its own line.")

    public static let rules = [syntax, syntaxContext, duplicateKey, unknownTag, complexKey, empty, notMapping, encoding, limit]

    public init() {}

    /// The root mapping of `bytes`, or `nil` with the reason in `report`.
    static func read(_ bytes: [UInt8], limits: ParserLimits, into report: inout Report) -> Node? {
        let document: Node?
        do {
            document = try Parser.parse(bytes: bytes, limits: limits)
        } catch {
            diagnose(error, into: &report)
            return nil
        }
        guard let document else {
            report.add(empty, "the template is empty; CloudFormation needs at least a Resources section", at: Mark(line: 1, column: 1))
            return nil
        }
        guard document.pairs != nil else {
            let what: String
            switch document.kind {
            case .sequence: what = "a list"
            case .scalar(let value, _) where value.isEmpty: what = "empty"
            case .scalar: what = "a single value"
            case .mapping: what = "a mapping"
            }
            if document.isNull {
                report.add(empty, "the template is empty; CloudFormation needs at least a Resources section", at: document)
            } else {
                report.add(notMapping, "the top level is \(what); a template is a mapping of sections such as Resources", at: document)
            }
            return nil
        }
        return document
    }

    static func diagnose(_ error: YAMLError, into report: inout Report) {
        switch error.kind {
        case .duplicateKey:
            let first = error.contextMark.map { " (first at \($0))" } ?? ""
            let path = error.path?.joined(separator: "/")
            report.add(duplicateKey, "\(error.message)\(first); YAML readers keep only one of the values", at: error.mark,
                       logicalId: path.flatMap(logicalID), path: path)
        case .tooDeep, .aliasExpansion, .tooLarge:
            report.add(limit, error.message, at: error.mark)
        case .memory, .emitter:
            report.add(syntax, error.message, at: error.mark)
        case .syntax:
            if isEncodingProblem(error.message) {
                report.add(encoding, "\(error.message); CloudFormation reads templates as UTF-8", at: error.mark)
                return
            }
            var message = error.message
            if let context = error.context, let contextMark = error.contextMark {
                message += " (\(context) that starts at \(contextMark))"
                report.add(syntax, message, at: error.mark)
                if contextMark != error.mark {
                    report.add(syntaxContext, "\(construct(context)) that fails at \(error.mark.map(\.description) ?? "?") starts here", at: contextMark)
                }
            } else {
                report.add(syntax, message, at: error.mark)
            }
        }
    }

    /// "while parsing a flow sequence" → "the flow sequence".
    static func construct(_ context: String) -> String {
        var text = Substring(context)
        for prefix in ["while parsing ", "while scanning "] where text.hasPrefix(prefix) { text = text.dropFirst(prefix.count) }
        for article in ["a ", "an "] where text.hasPrefix(article) { return "the " + text.dropFirst(article.count) }
        return String(text)
    }

    /// libyaml's reader (not its scanner) reports these: bad bytes, not bad grammar.
    static func isEncodingProblem(_ message: String) -> Bool {
        message.containsText("UTF-8") || message.containsText("UTF-16") || message.containsText("octet")
            || message.containsText("control characters are not allowed") || message.containsText("invalid Unicode character")
    }

    public func check(_ context: ValidationContext, into report: inout Report) {
        context.template.root.walk(path: "") { visit in
            for pair in visit.node.pairs ?? [] where !YAMLRules.isPlainKey(pair.key) {
                let path = String(visit.path.dropFirst())
                report.add(YAMLRules.complexKey,
                           "the key \(pair.key) is not a plain string; CloudFormation cannot read it as a JSON object key",
                           at: pair.key, logicalId: YAMLRules.logicalID(path), path: path.isEmpty ? nil : path)
            }
            guard let tag = visit.node.tag else { return }
            if Intrinsic.knownTags.contains(tag) || tag.hasPrefix("tag:yaml.org,2002:") || tag == "!" { return }
            let path = String(visit.path.dropFirst())
            let logicalId = YAMLRules.logicalID(path)
            report.add(YAMLRules.unknownTag,
                       "unknown tag '\(tag)'; CloudFormation accepts the intrinsic short forms (!Ref, !GetAtt, !Sub, …) and standard YAML tags",
                       at: visit.node, logicalId: logicalId, path: path.isEmpty ? nil : path)
        }
    }

    /// A scalar key, untagged, non-specific (`! "Ref"`, which YAML reads as a string) or
    /// tagged as a string.
    static func isPlainKey(_ key: Node) -> Bool {
        key.scalar != nil && (key.tag == nil || key.tag == "!" || key.tag == "tag:yaml.org,2002:str")
    }

    /// The logical id a path is under (`Resources/Api/...` → `Api`).
    static func logicalID(_ path: String) -> String? {
        let segments = path.split(separator: "/")
        guard segments.count >= 2, ["Resources", "Parameters", "Outputs", "Conditions"].contains(segments[0]) else { return nil }
        return String(segments[1])
    }
}
