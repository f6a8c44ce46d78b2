import FarmModel
import NetbootWire
@testable import FarmServer

/// A farm shaped like the reference deployment (dc2.kek.jp), and PXE client
/// packets as the ROMs send them, for the DHCP policy and handler tests.
enum DHCPTestFarm {
    static let server = IPv4Address(192, 168, 197, 11)
    static let guid: [UInt8] = [0] + (1...16).map { UInt8($0) }

    static func farm(discovery: Discovery = Discovery(multicast: Discovery.defaultMulticast, prompt: Prompt(timeout: 10, text: "Press F8 to view menu ..."))) -> Farm {
        let settings = FarmSettings(
            name: "dc2", domain: "dc2.kek.jp", server: server, subnet: IPv4Subnet("192.168.197.0/24")!,
            routers: [IPv4Address(192, 168, 197, 1)], dnsServers: [IPv4Address(192, 168, 197, 2)],
            leaseTime: LeaseTimes(defaultSeconds: 600, maxSeconds: 7200), nfsRoot: "/nfsroot")
        let images = [
            Image(name: "base", root: "images/base", kernel: "vmlinuz"),
            Image(name: "chain", root: "images/base", kernel: "vmlinuz", networkBootProgram: .ipxe),
        ]
        let services = [
            Service(type: 13, name: "linux-install", menu: "Remote Install Linux", image: "base", root: .ram),
            Service(type: 0, name: "local", menu: "Local Boot", root: .local),
            Service(type: 14, name: "linux-boot", menu: "Remote Boot Linux", image: "base", root: .nfs),
            Service(type: 15, name: "ipxe-boot", menu: "iPXE Boot", image: "chain", root: .nfs),
        ]
        let nodes = [
            node("n011", mac: "00:D0:B7:1B:12:ED", ip: 31, service: "linux-boot"),
            node("n012", mac: "00:D0:B7:1B:12:EE", ip: 32, service: "linux-install"),
            node("n013", mac: "00:D0:B7:1B:12:EF", ip: 33, service: "local"),
            node("n014", mac: "00:D0:B7:1B:12:F0", ip: 34, service: "ipxe-boot"),
        ]
        return Farm(settings: settings, images: images, services: services, discovery: discovery, nodes: nodes)
    }

    static func node(_ name: String, mac: String, ip: UInt8, service: String) -> Node {
        Node(name: name, mac: MACAddress(mac)!, ip: IPv4Address(192, 168, 197, ip), service: service,
             origin: .single(FieldPath(stringLiteral: "nodes")))
    }

    /// `efi`: services with an x86-64 UEFI boot program; `files`: any other boot files present.
    static func context(_ farm: Farm = farm(), efi: Set<String> = [], files: Set<String> = []) -> DHCPContext {
        DHCPContext(farm: farm, serverAddress: server, ports: DHCPPorts(), bootFiles: BootFileCatalog(files: files.union(efi.map { "EFI/X64/\($0)/linux.0" })))
    }

    static let n011 = MACAddress("00:D0:B7:1B:12:ED")!
    static let n012 = MACAddress("00:D0:B7:1B:12:EE")!
    static let n013 = MACAddress("00:D0:B7:1B:12:EF")!
    static let n014 = MACAddress("00:D0:B7:1B:12:F0")!
    static let stranger = MACAddress("52:54:00:99:99:99")!

    enum Firmware { case bios, efi, arm, none }

    /// A client request; PXE ones carry 60, 93, 94 and 97 as Intel's ROM does.
    static func packet(_ type: DHCPMessageType, mac: MACAddress, pxe: Bool = true, firmware: Firmware = .bios, ipxe: Bool = false,
                       ciaddr: IPv4Address = .any, giaddr: IPv4Address = .any, flags: UInt16 = DHCPPacket.broadcastFlag,
                       extra: [DHCPOption] = [], replacingArchitecture: Bool = false) -> DHCPPacket {
        var options = DHCPOptions([DHCPOption(code: DHCPOptionCode.messageType, data: [type.rawValue])])
        options.append(DHCPOption(code: DHCPOptionCode.parameterRequestList, data: [1, 3, 6, 12, 15, 17, 28, 43, 60, 66, 67]))
        if pxe {
            let arch: [UInt8] = switch firmware { case .bios: [0, 0]; case .efi: [0, 7]; case .arm: [0, 11]; case .none: [] }
            let archText = firmware == .efi ? "00007" : firmware == .arm ? "00011" : "00000"
            options.append(DHCPOption(code: DHCPOptionCode.vendorClassIdentifier, data: Array("PXEClient:Arch:\(archText):UNDI:002001".utf8)))
            if !arch.isEmpty, !replacingArchitecture { options.append(DHCPOption(code: DHCPOptionCode.clientSystemArchitecture, data: arch)) }
            options.append(DHCPOption(code: DHCPOptionCode.clientNetworkInterface, data: [1, 2, 1]))
            options.append(DHCPOption(code: DHCPOptionCode.clientMachineIdentifier, data: guid))
        }
        if ipxe { options.append(DHCPOption(code: DHCPOptionCode.userClass, data: Array("iPXE".utf8))) }
        for option in extra { options.append(option) }
        return DHCPPacket(op: .request, xid: 0x1234_5678, chaddr: mac.bytes, secs: 4, flags: flags, ciaddr: ciaddr, giaddr: giaddr, options: options)
    }

    static func request(_ packet: DHCPPacket, from peer: DHCPEndpoint = DHCPEndpoint(.any, 68), arrival: DHCPRequest.Arrival = .dhcpPort) -> DHCPRequest {
        DHCPRequest(packet: packet, peer: peer, arrival: arrival)
    }

    static func bootItem(type: UInt16, layer: UInt16) -> DHCPOption {
        DHCPOption(code: DHCPOptionCode.vendorSpecific, data: [71, 4, UInt8(type >> 8), UInt8(type & 0xFF), UInt8(layer >> 8), UInt8(layer & 0xFF), 255])
    }

    static func option(_ code: UInt8, _ data: [UInt8]) -> DHCPOption { DHCPOption(code: code, data: data) }
}

extension DHCPDecision {
    var replyValue: DHCPReply? {
        if case .reply(let reply) = self { return reply }
        return nil
    }

    var isIgnore: Bool {
        if case .ignore = self { return true }
        return false
    }
}
