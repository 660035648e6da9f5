import YAML

/// Parameter definitions, and the values a deploy would supply, checked as CloudFormation
/// and the services the values flow into would check them.
///
/// Definitions are always checked. Supplied values (`--param`, `--env-file`) are checked only
/// when some were given, through `ParameterValues.resolve`, the same code `menort params`
/// runs. A template's `Default` is checked like a value, at the `Default`; a supplied value's
/// finding is at the parameter's key and says where the value came from.
public struct ParamsRules: RuleFamily {
    public static let family = Family.params

    // MARK: Definitions

    static let typeMissing = Rule(
        "params-type-missing", .params, .error, "A parameter has no Type",
        "Every parameter needs a Type (String, Number, List<Number>, CommaDelimitedList, an AWS-specific type such as AWS::EC2::VPC::Id, or an SSM type); CloudFormation rejects the template otherwise. A parameter written as a bare value instead of a mapping has no Type either. Add `Type: String` (or the type the value has).")
    static let typeInvalid = Rule(
        "params-type-invalid", .params, .error, "A parameter's Type is not one CloudFormation knows",
        "CloudFormation accepts String, Number, List<Number>, CommaDelimitedList, the AWS-specific types (AWS::EC2::KeyPair::KeyName, AWS::EC2::VPC::Id, AWS::EC2::Subnet::Id, AWS::EC2::SecurityGroup::Id, AWS::EC2::Image::Id, AWS::EC2::Instance::Id, AWS::EC2::AvailabilityZone::Name, AWS::EC2::SecurityGroup::GroupName, AWS::EC2::Volume::Id, AWS::Route53::HostedZone::Id), List<…> of those, AWS::SSM::Parameter::Name and AWS::SSM::Parameter::Value<…> of the previous. Anything else (Boolean, Integer, a misspelled `string`) fails the deploy with a template format error. For a flag, use String with `AllowedValues: ['true', 'false']`.")
    static let unknownProperty = Rule(
        "params-unknown-property", .params, .error, "A parameter has a property CloudFormation does not know",
        "A parameter may have only Type, Default, Description, AllowedValues, AllowedPattern, MinLength, MaxLength, MinValue, MaxValue, ConstraintDescription and NoEcho, spelled exactly so; CloudFormation rejects the template on any other key (a lower-case `default` is not a Default). Fix the spelling or remove the key.")
    static let propertyValue = Rule(
        "params-property-value", .params, .error, "A parameter property holds the wrong kind of value",
        "Default, AllowedPattern, Description and ConstraintDescription are strings; AllowedValues is a list of strings; MinLength and MaxLength are whole numbers; MinValue and MaxValue are numbers; NoEcho is true or false. Intrinsic functions are not allowed in the Parameters section. CloudFormation rejects the template otherwise.")
    static let patternInvalid = Rule(
        "params-pattern-invalid", .params, .error, "An AllowedPattern is not a valid regular expression",
        "CloudFormation compiles AllowedPattern as a Java regular expression and fails the deploy when it cannot. menort reports only defects both Swift's and Java's regex syntax reject (an unbalanced bracket or parenthesis, a quantifier with nothing to repeat, a trailing backslash, reversed {n,m} bounds); a pattern that only Java supports (lookbehind, \\p{javaLowerCase}) is not reported, and values are not checked against it. Escape literal brackets as \\[ and \\(.")
    static let rangeInverted = Rule(
        "params-range-inverted", .params, .error, "A minimum is larger than its maximum",
        "With MinLength above MaxLength, or MinValue above MaxValue, no value can satisfy the parameter: every deploy fails its validation. Swap or correct the bounds.")
    static let constraintIgnored = Rule(
        "params-constraint-ignored", .params, .warning, "A constraint that does not apply to the parameter's Type",
        "MinLength and MaxLength apply to strings, MinValue and MaxValue to numbers. On the other type CloudFormation ignores them, so the limit the author meant is not enforced. Use the constraint that fits the Type (MinValue/MaxValue for a Number), or change the Type.")

    // MARK: Values (a Default, or a supplied value)

