import Logging
import NetbootWire
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// PXE MTFTP on its own port (1759 by default): one multicast transfer per
/// file at a time, shared by every client that listens to the file's group.
/// Shares the TFTP server's path policy and file cache.
public final class MTFTPServer: Sendable {
    public struct Configuration: Sendable {
        public var root: String
        public var host: String
        public var port: Int
        /// The multicast group of each file, keyed by its name under the root
        /// (`X86PC/UNDI/linux-boot/linux.1`). Files without one are refused so
        /// that clients fall back to TFTP.
        public var groups: [String: MTFTPGroup]
        /// The interface address multicast leaves from (IP_MULTICAST_IF);
        /// nil: `host`, unless that is 0.0.0.0 (then the routing table decides).
        public var multicastInterface: IPv4Address?
        public var multicastTTL: Int
        public var timeout: Int
        public var maximumRetries: Int

        public init(root: String, host: String = "0.0.0.0", port: Int = 1759, groups: [String: MTFTPGroup],
                    multicastInterface: IPv4Address? = nil, multicastTTL: Int = 1, timeout: Int = 1, maximumRetries: Int = 5) {
            self.root = root
            self.host = host
            self.port = port
            self.groups = groups
            self.multicastInterface = multicastInterface
            self.multicastTTL = multicastTTL
            self.timeout = timeout
            self.maximumRetries = maximumRetries
        }
    }

    private let channel: Channel
    private let running: NIOLockedValueBox<Set<String>>
    /// Requests refused, by reason (logged by the daemon as "refused mtftp packets").
    public let refusals: RefusalCounter

    public var localAddress: SocketAddress? { channel.localAddress }
    public var activeTransfers: Int { running.withLockedValue { $0.count } }

    private init(channel: Channel, running: NIOLockedValueBox<Set<String>>, refusals: RefusalCounter) {
        self.channel = channel
        self.running = running
        self.refusals = refusals
    }

    public static func start(_ configuration: Configuration, cache: FileCache, group: EventLoopGroup, logger: Logger) -> EventLoopFuture<MTFTPServer> {
        let policy: TFTPPathPolicy
        do {
            policy = try TFTPPathPolicy(root: configuration.root)
        } catch {
            return group.next().makeFailedFuture(error)
        }
        let running = NIOLockedValueBox(Set<String>())
        let refusals = RefusalCounter(message: "refused mtftp packets")
        let interface = configuration.multicastInterface ?? IPv4Address(configuration.host).flatMap { $0 == .any ? nil : $0 }
        let starter: @Sendable (MTFTPTransferStart) -> Void = { start in
            open(start, host: configuration.host, interface: interface, ttl: configuration.multicastTTL,
                 group: group, running: running, logger: logger)
        }
        return DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 2048))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        MTFTPRequestHandler(policy: policy, cache: cache, groups: configuration.groups, running: running,
                                            timeout: configuration.timeout, maximumRetries: configuration.maximumRetries,
                                            logger: logger, refusals: refusals, startTransfer: starter))
                }
            }
            .bind(host: configuration.host, port: configuration.port)
            .flatMapErrorThrowing { error in
                throw FarmServerError.cannotListen(.mtftp, host: configuration.host, port: configuration.port, reason: "\(error)")
            }
            .map { channel in
                logger.info("mtftp serving", metadata: ["host": "\(configuration.host)", "port": "\(channel.localAddress?.port ?? 0)",
                                                        "files": "\(configuration.groups.count)"])
                return MTFTPServer(channel: channel, running: running, refusals: refusals)
            }
    }

    public func stop() -> EventLoopFuture<Void> { channel.close() }

    private static func open(_ start: MTFTPTransferStart, host: String, interface: IPv4Address?, ttl: Int,
                             group: EventLoopGroup, running: NIOLockedValueBox<Set<String>>, logger: Logger) {
        let began = NIODeadline.now()
        let onFinish: @Sendable (TFTPTransfer.Outcome, Int) -> Void = { outcome, bytes in
            // Log before releasing the file, so whoever sees it free also finds the line.
            defer { running.withLockedValue { _ = $0.remove(start.path) } }
            let meta: Logger.Metadata = ["master": "\(start.master.logText)", "file": "\(start.fileName)", "bytes": "\(bytes)",
                                         "group": "\(start.group.address):\(start.group.clientPort)",
                                         "ms": "\((NIODeadline.now() - began).nanoseconds / 1_000_000)", "outcome": "\(outcome)"]
            if outcome == .completed { logger.info("mtftp transfer done", metadata: meta) } else { logger.warning("mtftp transfer ended", metadata: meta) }
        }
        let destination: SocketAddress
        do {
            destination = try SocketAddress(ipAddress: start.group.address.description, port: start.group.clientPort)
        } catch {
            running.withLockedValue { _ = $0.remove(start.path) }
            return
        }
        var bootstrap = DatagramBootstrap(group: group)
            .channelOption(.ipOption(.ip_multicast_ttl), value: SocketOptionValue(ttl))
            .channelOption(.ipOption(.ip_multicast_loop), value: 1)
        if let interface {
            // IP_MULTICAST_IF takes a struct in_addr: the address in network byte order.
            bootstrap = bootstrap.channelOption(.ipOption(.ip_multicast_if), value: SocketOptionValue(Int32(bitPattern: interface.value.bigEndian)))
        }
        bootstrap
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        MTFTPTransferHandler(master: start.master, group: destination, file: start.file, fileName: start.fileName,
                                             transfer: start.transfer, logger: logger, onFinish: onFinish))
                }
            }
            .bind(host: host, port: 0)
            .whenFailure { error in
                running.withLockedValue { _ = $0.remove(start.path) }
                logger.error("mtftp cannot open a transfer port", metadata: ["error": "\(error)"])
            }
    }
}
