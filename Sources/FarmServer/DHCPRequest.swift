import NetbootWire

/// A DHCP packet as it arrived: the decoded packet, who sent it, and where
/// it came in (the DHCP port, the PXE port 4011 by unicast, or the farm's
/// multicast discovery group).
public struct DHCPRequest: Hashable, Sendable {
    public enum Arrival: String, Hashable, Sendable {
        case dhcpPort = "dhcp"
        case pxePort = "pxe"
        case multicast = "multicast"
    }

    public var packet: DHCPPacket
    public var peer: DHCPEndpoint
    public var arrival: Arrival

    public init(packet: DHCPPacket, peer: DHCPEndpoint, arrival: Arrival) {
        self.packet = packet
        self.peer = peer
        self.arrival = arrival
    }
}

/// An IPv4 address and UDP port: where a packet came from or goes to.
public struct DHCPEndpoint: Hashable, Sendable, CustomStringConvertible {
    public var address: IPv4Address
    public var port: Int

    public init(_ address: IPv4Address, _ port: Int) {
        self.address = address
        self.port = port
    }

    public var description: String { "\(address):\(port)" }
}
