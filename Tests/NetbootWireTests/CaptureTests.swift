import Foundation
import Testing
import TestSupport
@testable import NetbootWire

/// A real exchange, recorded once (Fixtures/ipxe-dhcp-tftp.sh): the iPXE ROM
/// of qemu's e1000 against dnsmasq 2.90 — two DISCOVERs, two OFFERs, REQUEST,
/// ACK, then the TFTP RRQ with blksize and tsize, OACK, DATA and the ACKs.
/// Every datagram decodes, re-encodes to the same bytes where the sender
/// padded as we do, and the readable dump matches the golden file.
@Suite struct CaptureTests {
    @Test func iPXEAgainstDnsmasqDecodes() throws {
        let pcap = try Array(Data(contentsOf: URL(fileURLWithPath: GoldenFile.fixtures() + "/ipxe-dhcp-tftp.pcap")))
        let datagrams = try PcapReader.datagrams(pcap)
        #expect(datagrams.count == 11)
        var tftpPorts = Set<UInt16>()
        var text = ""
        var kinds: [String] = []
        for datagram in datagrams {
            text += "#\(datagram.index) \(datagram.endpoints) (\(datagram.payload.count) bytes)\n"
            if datagram.destination.1 == 69 { tftpPorts.insert(datagram.source.1) }
            if [67, 68].contains(datagram.source.1) || [67, 68].contains(datagram.destination.1) {
                let packet = try DHCPPacket(decoding: datagram.payload)
                kinds.append(try packet.options.messageType?.description ?? "BOOTP")
                text += packet.dump
                #expect(try packet.encoded(minimumSize: datagram.payload.count, maximumSize: 1500) == datagram.payload,
                        "DHCP re-encodes byte for byte (#\(datagram.index))")
            } else if tftpPorts.contains(datagram.source.1) || tftpPorts.contains(datagram.destination.1) {
                let packet = try TFTPPacket(decoding: datagram.payload)
                kinds.append(packet.dump.split(separator: " ").first.map(String.init) ?? "")
                text += packet.dump + "\n"
                #expect(packet.encoded() == datagram.payload, "TFTP re-encodes byte for byte")
            } else {
                Issue.record("unexpected datagram \(datagram.endpoints)")
            }
            text += "\n"
        }
        #expect(kinds == ["DISCOVER", "DISCOVER", "OFFER", "OFFER", "REQUEST", "ACK", "RRQ", "OACK", "ACK", "DATA", "ACK"])
        try GoldenFile.check(text, against: "ipxe-dhcp-tftp.txt")

        // What the client said about itself, through the typed getters.
        let discover = try DHCPPacket(decoding: datagrams[0].payload)
        #expect(discover.clientMAC?.description == "52:54:00:12:34:56")
        #expect(discover.options.isIPXE)
        #expect(try discover.options.clientSystemArchitectures == [0])
        #expect(discover.options.isPXEClient)
        #expect(try discover.options.iPXEEncapsulated?.isEmpty == false)
        let ack = try DHCPPacket(decoding: datagrams[5].payload)
        #expect(ack.yiaddr == IPv4Address(10, 77, 0, 58))
        #expect(ack.options.bootFileName == "hello.txt")
    }
}
