import Foundation
import Testing
import TestSupport
@testable import NetbootWire

/// For every DHCP packet, option 43 value and TFTP packet the decoders accept,
/// encoding the decoded value and decoding again gives the same value. The
/// inputs are the recorded iPXE capture and random values, mutated by a
/// seeded generator (so a failure names a reproducible seed), plus plain
/// random bytes. libFuzzer checks the same property for longer (`make fuzz`).
@Suite struct WireRoundTripPropertyTests {
    static let rounds = 4000

    static func capture() throws -> [PcapReader.UDPDatagram] {
        let pcap = try Array(Data(contentsOf: URL(fileURLWithPath: GoldenFile.fixtures() + "/ipxe-dhcp-tftp.pcap")))
        return try PcapReader.datagrams(pcap)
    }

    /// The packet of a fixture written as `OFFSET  xx xx ...` lines (the first block).
    static func hexDump(_ name: String) throws -> [UInt8] {
        let text = try String(contentsOfFile: GoldenFile.fixtures() + "/" + name, encoding: .utf8)
        var bytes: [UInt8] = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard let offset = parts.first, offset.count == 4, Int(offset, radix: 16) == bytes.count else { continue }
            bytes += parts.dropFirst().compactMap { $0.count == 2 ? UInt8($0, radix: 16) : nil }
        }
        return bytes
    }

    static func isDHCP(_ datagram: PcapReader.UDPDatagram) -> Bool {
        [67, 68].contains(datagram.source.1) || [67, 68].contains(datagram.destination.1)
    }

    /// Option 52 (overload) is left out of the comparison: it records how the
    /// sender laid the options out, and `encoded` lays them out afresh.
    static func withoutFraming(_ packet: DHCPPacket) -> DHCPPacket {
        var packet = packet
        packet.options.remove(DHCPOptionCode.overload)
        return packet
    }

    @Test func dhcpPacketsRoundTrip() throws {
        var seeds = try Self.capture().filter(Self.isDHCP).map(\.payload)
        #expect(seeds.count == 6)
        seeds.append(try Self.hexDump("dhcp-overload.txt"))
        seeds.append(try Self.hexDump("dhcp-pxe-discover.txt"))
        #expect(seeds.suffix(2).allSatisfy { $0.count >= 300 })
        var random = SeededGenerator(seed: 0xD4C9)
        var accepted = 0
        for round in 0..<Self.rounds {
            let input = Mutator.input(from: seeds, round: round, using: &random)
            guard let packet = try? DHCPPacket(decoding: input) else { continue }
            accepted += 1
            let encoded = try packet.encoded(maximumSize: 65507)
            let again = Self.withoutFraming(try DHCPPacket(decoding: encoded))
            #expect(again == Self.withoutFraming(packet), "round \(round): \(input)")
            if again != Self.withoutFraming(packet) { break }
        }
        // Mutation keeps many packets decodable: the property was checked on hundreds, not a few.
        #expect(accepted > Self.rounds / 8)
    }

    @Test func option43ValuesRoundTrip() throws {
        var random = SeededGenerator(seed: 0x43)
        var seeds = try Self.capture().filter(Self.isDHCP).compactMap { try DHCPPacket(decoding: $0.payload).options.data(43) }
        for _ in 0..<50 {
            if let bytes = try? PXEVendorOptionsPropertyTests.randomOptions(&random).encode() { seeds.append(bytes) }
        }
        var accepted = 0
        for round in 0..<Self.rounds {
            let input = Mutator.input(from: seeds, round: round, using: &random)
            guard let options = try? PXEVendorOptions.decode(input) else { continue }
            accepted += 1
            let again = try PXEVendorOptions.decode(try options.encode())
            #expect(again == options, "round \(round): \(input)")
            if again != options { break }
        }
        #expect(accepted > Self.rounds / 20)
    }

    @Test func tftpPacketsRoundTrip() throws {
        let seeds = try Self.capture().filter { !Self.isDHCP($0) }.map(\.payload)
        #expect(seeds.count == 5)
        var random = SeededGenerator(seed: 0x7F7)
        var accepted = 0
        for round in 0..<Self.rounds {
            let input = Mutator.input(from: seeds, round: round, using: &random)
            guard let packet = try? TFTPPacket(decoding: input) else { continue }
            accepted += 1
            let again = try TFTPPacket(decoding: packet.encoded())
            #expect(again == packet, "round \(round): \(input)")
            if again != packet { break }
        }
        #expect(accepted > Self.rounds / 4)
    }
}

/// Seeded mutations of seed inputs: bit flips, byte changes, inserts,
/// deletions, truncation and copied runs. Every 10th input is plain random bytes.
enum Mutator {
    static func input(from seeds: [[UInt8]], round: Int, using random: inout SeededGenerator) -> [UInt8] {
        if round % 10 == 9 {
            return (0..<Int.random(in: 0...600, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        }
        var bytes = seeds[Int.random(in: 0..<seeds.count, using: &random)]
        for _ in 0..<Int.random(in: 1...4, using: &random) { mutate(&bytes, using: &random) }
        return bytes
    }

    static func mutate(_ bytes: inout [UInt8], using random: inout SeededGenerator) {
        let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<6, using: &random) {
        case 0 where !bytes.isEmpty: bytes[position] ^= 1 << UInt8.random(in: 0...7, using: &random)
        case 1 where !bytes.isEmpty: bytes[position] = [0, 1, 0x7F, 0x80, 0xFF, UInt8.random(in: 0...255, using: &random)].randomElement(using: &random)!
        case 2: bytes.insert(UInt8.random(in: 0...255, using: &random), at: position)
        case 3 where !bytes.isEmpty: bytes.remove(at: position)
        case 4: bytes = Array(bytes.prefix(position))
        default:
            guard !bytes.isEmpty else { return }
            let length = Int.random(in: 1...min(16, bytes.count - position), using: &random)
            let run = bytes[position..<position + length]
            bytes.insert(contentsOf: run, at: Int.random(in: 0...bytes.count, using: &random))
        }
    }
}
