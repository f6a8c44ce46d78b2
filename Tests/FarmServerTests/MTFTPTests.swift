import Foundation
import Logging
import NetbootWire
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing
@testable import FarmServer

@Suite struct MTFTPTransferTests {
    @Test func firstBlockToTheMasterTheRestToTheGroup() throws {
        var transfer = try #require(MTFTPTransfer(fileSize: 1100, timeout: 2))
        #expect(transfer.handle(.start) == [.sendData(block: 1, to: .master), .armTimer(seconds: 2)])
        #expect(transfer.handle(.packet(.ack(block: 1))) == [.sendData(block: 2, to: .group), .armTimer(seconds: 2)])
        #expect(transfer.handle(.packet(.ack(block: 1))) == [], "a duplicate ACK never retransmits")
        #expect(transfer.handle(.timeout) == [.sendData(block: 2, to: .group), .armTimer(seconds: 2)])
        #expect(transfer.handle(.packet(.ack(block: 2))) == [.sendData(block: 3, to: .group), .armTimer(seconds: 2)])
        #expect(transfer.range(ofBlock: 3) == 1024..<1100)
        #expect(transfer.handle(.packet(.ack(block: 3))) == [.finish(.completed)])
    }

    @Test func theMasterMayAckAheadWithBlocksCaughtWhileListening() throws {
        var transfer = try #require(MTFTPTransfer(fileSize: 512 * 9))
        _ = transfer.handle(.start)
        #expect(transfer.handle(.packet(.ack(block: 6))) == [.sendData(block: 7, to: .group), .armTimer(seconds: 1)])
        #expect(transfer.handle(.packet(.ack(block: 11))) == [], "beyond the file")
        #expect(transfer.handle(.packet(.ack(block: 10))) == [.finish(.completed)])
    }

    @Test func limitsAndEndings() throws {
        #expect(MTFTPTransfer(fileSize: 512 * 65535) == nil)
        #expect(MTFTPTransfer(fileSize: 512 * 65534 + 511) != nil)
        var transfer = try #require(MTFTPTransfer(fileSize: 10, maximumRetries: 1))
        _ = transfer.handle(.start)
        _ = transfer.handle(.timeout)
        #expect(transfer.handle(.timeout) == [.finish(.timedOut)])
        var other = try #require(MTFTPTransfer(fileSize: 10))
        _ = other.handle(.start)
        #expect(other.handle(.packet(.error(code: .notDefined, message: "x"))) == [.finish(.clientError(.notDefined, "x"))])
    }
}

