import NIOCore

extension SocketAddress {
    /// `192.168.197.31:2070` for log lines (NIO's description repeats the host).
    var logText: String {
        guard let ip = ipAddress, let port else { return description }
        return self.protocol == .inet6 ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }
}
