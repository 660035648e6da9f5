#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The property schema of every `AWS::*` resource type, from AWS's resource provider schemas
/// (`scripts/gen-resource-schemas.py`), flattened into numbered nodes.
///
/// The data is two static strings in the binary: a sorted index of types and, for each type,
/// one line per node. Nothing is parsed at start-up: a lookup binary-searches the index, and
/// a node's line is decoded only when a template's value reaches it, so a run pays for the
/// few properties its template writes, not for the 1,900 types.
public enum ResourceSchema {
    /// The JSON types a value may have.
    public struct JSONTypes: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        /// Creates a set from its bits.
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// A string.
        public static let string = JSONTypes(rawValue: 1)
        /// A whole number.
        public static let integer = JSONTypes(rawValue: 2)
        /// A number.
        public static let number = JSONTypes(rawValue: 4)
        /// `true` or `false`.
        public static let boolean = JSONTypes(rawValue: 8)
        /// A mapping.
        public static let object = JSONTypes(rawValue: 16)
        /// A list.
        public static let array = JSONTypes(rawValue: 32)
        /// `null`.
        public static let null = JSONTypes(rawValue: 64)

        /// The names, in JSON Schema's words, for messages.
        public var names: [String] {
            [(JSONTypes.object, "object"), (.array, "array"), (.string, "string"), (.integer, "integer"),
             (.number, "number"), (.boolean, "boolean"), (.null, "null")].filter { contains($0.0) }.map(\.1)
        }
    }

    /// What a YAML value is, as far as choosing a oneOf branch goes: a YAML scalar may become
    /// any scalar type, so scalars are one kind.
    public struct ValueKind: Sendable, Equatable {
        let rawValue: UInt8
        /// A mapping.
        public static let object = ValueKind(rawValue: UInt8(ascii: "o"))
        /// A list.
        public static let array = ValueKind(rawValue: UInt8(ascii: "a"))
        /// A string, number or boolean.
        public static let scalar = ValueKind(rawValue: UInt8(ascii: "s"))
    }

    /// A pattern of one character class repeated (`^[a-z0-9-]{1,64}$`), as data.
    public struct RepeatedClass: Sendable {
        /// Bit i: the character 0x20 + i is allowed (0x20–0x5F in `low`, 0x60–0x7E in `high`).
        let low: UInt64
        let high: UInt64
        /// How many characters at least.
        public let minimum: Int
        /// How many characters at most (`nil`: no bound).
        public let maximum: Int?
        /// The pattern as the schema writes it, for messages.
        public let pattern: String

        /// Whether `text` matches; `nil` when it holds a character outside printable ASCII,
        /// where the answer is not in the data.
        public func matches(_ text: String) -> Bool? {
            var count = 0
            for byte in text.utf8 {
                guard byte >= 0x20, byte < 0x7F else { return nil }
                let bit = Int(byte - 0x20)
                let allowed = bit < 64 ? low >> UInt64(bit) & 1 : high >> UInt64(bit - 64) & 1
                if allowed == 0 { return false }
                count += 1
            }
            return count >= minimum && maximum.map { count <= $0 } ?? true
        }
    }

    /// One node of a type's schema: what a value at that place may be.
    public struct Property: Sendable {
        /// The JSON types allowed; empty when the schema does not say.
        public var types: JSONTypes = []
        /// Named properties, in schema order, each with its node (`nil`: known, not checked).
        public var properties: [(name: String, node: Int?)] = []
        /// Whether a key outside `properties` is refused.
        public var closed = false
        /// The node the value of any other key follows.
        public var otherValues: Int?
        /// Properties that must be present.
        public var required: [String] = []
        /// Alternatives of which at least one must be complete (oneOf/anyOf of `required`).
        public var alternatives: [[String]] = []
        /// When the key is present, these must be too.
        public var dependentRequired: [(key: String, required: [String])] = []
        /// The node of each item of a list.
        public var items: Int?
        /// oneOf/anyOf branches that each take their own kind of value: the node a value of
        /// that kind must also satisfy.
        public var branches: [(kind: ValueKind, node: Int)] = []

        /// The branch node a value of `kind` must satisfy, if any.
        public func branch(for kind: ValueKind) -> Int? {
            branches.first { $0.kind == kind }?.node
        }
        /// The values allowed, as text.
        public var allowedValues: [String]?
        /// Whether `allowedValues` ignore case.
        public var allowedValuesIgnoreCase = false
        /// The values the service's API model lists where the resource schema leaves the
        /// property open: the service enforces them, CloudFormation does not.
        public var serviceValues: [String]?
        /// Inclusive bounds of a number.
        public var minimum: Double?
        /// Inclusive bounds of a number.
        public var maximum: Double?
        /// Bounds of a string's length in characters.
        public var minLength: Int?
        /// Bounds of a string's length in characters.
        public var maxLength: Int?
        /// A regular expression the whole string must match (`^…$` anchoring all of it,
        /// alternatives only inside groups, no lookbehind; see the generator).
        public var pattern: String?
        /// A pattern that is one character class repeated, read as data: the printable ASCII
        /// characters allowed and how many (the generator decided membership per character).
        public var repeatedClass: RepeatedClass?
        /// Bounds of a list's length.
        public var minItems: Int?
        /// Bounds of a list's length.
        public var maxItems: Int?
        /// Whether no two items of a list may be equal.
        public var uniqueItems = false

        /// Whether a scalar here can fail anything: a type other than string, allowed values,
        /// bounds or a pattern. Reading a computed value's text is not worth it otherwise.
        public var constrainsScalars: Bool {
            (!types.isEmpty && !types.contains(.string)) || allowedValues != nil || serviceValues != nil
                || minimum != nil || maximum != nil || minLength != nil || maxLength != nil
                || pattern != nil || repeatedClass != nil
        }

        /// The node of property `name`: `.some(nil)` when it is known but not checked, `nil`
        /// when it is not a named property.
        public func property(_ name: String) -> Int?? {
            for entry in properties where entry.name == name { return .some(entry.node) }
            return nil
        }
    }

    /// The schema of one resource type: its nodes, decoded one at a time.
    public struct TypeSchema: Sendable {
        /// The type's name.
        public let type: String
        /// Where each node's line starts and ends in `data`.
        private let lines: [Range<Int>]

        fileprivate init(type: String, range: Range<Int>) {
            self.type = type
            // Line i is node i: a node without constraints is an empty line, and counts.
            lines = SortedLines.lineRanges(in: ResourceSchema.data, range, keepingEmpty: true)
        }

        /// The schema of the resource's `Properties`.
        public var root: Property { node(0) ?? Property() }

        /// Node `index`, decoded now; `nil` when there is no such node.
        public func node(_ index: Int) -> Property? {
            guard index >= 0, index < lines.count else { return nil }
            return ResourceSchema.data.withUTF8Buffer { ResourceSchema.decode($0[lines[index]]) }
        }
    }

    /// The schema of `type`; `nil` for types without one (SAM's, `Custom::*`, unknown names).
    public static func schema(for type: String) -> TypeSchema? {
        guard let range = range(of: type) else { return nil }
        return TypeSchema(type: type, range: range)
    }

    /// Whether `type` has a schema here.
    public static func hasSchema(_ type: String) -> Bool { range(of: type) != nil }

    // MARK: - Index

    /// `index`, searched in place by binary search.
    private static let types = SortedLines(index)

    /// The byte range of `name`'s nodes in `data`: the two numbers after its name in `index`.
    private static func range(of name: String) -> Range<Int>? {
        guard let fields = indexFields(of: name, maxSplits: 2), fields.count >= 2,
              let start = Int(fields[0]), let end = Int(fields[1]), start <= end else { return nil }
        return start..<end
    }

    /// The space-separated fields after `name` in `index`: the byte range of its nodes, then its
    /// `a=`/`c=` replacement fields (see the generator), the last field holding the rest of the
    /// line after `maxSplits` splits; `nil` when `name` has no line.
    static func indexFields(of name: String, maxSplits: Int = .max) -> [Substring]? {
        guard let line = types.line(named: name) else { return nil }
        return types.string(line.rest).split(separator: " ", maxSplits: maxSplits)
    }

    // MARK: - Node lines

    /// Bytes of a node line.
    typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

    /// One node line: space-separated `key=value` fields (see the generator for the format).
    /// Read as bytes: splitting by `Character` cost most of a run over many templates.
    static func decode(_ line: Bytes) -> Property {
        var property = Property()
        for field in split(line, UInt8(ascii: " ")) {
            guard let key = field.first else { continue }
            let value = field.dropFirst(2)
            switch key {
            case UInt8(ascii: "t"):
                for letter in value {
                    switch letter {
                    case UInt8(ascii: "s"): property.types.insert(.string)
                    case UInt8(ascii: "i"): property.types.insert(.integer)
                    case UInt8(ascii: "n"): property.types.insert(.number)
                    case UInt8(ascii: "b"): property.types.insert(.boolean)
                    case UInt8(ascii: "o"): property.types.insert(.object)
                    case UInt8(ascii: "a"): property.types.insert(.array)
                    case UInt8(ascii: "z"): property.types.insert(.null)
                    default: break
                    }
                }
            case UInt8(ascii: "p"):
                property.properties = split(value, UInt8(ascii: ",")).map { entry in
                    let parts = split(entry, UInt8(ascii: ":"))
                    let node = parts.count > 1 ? integer(parts[1]) : nil
                    return (string(parts[0]), node.flatMap { $0 >= 0 ? $0 : nil })
                }
            case UInt8(ascii: "x"): property.closed = true
            case UInt8(ascii: "u"): property.uniqueItems = true
            case UInt8(ascii: "v"): property.otherValues = integer(value)
            case UInt8(ascii: "r"): property.required = split(value, UInt8(ascii: ",")).map(string)
            case UInt8(ascii: "o"):
                property.alternatives = split(value, UInt8(ascii: ";")).map { split($0, UInt8(ascii: "+")).map(string) }
            case UInt8(ascii: "d"):
                property.dependentRequired = split(value, UInt8(ascii: ";")).map { entry in
                    let parts = split(entry, UInt8(ascii: ":"))
                    return (string(parts[0]), parts.count > 1 ? split(parts[1], UInt8(ascii: "+")).map(string) : [])
                }
            case UInt8(ascii: "k"):
                property.branches = split(value, UInt8(ascii: ",")).compactMap { entry in
                    let parts = split(entry, UInt8(ascii: ":"))
                    guard parts.count == 2, let kind = parts[0].first, let node = integer(parts[1]) else { return nil }
                    return (ValueKind(rawValue: kind), node)
                }
            case UInt8(ascii: "i"): property.items = integer(value)
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                property.allowedValues = split(value, UInt8(ascii: "|")).map(string)
                property.allowedValuesIgnoreCase = key == UInt8(ascii: "E")
            case UInt8(ascii: "s"): property.serviceValues = split(value, UInt8(ascii: "|")).map(string)
            case UInt8(ascii: "P"): property.pattern = string(value)
            case UInt8(ascii: "Q"):
                // hex:minimum:maximum:pattern; the pattern may hold no ':' unescaped (escaped by the generator).
                let parts = split(value, UInt8(ascii: ":"))
                guard parts.count == 4, parts[0].count == 24, let minimum = integer(parts[1]),
                      let high = UInt64(string(parts[0].prefix(8)), radix: 16),
                      let low = UInt64(string(parts[0].suffix(16)), radix: 16) else { break }
                property.repeatedClass = RepeatedClass(low: low, high: high, minimum: minimum,
                                                       maximum: integer(parts[2]), pattern: string(parts[3]))
            case UInt8(ascii: "m"): property.minimum = Double(string(value))
            case UInt8(ascii: "M"): property.maximum = Double(string(value))
            case UInt8(ascii: "l"): property.minLength = integer(value)
            case UInt8(ascii: "L"): property.maxLength = integer(value)
            case UInt8(ascii: "c"): property.minItems = integer(value)
            case UInt8(ascii: "C"): property.maxItems = integer(value)
            default: break
            }
        }
        return property
    }

    /// The pieces of `bytes` between `separator`s, empty pieces kept (an enum may hold "").
    private static func split(_ bytes: Bytes, _ separator: UInt8) -> [Bytes] {
        var pieces: [Bytes] = []
        var start = bytes.startIndex
        var index = start
        while index < bytes.endIndex {
            if bytes[index] == separator {
                pieces.append(bytes[start..<index])
                start = index + 1
            }
            index += 1
        }
        pieces.append(bytes[start..<bytes.endIndex])
        return pieces
    }

    /// A decimal integer, `-1` included.
    private static func integer(_ bytes: Bytes) -> Int? {
        var value = 0
        var negative = false
        var digits = 0
        for byte in bytes {
            if byte == UInt8(ascii: "-"), digits == 0, !negative {
                negative = true
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 18 {
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
            } else {
                return nil
            }
        }
        return digits == 0 ? nil : (negative ? -value : value)
    }

    /// The text of `bytes`, the generator's `%XX` escapes (UTF-8 bytes of the characters the
    /// format uses) undone.
    static func string(_ bytes: Bytes) -> String {
        guard bytes.contains(UInt8(ascii: "%")) else { return String(decoding: bytes, as: UTF8.self) }
        var decoded: [UInt8] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.endIndex,
               let high = hexDigit(bytes[index + 1]), let low = hexDigit(bytes[index + 2]) {
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(byte)
                index += 1
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension ResourceSchema.RepeatedClass {
    /// Reads a pattern of one character class of printable ASCII literals and ranges,
    /// repeated: `^[…]+$`, `[…]*`, `[…]{n}`, `[…]{m,}`, `[…]{m,n}` (anchors optional, since
    /// the whole value must match anyway); `nil` for anything else (negation, nested classes,
    /// escapes other than punctuation and `\d`), which is left to a regular-expression engine.
    public init?(parsing pattern: String) {
        var bytes = Array(pattern.utf8)[...]
        if bytes.first == UInt8(ascii: "^") { bytes = bytes.dropFirst() }
        if bytes.last == UInt8(ascii: "$"), bytes.dropLast().last != UInt8(ascii: "\\") { bytes = bytes.dropLast() }
        guard bytes.first == UInt8(ascii: "["), bytes.dropFirst().first != UInt8(ascii: "^") else { return nil }
        bytes = bytes.dropFirst()
        // The class's members, as byte values.
        var members: [UInt8] = []
        var closed = false
        while let byte = bytes.first {
            bytes = bytes.dropFirst()
            var member = byte
            if byte == UInt8(ascii: "]") {
                guard !members.isEmpty else { return nil }  // `[]…]` reads differently across dialects
                closed = true
                break
            }
            if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "&") || byte >= 0x7F || byte < 0x20 { return nil }
            if byte == UInt8(ascii: "\\") {
                guard let escaped = bytes.first else { return nil }
                bytes = bytes.dropFirst()
                if escaped == UInt8(ascii: "d") {
                    members += Array(UInt8(ascii: "0")...UInt8(ascii: "9"))
                    continue
                }
                // Only escaped punctuation stands for itself in every dialect.
                guard escaped >= 0x20, escaped < 0x7F, !(escaped >= UInt8(ascii: "0") && escaped <= UInt8(ascii: "9")),
                      !(escaped | 0x20 >= UInt8(ascii: "a") && escaped | 0x20 <= UInt8(ascii: "z")) else { return nil }
                member = escaped
            }
            // A range `a-z`: a '-' between two members, not first or last in the class.
            if bytes.first == UInt8(ascii: "-"), let after = bytes.dropFirst().first, after != UInt8(ascii: "]") {
                guard after != UInt8(ascii: "\\"), after != UInt8(ascii: "["), after >= member, after < 0x7F else { return nil }
                members += Array(member...after)
                bytes = bytes.dropFirst(2)
            } else {
                members.append(member)
            }
        }
        guard closed else { return nil }
        // The repetition.
        let rest = String(decoding: bytes, as: UTF8.self)
        switch rest {
        case "+": (self.minimum, self.maximum) = (1, nil)
        case "*": (self.minimum, self.maximum) = (0, nil)
        default:
            guard rest.hasPrefix("{"), rest.hasSuffix("}") else { return nil }
            let inner = rest.dropFirst().dropLast()
            let parts = inner.split(separator: ",", omittingEmptySubsequences: false)
            guard let first = parts.first.flatMap({ Int($0) }), parts.count <= 2 else { return nil }
            if parts.count == 1 {
                (self.minimum, self.maximum) = (first, first)
            } else if parts[1].isEmpty {
                (self.minimum, self.maximum) = (first, nil)
            } else {
                guard let second = Int(parts[1]), second >= first else { return nil }
                (self.minimum, self.maximum) = (first, second)
            }
        }
        var low: UInt64 = 0
        var high: UInt64 = 0
        for member in members {
            let bit = UInt64(member - 0x20)  // members are printable ASCII, 0x20–0x7E
            if bit < 64 { low |= 1 << bit } else { high |= 1 << (bit - 64) }
        }
        self.low = low
        self.high = high
        self.pattern = pattern
    }
}