/// PXE MTFTP on 127.0.0.1 with multicast over loopback: a master opens the
/// transfer, two listeners joined to the group collect every later block
/// without acknowledging, and all three end up with the file.
@Suite(.serialized) struct MTFTPLoopbackTests {
    final class GroupListener: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let blocks = NIOLockedValueBox<[UInt16: [UInt8]]>([:])
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            if case .data(let block, let payload)? = try? TFTPPacket(decoding: envelope.data.readableBytesView) {
                blocks.withLockedValue { $0[block] = payload }
            }
        }
    }

    static let groupAddress = "239.255.76.1"

    func listener(port: Int, group: EventLoopGroup) async throws -> (Channel, GroupListener) {
        let handler = GroupListener()
        let channel = try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelInitializer { $0.pipeline.addHandler(handler) }
            .bind(host: Self.groupAddress, port: port).get()
        // Join on 127.0.0.1 by hand: NIO's joinGroup refuses lo, which lacks the MULTICAST
        // flag, yet Linux delivers group traffic sent with IP_MULTICAST_IF 127.0.0.1 there.
        let provider = try #require(channel as? SocketOptionProvider)
        var request = ip_mreq()
        request.imr_multiaddr.s_addr = IPv4Address(Self.groupAddress)!.value.bigEndian
        request.imr_interface.s_addr = IPv4Address(127, 0, 0, 1).value.bigEndian
        try await provider.unsafeSetSocketOption(level: .ip, name: .ip_add_membership, value: request).get()
        return (channel, handler)
    }

    @Test func aMasterAndTwoListenersAllGetTheFile() async throws {
        let tree = try TemporaryTree(files: ["X86PC/UNDI/boot/linux.1": 512 * 40 + 17, "other": 100])
        defer { tree.remove() }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let clientPort = 17_000 + Int.random(in: 0..<2000)
        let (logger, log) = CapturingLogHandler.logger()
        let server = try await MTFTPServer.start(
            .init(root: tree.root, host: "127.0.0.1", port: 0,
                  groups: ["X86PC/UNDI/boot/linux.1": MTFTPGroup(address: IPv4Address(Self.groupAddress)!, clientPort: clientPort)!],
                  multicastInterface: IPv4Address(127, 0, 0, 1), maximumRetries: 30),
            cache: FileCache(), group: group, logger: logger).get()
        let port = try #require(server.localAddress?.port)
        let (channelA, listenerA) = try await listener(port: clientPort, group: group)
        let (channelB, listenerB) = try await listener(port: clientPort, group: group)

        // The master: RRQ from its own socket, block 1 arrives by unicast, then it
        // ACKs each block it sees on the group.
        let master = try await UDPProbe(group: group)
        try await master.send(TFTPPacket.readRequest(TFTPRequest(filename: "X86PC/UNDI/boot/linux.1")).encoded(), port: port)
        let first = try #require(try await master.receive(), "no block 1; server log: \(log.messages)")
        guard case .data(1, let payload1) = first.packet else { Issue.record("expected block 1, got \(first.packet.dump)"); return }
        #expect(first.port != port)
        // A second client asking now is told nothing: it should be listening.
        let late = try await UDPProbe(group: group)
        try await late.send(TFTPPacket.readRequest(TFTPRequest(filename: "X86PC/UNDI/boot/linux.1")).encoded(), port: port)
        #expect(try await late.receive(seconds: 0.5) == nil)

        var file = payload1
        for block in UInt16(1)...41 {
            try await master.send(TFTPPacket.ack(block: block).encoded(), port: first.port)
            if block == 41 { break }
            var next: [UInt8]?
            for _ in 0..<1500 where next == nil {   // generous: a loaded test machine, not a speed check
                next = listenerA.blocks.withLockedValue { $0[block + 1] }
                if next == nil { try await Task.sleep(for: .milliseconds(10)) }
            }
            file += try #require(next, "block \(block + 1) never reached the group")
        }
        let expected = Array(try Data(contentsOf: URL(fileURLWithPath: tree.path("X86PC/UNDI/boot/linux.1"))))
        #expect(file == expected)
        let fromB = (UInt16(2)...41).compactMap { block in listenerB.blocks.withLockedValue { $0[block] } }.flatMap { $0 }
        #expect(payload1 + fromB == expected, "the second listener heard every block after the first")
        // The server hears the last ACK a moment after the master sent it.
        for _ in 0..<1000 where server.activeTransfers > 0 || !log.messages.contains(where: { $0.contains("mtftp transfer done") }) {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(server.activeTransfers == 0)
        #expect(log.messages.contains { $0.contains("mtftp transfer done") && $0.contains("bytes=20497") })
        #expect(log.messages.contains { $0.contains("already running") })

        // No group for this file: an ERROR, so the client falls back to TFTP.
        try await late.send(TFTPPacket.readRequest(TFTPRequest(filename: "other")).encoded(), port: port)
        guard case .error(.fileNotFound, _)? = try await late.receive()?.packet else { Issue.record("expected ERROR 1"); return }
        try await late.send(TFTPPacket.writeRequest(TFTPRequest(filename: "other")).encoded(), port: port)
        guard case .error(.accessViolation, _)? = try await late.receive()?.packet else { Issue.record("expected ERROR 2"); return }
        try await late.send([0, 1, 0x41], port: port)
        guard case .error(.illegalOperation, _)? = try await late.receive()?.packet else { Issue.record("expected ERROR 4"); return }
        // Every refusal is counted by reason; a late client joining a running transfer is not one.
        #expect(server.refusals.counts == ["no-group": 1, "write-request": 1, "malformed": 1])

        for channel in [channelA, channelB] { try await channel.close() }
        try await master.close()
        try await late.close()
        try await server.stop().get()
        try await group.shutdownGracefully()
    }
}
