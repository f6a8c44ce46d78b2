import NetbootWire

/// What the policy decided about one packet: a reply and where it goes, or
/// nothing and why (a `DHCPRefusal` to count it under, and the free-text
/// reason). Either way `reason` is the log line's reason and `node` the farm
/// node concerned, for the log and the boot-stage record.
public enum DHCPDecision: Hashable, Sendable {
    case reply(DHCPReply)
    case ignore(DHCPRefusal, reason: String, node: String?)
    /// A packet that needs no answer but is worth recording (RELEASE, DECLINE).
    case note(reason: String, node: String)

    public var node: String? {
        switch self {
        case .reply(let reply): reply.node
        case .ignore(_, _, let node): node
        case .note(_, let node): node
        }
    }

    /// The refusal's category; nil for a reply or a note.
    public var refusal: DHCPRefusal? {
        if case .ignore(let refusal, _, _) = self { return refusal }
        return nil
    }

    public var reason: String {
        switch self {
        case .reply(let reply): reply.reason
        case .ignore(_, let reason, _), .note(let reason, _): reason
        }
    }
}

/// One reply: the packet, its destination (RFC 2131 §4.1, or the PXE port
/// rules), and the largest size the client accepts (option 57, else 576).
public struct DHCPReply: Hashable, Sendable {
    public var packet: DHCPPacket
    public var destination: DHCPEndpoint
    public var maximumSize: Int
    public var node: String?
    public var reason: String

    public init(packet: DHCPPacket, destination: DHCPEndpoint, maximumSize: Int = 576, node: String?, reason: String) {
        self.packet = packet
        self.destination = destination
        self.maximumSize = maximumSize
        self.node = node
        self.reason = reason
    }

    /// The reply's message type, for the log line.
    public var messageType: DHCPMessageType? { try? packet.options.messageType }

    /// The bytes to send: padded to 300 bytes (the BOOTP minimum old ROMs
    /// insist on), within the client's maximum size.
    public func encoded() throws(NetbootWireError) -> [UInt8] {
        try packet.encoded(minimumSize: 300, maximumSize: maximumSize)
    }
}
