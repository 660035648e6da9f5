import YAML

/// IAM policy documents written in a template: inline and managed policies, trust policies,
/// the resource policies of S3, SQS, SNS, KMS and ECR, and SAM's inline `Statement` policies.
///
/// Every error is a document IAM (or the service holding the policy) refuses at create time,
/// with `MalformedPolicyDocument` or its service's equivalent. Values computed by intrinsic
/// functions are read through `Symbolic`, both branches of each `Fn::If`, and checked only
/// where their text is known; whether a document *grants* what a function needs is the
/// websocket family's question, not this one's.
public struct IAMRules: RuleFamily {
    public static let family = Family.iam

    static let document = Rule(
        "iam-document", .iam, .error, "A policy document that is not a mapping",
        "A policy document is a JSON object: {Version, Statement}. A list or a plain value where the document belongs is refused by IAM ('Syntax errors in policy'). A document written as a JSON string is not read here. Write the document as a mapping, with its statements under Statement.")
    static let documentKey = Rule(
        "iam-document-key", .iam, .error, "A key at the top of a policy document that IAM does not know",
        "The top of a policy document holds only Version, Id and Statement (keys are case sensitive). IAM refuses any other key ('Syntax errors in policy'): a Condition or Effect written at this level usually belongs inside a statement. Fix the spelling, or move the key into the statement it belongs to.")
    static let version = Rule(
        "iam-version", .iam, .error, "A policy Version other than 2012-10-17 or 2008-10-17",
        "IAM knows two policy language versions, 2012-10-17 (current, needed for policy variables such as ${aws:username}) and 2008-10-17; any other Version is refused. Write `Version: '2012-10-17'`. The date is not the day the policy was written.")
    static let statement = Rule(
        "iam-statement", .iam, .error, "A policy document without a Statement, or a statement that is not a mapping",
        "Every policy document needs Statement: one statement (a mapping) or a list of them. IAM refuses a document without it, and a statement that is a string or a list inside the list ('Syntax errors in policy'). Check the indentation: each statement is a '- ' item holding Effect, Action and Resource.")
    static let statementKey = Rule(
        "iam-statement-key", .iam, .error, "A key in a policy statement that IAM does not accept there",
        "A statement holds only Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource, NotResource and Condition, spelled exactly so; IAM refuses any other key. A trust policy (AssumeRolePolicyDocument) has no Resource or NotResource: the role is the resource, and IAM refuses the document ('Has prohibited field Resource'). Fix the spelling, or remove the key.")
    static let effect = Rule(
        "iam-effect", .iam, .error, "A statement whose Effect is missing or not Allow or Deny",
        "Every statement needs Effect, and IAM accepts exactly Allow or Deny: the value is case sensitive, so 'allow' and 'ALLOW' are refused. Write `Effect: Allow` or `Effect: Deny`.")
    static let action = Rule(
        "iam-action", .iam, .error, "A statement without exactly one of Action and NotAction",
        "Each statement names its actions with Action or with NotAction, never both and never neither; an empty list names none. IAM refuses anything else ('Policy statement must contain actions'). Add the actions the statement is about, or remove one of the two.")
    static let actionForm = Rule(
        "iam-action-form", .iam, .error, "An action that is not `service:action` or `*`",
        "An action is written service-prefix:ActionName (`dynamodb:GetItem`, `execute-api:ManageConnections`; wildcards allowed: `s3:Get*`), or `*` for every action. IAM refuses an action without a prefix ('Actions/Conditions must be prefaced by a vendor') and one with two colons ('Actions/Condition can contain only one colon'), as well as a list or mapping where an action belongs. Actions computed by intrinsic functions are checked only where their text is known.")
    static let resourceMissing = Rule(
        "iam-resource-missing", .iam, .error, "An identity or resource policy statement without exactly one of Resource and NotResource",
        "In an identity policy (a role's, user's or group's Policies, an AWS::IAM::Policy or ManagedPolicy, a SAM function's inline statements) and in a service's resource policy (but an ECR repository's, which is about the repository), every statement names its resources with Resource or NotResource, not both. IAM refuses a statement with neither ('Policy statement must contain resources'). Add `Resource: '*'` or the ARNs the statement grants on.")
    static let resourceForm = Rule(
        "iam-resource-form", .iam, .error, "A Resource that is not a string, or in an identity policy neither an ARN nor `*`",
        "A Resource or NotResource is a string or a list of strings; a mapping there (often a statement indented into the list) is refused by IAM and by every service. Resources in an identity policy are ARNs (`arn:aws:dynamodb:…:table/Chat`) or `*`. IAM refuses anything else ('Resource … must be in ARN format or \"*\"'): a bare table or bucket name is the usual mistake. Build the ARN with !Sub arn:${AWS::Partition}:…, or read it with !GetAtt Resource.Arn. Values computed by intrinsic functions are checked only where their text is known.")
    static let principal = Rule(
        "iam-principal", .iam, .error, "A Principal where the policy cannot have one, or none where it needs one",
        "An identity policy applies to the role, user or group it is attached to: IAM refuses a Principal or NotPrincipal in it ('Policy document should not specify a principal'). A trust policy (AssumeRolePolicyDocument) and a resource policy (bucket, queue, topic, key, repository) say who is allowed, so each statement needs a Principal (or, in a resource policy, NotPrincipal). A Principal is `*` or a mapping of AWS, Service, Federated or CanonicalUser to one or more ids; IAM refuses any other key and a bare ARN ('Invalid principal in policy'): write `Principal: {AWS: arn:…}`.")
    static let condition = Rule(
        "iam-condition", .iam, .error, "A Condition that is not operator → {key: values}, or an operator IAM does not know",
        "Condition maps condition operators (StringEquals, ArnLike, Bool, IpAddress, Null, …, optionally ending in IfExists, except Null, and optionally prefixed ForAllValues: or ForAnyValue:) to mappings of condition keys to a value or a list of values. IAM refuses an unknown operator ('Invalid Condition type'), a condition key written directly under Condition and an operator whose value is not a mapping ('Syntax errors in policy'). Put the key under its operator: `Condition: {StringEquals: {aws:SourceAccount: !Ref AWS::AccountId}}`.")
    static let conditionCase = Rule(
        "iam-condition-case", .iam, .warning, "A condition operator spelled with other letter case than IAM documents",
        "IAM documents its condition operators in one spelling (StringEquals, ArnLike, IfExists, ForAnyValue:); whether it accepts another letter case is not documented, so a deploy may fail on it. Write the operator as documented.")
    static let sid = Rule(
        "iam-sid", .iam, .error, "A statement Sid in an identity policy with characters other than A-Z, a-z, 0-9",
        "IAM accepts only ASCII letters and digits in the Sid of an identity policy's statements ('Statement IDs (SID) must be alpha-numeric'); spaces, hyphens and underscores are refused. Resource policies of other services allow more, and are not checked. Remove the other characters (ReadChatTable, not read-chat-table).")
    static let sidDuplicate = Rule(
        "iam-sid-duplicate", .iam, .error, "Two statements of one identity policy with the same Sid",
        "Statement ids of an identity policy are unique within the document; IAM refuses a repeated one ('Statement IDs (SID) in a single policy must be unique'). Rename one of the statements, or merge them. (Some services accept repeated ids in their resource policies, which are not checked.)")

