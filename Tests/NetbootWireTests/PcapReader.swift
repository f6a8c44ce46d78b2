import NetbootWire

/// Just enough of the classic pcap format (not pcapng) to read UDP over IPv4
/// over Ethernet from a capture fixture: global header, then per packet a
/// 16-byte record header and the frame.
struct PcapReader {
    struct UDPDatagram {
        var index: Int
        var source: (IPv4Address, UInt16)
        var destination: (IPv4Address, UInt16)
        var payload: [UInt8]

        var endpoints: String { "\(source.0):\(source.1) > \(destination.0):\(destination.1)" }
    }

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    static func datagrams(_ bytes: [UInt8]) throws -> [UDPDatagram] {
        guard bytes.count >= 24 else { throw Malformed(description: "no pcap global header") }
        let magic = Array(bytes[0..<4])
        let little: Bool
        switch magic {
        case [0xD4, 0xC3, 0xB2, 0xA1]: little = true
        case [0xA1, 0xB2, 0xC3, 0xD4]: little = false
        default: throw Malformed(description: "not a classic pcap file (magic \(magic))")
        }
        func u32(_ at: Int) -> Int {
            let b = bytes[at..<at + 4].map(Int.init)
            return little ? b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24 : b[3] | b[2] << 8 | b[1] << 16 | b[0] << 24
        }
        guard u32(20) == 1 else { throw Malformed(description: "link type \(u32(20)) is not Ethernet") }
        var result: [UDPDatagram] = []
        var offset = 24
        var index = 0
        while offset + 16 <= bytes.count {
            let length = u32(offset + 8)
            let start = offset + 16
            guard start + length <= bytes.count else { throw Malformed(description: "record \(index) runs past the end") }
            let frame = Array(bytes[start..<start + length])
            offset = start + length
            index += 1
            // Ethernet II, IPv4, UDP, no VLAN tag, no IP options assumed only where checked.
            guard frame.count >= 14 + 20 + 8, frame[12] == 0x08, frame[13] == 0x00, frame[14] >> 4 == 4, frame[23] == 17 else { continue }
            let ip = 14, ihl = Int(frame[14] & 0x0F) * 4
            let udp = ip + ihl
            guard frame.count >= udp + 8 else { continue }
            let udpLength = Int(frame[udp + 4]) << 8 | Int(frame[udp + 5])
            guard udpLength >= 8, udp + udpLength <= frame.count else { continue }
            result.append(UDPDatagram(
                index: index,
                source: (IPv4Address(octets: frame[ip + 12..<ip + 16])!, UInt16(frame[udp]) << 8 | UInt16(frame[udp + 1])),
                destination: (IPv4Address(octets: frame[ip + 16..<ip + 20])!, UInt16(frame[udp + 2]) << 8 | UInt16(frame[udp + 3])),
                payload: Array(frame[udp + 8..<udp + udpLength])))
        }
        return result
    }
}