    static let valueType = Rule(
        "params-value-type", .params, .error, "A parameter value is not of the parameter's Type",
        "CloudFormation checks that a Number is a number, that every item of a List<Number> is one, and that AWS-specific types have the shape of what they name (vpc-…, subnet-…, sg-…, ami-…, i-…, vol-…, a hosted zone id Z…, an Availability Zone such as us-east-1a) before it creates anything; the deploy fails otherwise. This applies to a Default as well as to the values a deploy supplies. Fix the value.")
    static let valueConstraint = Rule(
        "params-value-constraint", .params, .error, "A parameter value breaks the parameter's own constraints",
        "CloudFormation refuses a value that is not in AllowedValues, does not match AllowedPattern as a whole, or is outside MinLength/MaxLength or MinValue/MaxValue, and the deploy fails before anything changes. This applies to a Default as well as to supplied values (cfn-lint never checks supplied values against AllowedPattern, and skips them for SAM templates). Fix the value, or the constraint if it is the constraint that is wrong.")
    static let dynamoDBName = Rule(
        "params-dynamodb-name", .params, .error, "A parameter value would be an invalid DynamoDB table or index name",
        "The parameter's value flows (through Ref, Sub or Join) into a DynamoDB table name, an index name, or the TableName of a SAM DynamoDB policy template. DynamoDB names are 3 to 255 characters of A-Z a-z 0-9 _ . -, whatever the parameter itself allows: CloudFormation accepts the value, then the table (or the policy) fails half way through the deploy and the stack rolls back. Fix the value, and add `AllowedPattern: ^[A-Za-z0-9_.-]+$`, `MinLength: 3`, `MaxLength: 255` to the parameter so the mistake is caught up front.")
    static let stageName = Rule(
        "params-stage-name", .params, .error, "A parameter value would be an invalid API Gateway stage name",
        "The parameter's value flows into an API Gateway stage name. Stage names are 1 to 128 characters of A-Z a-z 0-9 _ - (an AWS::ApiGateway::Deployment's stage: A-Z a-z 0-9 _ only); an API Gateway V2 stage may also be named $default. (AWS documents $default only for HTTP APIs, where it is served at the root of the URL; WebSocket APIs deploy it too, and their clients connect to wss://…/$default, so it is not reported.) The stage resource fails at deploy time on any other name. Fix the value, and constrain the parameter with `AllowedPattern: ^[A-Za-z0-9_-]+$` and `MaxLength: 128`.")
    static let lambdaTimeout = Rule(
        "params-lambda-timeout", .params, .error, "A parameter value would be an invalid Lambda timeout",
        "The parameter's value flows into a Lambda function's Timeout (or the SAM Globals' Timeout), which is a whole number of seconds from 1 to 900; anything else fails the function's creation. Fix the value, and declare the parameter as `Type: Number` with `MinValue: 1` and `MaxValue: 900` (29 for a function behind API Gateway, which stops waiting after 29 seconds).")

    // MARK: Supplied values

    static let missingValue = Rule(
        "params-missing-value", .params, .error, "A required parameter gets no value",
        "A parameter without a Default must be given a value at deploy time, or CloudFormation fails with `Parameters: [...] must have values`. Every such parameter is listed at once. Pass it with --param Name=value, or set it (or its UPPER_SNAKE_CASE form) in an --env-file; or give the parameter a Default.")
    static let unknownName = Rule(
        "params-unknown-name", .params, .error, "A --param names no parameter of the template",
        "CloudFormation rejects a deploy that passes a parameter the template does not declare (`Parameters: [X] do not exist in the template`). The key is matched by exact name or by UPPER_SNAKE_CASE form (CHAT_TABLE_NAME for ChatTableName); the closest name is suggested. Keys in env files that match nothing are ignored, since a .env file also holds the application's settings.")

    public static let rules: [Rule] = [
        typeMissing, typeInvalid, unknownProperty, propertyValue, patternInvalid, rangeInverted, constraintIgnored,
        valueType, valueConstraint, dynamoDBName, stageName, lambdaTimeout, missingValue, unknownName,
    ]

    public init() {}

