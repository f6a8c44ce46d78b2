/// Tag 6 bits (PXE specification 2.1 table 2-1).
public struct PXEDiscoveryControl: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Bit 0: do not discover boot servers by broadcast.
    public static let noBroadcast = PXEDiscoveryControl(rawValue: 1 << 0)
    /// Bit 1: do not discover boot servers by multicast.
    public static let noMulticast = PXEDiscoveryControl(rawValue: 1 << 1)
    /// Bit 2: accept answers only from the servers of tag 8.
    public static let serverListOnly = PXEDiscoveryControl(rawValue: 1 << 2)
    /// Bit 3: no prompt, menu or discovery: boot the file of the DHCP answer.
    public static let bootFileOnly = PXEDiscoveryControl(rawValue: 1 << 3)
}

/// One entry of tag 8: the servers of one boot server type.
public struct PXEBootServerList: Hashable, Sendable {
    public var type: UInt16
    public var servers: [IPv4Address]

    public init(type: UInt16, servers: [IPv4Address]) { self.type = type; self.servers = servers }
}

/// One entry of tag 9: the boot server type a menu line chooses.
public struct PXEMenuItem: Hashable, Sendable {
    public var type: UInt16
    public var text: String

    public init(type: UInt16, text: String) { self.type = type; self.text = text }
}

/// Tag 10: the prompt shown before the menu and its timeout in seconds
/// (0 picks the first menu item at once, 255 waits for a key).
public struct PXEPrompt: Hashable, Sendable {
    public var timeout: UInt8
    public var text: String

    public init(timeout: UInt8, text: String) { self.timeout = timeout; self.text = text }
}

/// Tag 71: a boot server type and the layer of its boot file.
public struct PXEBootItem: Hashable, Sendable {
    public var type, layer: UInt16

    public init(type: UInt16, layer: UInt16) { self.type = type; self.layer = layer }
}