    public static let rules: [Rule] = [
        document, documentKey, version, statement, statementKey, effect, action, actionForm, resourceMissing, resourceForm,
        principal, condition, conditionCase, sid, sidDuplicate,
    ]

    public init() {}

    public func check(_ context: ValidationContext, into report: inout Report) {
        // A macro may rewrite any document before IAM sees it: what it will hold is unknown.
        if context.template.hasUnknownMacro { return }
        for site in PolicyDocumentSite.all(in: context.template) {
            Self.checkDocument(site, into: &report)
        }
    }
}

// MARK: - Documents and statements

extension IAMRules {
    static let documentKeys = ["Version", "Id", "Statement"]
    static let statementKeys = ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"]
    static let versions: Set<String> = ["2012-10-17", "2008-10-17"]

    /// Where a finding goes: the document's site, and the path of the node inside it.
    struct Place {
        let site: PolicyDocumentSite
        let path: String

        func appending(_ component: String) -> Place { Place(site: site, path: "\(path)/\(component)") }
    }

    static func add(_ rule: Rule, _ message: String, at node: Node, _ place: Place, into report: inout Report) {
        report.add(rule, message, at: node, logicalId: place.site.logicalId, path: place.path)
    }

    static func checkDocument(_ site: PolicyDocumentSite, into report: inout Report) {
        let place = Place(site: site, path: site.path)
        for document in alternatives(site.node) {
            // A JSON string is handed to IAM as is; an intrinsic's result is unknown.
            if Intrinsic(document) != nil || document.scalar != nil { continue }
            guard let pairs = document.pairs else {
                add(Self.document, "the \(site.kind.name) is \(TemplateRules.describe(document)), not a mapping; write {Version: '2012-10-17', Statement: [...]}",
                    at: document, place, into: &report)
                continue
            }
            // `Fn::Transform` (AWS::Include) merges keys in at deploy time.
            if document["Fn::Transform"] != nil { continue }
            for pair in pairs {
                guard let key = pair.key.scalar, !documentKeys.contains(key) else { continue }
                let hint = statementKeys.contains(key)
                    ? "\(key) belongs inside a statement"
                    : TemplateRules.Suggestion.closest(to: key, in: documentKeys).map { "did you mean \($0)?" } ?? "remove it"
                add(documentKey, "'\(key)' is not a key of a policy document, which holds only Version, Id and Statement; \(hint)",
                    at: pair.key, place.appending(key), into: &report)
            }
            if let node = document["Version"] { checkVersion(node, place.appending("Version"), into: &report) }
            guard let statements = document["Statement"] else {
                add(statement, "the \(site.kind.name) has no Statement; IAM refuses a document without statements",
                    at: document, place, into: &report)
                continue
            }
            checkStatements(statements, place.appending("Statement"), into: &report)
        }
    }

