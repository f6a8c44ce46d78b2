import Glibc

/// What FarmServer reports to the program that runs it, one sentence each:
/// a listener that cannot start, a TFTP root that is not there, a served
/// file that cannot be read. What a client sends that is refused is not an
/// error of the server: it is a refusal (`TFTPPathRefusal`, `HTTPRefusal`,
/// `DHCPRefusal`), answered, logged and counted, and the listener goes on.
public enum FarmServerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The protocols a listener speaks, as its messages name them.
    public enum Listener: String, Sendable {
        case dhcp = "DHCP", tftp = "TFTP", mtftp = "MTFTP", http = "HTTP"
    }

    /// A listener's socket could not be made or bound (`host` nil: every address).
    case cannotListen(Listener, host: String?, port: Int, reason: String)
    /// `--interface` names an interface without an IPv4 address to join multicast discovery on.
    case noIPv4Address(interface: String)
    /// The folder serve was told to serve over TFTP does not exist.
    case tftpRootMissing(String)
    /// A file to serve could not be opened (errno from open or fstat).
    case fileUnopenable(path: String, errno: Int32)
    /// A file to serve is a folder, a device or anything but a regular file.
    case notRegularFile(String)
    /// A file to serve became shorter while it was read into the cache.
    case fileShrank(path: String, expected: Int, got: Int)

    public var description: String {
        switch self {
        case .cannotListen(let listener, let host, let port, let reason):
            "cannot listen for \(listener.rawValue) on \(host.map { "\($0) " } ?? "")port \(port): \(reason)"
        case .noIPv4Address(let interface): "interface \(interface) has no IPv4 address"
        case .tftpRootMissing(let root): "TFTP root \(root) does not exist"
        case .fileUnopenable(let path, let code): "cannot open \(path): \(String(cString: strerror(code)))"
        case .notRegularFile(let path): "\(path) is not a regular file"
        case .fileShrank(let path, let expected, let got): "\(path) shrank while being read (\(got) of \(expected) bytes)"
        }
    }
}
