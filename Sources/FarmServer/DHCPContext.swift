#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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
    /// The port serve answers HTTP on; nil when it does not (`--no-http`).
    public let httpPort: Int?
    /// `http://SERVER:PORT`, where iPXE clients load their boot files from,
    /// when the farm boots them over HTTP (`farm.http-boot`) and serve answers HTTP.
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
        if farm.settings.httpBoot, let httpPort, httpPort > 0 {
            httpBootBase = "http://\(self.serverAddress):\(httpPort)"
        } else {
            httpBootBase = nil
        }
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

/// Boot programs the build does not make but a site may add to the TFTP tree;
/// the daemon looks for them when it (re)loads, so the policy stays pure.
///
/// - EFI x86-64 clients (option 93 = 7 or 9) cannot run the BIOS program
///   `X86PC/UNDI/<service>/linux.0`; they get `EFI/X64/<service>/linux.0`
///   (an iPXE or syslinux EFI binary put there by the site) when it exists,
///   and are refused with a log line otherwise.
public struct BootFileCatalog: Hashable, Sendable {
    /// Names of the services that have `EFI/X64/<service>/linux.0`.
    public var efiServices: Set<String>

    public init(efiServices: Set<String> = []) {
        self.efiServices = efiServices
    }

    public static func efiBootFile(service: String) -> String { "EFI/X64/\(service)/linux.0" }
}

extension BootFileCatalog {
    /// Looks in the TFTP root for the optional boot programs of each service.
    public static func scan(tftpRoot: String, services: [String]) -> BootFileCatalog {
        let root = tftpRoot.hasSuffix("/") ? tftpRoot : tftpRoot + "/"
        return BootFileCatalog(efiServices: Set(services.filter { access(root + efiBootFile(service: $0), R_OK) == 0 }))
    }
}