    static func checkVersion(_ node: Node, _ place: Place, into report: inout Report) {
        for text in knownStrings(node) where !versions.contains(text) {
            add(version, "Version '\(text)' is not a policy language version; IAM knows only 2012-10-17 and 2008-10-17 (write '2012-10-17')",
                at: node, place, into: &report)
        }
        if Intrinsic(node) == nil, node.scalar == nil {
            add(version, "Version is \(TemplateRules.describe(node)); write '2012-10-17'", at: node, place, into: &report)
        }
    }

    static func checkStatements(_ node: Node, _ place: Place, into report: inout Report) {
        for option in alternatives(node) {
            if Intrinsic(option) != nil { continue }
            // Sids of the statements this option certainly holds, for duplicates: two
            // branches of an Fn::If are never in one document together.
            var sids: [String: Node] = [:]
            if option.pairs != nil {
                checkStatement(option, place, sids: &sids, into: &report)
                continue
            }
            guard let items = option.items else {
                add(statement, "Statement is \(TemplateRules.describe(option)), not a statement or a list of statements",
                    at: option, place, into: &report)
                continue
            }
            for (index, item) in items.enumerated() {
                let branches = alternatives(item)
                var branchSids: [String: Node] = [:]
                for branch in branches {
                    if Intrinsic(branch) != nil { continue }
                    guard branch.pairs != nil else {
                        add(statement, "statement \(index) is \(TemplateRules.describe(branch)), not a mapping with Effect, Action and Resource",
                            at: branch, place.appending("\(index)"), into: &report)
                        continue
                    }
                    // A statement behind an Fn::If may or may not be there: its Sid is
                    // checked against the others, never recorded as certain.
                    if branches.count == 1 {
                        checkStatement(branch, place.appending("\(index)"), sids: &sids, into: &report)
                    } else {
                        checkStatement(branch, place.appending("\(index)"), sids: &branchSids, seen: sids, into: &report)
                    }
                }
            }
        }
    }

