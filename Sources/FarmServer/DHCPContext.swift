import Glibc
import FarmModel
import NetbootWire

/// Everything the DHCP policy knows besides the packet: the farm, the address
/// this server answers as, the ports, and which optional boot programs exist
/// in the TFTP tree. A value, rebuilt on SIGHUP and swapped in whole.
public struct DHCPContext: Sendable {
    public let farm: Farm
    /// Option 54 and `siaddr`: `--address`, else the address of the server
    /// `--server` names, else the farm's server.
    public let serverAddress: IPv4Address
    /// The server of the farm's `servers:` this instance answers as (`--server`).
    public let server: Server?
    public let ports: DHCPPorts
    public let bootFiles: BootFileCatalog
    /// The port serve answers HTTP on (UEFI HTTP Boot URLs, iPXE scripts); nil when it does not (`--no-http`).
    public let httpPort: Int?
    /// `http://SERVER:PORT` of serve's HTTP listener (`http://SERVER` on port
    /// 80: GRUB 2.06 and some firmware parse no port); nil when serve runs none.
    public let httpOrigin: String?
    /// Where iPXE clients load their boot files from: `httpOrigin` when the
    /// farm boots them over HTTP (`farm.http-boot`).
    public let httpBootBase: String?
    private let nodesByMAC: [MACAddress: Node]
    private let nodesByAddress: [IPv4Address: Node]
    /// Option 43 for each menu order (keyed by the service listed first; nil
    /// for the farm order) and boot-server order (an index into
    /// `bootOrders`), encoded once per farm instead of once per packet.
    private let vendorOptions: [VendorOptionsKey: Result<[UInt8], NetbootWireError>]
    /// With `servers:`, the distinct boot-server orders of the nodes (tag 8),
    /// and which one each node has; the same on every server of the farm.
    private let bootOrders: [[IPv4Address]]
    private let bootOrderOfNode: [String: Int]

    public init(farm: Farm, serverAddress: IPv4Address? = nil, serverName: String? = nil, ports: DHCPPorts = DHCPPorts(),
                bootFiles: BootFileCatalog = BootFileCatalog(), httpPort: Int? = nil) {
        self.farm = farm
        server = serverName.flatMap { farm.server(named: $0) }
        self.serverAddress = serverAddress ?? server?.address ?? farm.settings.server
        self.ports = ports
        self.bootFiles = bootFiles
        self.httpPort = httpPort
        if let httpPort, httpPort > 0 {
            httpOrigin = Farm.httpOrigin(address: self.serverAddress, port: httpPort)
        } else {
            httpOrigin = nil
        }
        httpBootBase = farm.settings.httpBoot ? httpOrigin : nil
        var byMAC: [MACAddress: Node] = [:]
        for node in farm.nodes where byMAC[node.mac] == nil { byMAC[node.mac] = node }
        nodesByMAC = byMAC
        var byAddress: [IPv4Address: Node] = [:]
        for node in farm.nodes where byAddress[node.ip] == nil { byAddress[node.ip] = node }
        nodesByAddress = byAddress
        var orders: [[IPv4Address]] = []
        var orderOfNode: [String: Int] = [:]
        if !farm.servers.isEmpty {
            var indexOfOrder: [[IPv4Address]: Int] = [:]
            for node in farm.nodes {
                let order = farm.bootServers(of: node).map(\.address)
                let index = indexOfOrder[order] ?? orders.count
                if index == orders.count {
                    orders.append(order)
                    indexOfOrder[order] = index
                }
                orderOfNode[node.name] = index
            }
        }
        bootOrders = orders
        bootOrderOfNode = orderOfNode
        var encoded: [VendorOptionsKey: Result<[UInt8], NetbootWireError>] = [:]
        for first in [nil] + farm.services {
            for order in [nil] + orders.indices.map(Optional.some) {
                let servers = order.map { orders[$0] }
                encoded[VendorOptionsKey(first: first?.type, order: order)] = Result { () throws(NetbootWireError) in
                    try PXEBootFile.vendorOptions(farm: farm, first: first, bootServers: servers).encode()
                }
            }
        }
        vendorOptions = encoded
    }

    /// Option 43 with `first` listed first in the menu (see `PXEBootFile.vendorOptions`)
    /// and, with `servers:`, `node`'s boot servers in its order.
    func vendorOptionBytes(first: Service?, node: Node? = nil) throws(NetbootWireError) -> [UInt8] {
        let order = node.flatMap { bootOrderOfNode[$0.name] }
        guard let cached = vendorOptions[VendorOptionsKey(first: first?.type, order: order)] else {
            return try PXEBootFile.vendorOptions(farm: farm, first: first, bootServers: order.map { bootOrders[$0] }).encode()
        }
        return try cached.get()
    }

    /// The static reservation of a MAC address, if the farm has one.
    public func node(mac: MACAddress) -> Node? { nodesByMAC[mac] }

    /// The node reserved an address (to tell whose TFTP fetch a transfer was).
    public func node(address: IPv4Address) -> Node? { nodesByAddress[address] }
}

/// Which cached option 43: the menu's first service and the boot-server order.
struct VendorOptionsKey: Hashable, Sendable {
    let first: UInt16?
    let order: Int?
}

/// The UDP ports: 67, 68 and 4011 in production. Tests move the server port
/// (`--dhcp-port N`) and the client port follows as N + 1.
public struct DHCPPorts: Hashable, Sendable {
    public var server: Int
    public var client: Int
    public var pxe: Int

    public init(server: Int = 67, client: Int? = nil, pxe: Int = 4011) {
        self.server = server
        self.client = client ?? (server == 67 ? 68 : server + 1)
        self.pxe = pxe
    }
}

/// Which UEFI boot programs the TFTP tree holds, looked up when the daemon
/// (re)loads so that the policy stays pure: `pxefarm build` lays out
/// `EFI/X64/<service>/` for x86-64 (unless an image says `efi: none`), and
/// a site may add `EFI/AA64/<service>/linux.0` and the like by hand. A UEFI
/// client whose architecture's program is missing is refused with a log
/// line naming the file.
public struct BootFileCatalog: Hashable, Sendable {
    /// Boot files present, relative to the TFTP root: `EFI/X64/linux-boot/linux.0`.
    public var files: Set<String>

    public init(files: Set<String> = []) {
        self.files = files
    }

    public func has(_ file: String) -> Bool { files.contains(file) }
}

extension BootFileCatalog {
    /// Looks in the TFTP root for the first layer of each service in every
    /// UEFI architecture's folder.
    public static func scan(tftpRoot: String, services: [Service]) -> BootFileCatalog {
        let root = tftpRoot.hasSuffix("/") ? tftpRoot : tftpRoot + "/"
        var files: Set<String> = []
        for folder in ClientArchitecture.uefiFolders {
            for service in services where !service.isLocalBoot {
                let file = "\(folder)/\(service.name)/linux.\(service.layers.lowerBound)"
                if access(root + file, R_OK) == 0 { files.insert(file) }
            }
        }
        return BootFileCatalog(files: files)
    }
}
