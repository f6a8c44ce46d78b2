import NetbootWire

/// What a request says about its client, read once from its options:
/// whether it is a PXE ROM, iPXE, its architecture (option 93), and what it wants echoed.
/// Malformed options it relies on make `init` throw, naming the option.
struct DHCPClient: Sendable {
    let mac: MACAddress
    let messageType: DHCPMessageType
    let isPXE, isIPXE: Bool
    /// Option 60 "HTTPClient...": UEFI HTTP Boot, which wants a URL in `file`.
    let isHTTPClient: Bool
    /// Option 93 as the table reads it; nil for an architecture pxefarm does not serve.
    let architecture: ClientArchitecture?
    /// The codes of option 93 as sent (`[0]` when absent), for log lines.
    let architectureCodes: [UInt16]
    let maximumSize: Int
    /// Option 97, echoed as received (PXE clients drop replies without it).
    let machineIdentifier: [UInt8]?
    /// Option 82, echoed last (RFC 3046 §2.2).
    let relayAgentInformation: [UInt8]?
    let requestedAddress, serverIdentifier: IPv4Address?

    init(_ packet: DHCPPacket) throws(DHCPClientRefusal) {
        guard packet.kind == .request else { throw .notARequest(op: packet.op) }
        guard let mac = packet.clientMAC else { throw .notEthernet(htype: packet.htype, hlen: packet.hlen) }
        do {
            guard let type = try packet.options.messageType else { throw DHCPClientRefusal.noMessageType }
            messageType = type
            let architectures = try packet.options.clientSystemArchitectures ?? [0]
            architectureCodes = architectures
            architecture = ClientArchitecture.of(architectures)
            maximumSize = Int(try packet.options.maxMessageSize ?? 576)
            if packet.options.contains(DHCPOptionCode.clientMachineIdentifier) {
                _ = try packet.options.clientMachineIdentifier
            }
            _ = try packet.options.relayAgentInformation
            requestedAddress = try packet.options.requestedAddress
            serverIdentifier = try packet.options.serverIdentifier
        } catch let error as NetbootWireError {
            throw .badOption(error)
        } catch let error as DHCPClientRefusal {
            throw error
        } catch {
            throw .noMessageType
        }
        self.mac = mac
        isPXE = packet.options.isPXEClient
        isIPXE = packet.options.isIPXE
        isHTTPClient = packet.options.isHTTPClient
        machineIdentifier = packet.options.data(DHCPOptionCode.clientMachineIdentifier)
        relayAgentInformation = packet.options.data(DHCPOptionCode.relayAgentInformation)
    }

    /// A BIOS PXE ROM: the only kind that reads boot menus.
    var isBIOS: Bool { architecture?.firmware == .bios }
}

/// Why a packet is not a DHCP request the policy can read.
enum DHCPClientRefusal: Error, Equatable, CustomStringConvertible {
    case notARequest(op: UInt8)
    case notEthernet(htype: UInt8, hlen: UInt8)
    case noMessageType
    case badOption(NetbootWireError)

    var description: String {
        switch self {
        case .notARequest(let op): "op \(op) is not BOOTREQUEST"
        case .notEthernet(let htype, let hlen): "htype \(htype) hlen \(hlen) is not Ethernet"
        case .noMessageType: "no option 53 (a BOOTP client; pxefarm answers DHCP only)"
        case .badOption(let error): "malformed option: \(error)"
        }
    }

    /// The category the listener counts the packet under.
    var refusal: DHCPRefusal {
        switch self {
        case .notARequest: .notBootRequest
        case .notEthernet: .notEthernet
        case .noMessageType: .noMessageType
        case .badOption: .malformedOption
        }
    }
}
