import NetbootWire
import Glibc

/// A UDP socket for a DHCP listener, made by hand because NIO has no option
/// for SO_BINDTODEVICE (which takes an interface name): bound to 0.0.0.0 so
/// that broadcasts arrive, allowed to broadcast, and tied to one interface
/// when `--interface` names one, so a multi-homed server answers only there.
enum DHCPSocket {
    static func open(port: Int, interface: String?) throws(FarmServerError) -> CInt {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw .cannotListen(.dhcp, host: nil, port: port, reason: "socket: \(String(cString: strerror(errno)))") }
        func fail(_ step: String) -> FarmServerError {
            let reason = "\(step): \(String(cString: strerror(errno)))"
            close(fd)
            return .cannotListen(.dhcp, host: nil, port: port, reason: reason)
        }
        var one: CInt = 1
        guard setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<CInt>.size)) == 0 else { throw fail("SO_REUSEADDR") }
        guard setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, socklen_t(MemoryLayout<CInt>.size)) == 0 else { throw fail("SO_BROADCAST") }
        if let interface {
            let name = Array(interface.utf8CString)
            let status = name.withUnsafeBytes { setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, $0.baseAddress, socklen_t($0.count)) }
            guard status == 0 else { throw fail("SO_BINDTODEVICE \(interface)") }
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: INADDR_ANY)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw fail("bind 0.0.0.0:\(port)") }
        return fd
    }
}

extension DHCPSocket {
    /// Sends one reply on the listener's own socket with sendto(2), so it
    /// leaves from the listener's port. Returns errno when the kernel refuses
    /// it (no route to a forged giaddr or ciaddr, a firewall, a full send
    /// buffer): that reply is lost, the socket stays open. Sent through the
    /// NIO channel instead, such an error would close the listener (NIO
    /// treats every datagram write error but EMSGSIZE and EHOSTUNREACH as
    /// fatal), and one packet would stop DHCP for the whole farm.
    static func send(_ bytes: [UInt8], to destination: DHCPEndpoint, on fd: CInt) -> CInt? {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: destination.port).bigEndian)
        address.sin_addr = in_addr(s_addr: destination.address.value.bigEndian)
        return bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    UDPSend.send(buffer, to: $0, length: MemoryLayout<sockaddr_in>.size, on: fd)
                }
            }
        }
    }
}
