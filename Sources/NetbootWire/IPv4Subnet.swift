/// An IPv4 network in CIDR form, such as 192.168.197.0/24.
public struct IPv4Subnet: Hashable, Sendable, CustomStringConvertible {
    public let network: IPv4Address
    public let prefixLength: Int

    /// Refuses a prefix outside 0-32 and an address with host bits set
    /// (192.168.197.5/24 is a host, not a network; say 192.168.197.0/24).
    public init?(network: IPv4Address, prefixLength: Int) {
        guard (0...32).contains(prefixLength) else { return nil }
        let mask = Self.mask(prefixLength)
        guard network.value & ~mask == 0 else { return nil }
        self.network = network
        self.prefixLength = prefixLength
    }

    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4Address(parts[0]),
              parts[1].count <= 2, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
              let length = Int(parts[1])
        else { return nil }
        self.init(network: address, prefixLength: length)
    }

    public var mask: IPv4Address { IPv4Address(Self.mask(prefixLength)) }
    public var broadcast: IPv4Address { IPv4Address(network.value | ~Self.mask(prefixLength)) }

    public func contains(_ address: IPv4Address) -> Bool {
        address.value & Self.mask(prefixLength) == network.value
    }

    public var description: String { "\(network)/\(prefixLength)" }

    private static func mask(_ length: Int) -> UInt32 {
        length == 0 ? 0 : UInt32.max << UInt32(32 - length)
    }
}
