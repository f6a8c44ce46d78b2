import NetbootWire

/// One machine of the farm, after range expansion and defaults.
public struct Node: Hashable, Sendable {
    public var name: String
    public var mac: MACAddress
    public var ip: IPv4Address
    /// The name of the service it boots.
    public var service: String
    /// Kernel arguments added after the service's own.
    public var kernelArguments: String
    /// Files placed into this node's private tree.
    public var files: [ExtraFile]
    /// The NFS server its entry names (`nfs-server:`); nil lets rendezvous
    /// hashing choose (`Farm.homeNFSServer(of:)`).
    public var nfsServer: String?
    /// Where each field came from in the farm file, for diagnostics.
    public var origin: NodeOrigin

    public init(
        name: String, mac: MACAddress, ip: IPv4Address, service: String,
        kernelArguments: String = "", files: [ExtraFile] = [], nfsServer: String? = nil, origin: NodeOrigin
    ) {
        self.nfsServer = nfsServer
        self.name = name
        self.mac = mac
        self.ip = ip
        self.service = service
        self.kernelArguments = kernelArguments
        self.files = files
        self.origin = origin
    }
}

/// The farm-file fields a node's values came from. For a node of a range,
/// `name` and `ip` point at the range entry and `mac` at its row of the MAC list.
public struct NodeOrigin: Hashable, Sendable {
    public var entry: FieldPath
    public var name: FieldPath
    public var mac: FieldPath
    public var ip: FieldPath
    public var service: FieldPath
    public var nfsServer: FieldPath
    /// The range pattern it was expanded from, such as `n[040-167]`.
    public var range: String?

    public init(entry: FieldPath, name: FieldPath, mac: FieldPath, ip: FieldPath, service: FieldPath, range: String? = nil) {
        self.nfsServer = entry / "nfs-server"
        self.entry = entry
        self.name = name
        self.mac = mac
        self.ip = ip
        self.service = service
        self.range = range
    }

    /// The fields of a single `nodes[i]` entry.
    public static func single(_ entry: FieldPath) -> NodeOrigin {
        NodeOrigin(entry: entry, name: entry / "name", mac: entry / "mac", ip: entry / "ip", service: entry / "service")
    }
}
