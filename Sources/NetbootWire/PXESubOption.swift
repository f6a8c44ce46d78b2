/// One sub-option of PXE option 43 (vendor-encapsulated options, PXE
/// specification 2.1 §2.4 table 2-1), its value already read.
public enum PXESubOption: Hashable, Sendable {
    /// Tag 1: the multicast address MTFTP downloads go to.
    case mtftpAddress(IPv4Address)
    /// Tag 2: the UDP port the client listens on for MTFTP.
    case mtftpClientPort(UInt16)
    /// Tag 3: the UDP port of the MTFTP server.
    case mtftpServerPort(UInt16)
    /// Tag 4: seconds before the client starts its own MTFTP transfer.
    case mtftpTimeout(UInt8)
    /// Tag 5: seconds the client waits before re-opening a transfer.
    case mtftpDelay(UInt8)
    /// Tag 6: how the client looks for a boot server.
    case discoveryControl(PXEDiscoveryControl)
    /// Tag 7: the multicast discovery address.
    case multicastDiscoveryAddress(IPv4Address)
    /// Tag 8: the boot servers of each server type.
    case bootServers([PXEBootServerList])
    /// Tag 9: the boot menu.
    case bootMenu([PXEMenuItem])
    /// Tag 10: the prompt before the menu.
    case prompt(PXEPrompt)
    /// Tag 71: the boot item a client asks a boot server for.
    case bootItem(PXEBootItem)
    /// Any other tag, kept as it came.
    case other(tag: UInt8, value: [UInt8])

    public static let padTag: UInt8 = 0
    public static let endTag: UInt8 = 255
    /// The tags this type reads into values of their own.
    public static let namedTags: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 71]

    public var tag: UInt8 {
        switch self {
        case .mtftpAddress: 1
        case .mtftpClientPort: 2
        case .mtftpServerPort: 3
        case .mtftpTimeout: 4
        case .mtftpDelay: 5
        case .discoveryControl: 6
        case .multicastDiscoveryAddress: 7
        case .bootServers: 8
        case .bootMenu: 9
        case .prompt: 10
        case .bootItem: 71
        case .other(let tag, _): tag
        }
    }

    /// What a tag carries, in words: "boot menu".
    public static func name(ofTag tag: UInt8) -> String {
        switch tag {
        case 1: "MTFTP multicast address"
        case 2: "MTFTP client port"
        case 3: "MTFTP server port"
        case 4: "MTFTP timeout"
        case 5: "MTFTP delay"
        case 6: "discovery control"
        case 7: "multicast discovery address"
        case 8: "boot servers"
        case 9: "boot menu"
        case 10: "prompt"
        case 71: "boot item"
        case padTag: "pad"
        case endTag: "end"
        default: "unknown sub-option"
        }
    }

    /// The value bytes, without tag and length.
    public var value: [UInt8] {
        switch self {
        case .mtftpAddress(let address), .multicastDiscoveryAddress(let address): address.octets
        case .mtftpClientPort(let port), .mtftpServerPort(let port): port.bigEndianBytes
        case .mtftpTimeout(let seconds), .mtftpDelay(let seconds): [seconds]
        case .discoveryControl(let control): [control.rawValue]
        case .bootServers(let lists): lists.flatMap { $0.type.bigEndianBytes + [UInt8(truncatingIfNeeded: $0.servers.count)] + $0.servers.flatMap(\.octets) }
        case .bootMenu(let items): items.flatMap { $0.type.bigEndianBytes + [UInt8(truncatingIfNeeded: $0.text.utf8.count)] + Array($0.text.utf8) }
        case .prompt(let prompt): [prompt.timeout] + Array(prompt.text.utf8)
        case .bootItem(let item): item.type.bigEndianBytes + item.layer.bigEndianBytes
        case .other(_, let value): value
        }
    }
}

extension UInt16 {
    var bigEndianBytes: [UInt8] { [UInt8(self >> 8), UInt8(self & 0xFF)] }
}
