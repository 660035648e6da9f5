/// The name of a parameter, resource, output, condition or mapping inside a template.
///
/// CloudFormation accepts only ASCII letters and digits, at most 255 of them; a bad id is
/// refused when it is made, so a `Template` can never hold one.
public struct LogicalID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The id as written in the template.
    public let rawValue: String

    /// The longest logical id CloudFormation accepts.
    public static let maxLength = 255

    /// Checks and wraps `rawValue`.
    public init(_ rawValue: String) throws(ModelError) {
        guard !rawValue.isEmpty else {
            throw ModelError.invalidLogicalID(rawValue, "it is empty")
        }
        guard rawValue.utf8.count <= Self.maxLength else {
            throw ModelError.invalidLogicalID(rawValue, "it is longer than \(Self.maxLength) characters")
        }
        guard rawValue.utf8.allSatisfy(LogicalID.isAlphanumeric) else {
            throw ModelError.invalidLogicalID(rawValue, "only ASCII letters and digits are allowed")
        }
        self.rawValue = rawValue
    }

    /// Whether `rawValue` would make a valid id, without throwing.
    public static func isValid(_ rawValue: String) -> Bool {
        (try? LogicalID(rawValue)) != nil
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    public static func < (lhs: LogicalID, rhs: LogicalID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The id itself.
    public var description: String { rawValue }
}

/// A template that cannot be built as asked: the model refuses it before anything is rendered.
public enum ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A logical id that CloudFormation would refuse, and why.
    case invalidLogicalID(String, String)
    /// Two declarations in one namespace share an id (`section` says which namespace).
    case duplicateLogicalID(LogicalID, section: String)
    /// An intrinsic function whose arguments CloudFormation would refuse.
    case invalidIntrinsic(String)

    /// One sentence for a person.
    public var description: String {
        switch self {
        case .invalidLogicalID(let id, let why):
            return "invalid logical id '\(id)': \(why)"
        case .duplicateLogicalID(let id, let section):
            return "logical id '\(id)' is declared twice in \(section)"
        case .invalidIntrinsic(let why):
            return "invalid intrinsic function: \(why)"
        }
    }
}
