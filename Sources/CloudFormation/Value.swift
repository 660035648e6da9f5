import YAML

/// A property value of a template: a literal, a list, a map, or an intrinsic function.
///
/// Intrinsics are cases, not strings with markers, so a builder cannot write a malformed
/// `Fn::Join` and the encoder can choose the short form (`!Ref X`) that people write.
public indirect enum Value: Sendable, Equatable {
    /// A string literal.
    case string(String)
    /// A number, kept as its text so `10` renders as `10` and `0.5` as `0.5`.
    case number(String)
    /// A boolean literal.
    case bool(Bool)
    /// A list.
    case list([Value])
    /// A map whose keys keep the order given.
    case map([Field])
    /// `!Ref name`: a parameter, a resource or a pseudo parameter.
    case ref(String)
    /// `!GetAtt resource.attribute`.
    case getAtt(String, String)
    /// `!Sub template`, optionally with a map of local variables.
    case sub(String, [Field])
    /// `!Join [delimiter, list]`; the list may itself be an intrinsic (a `CommaDelimitedList` `Ref`).
    case join(String, Value)
    /// `!Select [index, list]`.
    case select(Int, Value)
    /// `!Split [delimiter, string]`.
    case split(String, Value)
    /// `!If [condition, then, else]`.
    case `if`(String, Value, Value)
    /// `!Equals [a, b]`.
    case equals(Value, Value)
    /// `!Not [condition]`.
    case not(Value)
    /// `!And [conditions]` (2 to 10).
    case and([Value])
    /// `!Or [conditions]` (2 to 10).
    case or([Value])
    /// `!Condition name`, inside condition expressions.
    case condition(String)
    /// `!FindInMap [map, top key, second key]`.
    case findInMap(Value, Value, Value)
    /// `!ImportValue name`.
    case importValue(Value)
    /// `!Base64 value`.
    case base64(Value)
    /// `!GetAZs region` (`''` for the stack's region).
    case getAZs(Value)
    /// `!Cidr [ip block, count, cidr bits]`.
    case cidr(Value, Value, Value)

    /// One key/value entry of a `.map`.
    public struct Field: Sendable, Equatable {
        /// The key.
        public var key: String
        /// The value.
        public var value: Value

        /// Creates an entry.
        public init(_ key: String, _ value: Value) {
            self.key = key
            self.value = value
        }
    }

    /// `!Ref AWS::NoValue`: removes the property it is assigned to.
    public static let noValue = Value.ref("AWS::NoValue")

    /// A whole number.
    public static func int(_ value: Int) -> Value { .number(String(value)) }

    /// A map from key/value pairs, in the order written.
    public static func object(_ pairs: KeyValuePairs<String, Value>) -> Value {
        .map(pairs.map { Field($0.key, $0.value) })
    }
}

extension Value: ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral
{
    /// A string literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// A list literal.
    public init(arrayLiteral elements: Value...) { self = .list(elements) }
    /// A map literal; Swift hands the pairs over in source order, which the map keeps.
    public init(dictionaryLiteral elements: (String, Value)...) {
        self = .map(elements.map { Field($0.0, $0.1) })
    }
    /// A boolean literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// A whole-number literal.
    public init(integerLiteral value: Int) { self = .int(value) }
}

extension Value {
    /// The value fields of a map, or `nil` when this is not a map.
    public var fields: [Field]? {
        if case .map(let fields) = self { return fields }
        return nil
    }

    /// The first value under `key` when this is a map.
    public subscript(key: String) -> Value? {
        fields?.first { $0.key == key }?.value
    }
}

