import YAML

/// How bad a finding is.
public enum Severity: String, Sendable, Equatable, Comparable, CaseIterable {
    /// The deploy fails, or the stack breaks at run time.
    case error
    /// A likely mistake.
    case warning
    /// Worth knowing; never fails a run.
    case note

    private var rank: Int {
        switch self {
        case .error: return 0
        case .warning: return 1
        case .note: return 2
        }
    }

    /// Errors sort first.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A group of rules that check one kind of thing; `--rules` selects families.
public enum Family: String, Sendable, Equatable, CaseIterable {
    /// The text is YAML (or JSON) that can be read at all.
    case yaml
    /// CloudFormation's template grammar: sections, types, intrinsic shapes, service limits.
    case template
    /// Every name used is declared; no cycles; nothing declared is unused.
    case refs
    /// Parameter definitions, and the values a deploy supplies.
    case params
    /// API Gateway WebSocket wiring: routes, integrations, permissions, deployments.
    case websocket
    /// The Meno realtime stack's contract.
    case stack
    /// IAM policy documents: what IAM refuses as `MalformedPolicyDocument`.
    case iam
    /// What the AWS SAM transform refuses: policy templates, Globals, resource and event properties.
    case sam
    /// Every resource property against its type's resource provider schema.
    case schema

    /// One line for `menort rules` and the README.
    public var summary: String {
        switch self {
        case .yaml: return "the text can be read: syntax, duplicate keys, tags, encoding"
        case .template: return "CloudFormation's grammar: sections, resource types, attributes, intrinsic shapes, limits"
        case .refs: return "every Ref, GetAtt, Sub, DependsOn and Condition names something declared; no cycles; nothing unused"
        case .params: return "parameter definitions and supplied values, including the services' own naming rules"
        case .websocket: return "WebSocket API wiring: route keys, targets, integrations, permissions, deployments, @connections"
        case .stack: return "the Meno realtime contract: routes, connections table, handler rights, outputs, handler folders"
        case .iam: return "IAM policy documents: Version, Statement, Effect, Action, Resource, Principal, Condition, Sid"
        case .sam: return "what the SAM transform refuses: policy templates, Globals, IgnoreGlobals, AWS::Serverless properties and events"
        case .schema: return "every AWS::* resource property against its provider schema: names, required, types, allowed values, ranges"
        }
    }
}

/// A check menort makes: stable id, family, default severity, and the words that explain it.
///
/// Findings carry the `Rule` itself, never its id as a string, so a finding cannot name a rule
/// that does not exist; its family's `rules` list is the registry (a test checks that every
/// declared rule is in it).
public struct Rule: Sendable, Equatable, CustomStringConvertible {
    /// Stable id, `family-what` in kebab case (`ws-route-permission`).
    public let id: String
    /// The family it belongs to.
    public let family: Family
    /// The severity of its findings.
    public let severity: Severity
    /// One line: what it catches.
    public let title: String
    /// Why it matters and how to fix it (`menort validate --explain ID`).
    public let explanation: String

    /// The id, so a rule interpolated into text reads as it does in output.
    public var description: String { id }

    /// Declares a rule.
    public init(_ id: String, _ family: Family, _ severity: Severity, _ title: String, _ explanation: String) {
        self.id = id
        self.family = family
        self.severity = severity
        self.title = title
        self.explanation = explanation
    }
}

/// One finding, located in a file.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    /// The rule that found it; its `id` is what output, `--ignore` and suppressions name.
    public var rule: Rule
    /// The rule's family.
    public var family: Family { rule.family }
    /// error, warning or note.
    public var severity: Severity
    /// What is wrong and how to fix it, naming the values involved.
    public var message: String
    /// The template as the user named it.
    public var file: String
    /// 1-based line of the offending node.
    public var line: Int
    /// 1-based column of the offending node.
    public var column: Int
    /// The resource, parameter, output or condition concerned, if any.
    public var logicalId: String?
    /// Slash-separated path to the node (`Resources/ChatSendPermission/Properties/FunctionName`).
    public var path: String?

    /// Creates a finding of `rule` at `mark`.
    public init(_ rule: Rule, _ message: String, file: String, at mark: Mark?, logicalId: String? = nil, path: String? = nil) {
        self.rule = rule
        self.severity = rule.severity
        self.message = message
        self.file = file
        self.line = mark?.line ?? 1
        self.column = mark?.column ?? 1
        self.logicalId = logicalId
        self.path = path
    }

    /// `file:line:column: severity: message [rule] (LogicalId)`.
    public var description: String {
        var text = "\(file):\(line):\(column): \(severity.rawValue): \(message) [\(rule.id)]"
        if let logicalId { text += " (\(logicalId))" }
        return text
    }

    /// Source order, then rule id, so reports are stable.
    public static func sourceOrder(_ lhs: Diagnostic, _ rhs: Diagnostic) -> Bool {
        (lhs.file, lhs.line, lhs.column, lhs.rule.id, lhs.message) < (rhs.file, rhs.line, rhs.column, rhs.rule.id, rhs.message)
    }
}
