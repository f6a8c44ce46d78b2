/// Typed access to the options pxefarm reads. Each getter returns nil when the
/// option is absent and throws `NetbootWireError` when it is present but
/// malformed, so a policy can say which byte of which option was wrong.
extension DHCPOptions {
    /// 53 (RFC 2132 §9.6).
    public var messageType: DHCPMessageType? {
        get throws(NetbootWireError) {
            guard let data = data(DHCPOptionCode.messageType) else { return nil }
            let byte = try Self.exact(data, 1, DHCPOptionCode.messageType)[0]
            guard let type = DHCPMessageType(rawValue: byte) else {
                throw NetbootWireError.badOption(code: DHCPOptionCode.messageType, reason: "unknown message type \(byte)")
            }
            return type
        }
    }

    /// 54 (RFC 2132 §9.7).
    public var serverIdentifier: IPv4Address? {
        get throws(NetbootWireError) { try address(DHCPOptionCode.serverIdentifier) }
    }

    /// 50 (RFC 2132 §9.1).
    public var requestedAddress: IPv4Address? {
        get throws(NetbootWireError) { try address(DHCPOptionCode.requestedAddress) }
    }

    /// 55 (RFC 2132 §9.8): the option codes the client asks for, in its order.
    public var parameterRequestList: [UInt8]? {
        get throws(NetbootWireError) {
            guard let data = data(DHCPOptionCode.parameterRequestList) else { return nil }
            guard !data.isEmpty else { throw NetbootWireError.badOption(code: DHCPOptionCode.parameterRequestList, reason: "empty list") }
            return data
        }
    }

    /// 57 (RFC 2132 §9.10): the largest message the client accepts; at least 576.
    public var maxMessageSize: UInt16? {
        get throws(NetbootWireError) {
            guard let data = data(DHCPOptionCode.maxMessageSize) else { return nil }
            let bytes = try Self.exact(data, 2, DHCPOptionCode.maxMessageSize)
            let value = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
            guard value >= 576 else {
                throw NetbootWireError.badOption(code: DHCPOptionCode.maxMessageSize, reason: "\(value) is below the minimum of 576")
            }
            return value
        }
    }

    /// 60 (RFC 2132 §9.13), as bytes: PXE ROMs send `PXEClient:Arch:00000:UNDI:002001`.
    public var vendorClassIdentifier: [UInt8]? { data(DHCPOptionCode.vendorClassIdentifier) }

    /// True when option 60 starts with "PXEClient" (PXE 2.1 §2.2.1).
    public var isPXEClient: Bool {
        vendorClassIdentifier.map { $0.starts(with: Array("PXEClient".utf8)) } ?? false
    }

    /// Option 60 starts with "HTTPClient": UEFI HTTP Boot (UEFI 2.x §24.7).
    public var isHTTPClient: Bool {
        vendorClassIdentifier.map { $0.starts(with: Array("HTTPClient".utf8)) } ?? false
    }

    /// 61 (RFC 2132 §9.14): a type byte and at least one byte of identifier.
    public var clientIdentifier: (type: UInt8, value: [UInt8])? {
        get throws(NetbootWireError) {
            guard let data = data(DHCPOptionCode.clientIdentifier) else { return nil }
            guard data.count >= 2 else {
                throw NetbootWireError.badOption(code: DHCPOptionCode.clientIdentifier, reason: "needs at least 2 bytes, has \(data.count)")
            }
            return (data[0], Array(data.dropFirst()))
        }
    }

    /// 66 (RFC 2132 §9.4), without trailing NULs.
    public var tftpServerName: String? { text(DHCPOptionCode.tftpServerName) }

    /// 67 (RFC 2132 §9.5), without trailing NULs (dnsmasq sends one).
    public var bootFileName: String? { text(DHCPOptionCode.bootFileName) }

    /// 77 (RFC 3004): the user classes. iPXE sends its name bare ("iPXE")
    /// rather than length-prefixed; data that is not a well-formed RFC 3004 list
    /// is read as one class, as dnsmasq does.
    public var userClass: [[UInt8]]? {
        guard let data = data(DHCPOptionCode.userClass) else { return nil }
        var classes: [[UInt8]] = []
        var index = 0
        while index < data.count {
            let length = Int(data[index])
            guard length > 0, index + 1 + length <= data.count else { return [data] }
            classes.append(Array(data[index + 1..<index + 1 + length]))
            index += 1 + length
        }
        return classes.isEmpty ? [data] : classes
    }

    /// 82 (RFC 3046): the relay agent's sub-options (1 circuit id, 2 remote id, ...).
    public var relayAgentInformation: [DHCPSubOption]? {
        get throws(NetbootWireError) {
            guard let data = data(DHCPOptionCode.relayAgentInformation) else { return nil }
            return try DHCPSubOption.parse(data, in: DHCPOptionCode.relayAgentInformation, padAndEnd: false)
        }
    }

