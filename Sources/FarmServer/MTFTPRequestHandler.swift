import Logging
import NetbootWire
import NIOConcurrencyHelpers
import NIOCore

/// What a new MTFTP transfer needs.
struct MTFTPTransferStart: Sendable {
    var master: SocketAddress
    var group: MTFTPGroup
    var path: String
    var fileName: String
    var file: ByteBuffer
    var transfer: MTFTPTransfer
}

/// The listener on the MTFTP port (1759): an RRQ for a file with a group
/// starts its multicast transfer, unless one is already running, in which
/// case the client is expected to be listening to it and the request is
/// ignored (logged). A file without a group, or too large for 512-byte
/// blocks, gets an ERROR so the client falls back to plain TFTP at once.
final class MTFTPRequestHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let policy: TFTPPathPolicy
    private let cache: FileCache
    private let groups: [String: MTFTPGroup]
    private let running: NIOLockedValueBox<Set<String>>
    private let timeout: Int
    private let maximumRetries: Int
    private let logger: Logger
    private let startTransfer: @Sendable (MTFTPTransferStart) -> Void

    init(policy: TFTPPathPolicy, cache: FileCache, groups: [String: MTFTPGroup], running: NIOLockedValueBox<Set<String>>,
         timeout: Int, maximumRetries: Int, logger: Logger, startTransfer: @escaping @Sendable (MTFTPTransferStart) -> Void) {
        self.policy = policy
        self.cache = cache
        self.groups = groups
        self.running = running
        self.timeout = timeout
        self.maximumRetries = maximumRetries
        self.logger = logger
        self.startTransfer = startTransfer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let peer = envelope.remoteAddress
        let packet: TFTPPacket
        do {
            packet = try TFTPPacket(decoding: envelope.data.readableBytesView)
        } catch {
            logger.info("mtftp malformed request", metadata: ["client": "\(peer.logText)", "error": "\(error)"])
            if case .truncated(_, _, opcode: TFTPPacket.Opcode.error.rawValue) = error { return }
            return reply(.illegalOperation, "Illegal TFTP operation", to: peer, context: context)
        }
        switch packet {
        case .readRequest(let request):
            read(request, from: peer, context: context)
        case .writeRequest:
            reply(.accessViolation, "Write requests are refused (read-only server)", to: peer, context: context)
        case .error:
            return
        case .data, .ack, .optionAck:
            reply(.illegalOperation, "Illegal TFTP operation", to: peer, context: context)
        }
    }

    private func read(_ request: TFTPRequest, from peer: SocketAddress, context: ChannelHandlerContext) {
        var meta: Logger.Metadata = ["client": "\(peer.logText)", "file": "\(request.filenameText)"]
        guard request.mode.lowercased() == "octet" else {
            logger.info("mtftp mode refused", metadata: meta)
            return reply(.illegalOperation, "MTFTP serves octet mode only", to: peer, context: context)
        }
        let name: String, path: String
        do {
            name = try TFTPPathPolicy.checkedRelativeName(request.filename)
            path = try policy.resolve(request.filename)
        } catch {
            meta["reason"] = "\(error)"
            logger.info("mtftp request refused", metadata: meta)
            return reply(error.tftpCode, error.wireMessage, to: peer, context: context)
        }
        guard let group = groups[name] else {
            logger.info("mtftp no multicast group for this file; the client falls back to TFTP", metadata: meta)
            return reply(.fileNotFound, "No MTFTP group for this file; use TFTP", to: peer, context: context)
        }
        guard running.withLockedValue({ $0.insert(path).inserted }) else {
            logger.info("mtftp transfer already running; the client listens to it", metadata: meta)
            return
        }
        let file: ByteBuffer
        do {
            file = try cache.contents(of: path)
        } catch {
            running.withLockedValue { _ = $0.remove(path) }
            meta["reason"] = "\(error)"
            logger.warning("mtftp file unreadable", metadata: meta)
            return reply(.accessViolation, "Access violation", to: peer, context: context)
        }
        guard let transfer = MTFTPTransfer(fileSize: file.readableBytes, timeout: timeout, maximumRetries: maximumRetries) else {
            running.withLockedValue { _ = $0.remove(path) }
            logger.info("mtftp file over 65535 blocks of 512 bytes; the client falls back to TFTP", metadata: meta)
            return reply(.accessViolation, "File too large for MTFTP; use TFTP", to: peer, context: context)
        }
        startTransfer(MTFTPTransferStart(master: peer, group: group, path: path, fileName: name, file: file, transfer: transfer))
    }

    private func reply(_ code: TFTPErrorCode, _ message: String, to peer: SocketAddress, context: ChannelHandlerContext) {
        let bytes = TFTPPacket.error(code: code, message: message).encoded()
        context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: peer, data: context.channel.allocator.buffer(bytes: bytes))), promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        logger.debug("mtftp request socket error", metadata: ["error": "\(error)"])
    }
}
