import Foundation
import Logging
import NetbootWire
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import Testing
@testable import FarmServer

/// The handlers through EmbeddedChannel: no sockets, virtual time.
@Suite struct TFTPTransferHandlerTests {
    let client = try! SocketAddress(ipAddress: "127.0.0.1", port: 40000)
    let stranger = try! SocketAddress(ipAddress: "127.0.0.1", port: 40001)

    func channel(file: [UInt8], options: [(String, String)] = [], retries: Int = 2,
                 finished: NIOLockedValueBox<[TFTPTransferHandler.Summary]>) throws -> EmbeddedChannel {
        let negotiation = try TFTPNegotiation(options: options.map { TFTPOption($0.0, $0.1) }, fileSize: file.count,
                                              limits: .init(maximumBlockSize: 1468, maximumWindowSize: 64, defaultTimeout: 1))
        let handler = TFTPTransferHandler(client: client, file: ByteBuffer(bytes: file), fileName: "f",
                                          transfer: TFTPTransfer(fileSize: file.count, negotiation: negotiation, maximumRetries: retries),
                                          logger: Logger(label: "test"), onFinish: { summary in finished.withLockedValue { $0.append(summary) } })
        let channel = EmbeddedChannel(handler: handler)
        try channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 69)).wait()
        return channel
    }

    func read(_ channel: EmbeddedChannel) throws -> (SocketAddress, TFTPPacket)? {
        guard let envelope = try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self) else { return nil }
        return (envelope.remoteAddress, try TFTPPacket(decoding: envelope.data.readableBytesView))
    }

    func send(_ packet: TFTPPacket, from: SocketAddress, to channel: EmbeddedChannel) throws {
        try channel.writeInbound(AddressedEnvelope(remoteAddress: from, data: ByteBuffer(bytes: packet.encoded())))
    }

    @Test func servesTheFileBlockByBlock() throws {
        let finished = NIOLockedValueBox<[TFTPTransferHandler.Summary]>([])
        let file = TemporaryTree.pattern(size: 1030, seed: "x")
        let channel = try channel(file: file, finished: finished)
        var received: [UInt8] = []
        var block: UInt16 = 1
        while let (to, packet) = try read(channel) {
            #expect(to == client)
            guard case .data(let number, let payload) = packet else { Issue.record("expected DATA, got \(packet.dump)"); break }
            #expect(number == block)
            received += payload
            try send(.ack(block: number), from: client, to: channel)
            block += 1
        }
        #expect(received == file)
        #expect(block == 4)
        #expect(finished.withLockedValue { $0.first?.outcome } == .completed)
        #expect(finished.withLockedValue { $0.first?.bytesSent } == 1030)
        #expect(!channel.isActive)
        #expect(try channel.finish(acceptAlreadyClosed: true).isClean)
    }

    @Test func aWrongTIDGetsError5AndTheTransferGoesOn() throws {
        let finished = NIOLockedValueBox<[TFTPTransferHandler.Summary]>([])
        let channel = try channel(file: [1, 2, 3], finished: finished)
        #expect(try read(channel)?.1 == .data(block: 1, payload: [1, 2, 3]))
        try send(.ack(block: 1), from: stranger, to: channel)
        let (to, packet) = try #require(try read(channel))
        #expect(to == stranger)
        #expect(packet == .error(code: .unknownTransferID, message: "Unknown transfer ID"))
        // An ERROR from the stranger is not answered.
        try send(.error(code: .notDefined, message: "x"), from: stranger, to: channel)
        #expect(try read(channel) == nil)
        #expect(channel.isActive)
        try send(.ack(block: 1), from: client, to: channel)
        #expect(finished.withLockedValue { $0.first?.outcome } == .completed)
        #expect(try channel.finish(acceptAlreadyClosed: true).isClean)
    }

    @Test func retransmitsOnTimeoutOnlyThenGivesUp() throws {
        let finished = NIOLockedValueBox<[TFTPTransferHandler.Summary]>([])
        let channel = try channel(file: Array(repeating: 7, count: 600), finished: finished)
        #expect(try read(channel)?.1 == .data(block: 1, payload: Array(repeating: 7, count: 512)))
        try send(.ack(block: 1), from: client, to: channel)
        #expect(try read(channel)?.1 == .data(block: 2, payload: Array(repeating: 7, count: 88)))
        try send(.ack(block: 1), from: client, to: channel)
        #expect(try read(channel) == nil, "a duplicate ACK must not cause a retransmission")
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(try read(channel)?.1 == .data(block: 2, payload: Array(repeating: 7, count: 88)))
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(try read(channel)?.1 == .data(block: 2, payload: Array(repeating: 7, count: 88)))
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(try read(channel) == nil)
        #expect(finished.withLockedValue { $0.first?.outcome } == .timedOut)
        #expect(finished.withLockedValue { $0.first?.bytesSent } == 512)
        #expect(try channel.finish(acceptAlreadyClosed: true).isClean)
    }

    @Test func optionAckThenWindows() throws {
        let finished = NIOLockedValueBox<[TFTPTransferHandler.Summary]>([])
        let file = TemporaryTree.pattern(size: 100, seed: "w")
        let channel = try channel(file: file, options: [("blksize", "10"), ("windowsize", "4"), ("tsize", "0")], finished: finished)
        #expect(try read(channel)?.1 == .optionAck([TFTPOption("blksize", "10"), TFTPOption("windowsize", "4"), TFTPOption("tsize", "100")]))
        try send(.ack(block: 0), from: client, to: channel)
        var blocks: [UInt16] = []
        while let (_, packet) = try read(channel) { if case .data(let b, _) = packet { blocks.append(b) } }
        #expect(blocks == [1, 2, 3, 4])
        try send(.ack(block: 4), from: client, to: channel)
        blocks = []
        while let (_, packet) = try read(channel) { if case .data(let b, _) = packet { blocks.append(b) } }
        #expect(blocks == [5, 6, 7, 8])
        #expect(try channel.finish(acceptAlreadyClosed: true).isClean)
    }

    @Test func fullBlocksOfAWindowLeaveAsOneSegmentedWrite() throws {
        let file = TemporaryTree.pattern(size: 100 * 10 + 50, seed: "gso")
        let negotiation = try TFTPNegotiation(options: [TFTPOption("blksize", "100"), TFTPOption("windowsize", "16")], fileSize: file.count,
                                              limits: .init(maximumBlockSize: 1468, maximumWindowSize: 64, defaultTimeout: 1))
        let handler = TFTPTransferHandler(client: client, file: ByteBuffer(bytes: file), fileName: "f",
                                          transfer: TFTPTransfer(fileSize: file.count, negotiation: negotiation),
                                          logger: Logger(label: "test"), segmentsPerWrite: 8, onFinish: { _ in })
        let channel = EmbeddedChannel(handler: handler)
        try channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 69)).wait()
        _ = try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self)   // the OACK
        try send(.ack(block: 0), from: client, to: channel)
        var writes: [(segment: Int?, bytes: [UInt8])] = []
        while let envelope = try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self) {
            writes.append((envelope.metadata?.segmentSize, Array(envelope.data.readableBytesView)))
        }
        #expect(writes.map(\.segment) == [104, 104, nil])
        #expect(writes.map(\.bytes.count) == [8 * 104, 2 * 104, 54])
        var received: [UInt8] = []
        var blocks: [UInt16] = []
        for write in writes {
            let size = write.segment ?? write.bytes.count
            for start in stride(from: 0, to: write.bytes.count, by: size) {
                guard case .data(let block, let payload) = try TFTPPacket(decoding: write.bytes[start..<min(start + size, write.bytes.count)]) else {
                    Issue.record("not DATA"); return
                }
                blocks.append(block)
                received += payload
            }
        }
        #expect(blocks == Array(1...11))
        #expect(received == file)
        #expect(try channel.finish(acceptAlreadyClosed: true).isClean)
    }

    @Test func truncatedErrorFromTheClientEndsTheTransfer() throws {
        let finished = NIOLockedValueBox<[TFTPTransferHandler.Summary]>([])
        let channel = try channel(file: Array(repeating: 1, count: 2000), finished: finished)
        _ = try read(channel)
        try channel.writeInbound(AddressedEnvelope(remoteAddress: client, data: ByteBuffer(bytes: [0, 5])))
        #expect(finished.withLockedValue { $0.count } == 1)
        // Garbage from the client is ignored, not answered.
        let other = try self.channel(file: Array(repeating: 1, count: 2000), finished: finished)
        _ = try read(other)
        try other.writeInbound(AddressedEnvelope(remoteAddress: client, data: ByteBuffer(bytes: [0, 4, 0])))
        #expect(try read(other) == nil)
        #expect(other.isActive)
        #expect(try other.finish(acceptAlreadyClosed: true).isClean)
        #expect(try channel.finish(acceptAlreadyClosed: true).isClean)
    }
}

