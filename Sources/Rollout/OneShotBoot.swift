/// Extra kernel arguments for a node's next boot only (`pxefarm boot n011
/// --once --args single`): they are served in the node's pxelinux
/// configuration until the node has fetched its kernel, then dropped.
public struct OneShotBoot: Codable, Hashable, Sendable {
    public var arguments: String
    /// When it was asked for (seconds since 1970, UTC).
    public var requested: Double

    public init(arguments: String, requested: Double) {
        self.arguments = arguments
        self.requested = requested
    }
}