    static func checkStatement(_ statement: Node, _ place: Place, sids: inout [String: Node], seen: [String: Node]? = nil,
                               into report: inout Report) {
        guard let pairs = statement.pairs, statement["Fn::Transform"] == nil else { return }
        let kind = place.site.kind
        for pair in pairs {
            guard let key = pair.key.scalar else { continue }
            if statementKeys.contains(key) {
                if kind == .trust, key == "Resource" || key == "NotResource" {
                    add(statementKey, "a trust policy has no \(key): the role is the resource, and IAM refuses the document ('Has prohibited field \(key)'); remove it",
                        at: pair.key, place.appending(key), into: &report)
                }
                continue
            }
            let hint = TemplateRules.Suggestion.closest(to: key, in: statementKeys).map { "did you mean \($0)?" } ?? "remove it"
            add(statementKey, "'\(key)' is not a statement key; a statement holds only \(statementKeys.joined(separator: ", ")) (case sensitive); \(hint)",
                at: pair.key, place.appending(key), into: &report)
        }
        checkEffect(statement, place, into: &report)
        checkActions(statement, place, into: &report)
        if kind != .trust { checkResources(statement, place, into: &report) }
        checkPrincipal(statement, place, into: &report)
        if let node = statement["Condition"] { checkCondition(node, place.appending("Condition"), into: &report) }
        if kind == .identity, let node = statement["Sid"] { checkSid(node, place.appending("Sid"), sids: &sids, seen: seen, into: &report) }
    }

    /// The value of `key` when the statement has it in some branch (`AWS::NoValue` removes it).
    static func present(_ statement: Node, _ key: String) -> Node? {
        guard let node = statement[key], !alternatives(node).isEmpty else { return nil }
        return node
    }

    static func checkEffect(_ statement: Node, _ place: Place, into report: inout Report) {
        guard let node = present(statement, "Effect") else {
            add(effect, "the statement has no Effect; add `Effect: Allow` or `Effect: Deny`", at: statement, place, into: &report)
            return
        }
        for text in knownStrings(node) where text != "Allow" && text != "Deny" {
            let casing = ["allow", "deny"].contains(text.lowercased()) ? "; IAM is case sensitive here" : ""
            add(effect, "Effect '\(text)' is not Allow or Deny\(casing)", at: node, place.appending("Effect"), into: &report)
        }
        if Intrinsic(node) == nil, node.scalar == nil {
            add(effect, "Effect is \(TemplateRules.describe(node)), not Allow or Deny", at: node, place.appending("Effect"), into: &report)
        }
    }
}

// MARK: - Actions, resources, principals

extension IAMRules {
    static func checkActions(_ statement: Node, _ place: Place, into report: inout Report) {
        let action = present(statement, "Action")
        let notAction = present(statement, "NotAction")
        switch (action, notAction) {
        case (nil, nil):
            add(self.action, "the statement has neither Action nor NotAction; name the actions it allows or denies",
                at: statement, place, into: &report)
        case (.some, .some(let node)):
            add(self.action, "the statement has both Action and NotAction; keep one of them",
                at: keyNode(statement, "NotAction") ?? node, place.appending("NotAction"), into: &report)
        default:
            break
        }
        for (key, node) in [("Action", action), ("NotAction", notAction)] {
            guard let node else { continue }
            if Intrinsic(node) == nil, node.items?.isEmpty == true {
                add(self.action, "\(key) is an empty list; name at least one action", at: node, place.appending(key), into: &report)
            }
            for (element, path) in elements(node, place.appending(key)) { checkActionForm(element, path, into: &report) }
        }
    }

    static func checkActionForm(_ node: Node, _ place: Place, into report: inout Report) {
        if Intrinsic(node) == nil, node.scalar == nil {
            add(actionForm, "an action is \(TemplateRules.describe(node)), not a string such as s3:GetObject",
                at: node, place, into: &report)
            return
        }
        for text in knownStrings(node) where text != "*" {
            let colons = text.filter { $0 == ":" }.count
            if colons == 0 {
                add(actionForm, "action '\(text)' has no service prefix; write service:action (execute-api:ManageConnections) or *",
                    at: node, place, into: &report)
            } else if colons > 1 {
                add(actionForm, "action '\(text)' has \(colons) colons; IAM allows exactly one, between the service prefix and the action name",
                    at: node, place, into: &report)
            }
        }
    }

