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
/// refused. Nothing here blocks on the network; file contents come from the
/// shared `FileCache`.
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
        let peer = envelope.remoteAddress
        let packet: TFTPPacket
        do {
            packet = try TFTPPacket(decoding: envelope.data.readableBytesView)
        } catch {
            refusals.count("malformed")
            logger.info("tftp malformed request", metadata: ["client": "\(peer.logText)", "error": "\(error)"])
            switch error {
            case .optionWithoutValue: reply(.optionRefused, "\(error)", to: peer, context: context)
            case .truncated(_, _, opcode: TFTPPacket.Opcode.error.rawValue): break
            default: reply(.illegalOperation, "Illegal TFTP operation", to: peer, context: context)
            }
            return
        }
        switch packet {
        case .readRequest(let request):
            read(request, from: peer, arrivedOn: envelope.metadata?.packetInfo, context: context)
        case .writeRequest(let request):
            refusals.count("write-request")
            logger.info("tftp write refused", metadata: ["client": "\(peer.logText)", "file": "\(request.filenameText)"])
            reply(.accessViolation, "Write requests are refused (read-only server)", to: peer, context: context)
        case .error:
            // Never answer an ERROR; a stray one on the listening port means nothing.
            refusals.count("stray-error")
            logger.debug("tftp stray ERROR on the request port ignored", metadata: ["client": "\(peer.logText)"])
        case .data, .ack, .optionAck:
            refusals.count("not-a-request")
            logger.info("tftp non-request on the request port", metadata: ["client": "\(peer.logText)", "packet": "\(packet.dump)"])
            reply(.illegalOperation, "Illegal TFTP operation", to: peer, context: context)
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
        let file: ByteBuffer
        if let overlay, let name = try? TFTPPathPolicy.checkedRelativeName(request.filename),
           let rendered = overlay.contents(of: name, netascii: mode == "netascii") {
            // A per-node boot file the daemon renders (rollout, one-shot arguments); same name checks as the tree.
            file = rendered
        } else {
            let path: String
            do {
                path = try policy.resolve(request.filename)
            } catch {
                refusals.count(error.reason)
                meta["reason"] = "\(error)"
                logger.info("tftp request refused", metadata: meta)
                return reply(error.tftpCode, error.wireMessage, to: peer, context: context)
            }
            do {
                file = try cache.contents(of: path, netascii: mode == "netascii")
            } catch {
                refusals.count("unreadable")
                meta["reason"] = "\(error)"
                logger.warning("tftp file unreadable", metadata: meta)
                return reply(.accessViolation, "Access violation", to: peer, context: context)
            }
        }
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
        startTransfer(TFTPTransferStart(client: peer, localAddress: local, fileName: name, file: file, transfer: transfer))
    }

    private func reply(_ code: TFTPErrorCode, _ message: String, to peer: SocketAddress, context: ChannelHandlerContext) {
        let bytes = TFTPPacket.error(code: code, message: message).encoded()
        context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: peer, data: context.channel.allocator.buffer(bytes: bytes))), promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A UDP listener keeps listening: errors here are per-datagram (ICMP unreachable from a gone client).
        logger.debug("tftp request socket error", metadata: ["error": "\(error)"])
    }
}
