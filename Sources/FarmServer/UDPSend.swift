import Glibc

/// sendto(2) without waiting, on the sockets pxefarm makes itself (DHCP
/// listeners, TFTP transfers): nil when the datagram left whole, else errno
/// (EMSGSIZE for a partial send). The caller counts or logs it; the socket
/// stays open, where NIO would close a datagram channel on most send errors.
enum UDPSend {
    static func send(_ bytes: UnsafeRawBufferPointer, to address: UnsafePointer<sockaddr>, length: Int, on fd: CInt) -> CInt? {
        let sent = sendto(fd, bytes.baseAddress, bytes.count, CInt(MSG_DONTWAIT), address, socklen_t(length))
        return sent == bytes.count ? nil : (sent < 0 ? errno : EMSGSIZE)
    }
}
