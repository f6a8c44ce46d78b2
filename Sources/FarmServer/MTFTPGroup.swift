import NetbootWire

/// Where one file's MTFTP transfer is multicast: the group address and the
/// UDP port the clients listen on (what option 43 tags 1 and 2 tell them).
public struct MTFTPGroup: Hashable, Sendable {
    public var address: IPv4Address
    public var clientPort: Int

    public init?(address: IPv4Address, clientPort: Int) {
        guard address.isMulticast, (1...65535).contains(clientPort) else { return nil }
        self.address = address
        self.clientPort = clientPort
    }
}
