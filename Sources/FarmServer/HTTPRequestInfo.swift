import NetbootWire

/// One accepted HTTP request as the responder sees it: the route, already
/// parsed and checked (`HTTPRoute`), how it was asked and by whom. Requests
/// refused while parsing never reach the responder.
public struct HTTPRequestInfo: Equatable, Sendable {
    public var route: HTTPRoute
    /// "GET", "HEAD" or "POST" (those the route allows). To a HEAD the
    /// listener sends the answer's head only.
    public var method: String
    public var peer: IPv4Address
    public var peerPort: Int
    /// `http://ADDRESS:PORT` of this listener as the client reached it: where
    /// an iPXE script sends the client for its boot files.
    public var base: String

    public init(route: HTTPRoute, method: String, peer: IPv4Address, peerPort: Int, base: String = "http://127.0.0.1") {
        self.route = route
        self.method = method
        self.peer = peer
        self.peerPort = peerPort
        self.base = base
    }
}
