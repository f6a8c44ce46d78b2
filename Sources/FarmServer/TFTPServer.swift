import Logging
import NIOCore
import NIOPosix

/// The read-only TFTP server (RFC 1350, 2347-2349, 7440): a listener on the
/// TFTP port and one ephemeral port per transfer, all on the given event loop
/// group. `pxefarm serve` runs one beside the DHCP and MTFTP listeners; tests
/// run it on 127.0.0.1 high ports.
public final class TFTPServer: Sendable {
    public struct Configuration: Sendable {
        /// The directory served; nothing outside it (after resolving symlinks) is.
        /// Resolved at every request, so a link through `.pxefarm/current` follows each publish.
        public var root: String
        public var host: String
        /// 69 in production; 0 picks a free port (see `localAddress`).
        public var port: Int
        /// Transfers running at once; requests beyond are dropped (and logged) until one ends.
        public var maximumTransfers: Int
        /// The largest blksize granted; lowered further to the MTU of the
        /// interface each request arrives on, minus 32.
        public var maximumBlockSize: Int
        public var maximumWindowSize: Int
        /// Seconds before a retransmission when the client sets no timeout option.
        public var defaultTimeout: Int
        /// Retransmissions of one window before the transfer is abandoned.
        public var maximumRetries: Int
        /// Bytes of file contents kept in memory between transfers.
        public var cacheBudget: Int
        /// Send a window's full blocks with one GSO write where Linux supports it.
        public var segmentationOffload: Bool
        /// Told about every transfer when it ends (the daemon records boot stages with it).
        public var onTransferEnd: (@Sendable (TFTPFetchReport) -> Void)?
        /// Files served from memory in place of the tree's (per-node boot files the daemon renders).
        public var overlay: TFTPOverlay?

        public init(root: String, host: String = "0.0.0.0", port: Int = 69, maximumTransfers: Int = 1024,
                    maximumBlockSize: Int = 65464, maximumWindowSize: Int = 64, defaultTimeout: Int = 1,
                    maximumRetries: Int = 5, cacheBudget: Int = 512 << 20, segmentationOffload: Bool = true) {
            self.root = root
            self.host = host
            self.port = port
            self.maximumTransfers = maximumTransfers
            self.maximumBlockSize = maximumBlockSize
            self.maximumWindowSize = maximumWindowSize
            self.defaultTimeout = defaultTimeout
            self.maximumRetries = maximumRetries
            self.cacheBudget = cacheBudget
            self.segmentationOffload = segmentationOffload
            self.onTransferEnd = nil
            self.overlay = nil
        }
    }

    public let configuration: Configuration
    public let cache: FileCache
    /// Requests and packets refused or dropped, by reason (logged by the daemon).
    public let refusals: RefusalCounter
    private let channel: Channel
    private let registry: TransferRegistry

    /// Where the listener is bound (the real port when 0 was asked for).
    public var localAddress: SocketAddress? { channel.localAddress }
    /// Transfers in progress now.
    public var activeTransfers: Int { registry.activeCount }

    private init(configuration: Configuration, cache: FileCache, refusals: RefusalCounter, channel: Channel, registry: TransferRegistry) {
        self.configuration = configuration
        self.cache = cache
        self.refusals = refusals
        self.channel = channel
        self.registry = registry
    }

    /// Checks the root, binds the listener and starts serving.
    public static func start(_ configuration: Configuration, group: EventLoopGroup, logger: Logger) async throws -> TFTPServer {
        try await start(configuration, group: group, logger: logger).get()
    }

