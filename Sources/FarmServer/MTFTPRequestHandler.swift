import Logging
import NetbootWire
import NIOConcurrencyHelpers
import NIOCore

/// The listener on the MTFTP port (1759): an RRQ for a file with a group
/// starts its multicast transfer, unless one is already running, in which
/// case the client is expected to be listening to it and the request is
/// ignored (logged). A file without a group, or too large for 512-byte
/// blocks, gets an ERROR so the client falls back to plain TFTP at once.
final class MTFTPRequestHandler: TFTPRequestListener {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    let intake: TFTPRequestIntake
    private let groups: [String: MTFTPGroup]
    private let running: NIOLockedValueBox<Set<String>>
    private let timeout: Int
    private let maximumRetries: Int
    private let startTransfer: @Sendable (MTFTPTransferStart) -> Void

    init(policy: TFTPPathPolicy, cache: FileCache, groups: [String: MTFTPGroup], running: NIOLockedValueBox<Set<String>>,
         timeout: Int, maximumRetries: Int, logger: Logger, refusals: RefusalCounter = RefusalCounter(message: "refused mtftp packets"),
         startTransfer: @escaping @Sendable (MTFTPTransferStart) -> Void) {
        intake = TFTPRequestIntake(listener: "mtftp", policy: policy, cache: cache, logger: logger, refusals: refusals)
        self.groups = groups
        self.running = running
        self.timeout = timeout
        self.maximumRetries = maximumRetries
        self.startTransfer = startTransfer
    }

    func read(_ request: TFTPRequest, from envelope: AddressedEnvelope<ByteBuffer>, context: ChannelHandlerContext) {
        let peer = envelope.remoteAddress
        let meta = intake.metadata(request, from: peer)
        guard request.mode.lowercased() == "octet" else {
            return intake.refuse("mode", "mode refused", metadata: meta,
                                 answering: .illegalOperation, "MTFTP serves octet mode only", to: peer, context: context)
        }
        let name: String, file: TFTPFile
        do {
            name = try TFTPPathPolicy.checkedRelativeName(request.filename)
            file = try intake.policy.resolve(request.filename)
        } catch {
            return intake.refuse(error, metadata: meta, to: peer, context: context)
        }
        guard let group = groups[name] else {
            return intake.refuse("no-group", "no multicast group for this file; the client falls back to TFTP", metadata: meta,
                                 answering: .fileNotFound, "No MTFTP group for this file; use TFTP", to: peer, context: context)
        }
        let path = file.path
        guard running.withLockedValue({ $0.insert(path).inserted }) else {
            intake.logger.info("mtftp transfer already running; the client listens to it", metadata: meta)
            return
        }
        intake.cache.contents(of: file, on: context.eventLoop).assumeIsolated().whenComplete { result in
            let bytes: ByteBuffer
            switch result {
            case .success(let read):
                bytes = read
            case .failure(let error):
                self.running.withLockedValue { _ = $0.remove(path) }
                return self.intake.refuseUnreadable(error, metadata: meta, to: peer, context: context)
            }
            guard let transfer = MTFTPTransfer(fileSize: bytes.readableBytes, timeout: self.timeout, maximumRetries: self.maximumRetries) else {
                self.running.withLockedValue { _ = $0.remove(path) }
                return self.intake.refuse("too-large", "file over 65535 blocks of 512 bytes; the client falls back to TFTP", metadata: meta,
                                          answering: .accessViolation, "File too large for MTFTP; use TFTP", to: peer, context: context)
            }
            self.startTransfer(MTFTPTransferStart(master: peer, group: group, path: path, fileName: name, file: bytes, transfer: transfer))
        }
    }
}
