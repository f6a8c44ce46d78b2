import Glibc
import NIOCore

/// A TFTP transfer's own UDP socket (its TID), made here so that its DATA
/// packets can leave by sendto(2) on it directly while NIO reads its ACKs.
/// Sent through the channel, each block would cost an envelope, a slot in
/// NIO's pending-write queue and several reference counts more than the
/// system call; and, as for DHCP (`DHCPSocket.send`), a refused send closes
/// a NIO datagram channel, where here it is one lost packet the client's
/// retransmission or the transfer's timeout takes care of.
enum TransferSocket {
    /// A datagram socket of `address`'s family bound to it (port 0: the
    /// kernel picks the transfer's port). The caller hands it to NIO with
    /// `DatagramBootstrap.withBoundSocket`, which owns and closes it.
    static func open(boundTo address: SocketAddress) throws(FarmServerError) -> CInt {
        let family = address.protocol == .inet6 ? AF_INET6 : AF_INET
        let fd = socket(family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw failure(address, "socket") }
        let bound = address.withSockAddr { bind(fd, $0, socklen_t($1)) }
        guard bound == 0 else {
            let error = failure(address, "bind")
            close(fd)
            throw error
        }
        return fd
    }

    /// Sends `bytes` to `destination` without waiting; errno when the kernel
    /// refuses it (a full send buffer, a firewall), nil when it left whole.
    static func send(_ bytes: ByteBuffer, to destination: SocketAddress, on fd: CInt) -> CInt? {
        bytes.withUnsafeReadableBytes { buffer in
            destination.withSockAddr { UDPSend.send(buffer, to: $0, length: $1, on: fd) }
        }
    }

    private static func failure(_ address: SocketAddress, _ call: String) -> FarmServerError {
        .cannotListen(.tftp, host: address.ipAddress, port: 0, reason: "\(call): \(String(cString: strerror(errno)))")
    }
}
