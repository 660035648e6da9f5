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
        /// Bounds of a list's length.
        public var minItems: Int?
        /// Bounds of a list's length.
        public var maxItems: Int?

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
            var lines: [Range<Int>] = []
            ResourceSchema.data.withUTF8Buffer { buffer in
                guard let base = buffer.baseAddress else { return }
                var start = range.lowerBound
                while start < range.upperBound {
                    let end = memchr(base + start, Int32(UInt8(ascii: "\n")), range.upperBound - start)
                        .map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base } ?? range.upperBound
                    lines.append(start..<end)
                    start = end + 1
                }
            }
            self.lines = lines
        }

        /// The schema of the resource's `Properties`.
        public var root: Property { node(0) ?? Property() }

        /// Node `index`, decoded now; `nil` when there is no such node.
        public func node(_ index: Int) -> Property? {
            guard index >= 0, index < lines.count else { return nil }
            let text = ResourceSchema.data.withUTF8Buffer {
                String(decoding: UnsafeBufferPointer(rebasing: $0[lines[index]]), as: UTF8.self)
            }
            return ResourceSchema.decode(text)
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

    /// Each index line's start, the end of its name, and its end; found in one pass on first use.
    private static let lineIndex: [(start: Int, nameEnd: Int, end: Int)] = index.withUTF8Buffer { buffer in
        var lines: [(start: Int, nameEnd: Int, end: Int)] = []
        lines.reserveCapacity(2048)
        guard let base = buffer.baseAddress else { return lines }
        var start = 0
        while start < buffer.count {
            let newline = memchr(base + start, Int32(UInt8(ascii: "\n")), buffer.count - start)
                .map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base } ?? buffer.count
            let space = memchr(base + start, Int32(UInt8(ascii: " ")), newline - start)
                .map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base } ?? newline
            if newline > start { lines.append((start, space, newline)) }
            start = newline + 1
        }
        return lines
    }

    /// The byte range of `name`'s nodes in `data`, by binary search over the sorted index.
    private static func range(of name: String) -> Range<Int>? {
        var name = name
        let lines = lineIndex
        let line: (start: Int, nameEnd: Int, end: Int)? = name.withUTF8 { target in
            index.withUTF8Buffer { buffer in
                guard let base = buffer.baseAddress, let key = target.baseAddress else { return nil }
                var low = 0
                var high = lines.count
                while low < high {
                    let middle = (low + high) / 2
                    let line = lines[middle]
                    let length = line.nameEnd - line.start
                    // Byte order, as the generator sorts: common prefix, then the shorter first.
                    var order = Int(memcmp(base + line.start, key, min(length, target.count)))
                    if order == 0 { order = length - target.count }
                    if order == 0 { return line }
                    if order < 0 { low = middle + 1 } else { high = middle }
                }
                return nil
            }
        }
        guard let line else { return nil }
        let numbers = index.withUTF8Buffer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[(line.nameEnd + 1)..<line.end]), as: UTF8.self)
        }.split(separator: " ").compactMap { Int($0) }
        guard numbers.count == 2, numbers[0] <= numbers[1] else { return nil }
        return numbers[0]..<numbers[1]
    }

    // MARK: - Node lines

    /// One node line: space-separated `key=value` fields (see the generator for the format).
    static func decode(_ line: String) -> Property {
        var property = Property()
        for field in line.split(separator: " ") {
            guard let key = field.first else { continue }
            let value = field.dropFirst(2)
            switch key {
            case "t":
                for letter in value {
                    switch letter {
                    case "s": property.types.insert(.string)
                    case "i": property.types.insert(.integer)
                    case "n": property.types.insert(.number)
                    case "b": property.types.insert(.boolean)
                    case "o": property.types.insert(.object)
                    case "a": property.types.insert(.array)
                    case "z": property.types.insert(.null)
                    default: break
                    }
                }
            case "p":
                property.properties = value.split(separator: ",").map { entry in
                    let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
                    let node = parts.count > 1 ? Int(parts[1]) : nil
                    return (unescape(parts[0]), node.flatMap { $0 >= 0 ? $0 : nil })
                }
            case "x": property.closed = true
            case "v": property.otherValues = Int(value)
            case "r": property.required = value.split(separator: ",").map(unescape)
            case "o":
                property.alternatives = value.split(separator: ";").map { $0.split(separator: "+").map(unescape) }
            case "d":
                property.dependentRequired = value.split(separator: ";").map { entry in
                    let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
                    return (unescape(parts[0]), parts.count > 1 ? parts[1].split(separator: "+").map(unescape) : [])
                }
            case "i": property.items = Int(value)
            case "e", "E":
                property.allowedValues = value.split(separator: "|", omittingEmptySubsequences: false).map(unescape)
                property.allowedValuesIgnoreCase = key == "E"
            case "s": property.serviceValues = value.split(separator: "|", omittingEmptySubsequences: false).map(unescape)
            case "m": property.minimum = Double(value)
            case "M": property.maximum = Double(value)
            case "l": property.minLength = Int(value)
            case "L": property.maxLength = Int(value)
            case "c": property.minItems = Int(value)
            case "C": property.maxItems = Int(value)
            default: break
            }
        }
        return property
    }

    /// Undoes the generator's `%XX` escapes (UTF-8 bytes of the characters the format uses).
    static func unescape(_ text: Substring) -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let high = hexDigit(utf8[utf8.startIndex]), let low = hexDigit(utf8[utf8.startIndex + 1]) {
                bytes.append(high << 4 | low)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
