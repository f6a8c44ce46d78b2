import Foundation
import Logging
import NetbootWire
import Rollout
import NIOCore
import NIOEmbedded
import Testing
@testable import FarmServer

/// The DHCP handler through EmbeddedChannel: bytes in, the policy's reply out
/// to its destination, one log line per decision, boot stages recorded.
@Suite struct DHCPHandlerTests {
    typealias T = DHCPTestFarm

    struct Rig {
        let channel: EmbeddedChannel
        let log: CapturingLogHandler
        let stages: BootStageRecorder
        let box: DHCPContextBox
        let refusals: RefusalCounter
        let directory: String
    }

    func rig(port: DHCPRequest.Arrival = .dhcpPort, mode: DHCPMode = .full) throws -> Rig {
        let (logger, log) = CapturingLogHandler.logger()
        let directory = NSTemporaryDirectory() + "pxefarm-dhcp-\(UUID().uuidString)"
        let stages = BootStageRecorder(path: directory + "/" + BootStages.fileName, logger: logger, clock: { 1_764_000_000 })
        let box = DHCPContextBox(T.context())
        let refusals = RefusalCounter(message: "refused dhcp packets")
        let channel = EmbeddedChannel(handler: DHCPHandler(port: port, mode: mode, context: box, stages: stages, refusals: refusals, logger: logger))
        return Rig(channel: channel, log: log, stages: stages, box: box, refusals: refusals, directory: directory)
    }

    func send(_ bytes: [UInt8], from: String = "0.0.0.0", port: Int = 68, to destination: String? = nil, _ rig: Rig) throws {
        let metadata = try destination.map {
            AddressedEnvelope<ByteBuffer>.Metadata(ecnState: .transportNotCapable,
                                                   packetInfo: NIOPacketInfo(destinationAddress: try SocketAddress(ipAddress: $0, port: 4011), interfaceIndex: 1))
        }
        try rig.channel.writeInbound(AddressedEnvelope(remoteAddress: try SocketAddress(ipAddress: from, port: port), data: ByteBuffer(bytes: bytes), metadata: metadata))
    }

