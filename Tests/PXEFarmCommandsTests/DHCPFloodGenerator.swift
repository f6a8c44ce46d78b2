import NetbootWire
import TestSupport

/// Flood datagrams for the DHCP and PXE ports: a seeded mix of DHCP/BOOTP
/// packets a farm's clients send (DISCOVER, REQUEST, INFORM from PXE ROMs and
/// iPXE, boot-server REQUESTs with 43.71, RELEASE and DECLINE), packets that
/// carry option 52 overload, relay information (82, with giaddr), option 93
/// for EFI and other architectures, replies sent to the server, their
/// mutations (bytes changed, inserted, removed, truncated) and random bytes.
/// Every address field may end up anything: the daemon's replies go where
/// the packet says, which is why the test runs it in a `LoopbackNamespace`.
struct DHCPFloodGenerator {
    var random: SeededGenerator
    let seeds: [[UInt8]]

    /// `macs`: the farm's reserved MACs (answered) besides a stranger (refused).
    init(seed: UInt64, macs: [MACAddress], server: IPv4Address, bootType: UInt16) {
        random = SeededGenerator(seed: seed)
        let stranger = MACAddress("52:54:00:99:99:99")!
        let guid: [UInt8] = [0] + (1...16).map { UInt8($0) }
        func packet(_ type: DHCPMessageType, mac: MACAddress, pxe: Bool = true, ipxe: Bool = false, architecture: UInt16 = 0,
                    ciaddr: IPv4Address = .any, giaddr: IPv4Address = .any, broadcast: Bool = true, extra: [DHCPOption] = []) -> DHCPPacket {
            var options = DHCPOptions([DHCPOption(code: 53, data: [type.rawValue])])
            options.append(DHCPOption(code: 55, data: [1, 3, 6, 12, 15, 17, 28, 43, 60]))
            options.append(DHCPOption(code: 57, data: [0x05, 0xC0]))
            if pxe {
                options.append(DHCPOption(code: 60, data: Array("PXEClient:Arch:\(String(format: "%05d", architecture)):UNDI:002001".utf8)))
                options.append(DHCPOption(code: 93, data: [UInt8(architecture >> 8), UInt8(architecture & 0xFF)]))
                options.append(DHCPOption(code: 94, data: [1, 2, 1]))
                options.append(DHCPOption(code: 97, data: guid))
            }
            if ipxe {
                options.append(DHCPOption(code: 77, data: Array("iPXE".utf8)))
                options.append(DHCPOption(code: 175, data: [19, 1, 1]))
            }
            for option in extra { options.append(option) }
            return DHCPPacket(op: .request, xid: 0x5EED_0000 | UInt32(type.rawValue), chaddr: mac.bytes,
                              flags: broadcast ? DHCPPacket.broadcastFlag : 0, ciaddr: ciaddr, giaddr: giaddr, options: options)
        }
        let known = macs.first!
        let bootItem = { (layer: UInt16) in
            DHCPOption(code: 43, data: [71, 4, UInt8(bootType >> 8), UInt8(bootType & 0xFF), UInt8(layer >> 8), UInt8(layer & 0xFF), 255])
        }
        let loopback = IPv4Address(127, 0, 0, 1)
        var packets: [DHCPPacket] = []
        for mac in macs + [stranger] {
            packets.append(packet(.discover, mac: mac))
            packets.append(packet(.discover, mac: mac, ipxe: true))
            packets.append(packet(.request, mac: mac, extra: [DHCPOption(code: 50, data: [10, 0, 0, 21]), DHCPOption(code: 54, data: server.octets)]))
        }
        packets += [
            packet(.discover, mac: known, pxe: false),
            packet(.request, mac: known, ciaddr: loopback, broadcast: false),
            packet(.request, mac: known, extra: [DHCPOption(code: 50, data: [10, 0, 0, 99])]),
            packet(.request, mac: known, extra: [DHCPOption(code: 50, data: [10, 0, 0, 21]), DHCPOption(code: 54, data: [10, 9, 9, 9])]),
            packet(.inform, mac: known, ciaddr: loopback, broadcast: false),
            packet(.inform, mac: known, ipxe: true, ciaddr: IPv4Address(10, 0, 0, 21)),
            packet(.release, mac: known, pxe: false, ciaddr: IPv4Address(10, 0, 0, 21)),
            packet(.decline, mac: known, pxe: false, extra: [DHCPOption(code: 50, data: [10, 0, 0, 21])]),
            packet(.offer, mac: known),
            packet(.discover, mac: known, architecture: 7),
            packet(.discover, mac: known, architecture: 11),
            packet(.request, mac: known, ciaddr: loopback, extra: [bootItem(0)]),
            packet(.request, mac: known, ciaddr: loopback, extra: [bootItem(1)]),
            packet(.request, mac: known, ipxe: true, ciaddr: loopback, extra: [bootItem(3)]),
            packet(.request, mac: known, ciaddr: loopback, extra: [bootItem(0x8000)]),
            packet(.discover, mac: known, extra: [bootItem(0)]),
            packet(.request, mac: stranger, ciaddr: loopback, extra: [bootItem(0)]),
            // Relayed: the answer goes to giaddr, the relay agent's option 82 echoed last.
            packet(.discover, mac: known, giaddr: loopback, broadcast: false, extra: [DHCPOption(code: 82, data: [1, 4, 0x65, 0x74, 0x68, 0x30, 2, 2, 0xAB, 0xCD])]),
            packet(.request, mac: known, giaddr: IPv4Address(10, 0, 0, 1), extra: [DHCPOption(code: 82, data: [1, 1, 7]), DHCPOption(code: 50, data: [10, 0, 0, 21])]),
        ]
        var seeds = packets.compactMap { try? $0.encoded(minimumSize: 300, maximumSize: 1500) }
        // Option 52: the options go on in the file and sname fields.
        if var overloaded = try? packet(.discover, mac: known, pxe: false, extra: [DHCPOption(code: 52, data: [3])]).encoded(minimumSize: 300, maximumSize: 1500) {
            let pxe = [60, 9] + Array("PXEClient".utf8) + [93, 2, 0, 0, 255]
            overloaded.replaceSubrange(108..<(108 + pxe.count), with: pxe)
            overloaded.replaceSubrange(44..<48, with: [12, 2, 0x6E, 0x31])
            overloaded[48] = 255
            seeds.append(overloaded)
        }
        // A BOOTP client (no option 53) and a server's reply sent to the server.
        var bootp = DHCPPacket(op: .request, xid: 7, chaddr: known.bytes)
        bootp.options.append(DHCPOption(code: 60, data: Array("PXEClient".utf8)))
        seeds.append((try? bootp.encoded()) ?? [])
        var reply = packet(.ack, mac: known)
        reply.op = 2
        seeds.append((try? reply.encoded()) ?? [])
        self.seeds = seeds
    }

    mutating func next() -> [UInt8] {
        switch Int.random(in: 0..<10, using: &random) {
        case 0:
            return (0..<Int.random(in: 0...600, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        case 1...3:
            return seeds.randomElement(using: &random)!
        default:
            var bytes = seeds.randomElement(using: &random)!
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<6, using: &random) {
                case 0...1 where !bytes.isEmpty: bytes[position] = UInt8.random(in: 0...255, using: &random)
                case 2: bytes.insert(UInt8.random(in: 0...255, using: &random), at: position)
                case 3 where !bytes.isEmpty: bytes.remove(at: position)
                case 4 where bytes.count > 240:
                    // An option's length or code in the options field, where most of the parsing is.
                    bytes[Int.random(in: 240..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                default: bytes = Array(bytes.prefix(position))
                }
            }
            return bytes
        }
    }
}
