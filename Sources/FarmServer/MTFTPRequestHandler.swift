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
    private let refusals: RefusalCounter
    private let startTransfer: @Sendable (MTFTPTransferStart) -> Void

    init(policy: TFTPPathPolicy, cache: FileCache, groups: [String: MTFTPGroup], running: NIOLockedValueBox<Set<String>>,
         timeout: Int, maximumRetries: Int, logger: Logger, refusals: RefusalCounter = RefusalCounter(message: "refused mtftp packets"),
         startTransfer: @escaping @Sendable (MTFTPTransferStart) -> Void) {
        self.policy = policy
        self.cache = cache
        self.groups = groups
        self.running = running
        self.timeout = timeout
        self.maximumRetries = maximumRetries
        self.logger = logger
        self.refusals = refusals
        self.startTransfer = startTransfer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        switch TFTPRequestTriage(envelope.data.readableBytesView) {
        case .read(let request):
            read(request, from: envelope.remoteAddress, context: context)
        case .refuse(let refusal):
            context.refuse(refusal, from: envelope.remoteAddress, listener: "mtftp", refusals: refusals, logger: logger)
        }
    }

    private func read(_ request: TFTPRequest, from peer: SocketAddress, context: ChannelHandlerContext) {
        var meta: Logger.Metadata = ["client": "\(peer.logText)", "file": "\(request.filenameText)"]
        guard request.mode.lowercased() == "octet" else {
            refusals.count("mode")
            logger.info("mtftp mode refused", metadata: meta)
            return reply(.illegalOperation, "MTFTP serves octet mode only", to: peer, context: context)
        }
        let name: String, file: TFTPFile
        do {
            name = try TFTPPathPolicy.checkedRelativeName(request.filename)
            file = try policy.resolve(request.filename)
        } catch {
            refusals.count(error.reason)
            meta["reason"] = "\(error)"
            logger.info("mtftp request refused", metadata: meta)
            return reply(error.tftpCode, error.wireMessage, to: peer, context: context)
        }
        guard let group = groups[name] else {
            refusals.count("no-group")
            logger.info("mtftp no multicast group for this file; the client falls back to TFTP", metadata: meta)
            return reply(.fileNotFound, "No MTFTP group for this file; use TFTP", to: peer, context: context)
        }
        let path = file.path
        guard running.withLockedValue({ $0.insert(path).inserted }) else {
            logger.info("mtftp transfer already running; the client listens to it", metadata: meta)
            return
        }
        cache.contents(of: file, on: context.eventLoop).assumeIsolated().whenComplete { result in
            let bytes: ByteBuffer
            switch result {
            case .success(let read):
                bytes = read
            case .failure(let error):
                self.running.withLockedValue { _ = $0.remove(path) }
                self.refusals.count("unreadable")
                meta["reason"] = "\(error)"
                self.logger.warning("mtftp file unreadable", metadata: meta)
                return self.reply(.accessViolation, "Access violation", to: peer, context: context)
            }
            guard let transfer = MTFTPTransfer(fileSize: bytes.readableBytes, timeout: self.timeout, maximumRetries: self.maximumRetries) else {
                self.running.withLockedValue { _ = $0.remove(path) }
                self.refusals.count("too-large")
                self.logger.info("mtftp file over 65535 blocks of 512 bytes; the client falls back to TFTP", metadata: meta)
                return self.reply(.accessViolation, "File too large for MTFTP; use TFTP", to: peer, context: context)
            }
            self.startTransfer(MTFTPTransferStart(master: peer, group: group, path: path, fileName: name, file: bytes, transfer: transfer))
        }
    }

    private func reply(_ code: TFTPErrorCode, _ message: String, to peer: SocketAddress, context: ChannelHandlerContext) {
        context.sendTFTPError(code, message, to: peer)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        logger.debug("mtftp request socket error", metadata: ["error": "\(error)"])
    }
}