    public func check(_ context: ValidationContext, into report: inout Report) {
        let template = context.template
        for entry in template.parameters {
            checkDefinition(entry, into: &report)
        }
        let definitions = ParameterDefinition.definitions(in: template)
        let byName = Dictionary(definitions.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

        // Defaults, against the parameter's own constraints and the services' rules.
        for problem in ParameterValues.resolve(definitions, supplied: []).problems where problem.rule != ParamsRules.missingValue {
            guard let name = problem.parameter, let definition = byName[name] else { continue }
            report.add(problem.rule, problem.message, at: definition.defaultMark ?? definition.mark,
                       logicalId: name, path: "Parameters/\(name)/Default")
        }

        // Supplied values: a problem with a supplied value is located at the parameter's key.
        guard let supplied = context.supplied else { return }
        let parametersKey = template.root.pairs?.first { $0.key.scalar == "Parameters" }?.key
        for problem in ParameterValues.resolve(definitions, supplied: supplied).problems {
            if problem.rule == ParamsRules.unknownName {
                report.add(problem.rule, problem.message, at: parametersKey?.mark ?? Mark(line: 1, column: 1))
                continue
            }
            // Problems with defaults were reported above, at the Default.
            guard problem.origin != nil || problem.rule == ParamsRules.missingValue,
                  let name = problem.parameter, let definition = byName[name] else { continue }
            report.add(problem.rule, problem.message, at: definition.mark, logicalId: name, path: "Parameters/\(name)")
        }
    }

    // MARK: - One definition

    func checkDefinition(_ entry: SourceTemplate.Entry, into report: inout Report) {
        let id = entry.id
        let base = "Parameters/\(id)"
        guard let pairs = entry.value.pairs, Intrinsic(entry.value) == nil else {
            report.add(ParamsRules.typeMissing, "parameter '\(id)' is \(ParamsRules.kindName(entry.value)), not a mapping with a Type; write it as `\(id): {Type: String}`",
                       at: entry.value.mark == nil ? entry.key : entry.value, logicalId: id, path: base)
            return
        }
        var properties: [String: Node] = [:]
        for pair in pairs {
            guard let key = pair.key.scalar else { continue }
            guard ParameterDefinition.properties.contains(key) else {
                let hint = ParameterDefinition.properties.first { $0.lowercased() == key.lowercased() }
                    .map { "did you mean '\($0)'?" } ?? "a parameter may have \(ParameterDefinition.properties.joined(separator: ", "))"
                report.add(ParamsRules.unknownProperty, "unknown parameter property '\(key)' on '\(id)'; \(hint)",
                           at: pair.key, logicalId: id, path: "\(base)/\(key)")
                continue
            }
            if properties[key] == nil { properties[key] = pair.value }
        }

        // Type.
        var kind = ParameterKind.invalid
        if let type = properties["Type"] {
            if let text = type.scalar, Intrinsic(type) == nil, !type.isNull {
                kind = ParameterKind(text)
                if kind == .invalid {
                    report.add(ParamsRules.typeInvalid, "'\(text)' is not a parameter type; \(ParamsRules.typeHint(text))",
                               at: type, logicalId: id, path: "\(base)/Type")
                }
            } else {
                report.add(ParamsRules.typeInvalid, "the Type of '\(id)' is \(ParamsRules.kindName(type)); write a type name such as String",
                           at: type, logicalId: id, path: "\(base)/Type")
            }
        } else {
            report.add(ParamsRules.typeMissing, "parameter '\(id)' has no Type; add `Type: String` (or Number, CommaDelimitedList, …)",
                       at: entry.key, logicalId: id, path: base)
        }

        // The kind of value each property holds.
        func wrong(_ key: String, _ expected: String) {
            guard let node = properties[key] else { return }
            report.add(ParamsRules.propertyValue, "\(key) of '\(id)' is \(ParamsRules.kindName(node)); it must be \(expected)",
                       at: node, logicalId: id, path: "\(base)/\(key)")
        }
        func isText(_ key: String) -> Bool {
            guard let node = properties[key] else { return true }
            return node.scalar != nil && Intrinsic(node) == nil
        }
        for key in ["Default", "AllowedPattern", "Description", "ConstraintDescription"] where !isText(key) {
            wrong(key, "a string")
        }
        if let node = properties["Default"], isText("Default"), node.isNull {
            wrong("Default", "a string (write '' for an empty default)")
        }
        if let node = properties["AllowedValues"] {
            if let items = node.items, Intrinsic(node) == nil {
                for (offset, item) in items.enumerated() where item.scalar == nil || Intrinsic(item) != nil {
                    report.add(ParamsRules.propertyValue, "AllowedValues of '\(id)' holds \(ParamsRules.kindName(item)); every allowed value must be a string",
                               at: item, logicalId: id, path: "\(base)/AllowedValues/\(offset)")
                }
            } else {
                wrong("AllowedValues", "a list of strings")
            }
        }
        func scalar(_ key: String) -> String? {
            guard let node = properties[key], Intrinsic(node) == nil else { return nil }
            return node.scalar
        }
        for key in ["MinLength", "MaxLength"] where properties[key] != nil {
            if scalar(key).flatMap(ParameterDefinition.integer) == nil { wrong(key, "a whole number of characters, 0 or more") }
        }
        for key in ["MinValue", "MaxValue"] where properties[key] != nil {
            if scalar(key).flatMap(ParameterDefinition.number) == nil { wrong(key, "a number") }
        }
        if properties["NoEcho"] != nil, scalar("NoEcho").flatMap(ParameterDefinition.boolean) == nil {
            wrong("NoEcho", "true or false")
        }

        // AllowedPattern compiles.
        if let node = properties["AllowedPattern"], let pattern = scalar("AllowedPattern"),
           case .invalid(let reason) = AllowedPattern(pattern).compiled {
            report.add(ParamsRules.patternInvalid, "AllowedPattern \(pattern) of '\(id)' is not a valid regular expression: \(reason)",
                       at: node, logicalId: id, path: "\(base)/AllowedPattern")
        }

        // Bounds.
        if let low = scalar("MinLength").flatMap(ParameterDefinition.integer), let high = scalar("MaxLength").flatMap(ParameterDefinition.integer),
           low > high, let node = properties["MinLength"] {
            report.add(ParamsRules.rangeInverted, "MinLength \(low) of '\(id)' is above its MaxLength \(high), so no value is accepted; swap them",
                       at: node, logicalId: id, path: "\(base)/MinLength")
        }
        if let low = scalar("MinValue").flatMap(ParameterDefinition.number), let high = scalar("MaxValue").flatMap(ParameterDefinition.number),
           low > high, let node = properties["MinValue"] {
            report.add(ParamsRules.rangeInverted, "MinValue \(ParameterValues.format(low)) of '\(id)' is above its MaxValue \(ParameterValues.format(high)), so no value is accepted; swap them",
                       at: node, logicalId: id, path: "\(base)/MinValue")
        }

        // Constraints the type ignores.
        let typeName = scalar("Type") ?? ""
        if kind == .number || kind == .numberList {
            for key in ["MinLength", "MaxLength"] {
                guard let node = properties[key] else { continue }
                let replacement = key == "MinLength" ? "MinValue" : "MaxValue"
                report.add(ParamsRules.constraintIgnored, "\(key) is ignored on a \(typeName) parameter such as '\(id)'; use \(replacement) to bound the number",
                           at: pairs.first { $0.key.scalar == key }?.key ?? node, logicalId: id, path: "\(base)/\(key)")
            }
        } else if kind == .string || kind == .commaDelimitedList {
            for key in ["MinValue", "MaxValue"] {
                guard let node = properties[key] else { continue }
                let replacement = key == "MinValue" ? "MinLength" : "MaxLength"
                report.add(ParamsRules.constraintIgnored, "\(key) is ignored on a \(typeName) parameter such as '\(id)'; make it Type Number, or use \(replacement) or AllowedPattern",
                           at: pairs.first { $0.key.scalar == key }?.key ?? node, logicalId: id, path: "\(base)/\(key)")
            }
        }
    }

    /// `a list`, `a mapping`, `a Ref`, `null`, for messages.
    static func kindName(_ node: Node) -> String {
        if let call = Intrinsic(node) { return "an intrinsic function (\(call.name))" }
        switch node.kind {
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .scalar:
            return node.isNull ? "null" : "the value '\(node.scalar ?? "")'"
        }
    }

    /// The likely intended type.
    static func typeHint(_ type: String) -> String {
        let valid = ["String", "Number", "List<Number>", "CommaDelimitedList"] + ParameterKind.awsSpecificTypes
        if let match = valid.first(where: { $0.lowercased() == type.lowercased() }) {
            return "types are case-sensitive: use \(match)"
        }
        switch type.lowercased() {
        case "boolean", "bool":
            return "use String with AllowedValues ['true', 'false']"
        case "integer", "int", "float", "double":
            return "use Number"
        case "list", "array", "stringlist":
            return "use CommaDelimitedList"
        default:
            return "use String, Number, List<Number>, CommaDelimitedList, an AWS-specific type such as AWS::EC2::VPC::Id, or an AWS::SSM::Parameter type"
        }
    }
}
