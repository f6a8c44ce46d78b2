import NetbootWire

/// How PXE clients find a boot server (PXE option 43 tags 6, 7, 8, 9, 10).
public struct Discovery: Hashable, Sendable {
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
        multicast: IPv4Address? = nil, broadcast: Bool = true, unicast: [IPv4Address] = [],
        serverListOnly: Bool = false, prompt: Prompt = Prompt(), menu: Bool = true
    ) {
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
