/// One problem with the set of values a deploy would supply.
public struct ParameterProblem: Sendable, Equatable {
    /// The parameter concerned; `nil` for a `--param` key that names none.
    public let parameter: String?
    /// The offending value; `nil` when there is none or the parameter is `NoEcho`.
    public let value: String?
    /// The `params-*` rule it breaks.
    public let rule: Rule
    /// What is wrong and how to fix it, in one sentence; never holds a `NoEcho` value.
    public let message: String
    /// Where the value came from; `nil` for the template's `Default` (and for a missing value).
    public let origin: SuppliedParameter.Origin?

    /// Creates a problem.
    public init(parameter: String?, value: String?, rule: Rule, message: String, origin: SuppliedParameter.Origin?) {
        self.parameter = parameter
        self.value = value
        self.rule = rule
        self.message = message
        self.origin = origin
    }
}

/// A parameter's effective value for a deploy.
public struct ParameterValue: Sendable, Equatable {
    /// The parameter's name.
    public let name: String
    /// The value (shown only where `noEcho` allows).
    public let value: String
    /// Where it came from; `nil` when it is the template's `Default`.
    public let origin: SuppliedParameter.Origin?
    /// Whether the parameter is `NoEcho`.
    public let noEcho: Bool

    /// Creates a value.
    public init(name: String, value: String, origin: SuppliedParameter.Origin?, noEcho: Bool) {
        self.name = name
        self.value = value
        self.origin = origin
        self.noEcho = noEcho
    }
}

