import Glibc
import Logging
import NetbootWire
import NIOCore

/// Drives one `TFTPTransfer` on its own ephemeral port (the server's TID):
/// packets from the client in, actions out as datagrams and a timer. A
/// packet from any other address or port is answered with ERROR 5 and does
/// not disturb the transfer (RFC 1350 §4).
final class TFTPTransferHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    /// What the log line and the registry need when the transfer ends.
    struct Summary: Sendable {
        var client: SocketAddress
        var file: String
        var outcome: TFTPTransfer.Outcome
        var bytesSent: Int
        var blockSize: Int
        var windowSize: Int
        var seconds: Double
    }

    private let client: SocketAddress
    private let file: ByteBuffer
    private let fileName: String
    private var transfer: TFTPTransfer
    private let logger: Logger
    private let refusals: RefusalCounter
    private let onFinish: @Sendable (Summary) -> Void
    /// One scheduled task at a time: an ACK only moves `deadline` forward, and
    /// the task re-arms itself for the rest when it fires early. Rescheduling
    /// per packet would cost more than the packet itself.
    private var timer: Scheduled<Void>?
    private var deadline: NIODeadline = .distantFuture
    private var started: NIODeadline = .now()
    private var done = false
    /// Full DATA packets of one window leave in one GSO write of up to this many
    /// segments (UDP_SEGMENT, Linux 4.18+); 1 sends each on its own. A failed GSO
    /// write turns it off for the rest of the transfer.
    private var segmentsPerWrite: Int
    private var pendingBlocks: [UInt64] = []
    /// The actions of one event, one array for the transfer's life (see `TFTPTransfer.handle(_:into:)`).
    private var actions: [TFTPTransfer.Action] = []
    /// Where single DATA packets are written (see `writePendingBlocks`).
    private var scratch = ByteBuffer()
    /// The transfer's socket when its packets leave by sendto(2) on it
    /// (`TransferSocket`); nil: through the channel (GSO windows, tests).
    private let socket: CInt?

    init(client: SocketAddress, file: ByteBuffer, fileName: String, transfer: TFTPTransfer, logger: Logger,
         refusals: RefusalCounter = RefusalCounter(), segmentsPerWrite: Int = 1, socket: CInt? = nil,
         onFinish: @escaping @Sendable (Summary) -> Void) {
        self.client = client
        self.socket = socket
        self.file = file
        self.fileName = fileName
        self.transfer = transfer
        self.logger = logger
        self.refusals = refusals
        self.segmentsPerWrite = max(1, segmentsPerWrite)
        self.onFinish = onFinish
    }

    /// Linux's UDP_MAX_SEGMENTS since 4.18 (later kernels allow more; the
    /// header does not export it, so the smallest is assumed).
    static let kernelSegmentLimit = 64

    /// What the platform allows: the kernel's segment limit, within one 64 KiB UDP send.
    static func segmentsPerWrite(blockSize: Int) -> Int {
        guard System.supportsUDPSegmentationOffload else { return 1 }
        return max(1, min(kernelSegmentLimit, 65_000 / (blockSize + 4)))
    }

    func channelActive(context: ChannelHandlerContext) {
        started = .now()
        run(.start, context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard envelope.remoteAddress == client else {
            refusals.count("unknown-tid")
            // Another TID: tell it so, never answer an ERROR with an ERROR.
            if envelope.data.getInteger(at: envelope.data.readerIndex, as: UInt16.self) != TFTPPacket.Opcode.error.rawValue {
                let error = TFTPPacket.error(code: .unknownTransferID, message: "Unknown transfer ID").encoded()
                send(context.channel.allocator.buffer(bytes: error), to: envelope.remoteAddress, context: context)
                context.flush()
            }
            logger.debug("tftp packet from a wrong TID answered with ERROR 5", metadata: ["from": "\(envelope.remoteAddress.logText)", "client": "\(client.logText)"])
            return
        }
        let bytes = envelope.data.readableBytesView
        if bytes.count >= 4, let opcode = envelope.data.getInteger(at: envelope.data.readerIndex, as: UInt16.self),
           opcode == TFTPPacket.Opcode.ack.rawValue,
           let block = envelope.data.getInteger(at: envelope.data.readerIndex + 2, as: UInt16.self) {
            // The hot path: most packets of a transfer are ACKs; skip the general decoder.
            return run(.packet(.ack(block: block)), context: context)
        }
        let packet: TFTPPacket
        do {
            packet = try TFTPPacket(decoding: bytes)
        } catch {
            if bytes.count >= 2, bytes.prefix(2).elementsEqual([0, 5]) {
                // A truncated ERROR (even 2 bytes) still means the client gave up.
                run(.packet(.error(code: .notDefined, message: "truncated ERROR packet")), context: context)
            } else {
                logger.debug("tftp malformed packet ignored", metadata: ["client": "\(client.logText)", "error": "\(error)"])
            }
            return
        }
        run(.packet(packet), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        if !done { report(.protocolError("channel closed"), context: context) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // ICMP port unreachable and the like: the client went away.
        logger.debug("tftp transfer socket error", metadata: ["client": "\(client.logText)", "error": "\(error)"])
    }

    private func run(_ event: TFTPTransfer.Event, context: ChannelHandlerContext) {
        transfer.handle(event, into: &actions)
        for action in actions {
            switch action {
            case .send(.data(let block)):
                pendingBlocks.append(block)
            case .send(let outgoing):
                writePendingBlocks(context: context)
                send(buffer(for: outgoing, allocator: context.channel.allocator), to: client, context: context)
            case .armTimer(let seconds):
                deadline = context.eventLoop.now + .seconds(Int64(seconds))
                if timer == nil { scheduleTimer(context: context) }
            case .finish(let outcome):
                writePendingBlocks(context: context)
                timer?.cancel()
                timer = nil
                context.flush()
                report(outcome, context: context)
                context.close(promise: nil)
                return
            }
        }
        writePendingBlocks(context: context)
        // With its own socket, everything has left already (sendto).
        if socket == nil { context.flush() }
    }

    /// Writes the DATA packets queued by one event: runs of full-size blocks as
    /// GSO writes when enabled, everything else one datagram each.
    private func writePendingBlocks(context: ChannelHandlerContext) {
        guard !pendingBlocks.isEmpty else { return }
        defer { pendingBlocks.removeAll(keepingCapacity: true) }
        let blockSize = transfer.negotiation.blockSize
        var index = 0
        while index < pendingBlocks.count {
            var run = 0
            while segmentsPerWrite > 1, run < segmentsPerWrite, index + run < pendingBlocks.count,
                  transfer.range(ofBlock: pendingBlocks[index + run]).count == blockSize {
                run += 1
            }
            if run >= 2 {
                var out = context.channel.allocator.buffer(capacity: run * (4 + blockSize))
                for block in pendingBlocks[index..<index + run] { appendData(block, to: &out) }
                let metadata = AddressedEnvelope<ByteBuffer>.Metadata(ecnState: .transportNotCapable, packetInfo: nil, segmentSize: 4 + blockSize)
                let promise = context.eventLoop.makePromise(of: Void.self)
                // Strong, as the timer's: the write completes soon, and a weak
                // reference would slow every retain of the handler.
                promise.futureResult.assumeIsolated().whenFailure { error in
                    guard self.segmentsPerWrite > 1 else { return }
                    self.segmentsPerWrite = 1
                    self.logger.notice("tftp segmentation offload failed; sending one datagram per block", metadata: ["error": "\(error)"])
                }
                context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: client, data: out, metadata: metadata)), promise: promise)
                index += run
            } else {
                // One buffer for the transfer's life: the write before has left
                // the socket by now (flushed), so clearing it reuses its storage
                // instead of allocating a block's worth per block.
                scratch.clear()
                appendData(pendingBlocks[index], to: &scratch)
                send(scratch, to: client, context: context)
                index += 1
            }
        }
    }

    /// One datagram: by sendto(2) on the transfer's socket when it has one
    /// (a refused send is a lost packet: retransmission covers it), else
    /// written to the channel (flushed by the caller).
    private func send(_ bytes: ByteBuffer, to destination: SocketAddress, context: ChannelHandlerContext) {
        guard let socket else {
            return context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: destination, data: bytes)), promise: nil)
        }
        if let error = TransferSocket.send(bytes, to: destination, on: socket) {
            logger.debug("tftp datagram not sent", metadata: ["client": "\(destination.logText)", "error": "\(String(cString: strerror(error)))"])
        }
    }

    private func appendData(_ block: UInt64, to out: inout ByteBuffer) {
        out.writeTFTPData(block: block, of: file, range: transfer.range(ofBlock: block))
    }

    /// The task holds the handler strongly, and lives only until it fires or
    /// `finish`/`channelInactive` cancel it. A `[weak self]` here would give
    /// the handler a side table, and every retain and release of it (several
    /// per packet in NIO's pipeline) would take the runtime's slow path.
    private func scheduleTimer(context: ChannelHandlerContext) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            guard !self.done else { return }
            self.timer = nil
            if context.eventLoop.now >= self.deadline {
                self.run(.timeout, context: context)
            } else {
                self.scheduleTimer(context: context)
            }
        }
    }

    private func buffer(for outgoing: TFTPTransfer.Outgoing, allocator: ByteBufferAllocator) -> ByteBuffer {
        switch outgoing {
        case .data(let block):
            var out = allocator.buffer(capacity: 4 + transfer.range(ofBlock: block).count)
            appendData(block, to: &out)
            return out
        case .optionAck(let options):
            return allocator.buffer(bytes: TFTPPacket.optionAck(options).encoded())
        case .error(let code, let message):
            return allocator.buffer(bytes: TFTPPacket.error(code: code, message: message).encoded())
        }
    }

    private func report(_ outcome: TFTPTransfer.Outcome, context: ChannelHandlerContext) {
        guard !done else { return }
        done = true
        let acknowledged = transfer.acknowledged
        let bytes = acknowledged == 0 ? 0 : min(Int(acknowledged) * transfer.negotiation.blockSize, transfer.fileSize)
        let seconds = Double((NIODeadline.now() - started).nanoseconds) / 1e9
        onFinish(Summary(client: client, file: fileName, outcome: outcome, bytesSent: bytes,
                         blockSize: transfer.negotiation.blockSize, windowSize: transfer.negotiation.windowSize, seconds: seconds))
    }
}

extension ByteBuffer {
    /// One DATA packet (RFC 1350): opcode 3, the block number (rolled over
    /// past 65535) and the bytes `range` of `file`. TFTP and MTFTP both send with it.
    mutating func writeTFTPData(block: UInt64, of file: ByteBuffer, range: Range<Int>) {
        writeInteger(TFTPPacket.Opcode.data.rawValue)
        writeInteger(UInt16(truncatingIfNeeded: block))
        if var slice = file.getSlice(at: file.readerIndex + range.lowerBound, length: range.count) {
            writeBuffer(&slice)
        }
    }
}