    static func checkResources(_ statement: Node, _ place: Place, into report: inout Report) {
        let resource = present(statement, "Resource")
        let notResource = present(statement, "NotResource")
        switch (resource, notResource) {
        case (nil, nil) where place.site.kind.needsResource:
            add(resourceMissing, "the statement of this \(place.site.kind.name) has neither Resource nor NotResource; add the ARNs it applies to, or `Resource: '*'`",
                at: statement, place, into: &report)
        case (.some, .some(let node)):
            add(resourceMissing, "the statement has both Resource and NotResource; keep one of them",
                at: keyNode(statement, "NotResource") ?? node, place.appending("NotResource"), into: &report)
        default:
            break
        }
        for (key, node) in [("Resource", resource), ("NotResource", notResource)] {
            guard let node else { continue }
            for (element, path) in elements(node, place.appending(key)) {
                if Intrinsic(element) == nil, element.scalar == nil {
                    add(resourceForm, "a \(key) entry is \(TemplateRules.describe(element)), not a string; write an ARN or '*'",
                        at: element, path, into: &report)
                    continue
                }
                // Only IAM is known to insist on ARNs; services read their own resource policies.
                guard place.site.kind == .identity else { continue }
                for text in knownStrings(element) where text != "*" && !text.lowercased().hasPrefix("arn:") {
                    add(resourceForm, "\(key) '\(text)' is not an ARN; IAM accepts only ARNs (arn:partition:service:region:account:resource) or '*'",
                        at: element, path, into: &report)
                }
            }
        }
    }

    static let principalTypes = ["AWS", "Service", "Federated", "CanonicalUser"]

    static func checkPrincipal(_ statement: Node, _ place: Place, into report: inout Report) {
        let kind = place.site.kind
        let keys = ["Principal", "NotPrincipal"].filter { present(statement, $0) != nil }
        if kind == .identity {
            for key in keys {
                add(principal, "an identity policy applies to the role, user or group it is attached to and cannot name a \(key); remove it (or move the statement to a resource or trust policy)",
                    at: keyNode(statement, key) ?? statement, place.appending(key), into: &report)
            }
            return
        }
        if keys.isEmpty {
            let needed = kind == .trust ? "Principal, the identities allowed to assume the role" : "Principal (or NotPrincipal), who the statement applies to"
            add(principal, "the statement of this \(kind.name) has no Principal; add \(needed)", at: statement, place, into: &report)
        }
        for key in keys {
            guard let node = statement[key] else { continue }
            for option in alternatives(node) where Intrinsic(option) == nil {
                if let pairs = option.pairs {
                    for pair in pairs {
                        guard let type = pair.key.scalar, !principalTypes.contains(type) else { continue }
                        let hint = TemplateRules.Suggestion.closest(to: type, in: principalTypes).map { "; did you mean \($0)?" } ?? ""
                        add(principal, "'\(type)' is not a principal type; a \(key) maps AWS, Service, Federated or CanonicalUser to ids\(hint)",
                            at: pair.key, place.appending("\(key)/\(type)"), into: &report)
                    }
                } else if let text = option.scalar, text != "*" {
                    add(principal, "\(key) '\(text)' is neither '*' nor a mapping; write {AWS: '\(text)'} (or Service, Federated, CanonicalUser)",
                        at: option, place.appending(key), into: &report)
                } else if option.items != nil {
                    add(principal, "\(key) is \(TemplateRules.describe(option)); write '*' or a mapping such as {Service: lambda.amazonaws.com}",
                        at: option, place.appending(key), into: &report)
                }
            }
        }
    }
}

// MARK: - Conditions and statement ids

extension IAMRules {
    /// IAM's condition operators, without the `IfExists` suffix and the set prefixes.
    static let conditionOperators: Set<String> = [
        "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
        "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan",
        "NumericGreaterThanEquals", "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan",
        "DateGreaterThanEquals", "Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals",
        "ArnNotLike", "Null",
    ]

    /// Whether IAM documents `name` as a condition operator: a base operator, `IfExists`
    /// after any but Null, `ForAllValues:` or `ForAnyValue:` before any.
    static func isConditionOperator(_ name: String, ignoringCase: Bool = false) -> Bool {
        var rest = Substring(name)
        func strip(prefix: String) -> Bool {
            let matches = ignoringCase ? rest.lowercased().hasPrefix(prefix.lowercased()) : rest.hasPrefix(prefix)
            if matches { rest = rest.dropFirst(prefix.count) }
            return matches
        }
        if !strip(prefix: "ForAllValues:") { _ = strip(prefix: "ForAnyValue:") }
        let known = ignoringCase ? Set(conditionOperators.map { $0.lowercased() }) : conditionOperators
        let base = ignoringCase ? rest.lowercased() : String(rest)
        if known.contains(base) { return true }
        let suffix = ignoringCase ? "ifexists" : "IfExists"
        guard base.hasSuffix(suffix) else { return false }
        let stem = String(base.dropLast(suffix.count))
        return known.contains(stem) && stem.lowercased() != "null"
    }

