import Logging
import NetbootWire
import NIOCore

/// Everything a new transfer needs, decided by the request handler.
struct TFTPTransferStart: Sendable {
    var client: SocketAddress
    /// The address the request arrived at, when known: the transfer's socket binds there.
    var localAddress: SocketAddress?
    var fileName: String
    var file: ByteBuffer
    var transfer: TFTPTransfer
}

/// The listener on the TFTP port (69): reads requests, refuses what must be
/// refused, each with a log line saying why, and hands accepted reads to
/// `startTransfer`, which opens the transfer's own port. Reads only: a WRQ is
/// refused. Nothing here blocks on the network or waits for a file read: file
/// contents come from the shared `FileCache`, which reads off the event loop.
final class TFTPRequestHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    struct Settings: Sendable {
        var limits: TFTPNegotiation.Limits
        var maximumRetries: Int
        /// Clamp blksize to the MTU of the interface each request arrived on.
        var clampToInterfaceMTU: Bool
    }

    private let policy: TFTPPathPolicy
    private let cache: FileCache
    private let overlay: TFTPOverlay?
    private let registry: TransferRegistry
    private let settings: Settings
    private let logger: Logger
    private let refusals: RefusalCounter
    private let startTransfer: @Sendable (TFTPTransferStart) -> Void

    init(policy: TFTPPathPolicy, cache: FileCache, overlay: TFTPOverlay? = nil, registry: TransferRegistry, settings: Settings, logger: Logger,
         refusals: RefusalCounter = RefusalCounter(), startTransfer: @escaping @Sendable (TFTPTransferStart) -> Void) {
        self.policy = policy
        self.cache = cache
        self.overlay = overlay
        self.registry = registry
        self.settings = settings
        self.logger = logger
        self.refusals = refusals
        self.startTransfer = startTransfer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        switch TFTPRequestTriage(envelope.data.readableBytesView) {
        case .read(let request):
            read(request, from: envelope.remoteAddress, arrivedOn: envelope.metadata?.packetInfo, context: context)
        case .refuse(let refusal):
            context.refuse(refusal, from: envelope.remoteAddress, listener: "tftp", refusals: refusals, logger: logger)
        }
    }

    private func read(_ request: TFTPRequest, from peer: SocketAddress, arrivedOn info: NIOPacketInfo?, context: ChannelHandlerContext) {
        let name = request.filenameText
        var meta: Logger.Metadata = ["client": "\(peer.logText)", "file": "\(name)"]
        let mode = request.mode.lowercased()
        guard mode == "octet" || mode == "netascii" else {
            refusals.count("mode")
            logger.info("tftp mode refused", metadata: meta.merging(["mode": "\(request.mode.escapedForLog)"]) { $1 })
            return reply(.illegalOperation, "Mode \(request.mode.escapedForLog) is not supported", to: peer, context: context)
        }
        let netascii = mode == "netascii"
        if let overlay, let name = try? TFTPPathPolicy.checkedRelativeName(request.filename),
           let rendered = overlay.contents(of: name, netascii: netascii) {
            // A per-node boot file the daemon renders (rollout, one-shot arguments); same name checks as the tree.
            return serve(rendered, request, from: peer, arrivedOn: info, meta: meta, context: context)
        }
        let file: TFTPFile
        do {
            file = try policy.resolve(request.filename)
        } catch {
            refusals.count(error.reason)
            meta["reason"] = "\(error)"
            logger.info("tftp request refused", metadata: meta)
            return reply(error.tftpCode, error.wireMessage, to: peer, context: context)
        }
        // Read off the event loop (or taken from the cache); the transfer keeps these bytes to its end.
        cache.contents(of: file, netascii: netascii, on: context.eventLoop).assumeIsolated().whenComplete { result in
            switch result {
            case .success(let bytes):
                self.serve(bytes, request, from: peer, arrivedOn: info, meta: meta, context: context)
            case .failure(let error):
                self.refusals.count("unreadable")
                meta["reason"] = "\(error)"
                self.logger.warning("tftp file unreadable", metadata: meta)
                self.reply(.accessViolation, "Access violation", to: peer, context: context)
            }
        }
    }

    /// Negotiates the options against the file's size and starts the transfer.
    private func serve(_ file: ByteBuffer, _ request: TFTPRequest, from peer: SocketAddress, arrivedOn info: NIOPacketInfo?,
                       meta: Logger.Metadata, context: ChannelHandlerContext) {
        var meta = meta
        var limits = settings.limits
        if settings.clampToInterfaceMTU, let index = info?.interfaceIndex, let mtu = InterfaceMTU.mtu(interfaceIndex: index) {
            limits.maximumBlockSize = min(limits.maximumBlockSize, InterfaceMTU.blockSizeLimit(mtu: mtu))
        }
        let negotiation: TFTPNegotiation
        do {
            negotiation = try TFTPNegotiation(options: request.options, fileSize: file.readableBytes, limits: limits)
        } catch {
            refusals.count("options")
            meta["reason"] = "\(error)"
            logger.info("tftp options refused", metadata: meta)
            return reply(.optionRefused, "\(error)", to: peer, context: context)
        }
        switch registry.admit(peer) {
        case .duplicate:
            refusals.count("duplicate")
            logger.debug("tftp repeated request for a running transfer ignored", metadata: meta)
            return
        case .full:
            refusals.count("transfer-limit")
            return
        case .admitted:
            break
        }
        let transfer = TFTPTransfer(fileSize: file.readableBytes, negotiation: negotiation, maximumRetries: settings.maximumRetries)
        var local: SocketAddress?
        if let destination = info?.destinationAddress {
            local = try? SocketAddress(ipAddress: destination.ipAddress ?? "", port: 0)
        }
        startTransfer(TFTPTransferStart(client: peer, localAddress: local, fileName: request.filenameText, file: file, transfer: transfer))
    }

    private func reply(_ code: TFTPErrorCode, _ message: String, to peer: SocketAddress, context: ChannelHandlerContext) {
        context.sendTFTPError(code, message, to: peer)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A UDP listener keeps listening: errors here are per-datagram (ICMP unreachable from a gone client).
        logger.debug("tftp request socket error", metadata: ["error": "\(error)"])
    }
}
