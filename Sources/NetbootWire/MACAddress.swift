/// An Ethernet hardware address (DHCP htype 1, hlen 6).
public struct MACAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// Six octets exactly; anything else is not an Ethernet address.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 6 else { return nil }
        self.bytes = Array(bytes)
    }

    /// Accepts `00:D0:B7:1B:12:ED`, `00-d0-b7-1b-12-ed` and `00d0.b71b.12ed`
    /// (the switch vendors' dotted form); hex digits in either case.
    public init?(_ text: some StringProtocol) {
        let string = String(text)
        let groups: [Substring]
        if string.contains(":") || string.contains("-") {
            groups = string.split(separator: string.contains(":") ? ":" : "-", omittingEmptySubsequences: false)
            guard groups.count == 6, groups.allSatisfy({ $0.count == 2 }) else { return nil }
        } else if string.contains(".") {
            let quads = string.split(separator: ".", omittingEmptySubsequences: false)
            guard quads.count == 3, quads.allSatisfy({ $0.count == 4 }) else { return nil }
            groups = quads.flatMap { [$0.prefix(2), $0.suffix(2)] }
        } else {
            return nil
        }
        var octets: [UInt8] = []
        for group in groups {
            guard group.allSatisfy(\.isHexDigit), let octet = UInt8(group, radix: 16) else { return nil }
            octets.append(octet)
        }
        bytes = octets
    }

    /// The address `offset` places further on, as the 48-bit number it is;
    /// nil when that runs past ff:ff:ff:ff:ff:ff or below zero.
    public func advanced(by offset: Int) -> MACAddress? {
        let number = bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let next = Int64(number) + Int64(offset)
        guard next >= 0, next < 1 << 48 else { return nil }
        return MACAddress(bytes: (0..<6).reversed().map { UInt8(truncatingIfNeeded: UInt64(next) >> (8 * UInt64($0))) })
    }

    /// `00:D0:B7:1B:12:ED`: upper case, colons, as the reference deployment writes it.
    public var description: String { text(separator: UInt8(ascii: ":"), digits: Self.upperDigits) }

    /// `01-00-d0-b7-1b-12-ed`: the name pxelinux looks for under pxelinux.cfg/.
    public var pxelinuxConfigName: String {
        "01-" + text(separator: UInt8(ascii: "-"), digits: Self.lowerDigits)
    }

    public static func < (lhs: MACAddress, rhs: MACAddress) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }

    private static let upperDigits = Array("0123456789ABCDEF".utf8)
    private static let lowerDigits = Array("0123456789abcdef".utf8)

    /// Six hex pairs and five separators, written byte by byte (every DHCP log line names a MAC).
    private func text(separator: UInt8, digits: [UInt8]) -> String {
        String(unsafeUninitializedCapacity: 17) { buffer in
            for (index, byte) in bytes.enumerated() {
                if index > 0 { buffer[index * 3 - 1] = separator }
                buffer[index * 3] = digits[Int(byte >> 4)]
                buffer[index * 3 + 1] = digits[Int(byte & 0xF)]
            }
            return 17
        }
    }
}