    func reply(_ rig: Rig) throws -> (SocketAddress, DHCPPacket, Int)? {
        guard let envelope = try rig.channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self) else { return nil }
        return (envelope.remoteAddress, try DHCPPacket(decoding: envelope.data.readableBytesView), envelope.data.readableBytes)
    }

    @Test func aDiscoverIsAnsweredByBroadcastAndLoggedAndRecorded() throws {
        let rig = try rig()
        defer { try? FileManager.default.removeItem(atPath: rig.directory) }
        try send(try T.packet(.discover, mac: T.n011).encoded(), rig)
        let (to, packet, size) = try #require(try reply(rig))
        #expect(to == (try SocketAddress(ipAddress: "255.255.255.255", port: 68)))
        #expect(try packet.options.messageType == .offer)
        #expect(packet.yiaddr == IPv4Address(192, 168, 197, 31))
        #expect(size >= 300)
        #expect(rig.log.messages.count == 1)
        #expect(rig.log.messages.first?.hasPrefix("info dhcp answered from=0.0.0.0:68 mac=00:D0:B7:1B:12:ED node=n011 port=dhcp reason=DISCOVER: offering 192.168.197.31") == true)
        #expect(rig.stages.snapshot.nodes["n011"]?[.dhcp]?.address == "192.168.197.31")
        rig.stages.flush()
        #expect(try BootStages.load(from: rig.stages.path) == rig.stages.snapshot)
        #expect(try rig.channel.finish().isClean)
    }

    @Test func undecodableAndUnknownPacketsAreLoggedAndDropped() throws {
        let rig = try rig()
        try send([1, 2, 3], rig)
        try send(try T.packet(.discover, mac: T.stranger).encoded(), rig)
        #expect(try reply(rig) == nil)
        #expect(rig.log.messages.count == 2)
        #expect(rig.log.messages[0].contains("dhcp ignored") && rig.log.messages[0].contains("reason=undecodable"))
        #expect(rig.log.messages[0].contains("refusal=undecodable"))
        #expect(rig.log.messages[1].contains("reason=unknown MAC 52:54:00:99:99:99"))
        #expect(rig.log.messages[1].contains("refusal=unknown-mac"))
        #expect(rig.refusals.counts == ["undecodable": 1, "unknown-mac": 1])
        #expect(rig.stages.snapshot.nodes.isEmpty)
    }

    @Test func packetsDroppedBeforeThePolicyAreCountedToo() throws {
        let rig = try rig()
        let packet = try T.packet(.discover, mac: T.n011).encoded()
        try rig.channel.writeInbound(AddressedEnvelope(remoteAddress: try SocketAddress(ipAddress: "::1", port: 68), data: ByteBuffer(bytes: packet)))
        // A relay agent option so long that the offer no longer fits the 576 bytes the client accepts.
        try send(try T.packet(.discover, mac: T.n011, extra: [T.option(57, [2, 64]), T.option(82, [1, 253] + Array(repeating: 0x61, count: 253))]).encoded(maximumSize: 1500), rig)
        #expect(try reply(rig) == nil)
        #expect(rig.refusals.counts == ["not-ipv4-sender": 1, "reply-unencodable": 1])
        #expect(rig.log.messages.count == 2)
        #expect(rig.log.messages[0].hasPrefix("debug dhcp ignored") && rig.log.messages[0].contains("refusal=not-ipv4-sender"))
        #expect(rig.log.messages[1].hasPrefix("error dhcp ignored") && rig.log.messages[1].contains("refusal=reply-unencodable"))
    }

    @Test func releaseIsNotedNotAnswered() throws {
        let rig = try rig()
        try send(try T.packet(.release, mac: T.n011, pxe: false, ciaddr: IPv4Address(192, 168, 197, 31)).encoded(), from: "192.168.197.31", rig)
        #expect(try reply(rig) == nil)
        #expect(rig.log.messages.first?.hasPrefix("notice dhcp noted") == true)
        #expect(rig.refusals.total == 0)
        #expect(rig.stages.snapshot.nodes["n011"]?[.dhcp]?.detail.hasPrefix("RELEASE") == true)
    }

    @Test func aMulticastBootServerRequestIsAnsweredToTheSenderAndRecorded() throws {
        let rig = try rig(port: .pxePort, mode: .proxy)
        let request = T.packet(.request, mac: T.n011, ciaddr: IPv4Address(192, 168, 197, 31), flags: 0, extra: [T.bootItem(type: 14, layer: 1)])
        try send(try request.encoded(), from: "192.168.197.31", port: 4011, to: "224.0.1.2", rig)
        let (to, packet, _) = try #require(try reply(rig))
        #expect(to == (try SocketAddress(ipAddress: "192.168.197.31", port: 4011)))
        #expect(packet.bootFile == "X86PC/UNDI/linux-boot/linux.1")
        #expect(rig.log.messages.first?.contains("port=multicast") == true)
        #expect(rig.stages.snapshot.nodes["n011"]?[.bootServer]?.detail == "X86PC/UNDI/linux-boot/linux.1")
    }

    @Test func aReloadedFarmIsUsedForTheNextPacket() throws {
        let rig = try rig()
        var farm = T.farm()
        farm.nodes.append(T.node("n099", mac: "52:54:00:99:99:99", ip: 99, service: "linux-boot"))
        rig.box.replace(with: T.context(farm))
        try send(try T.packet(.discover, mac: T.stranger).encoded(), rig)
        #expect(try reply(rig)?.1.yiaddr == IPv4Address(192, 168, 197, 99))
    }

    @Test func tftpFetchesAreRecordedAgainstTheNodeOfTheAddress() throws {
        let rig = try rig()
        rig.stages.record(TFTPFetchReport(client: "192.168.197.31", file: "X86PC/UNDI/linux-boot/linux.1", bytes: 1234, completed: true, outcome: "completed"), context: rig.box)
        rig.stages.record(TFTPFetchReport(client: "10.9.9.9", file: "x", bytes: 1, completed: true, outcome: "completed"), context: rig.box)
        // The last fetch of any file, and the boot step linux.1 is: the kernel.
        let entry = BootStages.Entry(at: 1_764_000_000, detail: "X86PC/UNDI/linux-boot/linux.1 1234 bytes, completed", address: "192.168.197.31")
        #expect(rig.stages.snapshot.nodes == ["n011": [.tftp: entry, .kernel: entry]])
    }
}