    /// 93 (RFC 4578 §2.1): client architectures (0 BIOS, 7 and 9 x86-64 EFI, ...).
    public var clientSystemArchitectures: [UInt16]? {
        get throws(NetbootWireError) {
            guard let data = data(DHCPOptionCode.clientSystemArchitecture) else { return nil }
            guard !data.isEmpty, data.count % 2 == 0 else {
                throw NetbootWireError.badOption(code: DHCPOptionCode.clientSystemArchitecture, reason: "length \(data.count) is not a positive multiple of 2")
            }
            return stride(from: 0, to: data.count, by: 2).map { UInt16(data[$0]) << 8 | UInt16(data[$0 + 1]) }
        }
    }

    /// 94 (RFC 4578 §2.2): interface type (1 = UNDI) and its version.
    public var clientNetworkInterface: (type: UInt8, major: UInt8, minor: UInt8)? {
        get throws(NetbootWireError) {
            guard let data = data(DHCPOptionCode.clientNetworkInterface) else { return nil }
            let bytes = try Self.exact(data, 3, DHCPOptionCode.clientNetworkInterface)
            return (bytes[0], bytes[1], bytes[2])
        }
    }

    /// 97 (RFC 4578 §2.3): type 0 and a 16-byte GUID. Echo `data(97)` as is.
    public var clientMachineIdentifier: (type: UInt8, guid: [UInt8])? {
        get throws(NetbootWireError) {
            guard let data = data(DHCPOptionCode.clientMachineIdentifier) else { return nil }
            guard data.count == 17, data[0] == 0 else {
                throw NetbootWireError.badOption(code: DHCPOptionCode.clientMachineIdentifier, reason: "expected type 0 and a 16-byte GUID, got \(data.count) bytes starting \(data.first.map(String.init) ?? "-")")
            }
            return (data[0], Array(data.dropFirst()))
        }
    }

    /// 43 (RFC 2132 §8.4) as raw bytes; the PXE codec reads its sub-options.
    public var vendorSpecific: [UInt8]? { data(DHCPOptionCode.vendorSpecific) }

    /// 175: iPXE's encapsulated settings (e.g. 175.19 = 1: iPXE can do HTTP).
    public var iPXEEncapsulated: [DHCPSubOption]? {
        get throws(NetbootWireError) {
            guard let data = data(DHCPOptionCode.iPXEEncapsulated) else { return nil }
            return try DHCPSubOption.parse(data, in: DHCPOptionCode.iPXEEncapsulated, padAndEnd: true)
        }
    }

    /// True for iPXE (77 "iPXE" or 175 present), so chainloading does not loop.
    public var isIPXE: Bool {
        contains(DHCPOptionCode.iPXEEncapsulated) || (userClass?.contains(Array("iPXE".utf8)) ?? false)
    }

    private func address(_ code: UInt8) throws(NetbootWireError) -> IPv4Address? {
        guard let data = data(code) else { return nil }
        return IPv4Address(octets: try Self.exact(data, 4, code))
    }

    private func text(_ code: UInt8) -> String? {
        data(code).map { DHCPPacket.text($0) }
    }

    private static func exact(_ data: [UInt8], _ count: Int, _ code: UInt8) throws(NetbootWireError) -> [UInt8] {
        guard data.count == count else {
            throw NetbootWireError.badOption(code: code, reason: "length \(data.count), expected \(count)")
        }
        return data
    }
}

/// A sub-option inside an encapsulating option (82, 175): code, length, data.
public struct DHCPSubOption: Hashable, Sendable {
    public var code: UInt8
    public var data: [UInt8]

    public init(code: UInt8, data: [UInt8]) {
        self.code = code
        self.data = data
    }

    static func parse(_ data: [UInt8], in parent: UInt8, padAndEnd: Bool) throws(NetbootWireError) -> [DHCPSubOption] {
        var result: [DHCPSubOption] = []
        var index = 0
        while index < data.count {
            let code = data[index]
            if padAndEnd && code == 0 { index += 1; continue }
            if padAndEnd && code == 255 { break }
            guard index + 1 < data.count, index + 2 + Int(data[index + 1]) <= data.count else {
                throw NetbootWireError.badOption(code: parent, reason: "sub-option \(code) at offset \(index) runs past the end")
            }
            let length = Int(data[index + 1])
            result.append(DHCPSubOption(code: code, data: Array(data[index + 2..<index + 2 + length])))
            index += 2 + length
        }
        return result
    }

    /// The sub-options back to bytes (no end marker).
    public static func encode(_ subOptions: [DHCPSubOption]) -> [UInt8] {
        subOptions.flatMap { [$0.code, UInt8($0.data.count)] + $0.data }
    }
}
