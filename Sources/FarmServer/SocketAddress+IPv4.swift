import NetbootWire
import NIOCore
import Glibc

/// IPv4 socket addresses to and from `DHCPEndpoint`, straight from the
/// sockaddr: the DHCP handler does this twice per packet, and going through
/// text (inet_ntop, then parsing) cost more than the policy itself.
extension SocketAddress {
    var dhcpEndpoint: DHCPEndpoint? {
        guard case .v4(let v4) = self else { return nil }
        let address = v4.address
        return DHCPEndpoint(NetbootWire.IPv4Address(UInt32(bigEndian: address.sin_addr.s_addr)), Int(UInt16(bigEndian: address.sin_port)))
    }

    init(_ endpoint: DHCPEndpoint) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: endpoint.port).bigEndian)
        address.sin_addr = in_addr(s_addr: endpoint.address.value.bigEndian)
        self.init(address, host: "")
    }
}
