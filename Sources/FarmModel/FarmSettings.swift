import NetbootWire

/// The `farm:` section: the network every node shares and the servers on it.
public struct FarmSettings: Hashable, Sendable {
    public var name: String
    public var domain: String
    /// The NFS and TFTP server (dhcpd's `next-server`).
    public var server: IPv4Address
    /// The PXE boot server, when it is a different machine; otherwise `server`.
    public var bootServer: IPv4Address?
    public var subnet: IPv4Subnet
    public var routers: [IPv4Address]
    public var dnsServers: [IPv4Address]
    public var leaseTime: LeaseTimes
    /// Where the node roots are exported on the server: a node's root path is
    /// `<nfsRoot>/<node name>` (DHCP option 17, fstab, /etc/exports).
    public var nfsRoot: String
    /// Where the TFTP tree is served from on the server.
    public var tftpRoot: String
    /// The secrets file (outside version control): the root password hash
    /// and the callback key kickstart files are rendered with. Read only
    /// when a node boots a service with a kickstart template.
    public var secrets: String?
    /// The port `pxefarm serve` answers HTTP on: kickstart files
    /// (`/ks/<node>.cfg`) and install callbacks (`/done/<node>`). Kickstart
    /// files and kernel command lines name it.
    public var httpPort: Int
    /// iPXE clients (option 77 "iPXE" or 175) load their kernel and initrd
    /// over HTTP from `pxefarm serve` (a per-node iPXE script at
    /// `/boot/<mac>.ipxe`) instead of TFTP.
    public var httpBoot: Bool
    /// NFS version and mount options of the nodes' roots (`farm.nfs`).
    public var nfs: NFSSettings

    public init(
        name: String, domain: String, server: IPv4Address, bootServer: IPv4Address? = nil,
        subnet: IPv4Subnet, routers: [IPv4Address] = [], dnsServers: [IPv4Address] = [],
        leaseTime: LeaseTimes = LeaseTimes(), nfsRoot: String = FarmSettings.defaultNFSRoot,
        tftpRoot: String = FarmSettings.defaultTFTPRoot, secrets: String? = nil,
        httpPort: Int = CallbackToken.defaultPort, httpBoot: Bool = false, nfs: NFSSettings = NFSSettings()
    ) {
        self.nfs = nfs
        self.name = name
        self.domain = domain
        self.server = server
        self.bootServer = bootServer
        self.subnet = subnet
        self.routers = routers
        self.dnsServers = dnsServers
        self.leaseTime = leaseTime
        self.nfsRoot = nfsRoot
        self.tftpRoot = tftpRoot
        self.secrets = secrets
        self.httpPort = httpPort
        self.httpBoot = httpBoot
    }

    public static let defaultNFSRoot = "/nfsroot"
    public static let defaultTFTPRoot = "/tftpboot"

    /// The machine that answers PXE boot-server requests.
    public var effectiveBootServer: IPv4Address { bootServer ?? server }

    /// The NFS path of one node's root, e.g. `/nfsroot/n011`.
    public func rootPath(of node: String) -> String {
        (nfsRoot.hasSuffix("/") ? nfsRoot : nfsRoot + "/") + node
    }
}

/// DHCP lease times in seconds (dhcpd's default-lease-time and max-lease-time).
public struct LeaseTimes: Hashable, Sendable {
    public var defaultSeconds: Int
    public var maxSeconds: Int

    public init(defaultSeconds: Int = 600, maxSeconds: Int = 7200) {
        self.defaultSeconds = defaultSeconds
        self.maxSeconds = maxSeconds
    }
}
