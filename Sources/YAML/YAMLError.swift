/// A failure of the YAML layer, located in the source where there is a source.
public struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, in categories a caller (or a rule id) can switch on.
    public enum Kind: Sendable, Equatable {
        /// libyaml's scanner or parser refused the text (syntax, indentation, encoding).
        case syntax
        /// A mapping holds the same key twice; `contextMark` is the first occurrence.
        case duplicateKey
        /// Nesting deeper than `ParserLimits.maxDepth`.
        case tooDeep
        /// Alias expansion beyond `ParserLimits.maxNodes`, or an alias to an unknown anchor.
        case aliasExpansion
        /// More bytes or documents than the limits allow.
        case tooLarge
        /// The emitter refused an event (libyaml's `emitter.problem`).
        case emitter
        /// libyaml could not allocate or initialise its state.
        case memory
    }

    /// The category.
    public var kind: Kind
    /// One sentence saying what is wrong, without a location.
    public var message: String
    /// Where the problem was found (libyaml's problem mark), 1-based.
    public var mark: Mark?
    /// What libyaml was reading when it failed, e.g. "while parsing a block mapping".
    public var context: String?
    /// Where that construct started (libyaml's context mark), 1-based.
    public var contextMark: Mark?
    /// For a duplicate key, the keys (and sequence indexes) from the document root down to
    /// the repeated key, e.g. `["Resources", "Topic"]`.
    public var path: [String]?

    /// Creates an error.
    public init(_ kind: Kind, _ message: String, mark: Mark? = nil, context: String? = nil, contextMark: Mark? = nil) {
        self.kind = kind
        self.message = message
        self.mark = mark
        self.context = context
        self.contextMark = contextMark
    }

    /// `line:column: message (context at line:column)`.
    public var description: String {
        var text = mark.map { "\($0): " } ?? ""
        text += message
        if let context, let contextMark {
            text += " (\(context) at \(contextMark))"
        } else if let context {
            text += " (\(context))"
        }
        return text
    }
}