    /// The same, for callers outside async code (the daemon's main thread).
    public static func start(_ configuration: Configuration, group: EventLoopGroup, logger: Logger) -> EventLoopFuture<TFTPServer> {
        let policy: TFTPPathPolicy
        do {
            policy = try TFTPPathPolicy(root: configuration.root)
        } catch {
            return group.next().makeFailedFuture(error)
        }
        let cache = FileCache(budget: configuration.cacheBudget, threadPool: NIOThreadPool.singleton)
        let refusals = RefusalCounter()
        let registry = TransferRegistry(limit: configuration.maximumTransfers, logger: logger)
        let settings = TFTPRequestHandler.Settings(
            limits: TFTPNegotiation.Limits(maximumBlockSize: configuration.maximumBlockSize,
                                           maximumWindowSize: configuration.maximumWindowSize,
                                           defaultTimeout: configuration.defaultTimeout),
            maximumRetries: configuration.maximumRetries,
            clampToInterfaceMTU: true)
        let listenHost = configuration.host
        let offload = configuration.segmentationOffload
        let onTransferEnd = configuration.onTransferEnd
        let starter: @Sendable (TFTPTransferStart) -> Void = { start in
            Self.open(start, host: listenHost, segmentationOffload: offload, group: group, registry: registry, refusals: refusals,
                      logger: logger, onTransferEnd: onTransferEnd)
        }
        return DatagramBootstrap.requestListener(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        TFTPRequestHandler(policy: policy, cache: cache, overlay: configuration.overlay, registry: registry, settings: settings,
                                           logger: logger, refusals: refusals, startTransfer: starter))
                }
            }
            .bind(host: configuration.host, port: configuration.port)
            .flatMapErrorThrowing { error in
                throw FarmServerError.cannotListen(.tftp, host: configuration.host, port: configuration.port, reason: "\(error)")
            }
            .map { channel in
                let port = channel.localAddress?.port ?? configuration.port
                logger.info("tftp serving", metadata: ["root": "\(policy.root)", "tree": "\(policy.currentTree ?? "-")", "host": "\(configuration.host)", "port": "\(port)"])
                return TFTPServer(configuration: configuration, cache: cache, refusals: refusals, channel: channel, registry: registry)
            }
    }

    /// Stops listening for new requests; transfers under way run to their end.
    public func stop() async throws {
        try await channel.close()
    }

    public func stop() -> EventLoopFuture<Void> {
        channel.close()
    }

    /// Opens the transfer's own port (its TID) and runs it there.
    private static func open(_ start: TFTPTransferStart, host: String, segmentationOffload: Bool, group: EventLoopGroup,
                             registry: TransferRegistry, refusals: RefusalCounter, logger: Logger,
                             onTransferEnd: (@Sendable (TFTPFetchReport) -> Void)? = nil) {
        let onFinish: @Sendable (TFTPTransferHandler.Summary) -> Void = { summary in
            // Log before freeing the slot, so whoever sees the slot free also finds the line.
            defer { registry.end(summary.client) }
            onTransferEnd?(summary.report)
            var meta: Logger.Metadata = [
                "client": "\(summary.client.logText)", "file": "\(summary.file)", "bytes": "\(summary.bytesSent)",
                "ms": "\(Int((summary.seconds * 1000).rounded()))",
                "blksize": "\(summary.blockSize)", "windowsize": "\(summary.windowSize)",
            ]
            switch summary.outcome {
            case .completed:
                logger.info("tftp transfer done", metadata: meta)
            case .clientError(let code, let message):
                meta["error"] = "\(code) \(message)"
                logger.info("tftp transfer aborted by client", metadata: meta)
            case .timedOut:
                logger.warning("tftp transfer timed out", metadata: meta)
            case .protocolError(let reason):
                meta["reason"] = "\(reason)"
                logger.warning("tftp transfer failed", metadata: meta)
            }
        }
        let segments = segmentationOffload && start.transfer.negotiation.windowSize > 1
            ? TFTPTransferHandler.segmentsPerWrite(blockSize: start.transfer.negotiation.blockSize) : 1
        let cannotOpen = { (error: any Error) in
            registry.end(start.client)
            logger.error("tftp cannot open a transfer port", metadata: ["client": "\(start.client.logText)", "error": "\(error)"])
        }
        let socket: CInt
        do {
            socket = try TransferSocket.open(boundTo: try start.localAddress ?? SocketAddress(ipAddress: host, port: 0))
        } catch {
            return cannotOpen(error)
        }
        DatagramBootstrap(group: group)
            // A client sends one ACK per window (per block in lockstep): one read per
            // wakeup, without the second recvmsg that would only say EAGAIN; and a
            // small buffer, since what comes is an ACK or an ERROR.
            .channelOption(.maxMessagesPerRead, value: 1)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 1024))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // GSO windows go through the channel (NIO writes UDP_SEGMENT); all else by sendto.
                    try channel.pipeline.syncOperations.addHandler(
                        TFTPTransferHandler(client: start.client, file: start.file, fileName: start.fileName,
                                            transfer: start.transfer, logger: logger, refusals: refusals, segmentsPerWrite: segments,
                                            socket: segments > 1 ? nil : socket, onFinish: onFinish))
                }
            }
            .withBoundSocket(socket)
            .whenFailure(cannotOpen)
    }
}