/// The values a deploy would pass, checked exactly as CloudFormation and the services would
/// check them: the one implementation behind `menort validate` and `menort params`.
public enum ParameterValues {
    /// The effective value of every parameter (template default < env files in order <
    /// `--param`), in template order, and every problem at once.
    ///
    /// A key names a parameter by its exact name or by its `upperSnakeCase` form
    /// (`CHAT_TABLE_NAME` → `ChatTableName`). Keys from env files that name nothing are
    /// ignored (a `.env` holds the application's settings too); `--param` keys that name
    /// nothing are problems. Values are checked against the parameter's type and
    /// constraints and against the services' rules on where they flow; a parameter left
    /// at its `Default` is checked too (with `origin` `nil`).
    public static func resolve(_ definitions: [ParameterDefinition], supplied: [SuppliedParameter]) -> (values: [ParameterValue], problems: [ParameterProblem]) {
        var problems: [ParameterProblem] = []
        var byName: [String: Int] = [:]
        var bySnake: [String: [Int]] = [:]
        for (offset, definition) in definitions.enumerated() where byName[definition.name] == nil {
            byName[definition.name] = offset
            bySnake[upperSnakeCase(definition.name), default: []].append(offset)
        }

        // Files first, then flags; within each, later entries win.
        var chosen: [Int: SuppliedParameter] = [:]
        let ordered = supplied.filter { $0.origin != .flag } + supplied.filter { $0.origin == .flag }
        for entry in ordered {
            if let offset = byName[entry.key] {
                chosen[offset] = entry
                continue
            }
            let matches = bySnake[entry.key] ?? []
            if matches.count == 1 {
                chosen[matches[0]] = entry
            } else if matches.count > 1 {
                let names = matches.map { "'\(definitions[$0].name)'" }.joined(separator: " and ")
                problems.append(ParameterProblem(
                    parameter: nil, value: nil, rule: ParamsRules.unknownName,
                    message: "'\(entry.key)' (\(entry.origin)) matches both \(names); use the exact parameter name", origin: entry.origin))
            } else if entry.origin == .flag {
                problems.append(ParameterProblem(
                    parameter: nil, value: nil, rule: ParamsRules.unknownName,
                    message: "--param '\(entry.key)' names no parameter of the template; \(suggestion(for: entry.key, among: definitions.map(\.name)))",
                    origin: .flag))
            }
        }

        var values: [ParameterValue] = []
        var effective: [String: String] = [:]
        var origins: [String: SuppliedParameter.Origin] = [:]
        var failed: Set<String> = []
        for (offset, definition) in definitions.enumerated() where byName[definition.name] == offset {
            let value: String
            let origin: SuppliedParameter.Origin?
            if let entry = chosen[offset] {
                value = entry.value
                origin = entry.origin
            } else if let defaultValue = definition.parameter.defaultValue {
                value = defaultValue
                origin = nil
            } else {
                problems.append(ParameterProblem(
                    parameter: definition.name, value: nil, rule: ParamsRules.missingValue,
                    message: "parameter '\(definition.name)' has no Default and no value is supplied; pass --param \(definition.name)=… or set \(upperSnakeCase(definition.name)) in an env file",
                    origin: nil))
                continue
            }
            values.append(ParameterValue(name: definition.name, value: value, origin: origin, noEcho: definition.parameter.noEcho))
            effective[definition.name] = value
            if let origin { origins[definition.name] = origin }
            if let problem = check(value, of: definition, origin: origin) {
                problems.append(problem)
                failed.insert(definition.name)
            }
        }

        // The services' rules, once per place a value flows into.
        let definitionsByName = Dictionary(definitions.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var checked: Set<ServiceConstraint> = []
        var reported: Set<String> = []
        for definition in definitions {
            for constraint in definition.serviceConstraints where checked.insert(constraint).inserted {
                // A value that already broke its own constraints has its finding.
                if constraint.parameters.contains(where: failed.contains) { continue }
                guard let violation = constraint.violation(values: effective, preferred: { origins[$0] != nil }),
                      let blamed = definitionsByName[violation.parameter], let value = effective[violation.parameter] else { continue }
                let hidden = constraint.parameters.contains { definitionsByName[$0]?.parameter.noEcho == true }
                let origin = origins[violation.parameter]
                var message = "\(subject(value, of: blamed, origin: origin)) flows into the \(constraint.service.what) at \(constraint.path)"
                if !constraint.isDirect {
                    let composed = constraint.pieces.map { piece -> String in
                        switch piece {
                        case .literal(let text): return text
                        case .parameter(let name): return effective[name] ?? "${\(name)}"
                        case .unknown(let text): return text
                        }
                    }.joined()
                    message += hidden ? " (composed value hidden: NoEcho)" : " as '\(composed)'"
                }
                message += "; \(violation.reason)"
                // Two alternatives of an Fn::If may compose the same text: say it once.
                guard reported.insert(message).inserted else { continue }
                problems.append(ParameterProblem(
                    parameter: blamed.name, value: blamed.parameter.noEcho ? nil : value, rule: rule(for: constraint.service),
                    message: message, origin: origin))
            }
        }
        return (values, problems)
    }

    static func rule(for service: ServiceConstraint.Service) -> Rule {
        switch service {
        case .dynamoDBTableName, .dynamoDBIndexName: return ParamsRules.dynamoDBName
        case .webSocketStageName, .httpStageName, .restStageName, .restDeploymentStageName: return ParamsRules.stageName
        case .lambdaTimeout: return ParamsRules.lambdaTimeout
        }
    }

    // MARK: - One value against its definition

    /// The problem with `value` as a value of `definition` (type, AllowedValues,
    /// AllowedPattern, lengths, range), all constraints it breaks in one problem.
    public static func check(_ value: String, of definition: ParameterDefinition, origin: SuppliedParameter.Origin?) -> ParameterProblem? {
        let kind = definition.kind
        let shown = definition.parameter.noEcho ? nil : value
        func problem(_ rule: Rule, _ reason: String) -> ParameterProblem {
            ParameterProblem(parameter: definition.name, value: shown, rule: rule,
                             message: "\(subject(value, of: definition, origin: origin)) \(reason)", origin: origin)
        }
        // An SSM parameter's value is a name in Parameter Store; what it holds is unknown here.
        if kind == .ssm { return nil }
        if let reason = typeProblem(value, kind: kind, noEcho: definition.parameter.noEcho) {
            return problem(ParamsRules.valueType, reason)
        }

        // A list satisfies a constraint when every item does or, as cfn-lint also allows
        // for CommaDelimitedList, when the whole text does.
        let items = kind.isList ? listItems(value) : [value]
        func holds(_ test: (String) -> Bool) -> Bool {
            items.allSatisfy(test) || (kind.isList && test(value))
        }
        var reasons: [String] = []
        if !definition.parameter.allowedValues.isEmpty {
            let allowed = definition.parameter.allowedValues
            let ok = holds { item in
                allowed.contains(item) || (kind.isNumeric && ParameterDefinition.number(item).map { number in
                    allowed.contains { ParameterDefinition.number($0) == number }
                } ?? false)
            }
            if !ok {
                let list = allowed.prefix(10).map { "'\($0)'" }.joined(separator: ", ") + (allowed.count > 10 ? ", …" : "")
                reasons.append(definition.parameter.noEcho ? "is not one of its AllowedValues" : "is not one of AllowedValues \(list)")
            }
        }
        if let pattern = definition.parameter.allowedPattern, !pattern.isEmpty {
            let compiled = AllowedPattern(pattern)
            if holds({ compiled.matches($0) ?? true }) == false {
                reasons.append("does not match AllowedPattern \(pattern)")
            }
        }
        if !kind.isNumeric {
            if let minLength = definition.parameter.minLength, !holds({ $0.count >= minLength }) {
                reasons.append("is \(lengthText(items, kind: kind, value: value)), shorter than MinLength \(minLength)")
            }
            if let maxLength = definition.parameter.maxLength, !holds({ $0.count <= maxLength }) {
                reasons.append("is \(lengthText(items, kind: kind, value: value)), longer than MaxLength \(maxLength)")
            }
        } else {
            if let minValue = definition.minimum, !holds({ (ParameterDefinition.number($0) ?? minValue) >= minValue }) {
                reasons.append("is below MinValue \(format(minValue))")
            }
            if let maxValue = definition.maximum, !holds({ (ParameterDefinition.number($0) ?? maxValue) <= maxValue }) {
                reasons.append("is above MaxValue \(format(maxValue))")
            }
        }
        guard !reasons.isEmpty else { return nil }
        var reason = reasons.joined(separator: " and ")
        if let description = definition.parameter.constraintDescription, !description.isEmpty {
            reason += " (\(description))"
        }
        return problem(ParamsRules.valueConstraint, reason)
    }

    /// Why `value` is not of the type, or `nil`.
    static func typeProblem(_ value: String, kind: ParameterKind, noEcho: Bool) -> String? {
        func show(_ item: String) -> String { noEcho ? "an item" : "'\(item)'" }
        switch kind {
        case .number:
            return ParameterDefinition.isNumber(value) ? nil : "is not a number, as its Type Number requires"
        case .numberList:
            guard let bad = listItems(value).first(where: { !ParameterDefinition.isNumber($0) }) else { return nil }
            return "has \(show(bad)), which is not a number, as its Type List<Number> requires"
        case .awsSpecific(let type):
            guard let shape = AWSShape(type), !shape.matches(value) else { return nil }
            return "is not \(shape.description), as its Type \(type) requires"
        case .awsSpecificList(let type):
            guard let shape = AWSShape(type), let bad = listItems(value).first(where: { !shape.matches($0) }) else { return nil }
            return "has \(show(bad)), which is not \(shape.description), as its Type List<\(type)> requires"
        case .string, .commaDelimitedList, .ssm, .invalid:
            return nil
        }
    }

    /// A list value's items, each trimmed of blanks as CloudFormation does.
    static func listItems(_ value: String) -> [String] {
        value.split(separator: ",", omittingEmptySubsequences: false).map {
            String($0).trimmingSpaces()
        }
    }

    static func lengthText(_ items: [String], kind: ParameterKind, value: String) -> String {
        let count = kind.isList ? (items.map(\.count).min() ?? 0) : value.count
        return count == 1 ? "1 character" : "\(count) characters"
    }

    static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }

