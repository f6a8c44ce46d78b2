import Glibc
import FarmModel
import NetbootWire

/// Everything the DHCP policy knows besides the packet: the farm, the address
/// this server answers as, the ports, and which optional boot programs exist
/// in the TFTP tree. A value, rebuilt on SIGHUP and swapped in whole.
public struct DHCPContext: Sendable {
    public let farm: Farm
    /// Option 54 and `siaddr`: the farm's server unless `--address` says otherwise.
    public let serverAddress: IPv4Address
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
    /// for the farm order), encoded once per farm instead of once per packet.
    private let vendorOptions: [UInt16?: Result<[UInt8], PXEOptionsEncodeError>]

    public init(farm: Farm, serverAddress: IPv4Address? = nil, ports: DHCPPorts = DHCPPorts(), bootFiles: BootFileCatalog = BootFileCatalog(),
                httpPort: Int? = nil) {
        self.farm = farm
        self.serverAddress = serverAddress ?? farm.settings.server
        self.ports = ports
        self.bootFiles = bootFiles
        self.httpPort = httpPort
        if let httpPort, httpPort > 0 {
            httpOrigin = "http://\(self.serverAddress)" + (httpPort == 80 ? "" : ":\(httpPort)")
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
        var encoded: [UInt16?: Result<[UInt8], PXEOptionsEncodeError>] = [:]
        for first in [nil] + farm.services {
            encoded[first?.type] = Result { () throws(PXEOptionsEncodeError) in try PXEBootFile.vendorOptions(farm: farm, first: first).encode() }
        }
        vendorOptions = encoded
    }

    /// Option 43 with `first` listed first in the menu (see `PXEBootFile.vendorOptions`).
    func vendorOptionBytes(first: Service?) throws(PXEOptionsEncodeError) -> [UInt8] {
        guard let cached = vendorOptions[first?.type] else { return try PXEBootFile.vendorOptions(farm: farm, first: first).encode() }
        return try cached.get()
    }

    /// The static reservation of a MAC address, if the farm has one.
    public func node(mac: MACAddress) -> Node? { nodesByMAC[mac] }

    /// The node reserved an address (to tell whose TFTP fetch a transfer was).
    public func node(address: IPv4Address) -> Node? { nodesByAddress[address] }
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
