import CloudFormation
import YAML

/// A template parameter as the template declares it: CloudFormation's `Parameter` (the one
/// model of a parameter, which the builder renders), read from the YAML node, plus what only a
/// template under validation has: where it is written and where its value flows.
///
/// Reading is lenient: a property of the wrong kind (a `MinLength` that is not a number, an
/// `AllowedValues` that is not a list) reads as absent, so checking values never trips on a
/// broken definition; the `params` family reports the broken definition itself. A parameter
/// whose id CloudFormation refuses (`Table-Name`) has no definition: the template family
/// reports the id, and no deploy gets as far as its value.
public struct ParameterDefinition: Sendable, Equatable {
    /// The parameter: type, default, constraints, `NoEcho`.
    public let parameter: Parameter
    /// Where the parameter's key is written.
    public let mark: Mark?
    /// Where the `Default` value is written, when there is one.
    public let defaultMark: Mark?
    /// The services' own rules on the places this parameter's value flows into (a table
    /// name, a stage name, a Lambda timeout), inferred from the resources; see
    /// `ServiceConstraint`.
    public let serviceConstraints: [ServiceConstraint]

    /// Creates a definition; `definitions(in:)` reads them from a template.
    public init(_ parameter: Parameter, mark: Mark? = nil, defaultMark: Mark? = nil, serviceConstraints: [ServiceConstraint] = []) {
        self.parameter = parameter
        self.mark = mark
        self.defaultMark = defaultMark
        self.serviceConstraints = serviceConstraints
    }

    /// Every parameter of `template`, in template order, each with the service constraints
    /// inferred for it.
    public static func definitions(in template: SourceTemplate) -> [ParameterDefinition] {
        let constraints = ServiceConstraint.inferred(in: template)
        var byParameter: [String: [ServiceConstraint]] = [:]
        for constraint in constraints {
            var seen: Set<String> = []
            for name in constraint.parameters where seen.insert(name).inserted {
                byParameter[name, default: []].append(constraint)
            }
        }
        var seen: Set<String> = []
        return template.parameters.compactMap { entry in
            // A duplicate key is the yaml family's finding; CloudFormation keeps one of them.
            guard seen.insert(entry.id).inserted else { return nil }
            return ParameterDefinition(entry, constraints: byParameter[entry.id] ?? [])
        }
    }

    init?(_ entry: SourceTemplate.Entry, constraints: [ServiceConstraint]) {
        guard let id = try? LogicalID(entry.id) else { return nil }
        let body = entry.value
        func text(_ key: String) -> String? {
            guard let node = body[key], Intrinsic(node) == nil, let text = node.scalar else { return nil }
            return text
        }
        // The model keeps MinValue/MaxValue as written; one that is no number reads as absent.
        func numberText(_ key: String) -> String? {
            text(key).flatMap { ParameterDefinition.number($0) == nil ? nil : $0 }
        }
        let defaultNode = body["Default"]
        let defaultText = defaultNode.flatMap { node -> String? in
            guard Intrinsic(node) == nil, let text = node.scalar, !node.isNull else { return nil }
            return text
        }
        let parameter = Parameter(
            id,
            type: ParameterType(text("Type") ?? ""),
            defaultValue: defaultText,
            description: text("Description"),
            allowedValues: (body["AllowedValues"]?.items ?? []).compactMap { Intrinsic($0) == nil ? $0.scalar : nil },
            allowedPattern: text("AllowedPattern"),
            minLength: text("MinLength").flatMap(ParameterDefinition.integer),
            maxLength: text("MaxLength").flatMap(ParameterDefinition.integer),
            minValue: numberText("MinValue"),
            maxValue: numberText("MaxValue"),
            constraintDescription: text("ConstraintDescription"),
            noEcho: text("NoEcho").flatMap(ParameterDefinition.boolean) ?? false
        )
        self.init(parameter, mark: entry.key.mark, defaultMark: defaultText == nil ? nil : defaultNode?.mark,
                  serviceConstraints: constraints)
    }

    /// The logical id, as `--parameter-overrides` names it.
    public var name: String { parameter.id.rawValue }

    /// What the type means for checking values.
    public var kind: ParameterKind { ParameterKind(parameter.type.rawValue) }

    /// `MinValue` as a number (the model keeps the text, as written).
    public var minimum: Double? { parameter.minValue.flatMap(ParameterDefinition.number) }

    /// `MaxValue` as a number.
    public var maximum: Double? { parameter.maxValue.flatMap(ParameterDefinition.number) }

    // MARK: - Reading property values

