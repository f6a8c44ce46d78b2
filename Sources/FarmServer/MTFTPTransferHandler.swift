import Logging
import NetbootWire
import NIOCore

/// Drives one `MTFTPTransfer` on its own port: block 1 to the master, the
/// rest to the group; only the master's packets count, anyone else's are
/// dropped (listeners never ACK; a stray gets ERROR 5 unless it is an ERROR).
final class MTFTPTransferHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let master: SocketAddress
    private let group: SocketAddress
    private let file: ByteBuffer
    private let fileName: String
    private var transfer: MTFTPTransfer
    private let logger: Logger
    private let onFinish: @Sendable (TFTPTransfer.Outcome, Int) -> Void
    private var timer: Scheduled<Void>?
    private var deadline: NIODeadline = .distantFuture
    private var done = false

    init(master: SocketAddress, group: SocketAddress, file: ByteBuffer, fileName: String, transfer: MTFTPTransfer,
         logger: Logger, onFinish: @escaping @Sendable (TFTPTransfer.Outcome, Int) -> Void) {
        self.master = master
        self.group = group
        self.file = file
        self.fileName = fileName
        self.transfer = transfer
        self.logger = logger
        self.onFinish = onFinish
    }

    func channelActive(context: ChannelHandlerContext) {
        run(.start, context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let bytes = envelope.data.readableBytesView
        guard envelope.remoteAddress == master else {
            if bytes.count >= 2, !bytes.prefix(2).elementsEqual([0, 5]) {
                let error = TFTPPacket.error(code: .unknownTransferID, message: "Unknown transfer ID").encoded()
                context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: context.channel.allocator.buffer(bytes: error))), promise: nil)
            }
            return
        }
        guard let packet = try? TFTPPacket(decoding: bytes) else {
            if bytes.count >= 2, bytes.prefix(2).elementsEqual([0, 5]) {
                run(.packet(.error(code: .notDefined, message: "truncated ERROR packet")), context: context)
            }
            return
        }
        run(.packet(packet), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        if !done { report(.protocolError("channel closed")) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        logger.debug("mtftp transfer socket error", metadata: ["client": "\(master.logText)", "error": "\(error)"])
    }

    private func run(_ event: TFTPTransfer.Event, context: ChannelHandlerContext) {
        for action in transfer.handle(event) {
            switch action {
            case .sendData(let block, let destination):
                let range = transfer.range(ofBlock: block)
                var out = context.channel.allocator.buffer(capacity: 4 + range.count)
                out.writeTFTPData(block: UInt64(block), of: file, range: range)
                context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: destination == .master ? master : group, data: out)), promise: nil)
            case .sendError(let code, let message):
                let bytes = TFTPPacket.error(code: code, message: message).encoded()
                context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: master, data: context.channel.allocator.buffer(bytes: bytes))), promise: nil)
            case .armTimer(let seconds):
                deadline = context.eventLoop.now + .seconds(Int64(seconds))
                if timer == nil { scheduleTimer(context: context) }
            case .finish(let outcome):
                timer?.cancel()
                timer = nil
                context.flush()
                report(outcome)
                context.close(promise: nil)
                return
            }
        }
        context.flush()
    }

    private func scheduleTimer(context: ChannelHandlerContext) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [weak self] in
            guard let self, !self.done else { return }
            self.timer = nil
            if context.eventLoop.now >= self.deadline {
                self.run(.timeout, context: context)
            } else {
                self.scheduleTimer(context: context)
            }
        }
    }

    private func report(_ outcome: TFTPTransfer.Outcome) {
        guard !done else { return }
        done = true
        let bytes = min(Int(transfer.acknowledged) * MTFTPTransfer.blockSize, transfer.fileSize)
        onFinish(outcome, bytes)
    }
}
