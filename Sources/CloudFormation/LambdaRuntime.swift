/// A Lambda runtime and the dates of its end of life, as AWS publishes them.
public struct LambdaRuntime: Sendable, Equatable {
    /// The identifier a template names, e.g. `nodejs24.x`.
    public var identifier: String
    /// From this day (ISO `yyyy-mm-dd`) AWS no longer patches the runtime.
    public var deprecated: String
    /// From this day new functions cannot use it.
    public var createBlocked: String
    /// From this day existing functions cannot be updated on it.
    public var updateBlocked: String
    /// The runtime AWS recommends instead.
    public var successor: String?

    /// Creates a catalog entry.
    public init(identifier: String, deprecated: String, createBlocked: String, updateBlocked: String, successor: String?) {
        self.identifier = identifier
        self.deprecated = deprecated
        self.createBlocked = createBlocked
        self.updateBlocked = updateBlocked
        self.successor = successor
    }

    /// Whether the runtime is deprecated on `day` (ISO `yyyy-mm-dd`; ISO dates compare as strings).
    public func isDeprecated(on day: String) -> Bool {
        day >= deprecated
    }
}