    /// The properties CloudFormation accepts on a parameter.
    public static let properties: [String] = [
        "Type", "Default", "Description", "AllowedValues", "AllowedPattern", "MinLength", "MaxLength",
        "MinValue", "MaxValue", "ConstraintDescription", "NoEcho",
    ]

    /// A non-negative whole number, written `3` or `3.0` (JSON writers emit either).
    static func integer(_ text: String) -> Int? {
        guard isNumber(text), let value = Double(text.trimmingSpaces()),
              value >= 0, value <= 1e15, value == value.rounded(.towardZero) else { return nil }
        return Int(value)
    }

    /// A decimal number as CloudFormation's `Number` accepts it.
    static func number(_ text: String) -> Double? {
        guard isNumber(text) else { return nil }
        return Double(text.trimmingSpaces())
    }

    /// YAML's booleans as CloudFormation reads `NoEcho` (`true`, `"false"`, …).
    static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }

    /// `[+-]digits[.digits][e[+-]digits]` (or `.5`), with blanks around it: decimal only, so
    /// `0x10`, `inf` and `nan`, which `Double.init` would take, are not numbers here.
    static func isNumber(_ text: String) -> Bool {
        let bytes = Array(text.trimmingSpaces().utf8)
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
        var count = digits()
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            count += digits()
        }
        guard count > 0 else { return false }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { return false }
        }
        return index == bytes.count
    }
}

/// What a parameter's `Type` means for the values it accepts.
public enum ParameterKind: Sendable, Equatable {
    /// `String`.
    case string
    /// `Number`: an integer or a decimal.
    case number
    /// `List<Number>`: comma-separated numbers.
    case numberList
    /// `CommaDelimitedList` (or `List<String>`): comma-separated strings, each trimmed.
    case commaDelimitedList
    /// An AWS-specific type such as `AWS::EC2::VPC::Id`: the value names an existing thing.
    case awsSpecific(String)
    /// `List<…>` of an AWS-specific type.
    case awsSpecificList(String)
    /// `AWS::SSM::Parameter::Name`, or `AWS::SSM::Parameter::Value<…>`: the value is the name
    /// of a Systems Manager parameter, resolved at deploy time.
    case ssm
    /// Not a type CloudFormation knows (or none): values are checked only against the
    /// explicit constraints.
    case invalid

    /// The AWS-specific types, which `List<…>` and `AWS::SSM::Parameter::Value<…>` may wrap.
    public static let awsSpecificTypes: [String] = [
        "AWS::EC2::AvailabilityZone::Name", "AWS::EC2::Image::Id", "AWS::EC2::Instance::Id", "AWS::EC2::KeyPair::KeyName",
        "AWS::EC2::SecurityGroup::GroupName", "AWS::EC2::SecurityGroup::Id", "AWS::EC2::Subnet::Id", "AWS::EC2::VPC::Id",
        "AWS::EC2::Volume::Id", "AWS::Route53::HostedZone::Id",
    ]

    /// Classifies a `Type` as written.
    public init(_ type: String) {
        switch type {
        case "String": self = .string
        case "Number": self = .number
        case "List<Number>": self = .numberList
        // `List<String>` is not in CloudFormation's documented list, but CloudFormation,
        // cfn-lint and SAM's own test templates accept it as a comma-delimited list.
        case "CommaDelimitedList", "List<String>": self = .commaDelimitedList
        case "AWS::SSM::Parameter::Name": self = .ssm
        default:
            if ParameterKind.awsSpecificTypes.contains(type) {
                self = .awsSpecific(type)
            } else if type.hasPrefix("List<"), type.hasSuffix(">"),
                      case let inner = String(type.dropFirst(5).dropLast()), ParameterKind.awsSpecificTypes.contains(inner) {
                self = .awsSpecificList(inner)
            } else if type.hasPrefix("AWS::SSM::Parameter::Value<"), type.hasSuffix(">") {
                let inner = String(type.dropFirst("AWS::SSM::Parameter::Value<".count).dropLast())
                switch ParameterKind(inner) {
                case .invalid: self = .invalid
                case .ssm where inner != "AWS::SSM::Parameter::Name": self = .invalid  // no Value<Value<…>>
                default: self = .ssm
                }
            } else {
                self = .invalid
            }
        }
    }

    /// Whether values are comma-separated lists.
    var isList: Bool {
        switch self {
        case .numberList, .commaDelimitedList, .awsSpecificList: return true
        default: return false
        }
    }

    /// Whether `MinValue`/`MaxValue` apply.
    var isNumeric: Bool { self == .number || self == .numberList }
}