@Suite struct TFTPRequestHandlerTests {
    let client = try! SocketAddress(ipAddress: "127.0.0.1", port: 40000)

    struct Setup {
        var channel: EmbeddedChannel
        var started: NIOLockedValueBox<[TFTPTransferStart]>
        var registry: TransferRegistry
        var log: CapturingLogHandler
        var tree: TemporaryTree
    }

    func setup(limit: Int = 10, overlay: TFTPOverlay? = nil) throws -> Setup {
        let tree = try TemporaryTree(files: ["linux.1": 5000, "dir/file": 1])
        let (logger, log) = CapturingLogHandler.logger()
        let started = NIOLockedValueBox<[TFTPTransferStart]>([])
        let registry = TransferRegistry(limit: limit, logger: logger)
        let handler = TFTPRequestHandler(
            policy: try TFTPPathPolicy(root: tree.root), cache: FileCache(), overlay: overlay, registry: registry,
            settings: .init(limits: .init(maximumBlockSize: 1468), maximumRetries: 3, clampToInterfaceMTU: true),
            logger: logger, startTransfer: { start in started.withLockedValue { $0.append(start) } })
        return Setup(channel: EmbeddedChannel(handler: handler), started: started, registry: registry, log: log, tree: tree)
    }

    func exchange(_ bytes: [UInt8], _ setup: Setup, from: SocketAddress? = nil) throws -> TFTPPacket? {
        try setup.channel.writeInbound(AddressedEnvelope(remoteAddress: from ?? client, data: ByteBuffer(bytes: bytes)))
        guard let reply = try setup.channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self) else { return nil }
        #expect(reply.remoteAddress == from ?? client)
        return try TFTPPacket(decoding: reply.data.readableBytesView)
    }

    func rrq(_ name: String, _ options: [(String, String)] = [], mode: String = "octet") -> [UInt8] {
        TFTPPacket.readRequest(TFTPRequest(filename: name, mode: mode, options: options.map { TFTPOption($0.0, $0.1) })).encoded()
    }

    func errorCode(_ packet: TFTPPacket?) -> UInt16? {
        if case .error(let code, _) = packet { return code.rawValue }
        return nil
    }

    @Test func overlayFilesHideTheTreesAndPassTheSameNameChecks() throws {
        let overlay = TFTPOverlay()
        overlay.replace(with: ["dir/file": Array("rendered\nline\n".utf8), "dir/only-here": [1, 2]])
        let s = try setup(overlay: overlay)
        #expect(try exchange(rrq("/dir/file"), s) == nil, "accepted: the transfer handler sends, not the listener")
        _ = try exchange(rrq("dir/only-here", mode: "netascii"), s, from: try SocketAddress(ipAddress: "127.0.0.1", port: 40002))
        _ = try exchange(rrq("dir/file", mode: "netascii"), s, from: try SocketAddress(ipAddress: "127.0.0.1", port: 40003))
        let files = s.started.withLockedValue { $0.map { String(buffer: $0.file) } }
        #expect(files == ["rendered\nline\n", "\u{1}\u{2}", "rendered\r\nline\r\n"])
        #expect(errorCode(try exchange(rrq("dir/../dir/file"), s, from: try SocketAddress(ipAddress: "127.0.0.1", port: 40004))) == 2,
                "a name the tree would refuse is refused for the overlay too")
        #expect(try s.channel.finish(acceptAlreadyClosed: true).isClean)
    }

    @Test func clientTextCannotForgeLogLines() throws {
        let s = try setup()
        let forged = "\n2026-11-25T00:00:00+0000 notice pxefarm.serve: forged"
        #expect(errorCode(try exchange(rrq("linux.1", [("blksize", "1" + forged)]), s)) == 8)
        #expect(errorCode(try exchange(rrq("linux.1", mode: "oct" + forged), s, from: try SocketAddress(ipAddress: "127.0.0.1", port: 40005))) == 4)
        var odd = rrq("linux.1")
        odd += Array(("tsize" + forged).utf8) + [0]
        _ = try exchange(odd, s, from: try SocketAddress(ipAddress: "127.0.0.1", port: 40006))
        #expect(s.log.messages.count >= 3)
        for line in s.log.messages { #expect(!line.contains("\n"), "\(line)") }
        #expect(try s.channel.finish(acceptAlreadyClosed: true).isClean)
    }

    @Test func acceptedReadStartsATransfer() throws {
        let s = try setup()
        defer { s.tree.remove() }
        #expect(try exchange(rrq("/linux.1", [("BLKSIZE", "65464"), ("tsize", "0")]), s) == nil)
        let start = try #require(s.started.withLockedValue { $0.first })
        #expect(start.client == client)
        #expect(start.file.readableBytes == 5000)
        #expect(start.transfer.negotiation.blockSize == 1468)
        #expect(start.transfer.negotiation.acknowledged == [TFTPOption("BLKSIZE", "1468"), TFTPOption("tsize", "5000")])
        // The same client retransmitting its RRQ does not start a second transfer.
        #expect(try exchange(rrq("/linux.1"), s) == nil)
        #expect(s.started.withLockedValue { $0.count } == 1)
        #expect(try s.channel.finish(acceptAlreadyClosed: true).isClean)
    }

    @Test func refusals() throws {
        let s = try setup()
        defer { s.tree.remove() }
        #expect(errorCode(try exchange(rrq("missing"), s)) == 1)
        #expect(errorCode(try exchange(rrq("../etc/passwd"), s)) == 2)
        #expect(errorCode(try exchange(rrq("dir"), s)) == 2)
        #expect(errorCode(try exchange(rrq("a\\b"), s)) == 2)
        #expect(errorCode(try exchange(rrq(String(repeating: "a", count: 513)), s)) == 2)
        #expect(errorCode(try exchange(TFTPPacket.writeRequest(TFTPRequest(filename: "linux.1")).encoded(), s)) == 2)
        #expect(errorCode(try exchange(rrq("linux.1", mode: "mail"), s)) == 4)
        for (name, value) in [("blksize", "0"), ("blksize", "7"), ("blksize", "65465"), ("blksize", "abc"),
                              ("timeout", "0"), ("timeout", "256"), ("windowsize", "0"), ("windowsize", "65536")] {
            #expect(errorCode(try exchange(rrq("linux.1", [(name, value)]), s)) == 8, "\(name) \(value)")
        }
        #expect(errorCode(try exchange(rrq("linux.1", [("blksize", "512"), ("blksize", "512")]), s)) == 8)
        #expect(errorCode(try exchange([0, 1] + Array("linux.1\0octet\0blksize\0".utf8), s)) == 8)
        #expect(errorCode(try exchange([0, 1] + Array("linux.1".utf8), s)) == 4)
        #expect(errorCode(try exchange([0, 1], s)) == 4)
        #expect(errorCode(try exchange([0], s)) == 4)
        #expect(errorCode(try exchange([0, 9, 1, 2], s)) == 4)
        #expect(errorCode(try exchange(TFTPPacket.ack(block: 1).encoded(), s)) == 4)
        #expect(try exchange([0, 5], s) == nil, "a 2-byte ERROR gets silence")
        #expect(try exchange(TFTPPacket.error(code: .notDefined, message: "x").encoded(), s) == nil)
        #expect(s.started.withLockedValue { $0.isEmpty })
        #expect(s.log.messages.contains { $0.contains("tftp request refused") && $0.contains("../etc/passwd") })
        #expect(try s.channel.finish(acceptAlreadyClosed: true).isClean)
    }

    @Test func theCapDropsAndLogsThenResumes() throws {
        let s = try setup(limit: 2)
        defer { s.tree.remove() }
        for port in 50000..<50005 {
            #expect(try exchange(rrq("linux.1"), s, from: try SocketAddress(ipAddress: "127.0.0.1", port: port)) == nil)
        }
        #expect(s.started.withLockedValue { $0.count } == 2)
        #expect(s.registry.activeCount == 2)
        #expect(s.log.messages.filter { $0.contains("transfer limit reached") }.count == 1)
        s.registry.end(try SocketAddress(ipAddress: "127.0.0.1", port: 50000))
        #expect(s.log.messages.contains { $0.contains("below the transfer limit again") && $0.contains("dropped=3") })
        #expect(try exchange(rrq("linux.1"), s, from: try SocketAddress(ipAddress: "127.0.0.1", port: 50003)) == nil)
        #expect(s.started.withLockedValue { $0.count } == 3)
        #expect(try s.channel.finish(acceptAlreadyClosed: true).isClean)
    }
}

