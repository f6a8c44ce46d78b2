import NetbootWire

/// What a server of the farm does: answer DHCP, serve boot files over TFTP
/// or HTTP, export NFS roots.
public enum ServerRole: String, Hashable, Sendable, CaseIterable, Comparable {
    case dhcp, tftp, http, nfs

    public static func < (lhs: ServerRole, rhs: ServerRole) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One boot or NFS server of a farm with more than one (`servers:`).
public struct Server: Hashable, Sendable {
    public var name: String
    public var address: IPv4Address
    public var roles: Set<ServerRole>
    /// The `servers[i]` entry it was read from, for diagnostics.
    public var origin: FieldPath

    public init(name: String, address: IPv4Address, roles: Set<ServerRole>, origin: FieldPath = FieldPath()) {
        self.name = name
        self.address = address
        self.roles = roles
        self.origin = origin
    }

    public func has(_ role: ServerRole) -> Bool { roles.contains(role) }

    /// The name a farm without `servers:` gives its one server, `farm.server`.
    public static let soleName = "server"
}
