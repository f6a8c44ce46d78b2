import Logging
import NetbootWire
import NIOCore

/// The listener on the TFTP port (69): reads requests, refuses what must be
/// refused, each with a log line saying why, and hands accepted reads to
/// `startTransfer`, which opens the transfer's own port. Reads only: a WRQ is
/// refused. Nothing here blocks on the network or waits for a file read: file
/// contents come from the shared `FileCache`, which reads off the event loop.
final class TFTPRequestHandler: TFTPRequestListener {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    struct Settings: Sendable {
        var limits: TFTPNegotiation.Limits
        var maximumRetries: Int
        /// Clamp blksize to the MTU of the interface each request arrived on.
        var clampToInterfaceMTU: Bool
    }

    let intake: TFTPRequestIntake
    private let overlay: TFTPOverlay?
    private let registry: TransferRegistry
    private let settings: Settings
    private let startTransfer: @Sendable (TFTPTransferStart) -> Void

    init(policy: TFTPPathPolicy, cache: FileCache, overlay: TFTPOverlay? = nil, registry: TransferRegistry, settings: Settings, logger: Logger,
         refusals: RefusalCounter = RefusalCounter(), startTransfer: @escaping @Sendable (TFTPTransferStart) -> Void) {
        intake = TFTPRequestIntake(listener: "tftp", policy: policy, cache: cache, logger: logger, refusals: refusals)
        self.overlay = overlay
        self.registry = registry
        self.settings = settings
        self.startTransfer = startTransfer
    }

    func read(_ request: TFTPRequest, from envelope: AddressedEnvelope<ByteBuffer>, context: ChannelHandlerContext) {
        let peer = envelope.remoteAddress, info = envelope.metadata?.packetInfo
        let meta = intake.metadata(request, from: peer)
        let mode = request.mode.lowercased()
        guard mode == "octet" || mode == "netascii" else {
            return intake.refuse("mode", "mode refused", metadata: meta.merging(["mode": "\(request.mode.escapedForLog)"]) { $1 },
                                 answering: .illegalOperation, "Mode \(request.mode.escapedForLog) is not supported", to: peer, context: context)
        }
        let netascii = mode == "netascii"
        if let overlay, let name = try? TFTPPathPolicy.checkedRelativeName(request.filename),
           let rendered = overlay.contents(of: name, netascii: netascii) {
            // A per-node boot file the daemon renders (rollout, one-shot arguments); same name checks as the tree.
            return serve(rendered, request, from: peer, arrivedOn: info, meta: meta, context: context)
        }
        let file: TFTPFile
        do {
            file = try intake.policy.resolve(request.filename)
        } catch {
            return intake.refuse(error, metadata: meta, to: peer, context: context)
        }
        // Read off the event loop (or taken from the cache); the transfer keeps these bytes to its end.
        intake.cache.contents(of: file, netascii: netascii, on: context.eventLoop).assumeIsolated().whenComplete { result in
            switch result {
            case .success(let bytes):
                self.serve(bytes, request, from: peer, arrivedOn: info, meta: meta, context: context)
            case .failure(let error):
                self.intake.refuseUnreadable(error, metadata: meta, to: peer, context: context)
            }
        }
    }

    /// Negotiates the options against the file's size and starts the transfer.
    private func serve(_ file: ByteBuffer, _ request: TFTPRequest, from peer: SocketAddress, arrivedOn info: NIOPacketInfo?,
                       meta: Logger.Metadata, context: ChannelHandlerContext) {
        var limits = settings.limits
        if settings.clampToInterfaceMTU, let index = info?.interfaceIndex, let mtu = InterfaceMTU.mtu(interfaceIndex: index) {
            limits.maximumBlockSize = min(limits.maximumBlockSize, InterfaceMTU.blockSizeLimit(mtu: mtu))
        }
        let negotiation: TFTPNegotiation
        do {
            negotiation = try TFTPNegotiation(options: request.options, fileSize: file.readableBytes, limits: limits)
        } catch {
            return intake.refuse("options", "options refused", metadata: meta.merging(["reason": "\(error)"]) { $1 },
                                 answering: .optionRefused, "\(error)", to: peer, context: context)
        }
        switch registry.admit(peer) {
        case .duplicate:
            intake.refusals.count("duplicate")
            intake.logger.debug("tftp repeated request for a running transfer ignored", metadata: meta)
            return
        case .full:
            intake.refusals.count("transfer-limit")
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
}
