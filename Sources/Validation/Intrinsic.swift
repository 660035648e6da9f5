import YAML

/// An intrinsic function call as written, in short (`!Ref X`) or long (`{Ref: X}`) form.
public struct Intrinsic: Sendable {
    /// The long name: `Ref`, `Condition`, or `Fn::Name`.
    public let name: String
    /// The argument node (for short forms, the tagged node without its tag).
    public let argument: Node
    /// Where the call is written.
    public let node: Node

    /// Every function CloudFormation defines, by long name; SAM and macros add none here.
    public static let knownNames: Set<String> = [
        "Ref", "Condition", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::If", "Fn::Equals",
        "Fn::Not", "Fn::And", "Fn::Or", "Fn::FindInMap", "Fn::ImportValue", "Fn::Base64", "Fn::GetAZs", "Fn::Cidr",
        "Fn::Transform", "Fn::Length", "Fn::ToJsonString", "Fn::ForEach", "Fn::GetParam",
        // Rule-specific functions, valid in the Rules section.
        "Fn::Contains", "Fn::EachMemberEquals", "Fn::EachMemberIn", "Fn::RefAll", "Fn::ValueOf", "Fn::ValueOfAll",
    ]

    /// The short-form tags CloudFormation's YAML reader accepts.
    public static let knownTags: Set<String> = [
        "!Ref", "!Condition", "!GetAtt", "!Sub", "!Join", "!Select", "!Split", "!If", "!Equals", "!Not", "!And", "!Or",
        "!FindInMap", "!ImportValue", "!Base64", "!GetAZs", "!Cidr", "!Transform", "!Length", "!ToJsonString",
        "!Contains", "!EachMemberEquals", "!EachMemberIn", "!RefAll", "!ValueOf", "!ValueOfAll",
    ]

    /// Recognises `node` as a call: a known short tag, or a one-key mapping whose key is
    /// `Ref` or `Fn::…` (a lone `Condition` key counts only with a string argument, since
    /// IAM policies use `Condition` as an ordinary key).
    public init?(_ node: Node) {
        if let tag = node.tag, Intrinsic.knownTags.contains(tag) {
            let short = String(tag.dropFirst())
            name = short == "Ref" || short == "Condition" ? short : "Fn::" + short
            var argument = node
            argument.tag = nil
            self.argument = argument
            self.node = node
            return
        }
        guard let pairs = node.pairs, pairs.count == 1, let key = pairs[0].key.scalar else { return nil }
        if key == "Ref" || key.hasPrefix("Fn::") || (key == "Condition" && pairs[0].value.scalar != nil) {
            name = key
            argument = pairs[0].value
            self.node = node
            return
        }
        return nil
    }

    /// `Fn::GetAtt`'s resource and attribute, from `A.B.C` or `[A, B.C]`; the attribute is
    /// `nil` when it is itself an intrinsic (`[A, !Ref Name]`).
    public var getAttTarget: (resource: String, attribute: String?)? {
        guard name == "Fn::GetAtt" else { return nil }
        if let text = argument.scalar {
            guard let dot = text.firstIndex(of: ".") else { return nil }
            return (String(text[..<dot]), String(text[text.index(after: dot)...]))
        }
        // A tagged item is an intrinsic (`[Queue, !Ref Name]`), not a literal name.
        guard let items = argument.items, items.count == 2, items[0].tag == nil, Intrinsic(items[0]) == nil,
              let resource = items[0].scalar else { return nil }
        let attribute = items[1].tag == nil && Intrinsic(items[1]) == nil ? items[1].scalar : nil
        return (resource, attribute)
    }
}

/// One `${…}` of an `Fn::Sub` string.
public struct SubVariable: Sendable, Equatable {
    /// The text between `${` and `}`, without surrounding spaces.
    public let name: String
    /// Byte offset of the `$` in the string, to point at it.
    public let offset: Int

    /// Creates a variable.
    public init(name: String, offset: Int) {
        self.name = name
        self.offset = offset
    }

    /// The variables of a Sub string; `${!Literal}` is text, not a variable.
    public static func parse(_ text: String) -> [SubVariable] {
        SubPart.scan(text).compactMap { part in
            if case .variable(let variable) = part { return variable }
            return nil
        }
    }
}

/// A piece of an `Fn::Sub` string as CloudFormation reads it: the one scanner of Sub
/// strings, which every rule and resolver uses.
public enum SubPart: Sendable, Equatable {
    /// Literal text, with each `${!Name}` already turned into the text `${Name}`.
    case text(String)
    /// A `${Name}`, `${Resource.Attribute}` or `${AWS::Pseudo}` to substitute.
    case variable(SubVariable)

    /// The pieces of `text`, in order, adjacent text merged and empty text dropped.
    ///
    /// As CloudFormation documents: `${X}` is a variable, `${!X}` is the literal `${X}`, and
    /// a `${` with no closing `}` is text, as is a `$` not followed by `{`.
    public static func scan(_ text: String) -> [SubPart] {
        // Scanned as UTF-8 bytes: `$`, `{`, `}` and `!` are ASCII, so they never occur inside
        // a multi-byte character, and no grapheme breaking is needed.
        var parts: [SubPart] = []
        let bytes = Array(text.utf8)
        var literal: [UInt8] = []
        var index = 0
        func flush() {
            if !literal.isEmpty { parts.append(.text(String(decoding: literal, as: UTF8.self))) }
            literal = []
        }
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "$"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "{") else {
                literal.append(bytes[index])
                index += 1
                continue
            }
            var end = index + 2
            while end < bytes.count, bytes[end] != UInt8(ascii: "}") { end += 1 }
            guard end < bytes.count else { break }  // an unclosed `${` is text, and so is all that follows
            let inner = bytes[(index + 2)..<end]
            if inner.first == UInt8(ascii: "!") {
                literal += Array("${".utf8) + inner.dropFirst() + [UInt8(ascii: "}")]
            } else {
                flush()
                let name = String(decoding: inner, as: UTF8.self).trimmingSpaces()
                parts.append(.variable(SubVariable(name: name, offset: index)))
            }
            index = end + 1
        }
        literal += bytes[index...]
        flush()
        return parts
    }
}

extension String {
    /// Without leading and trailing spaces (not tabs or newlines): how CloudFormation trims
    /// the members of a comma-delimited list.
    package func trimmingSpaces() -> String {
        var slice = Substring(self)
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return String(slice)
    }
}

/// A node reached while walking a tree, with its slash path.
public struct Visit {
    /// The node.
    public let node: Node
    /// Path from the template root, e.g. `Resources/Api/Properties/Name`.
    public let path: String
}

extension Node {
    /// Visits this node and every node below it, depth first, in source order; keys are not
    /// visited, values are. Depth is bounded by the parser's `maxDepth`, so recursion is safe.
    public func walk(path: String, _ visit: (Visit) -> Void) {
        visit(Visit(node: self, path: path))
        switch kind {
        case .scalar:
            return
        case .sequence(let items, _):
            for (index, item) in items.enumerated() { item.walk(path: "\(path)/\(index)", visit) }
        case .mapping(let pairs, _):
            for pair in pairs { pair.value.walk(path: "\(path)/\(pair.key.scalar ?? "?")", visit) }
        }
    }
}

extension Intrinsic {
    /// Whether `node` is `!Ref AWS::NoValue`, which removes the property or list item holding it.
    public static func isNoValue(_ node: Node?) -> Bool {
        guard let node, let call = Intrinsic(node), call.name == "Ref" else { return false }
        return call.argument.scalar == "AWS::NoValue"
    }
}