@Suite struct TFTPRequestHandlerFuzzTests {
    /// Random and mutated datagrams on the request port: the handler never
    /// traps, and anything it sends back is a well-formed ERROR.
    @Test func randomDatagramsGetErrorsOrSilence() throws {
        let tree = try TemporaryTree(files: ["linux.1": 3000])
        defer { tree.remove() }
        let started = NIOLockedValueBox(0)
        let handler = TFTPRequestHandler(
            policy: try TFTPPathPolicy(root: tree.root), cache: FileCache(),
            registry: TransferRegistry(limit: 100_000, logger: Logger(label: "fuzz")),
            settings: .init(limits: .init(), maximumRetries: 1, clampToInterfaceMTU: false),
            logger: Logger(label: "fuzz"), startTransfer: { _ in started.withLockedValue { $0 += 1 } })
        let channel = EmbeddedChannel(handler: handler)
        var state: UInt64 = 0x9E37_79B9
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        let seed = TFTPPacket.readRequest(TFTPRequest(filename: "linux.1", options: [TFTPOption("blksize", "1024"), TFTPOption("tsize", "0")])).encoded()
        for round in 0..<5_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = seed
                for _ in 0..<Int(next() % 4 + 1) { bytes[Int(next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: next()) }
                bytes = Array(bytes.prefix(Int(next() % UInt64(bytes.count + 1))))
            } else {
                bytes = (0..<Int(next() % 64)).map { _ in next() % 3 == 0 ? 0 : UInt8(truncatingIfNeeded: next()) }
            }
            let peer = try SocketAddress(ipAddress: "127.0.0.1", port: 1024 + round)
            try channel.writeInbound(AddressedEnvelope(remoteAddress: peer, data: ByteBuffer(bytes: bytes)))
            while let reply = try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self) {
                let packet = try TFTPPacket(decoding: reply.data.readableBytesView)
                guard case .error = packet else { Issue.record("reply to \(bytes) was \(packet.dump)"); return }
            }
        }
        #expect(started.withLockedValue { $0 } > 0, "some mutations are still valid requests")
        #expect(try channel.finish(acceptAlreadyClosed: true).isClean)
    }
}
