import NetbootWire

extension Farm {
    /// `http://ADDRESS:PORT` of a boot server's HTTP listener; `http://ADDRESS`
    /// on port 80 (GRUB 2.06 and some firmware parse no port).
    public static func httpOrigin(address: IPv4Address, port: Int) -> String {
        "http://\(address)" + (port == 80 ? "" : ":\(port)")
    }

    /// Where `node` loads files over HTTP in files written at build time
    /// (lpxelinux's pxelinux files): its first boot server with the http
    /// role, else the farm's server; nil node, the farm's server.
    public func httpOrigin(of node: Node?) -> String {
        let server = node.flatMap { bootServers(of: $0).first { $0.has(.http) } }
        return Self.httpOrigin(address: server?.address ?? settings.server, port: settings.httpPort)
    }
}
