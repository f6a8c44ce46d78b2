/// One DHCP option as it appears on the wire: a code and its data bytes
/// (RFC 2132). Pad (0) and end (255) carry no data and are never stored.
public struct DHCPOption: Hashable, Sendable {
    public var code: UInt8
    public var data: [UInt8]

    public init(code: UInt8, data: [UInt8]) {
        self.code = code
        self.data = data
    }

    public static let pad: UInt8 = 0
    public static let end: UInt8 = 255
}

/// Option codes pxefarm reads or writes (RFC 2132 unless noted).
public enum DHCPOptionCode {
    public static let subnetMask: UInt8 = 1
    public static let routers: UInt8 = 3
    public static let domainNameServers: UInt8 = 6
    public static let hostName: UInt8 = 12
    public static let domainName: UInt8 = 15
    public static let rootPath: UInt8 = 17
    public static let broadcastAddress: UInt8 = 28
    public static let vendorSpecific: UInt8 = 43
    public static let requestedAddress: UInt8 = 50
    public static let leaseTime: UInt8 = 51
    public static let overload: UInt8 = 52
    public static let messageType: UInt8 = 53
    public static let serverIdentifier: UInt8 = 54
    public static let parameterRequestList: UInt8 = 55
    public static let message: UInt8 = 56
    public static let maxMessageSize: UInt8 = 57
    public static let vendorClassIdentifier: UInt8 = 60
    public static let clientIdentifier: UInt8 = 61
    public static let tftpServerName: UInt8 = 66
    public static let bootFileName: UInt8 = 67
    /// RFC 3004.
    public static let userClass: UInt8 = 77
    /// RFC 3046.
    public static let relayAgentInformation: UInt8 = 82
    /// RFC 4578.
    public static let clientSystemArchitecture: UInt8 = 93
    /// RFC 4578.
    public static let clientNetworkInterface: UInt8 = 94
    /// RFC 4578.
    public static let clientMachineIdentifier: UInt8 = 97
    /// iPXE's encapsulated options (its feature flags and settings).
    public static let iPXEEncapsulated: UInt8 = 175
}