extension Value {
    /// The YAML node, in short form wherever YAML allows it.
    ///
    /// A short-form tag cannot stand directly on another short-form tag's scalar
    /// (`!Base64 !Sub …` is not YAML), so a one-argument function whose argument is itself
    /// a tagged scalar falls back to the long form `Fn::Base64: !Sub …`.
    public func node() throws(ModelError) -> Node {
        switch self {
        case .string(let text):
            return .string(text)
        case .number(let text):
            return .plain(text)
        case .bool(let flag):
            return .plain(flag ? "true" : "false")
        case .list(let items):
            return .sequence(try items.nodes())
        case .map(let fields):
            return try fields.node()
        case .ref(let name):
            return .string(name, tag: "!Ref")
        case .getAtt(let resource, let attribute):
            guard !resource.isEmpty, !attribute.isEmpty else {
                throw .invalidIntrinsic("GetAtt needs a resource and an attribute, got '\(resource).\(attribute)'")
            }
            return .string("\(resource).\(attribute)", tag: "!GetAtt")
        case .sub(let template, let variables):
            if variables.isEmpty { return .string(template, tag: "!Sub") }
            return Value.call("!Sub", [.string(template)], last: try variables.node())
        case .join(let delimiter, let list):
            return Value.call("!Join", [.string(delimiter)], last: try list.node())
        case .select(let index, let list):
            return Value.call("!Select", [.plain(String(index))], last: try list.node())
        case .split(let delimiter, let source):
            return Value.call("!Split", [.string(delimiter)], last: try source.node())
        case .if(let condition, let then, let otherwise):
            return Value.call("!If", [.string(condition), try then.node()], last: try otherwise.node())
        case .equals(let lhs, let rhs):
            return Value.call("!Equals", [try lhs.node()], last: try rhs.node())
        case .not(let condition):
            return Value.call("!Not", [], last: try condition.node())
        case .and(let conditions):
            try Value.checkArity("And", conditions.count)
            return Value.call("!And", try conditions.nodes(), last: nil)
        case .or(let conditions):
            try Value.checkArity("Or", conditions.count)
            return Value.call("!Or", try conditions.nodes(), last: nil)
        case .condition(let name):
            return .string(name, tag: "!Condition")
        case .findInMap(let map, let top, let second):
            return Value.call("!FindInMap", [try map.node(), try top.node()], last: try second.node())
        case .importValue(let name):
            return try Value.unary("ImportValue", name)
        case .base64(let value):
            return try Value.unary("Base64", value)
        case .getAZs(let region):
            return try Value.unary("GetAZs", region)
        case .cidr(let block, let count, let bits):
            return Value.call("!Cidr", [try block.node(), try count.node()], last: try bits.node())
        }
    }

    /// A tagged sequence of arguments: flow style (`!Join ['', [a, b]]`) when every argument
    /// is a scalar or a flat flow list, the way people write them; block style otherwise.
    private static func call(_ tag: String, _ arguments: [Node], last: Node?) -> Node {
        var items = arguments
        if let last { items.append(last) }
        let flat = items.allSatisfy { item in
            switch item.kind {
            case .scalar: return true
            case .sequence(let inner, _): return inner.allSatisfy { $0.scalar != nil }
            case .mapping: return false
            }
        }
        if flat {
            items = items.map { item in
                guard case .sequence(let inner, _) = item.kind else { return item }
                return Node(.sequence(inner, .flow), tag: item.tag)
            }
        }
        return Node(.sequence(items, flat ? .flow : .block), tag: tag)
    }

    /// `!Name argument`, or `Fn::Name: argument` when the argument already carries a tag
    /// on a scalar (YAML allows one tag per node).
    private static func unary(_ name: String, _ argument: Value) throws(ModelError) -> Node {
        let node = try argument.node()
        if node.tag != nil, node.scalar != nil {
            return Node(.mapping([Node.Pair(.string("Fn::\(name)"), node)], .block))
        }
        var tagged = node
        tagged.tag = "!\(name)"
        if case .sequence(let items, _) = node.kind {
            tagged.kind = .sequence(items, .flow)
        }
        return tagged
    }

    private static func checkArity(_ name: String, _ count: Int) throws(ModelError) {
        guard (2...10).contains(count) else {
            throw .invalidIntrinsic("Fn::\(name) takes 2 to 10 conditions, got \(count)")
        }
    }
}

extension Array where Element == Value {
    func nodes() throws(ModelError) -> [Node] {
        var result: [Node] = []
        result.reserveCapacity(count)
        for value in self { result.append(try value.node()) }
        return result
    }
}

extension Array where Element == Value.Field {
    func node() throws(ModelError) -> Node {
        var pairs: [Node.Pair] = []
        pairs.reserveCapacity(count)
        for field in self { pairs.append(Node.Pair(.string(field.key), try field.value.node())) }
        return Node(.mapping(pairs, .block))
    }
}
