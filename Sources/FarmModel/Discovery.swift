import NetbootWire

/// How PXE clients find a boot server (PXE option 43 tags 6, 7, 8, 9, 10).
public struct Discovery: Hashable, Sendable {
    /// Who tells the clients about boot servers and menus.
    public var mode: DiscoveryMode
    /// Multicast discovery address (tag 7); nil turns multicast discovery off.
    public var multicast: IPv4Address?
    /// Broadcast discovery on UDP 67.
    public var broadcast: Bool
    /// Boot servers for unicast discovery (tag 8), offered for every
    /// service that is not local boot.
    public var unicast: [IPv4Address]
    /// Accept answers only from the servers of `unicast` (tag 6 bit 2).
    public var serverListOnly: Bool
    /// The prompt before the menu (tag 10).
    public var prompt: Prompt
    /// Offer the boot menu; when off the client skips prompt, menu and
    /// discovery and boots the file in the DHCP answer (tag 6 bit 3).
    public var menu: Bool

    public init(
        mode: DiscoveryMode = .dhcp, multicast: IPv4Address? = nil, broadcast: Bool = true, unicast: [IPv4Address] = [],
        serverListOnly: Bool = false, prompt: Prompt = Prompt(), menu: Bool = true
    ) {
        self.mode = mode
        self.multicast = multicast
        self.broadcast = broadcast
        self.unicast = unicast
        self.serverListOnly = serverListOnly
        self.prompt = prompt
        self.menu = menu
    }

    /// The PXE default multicast discovery address.
    public static let defaultMulticast = IPv4Address(224, 0, 1, 2)
}

/// Where the PXE options reach the client (reference digest §2).
public enum DiscoveryMode: String, Hashable, Sendable, CaseIterable {
    /// The DHCP answer carries option 43 with the menus (each host block).
    case dhcp
    /// The DHCP server sends only option 60 "PXEClient" and no option 43, so
    /// the client asks the ProxyDHCP on UDP 4011 (pxefarm serve, or Intel's
    /// PXE daemon with UseDHCPPort 0) for boot servers and menus.
    case proxy
}

/// The line a PXE client shows before its menu, and how long it waits.
public struct Prompt: Hashable, Sendable {
    /// Seconds; 0 picks the first menu item at once, 255 waits for a key.
    public var timeout: UInt8
    public var text: String

    public init(timeout: UInt8 = 10, text: String = "Press F8 to view menu ...") {
        self.timeout = timeout
        self.text = text
    }
}
