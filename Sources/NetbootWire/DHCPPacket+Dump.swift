/// A readable, stable text form of a packet for golden files and logs: one
/// header field per line, then one line per option with its name and decoded
/// value (or hex when the value is malformed, saying why).
extension DHCPPacket {
    public var dump: String {
        var lines: [String] = []
        let opName = kind.map { $0 == .request ? "BOOTREQUEST" : "BOOTREPLY" } ?? "unknown"
        lines.append("op: \(op) (\(opName))")
        lines.append("htype: \(htype) hlen: \(hlen) hops: \(hops)")
        lines.append("xid: 0x" + Self.hex32(xid))
        lines.append("secs: \(secs) flags: 0x" + Self.hex16(flags) + (isBroadcast ? " (broadcast)" : ""))
        lines.append("ciaddr: \(ciaddr) yiaddr: \(yiaddr) siaddr: \(siaddr) giaddr: \(giaddr)")
        lines.append("chaddr: " + (clientMAC?.description ?? Self.hex(chaddr)))
        lines.append("sname: \"\(Self.escaped(sname))\"")
        lines.append("file: \"\(Self.escaped(file))\"")
        for option in options {
            lines.append("option \(option.code) \(Self.describe(option, in: options))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func describe(_ option: DHCPOption, in options: DHCPOptions) -> String {
        func typed(_ name: String, _ body: () throws -> String?) -> String {
            do {
                return "\(name): " + (try body() ?? "")
            } catch {
                return "\(name): malformed (\(error)) \(hex(option.data))"
            }
        }
        switch option.code {
        case DHCPOptionCode.messageType: return typed("message type") { try options.messageType?.description }
        case DHCPOptionCode.serverIdentifier: return typed("server identifier") { try options.serverIdentifier?.description }
        case DHCPOptionCode.requestedAddress: return typed("requested address") { try options.requestedAddress?.description }
        case DHCPOptionCode.parameterRequestList:
            return typed("parameter request list") { try options.parameterRequestList?.map(String.init).joined(separator: " ") }
        case DHCPOptionCode.maxMessageSize: return typed("max message size") { try options.maxMessageSize.map(String.init) }
        case DHCPOptionCode.vendorClassIdentifier: return "vendor class: \"\(escaped(option.data))\""
        case DHCPOptionCode.clientIdentifier:
            return typed("client identifier") { try options.clientIdentifier.map { "type \($0.type) \(hex($0.value))" } }
        case DHCPOptionCode.tftpServerName: return "tftp server: \"\(escaped(option.data))\""
        case DHCPOptionCode.bootFileName: return "boot file: \"\(escaped(option.data))\""
        case DHCPOptionCode.userClass:
            return "user class: " + (options.userClass ?? []).map { "\"\(escaped($0))\"" }.joined(separator: " ")
        case DHCPOptionCode.relayAgentInformation:
            return typed("relay agent information") { try options.relayAgentInformation.map(subOptions) }
        case DHCPOptionCode.clientSystemArchitecture:
            return typed("client architecture") { try options.clientSystemArchitectures?.map(String.init).joined(separator: " ") }
        case DHCPOptionCode.clientNetworkInterface:
            return typed("client interface") { try options.clientNetworkInterface.map { "type \($0.type) version \($0.major).\($0.minor)" } }
        case DHCPOptionCode.clientMachineIdentifier:
            return typed("client machine id") { try options.clientMachineIdentifier.map { "type \($0.type) guid \(hex($0.guid))" } }
        case DHCPOptionCode.vendorSpecific: return "vendor specific: \(hex(option.data))"
        case DHCPOptionCode.iPXEEncapsulated: return typed("ipxe") { try options.iPXEEncapsulated.map(subOptions) }
        case DHCPOptionCode.overload: return "overload: \(hex(option.data))"
        case DHCPOptionCode.subnetMask, DHCPOptionCode.broadcastAddress:
            return IPv4Address(octets: option.data).map { "address: \($0)" } ?? "raw: \(hex(option.data))"
        case DHCPOptionCode.routers, DHCPOptionCode.domainNameServers:
            guard !option.data.isEmpty, option.data.count % 4 == 0 else { return "raw: \(hex(option.data))" }
            return "addresses: " + stride(from: 0, to: option.data.count, by: 4)
                .map { IPv4Address(octets: option.data[$0..<$0 + 4])!.description }.joined(separator: " ")
        case DHCPOptionCode.hostName, DHCPOptionCode.domainName, DHCPOptionCode.rootPath, DHCPOptionCode.message:
            return "text: \"\(escaped(option.data))\""
        case DHCPOptionCode.leaseTime:
            guard option.data.count == 4 else { return "raw: \(hex(option.data))" }
            return "seconds: \(option.data.reduce(UInt32(0)) { $0 << 8 | UInt32($1) })"
        default: return "raw: \(hex(option.data))"
        }
    }

    static func subOptions(_ list: [DHCPSubOption]) -> String {
        list.map { "\($0.code)=\(hex($0.data))" }.joined(separator: " ")
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] })
    }

    static func hex32(_ v: UInt32) -> String { hex([UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]) }
    static func hex16(_ v: UInt16) -> String { hex([UInt8(v >> 8), UInt8(v & 0xFF)]) }

    /// Printable ASCII as is; quotes, backslashes and everything else as \xNN.
    static func escaped(_ bytes: some Sequence<UInt8>) -> String {
        var out = ""
        for byte in bytes {
            if byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                out.append(Character(Unicode.Scalar(byte)))
            } else {
                out += "\\x" + hex([byte])
            }
        }
        return out
    }
}
