import YAML

/// A template parameter with every constraint CloudFormation checks at deploy time.
public struct Parameter: Sendable, Equatable {
    /// The parameter's logical id (its name in `--parameter-overrides`).
    public var id: LogicalID
    /// `String`, `Number`, `List<Number>`, `CommaDelimitedList`, an AWS-specific type, or an SSM type.
    public var type: ParameterType
    /// Used when the deploy supplies no value; a parameter without one is required.
    public var defaultValue: String?
    /// Shown by the console and by `menort params`.
    public var description: String?
    /// The only values accepted, when not empty.
    public var allowedValues: [String]
    /// A regular expression the whole value must match (CloudFormation anchors it).
    public var allowedPattern: String?
    /// Shortest accepted string, in characters.
    public var minLength: Int?
    /// Longest accepted string, in characters.
    public var maxLength: Int?
    /// Smallest accepted number (text, so `0.5` renders as written).
    public var minValue: String?
    /// Largest accepted number.
    public var maxValue: String?
    /// What CloudFormation shows when a constraint fails, instead of the bare pattern.
    public var constraintDescription: String?
    /// Masks the value in the console, the API and menort's diagnostics.
    public var noEcho: Bool

    /// Creates a parameter.
    public init(
        _ id: LogicalID, type: ParameterType = .string, defaultValue: String? = nil, description: String? = nil,
        allowedValues: [String] = [], allowedPattern: String? = nil, minLength: Int? = nil, maxLength: Int? = nil,
        minValue: String? = nil, maxValue: String? = nil, constraintDescription: String? = nil, noEcho: Bool = false
    ) {
        self.id = id
        self.type = type
        self.defaultValue = defaultValue
        self.description = description
        self.allowedValues = allowedValues
        self.allowedPattern = allowedPattern
        self.minLength = minLength
        self.maxLength = maxLength
        self.minValue = minValue
        self.maxValue = maxValue
        self.constraintDescription = constraintDescription
        self.noEcho = noEcho
    }

    /// Whether a deploy must supply a value.
    public var isRequired: Bool { defaultValue == nil }

    /// The parameter's body, keys in the order the CloudFormation documentation lists them.
    public func node() -> Node {
        var pairs: [(String, Node)] = [("Type", .string(type.rawValue))]
        if let description { pairs.append(("Description", .string(description))) }
        if let defaultValue {
            // A Number default is written as a number; every other default is a string.
            pairs.append(("Default", type == .number ? .plain(defaultValue) : .string(defaultValue)))
        }
        if !allowedValues.isEmpty {
            pairs.append(("AllowedValues", .sequence(allowedValues.map { .string($0) })))
        }
        if let allowedPattern { pairs.append(("AllowedPattern", .string(allowedPattern))) }
        if let minLength { pairs.append(("MinLength", .plain(String(minLength)))) }
        if let maxLength { pairs.append(("MaxLength", .plain(String(maxLength)))) }
        if let minValue { pairs.append(("MinValue", .plain(minValue))) }
        if let maxValue { pairs.append(("MaxValue", .plain(maxValue))) }
        if let constraintDescription { pairs.append(("ConstraintDescription", .string(constraintDescription))) }
        if noEcho { pairs.append(("NoEcho", .plain("true"))) }
        return .mapping(pairs)
    }
}

/// A parameter type. An open set: AWS adds types, and SSM types embed other types.
public struct ParameterType: Sendable, Hashable, CustomStringConvertible {
    /// The type as written in the template.
    public let rawValue: String

    /// Wraps a type name as written.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// `String`.
    public static let string = ParameterType("String")
    /// `Number`: an integer or float; CloudFormation passes it on as a string.
    public static let number = ParameterType("Number")
    /// `List<Number>`.
    public static let numberList = ParameterType("List<Number>")
    /// `CommaDelimitedList`.
    public static let commaDelimitedList = ParameterType("CommaDelimitedList")

    /// The name.
    public var description: String { rawValue }
}