    /// `value 'x' for Name (from --param)`, `default 'x' of Name`, with `(hidden: NoEcho)`
    /// in place of a NoEcho value.
    static func subject(_ value: String, of definition: ParameterDefinition, origin: SuppliedParameter.Origin?) -> String {
        let shown = definition.parameter.noEcho ? "(hidden: NoEcho)" : "'\(value)'"
        guard let origin else { return "default \(shown) of \(definition.name)" }
        return "value \(shown) for \(definition.name) (from \(origin))"
    }

    // MARK: - Names

    /// The UPPER_SNAKE_CASE form env files use for a parameter name: an underscore goes
    /// before an uppercase letter that follows a lowercase letter or a digit
    /// (`ChatTableName` → `CHAT_TABLE_NAME`, `S3Bucket` → `S3_BUCKET`), and before the last
    /// capital of a run of capitals followed by a lowercase letter (`APIKey` → `API_KEY`);
    /// digits stay with what precedes them (`Ec2Type` → `EC2_TYPE`); then every letter is
    /// uppercased.
    public static func upperSnakeCase(_ name: String) -> String {
        let characters = Array(name)
        var result = ""
        for (index, character) in characters.enumerated() {
            if index > 0, character.isUppercase {
                let previous = characters[index - 1]
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && next?.isLowercase == true) {
                    result.append("_")
                }
            }
            result += character.uppercased()
        }
        return result
    }

    /// `did you mean 'X'?` for the closest name, or the list of names when none is close.
    static func suggestion(for key: String, among names: [String]) -> String {
        guard !names.isEmpty else { return "the template declares no parameters" }
        func normal(_ text: String) -> [Unicode.Scalar] { Array(text.lowercased().unicodeScalars.filter { $0 != "_" && $0 != "-" }) }
        let target = normal(key)
        var best: (name: String, distance: Int)?
        for name in names {
            let distance = EditDistance.between(target, normal(name))
            if distance < (best?.distance ?? Int.max) { best = (name, distance) }
        }
        if let best, best.distance <= max(2, min(target.count, best.name.count) / 3) {
            return "did you mean '\(best.name)'?"
        }
        let listed = names.prefix(12).joined(separator: ", ") + (names.count > 12 ? ", …" : "")
        return "the template's parameters are \(listed)"
    }
}