    static func checkCondition(_ node: Node, _ place: Place, into report: inout Report) {
        for option in alternatives(node) where Intrinsic(option) == nil {
            guard let pairs = option.pairs else {
                add(condition, "Condition is \(TemplateRules.describe(option)), not a mapping of operators (StringEquals: {key: value})",
                    at: option, place, into: &report)
                continue
            }
            for pair in pairs {
                guard let name = pair.key.scalar else { continue }
                let here = place.appending(name)
                if !isConditionOperator(name) {
                    if isConditionOperator(name, ignoringCase: true) {
                        add(conditionCase, "condition operator '\(name)' differs in letter case from IAM's documented spelling; whether IAM accepts it is not documented",
                            at: pair.key, here, into: &report)
                    } else if name.contains(":") {
                        add(condition, "'\(name)' is a condition key written directly under Condition; put it under an operator: {StringEquals: {\(name): …}}",
                            at: pair.key, here, into: &report)
                        continue
                    } else {
                        let hint = TemplateRules.Suggestion.closest(to: name, in: conditionOperators).map { "; did you mean \($0)?" } ?? ""
                        add(condition, "'\(name)' is not a condition operator IAM knows (StringEquals, StringLike, ArnLike, Bool, IpAddress, Null, …, with IfExists or ForAllValues:/ForAnyValue:)\(hint)",
                            at: pair.key, here, into: &report)
                        continue
                    }
                }
                for value in alternatives(pair.value) where Intrinsic(value) == nil {
                    guard let keys = value.pairs else {
                        add(condition, "operator \(name) is given \(TemplateRules.describe(value)); it takes a mapping of condition keys to values ({aws:SourceAccount: '123456789012'})",
                            at: value, here, into: &report)
                        continue
                    }
                    for key in keys {
                        for choice in alternatives(key.value) where Intrinsic(choice) == nil && choice.pairs != nil {
                            add(condition, "condition key '\(key.key.scalar ?? "?")' of \(name) is given a mapping; give it a value or a list of values",
                                at: choice, here.appending(key.key.scalar ?? "?"), into: &report)
                        }
                    }
                }
            }
        }
    }

    static func checkSid(_ node: Node, _ place: Place, sids: inout [String: Node], seen: [String: Node]?,
                         into report: inout Report) {
        for text in knownStrings(node) {
            if let bad = text.unicodeScalars.first(where: { !($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }) {
                add(sid, "Sid '\(text)' contains '\(bad)'; IAM accepts only A-Z, a-z and 0-9 in the Sid of an identity policy",
                    at: node, place, into: &report)
            }
            if let first = (seen ?? sids)[text] {
                add(sidDuplicate, "Sid '\(text)' is already used by the statement at line \(first.mark?.line ?? 0); Sids are unique within a policy",
                    at: node, place, into: &report)
            } else if Symbolic.possibilities(of: node)?.count == 1 {
                sids[text] = node
            }
        }
    }
}

// MARK: - Reading values

extension IAMRules {
    /// The strings `node` may be, one per known possibility; possibilities that depend on
    /// a parameter, an attribute or any other unknown are left out, never guessed.
    static func knownStrings(_ node: Node) -> [String] {
        var seen: Set<String> = []
        return (Symbolic.possibilities(of: node) ?? []).compactMap(\.literal).filter { seen.insert($0).inserted }
    }

    /// The items of a value that is one item or a list of them, with their places: both
    /// branches of each `Fn::If`, `AWS::NoValue` dropped.
    static func elements(_ node: Node, _ place: Place) -> [(Node, Place)] {
        PolicyDocumentSite.listEntries(node, path: place.path).map { ($0.0, Place(site: place.site, path: $0.1)) }
    }

    /// The key node of `key` in a mapping, to point at it.
    static func keyNode(_ mapping: Node, _ key: String) -> Node? {
        mapping.pairs?.first { $0.key.scalar == key }?.key
    }
}