/// The basic shape of an AWS-specific parameter's value (CloudFormation then checks that
/// the thing exists in the account, which menort cannot).
fileprivate struct AWSShape: CustomStringConvertible {
    let prefix: String
    let description: String
    let test: (String) -> Bool

    init?(_ type: String) {
        func hexId(_ prefix: String) -> (String) -> Bool {
            { value in
                guard value.hasPrefix(prefix) else { return false }
                let rest = value.dropFirst(prefix.count)
                return (8...17).contains(rest.count) && rest.allSatisfy { $0.isHexDigit && !$0.isUppercase }
            }
        }
        switch type {
        case "AWS::EC2::VPC::Id": (prefix, description, test) = ("vpc-", "a VPC id (vpc-0123abcd…)", hexId("vpc-"))
        case "AWS::EC2::Subnet::Id": (prefix, description, test) = ("subnet-", "a subnet id (subnet-0123abcd…)", hexId("subnet-"))
        case "AWS::EC2::SecurityGroup::Id": (prefix, description, test) = ("sg-", "a security group id (sg-0123abcd…)", hexId("sg-"))
        case "AWS::EC2::Image::Id": (prefix, description, test) = ("ami-", "an AMI id (ami-0123abcd…)", hexId("ami-"))
        case "AWS::EC2::Instance::Id": (prefix, description, test) = ("i-", "an instance id (i-0123abcd…)", hexId("i-"))
        case "AWS::EC2::Volume::Id": (prefix, description, test) = ("vol-", "a volume id (vol-0123abcd…)", hexId("vol-"))
        case "AWS::Route53::HostedZone::Id":
            (prefix, description) = ("Z", "a hosted zone id (Z followed by capitals and digits)")
            test = { value in
                value.count >= 2 && value.first == "Z" && value.allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber) }
            }
        case "AWS::EC2::AvailabilityZone::Name":
            // us-east-1a, us-gov-west-1b, and local zones such as us-west-2-lax-1a.
            (prefix, description) = ("", "an Availability Zone name (us-east-1a)")
            test = { value in
                let parts = value.split(separator: "-", omittingEmptySubsequences: false)
                return parts.count >= 3 && parts[0].count == 2 && parts[0].allSatisfy { $0.isASCII && $0.isLowercase }
                    && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) } }
                    && value.contains(where: \.isNumber)
            }
        default:
            return nil  // key pair and security group names are free text
        }
    }

    func matches(_ value: String) -> Bool { test(value) }
}
