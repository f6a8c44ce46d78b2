import FarmModel
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The HTTP listener of `pxefarm serve` (HTTP/1.0 and 1.1): kickstart files
/// (`GET|HEAD /ks/<node>.cfg`), the install callbacks
/// (`GET|POST /done/<node>?token=…`), one request per connection; and for HTTP
/// boot, iPXE scripts (`/boot/01-<mac>.ipxe`) and the TFTP tree's files
/// (`/EFI/...`, `/X86PC/...`, `/grub/...`, with Range), on connections the client may keep. It parses and refuses
/// (`HTTPRoute`); what to answer an accepted request is the responder's
/// business. The responder runs on the server's own thread pool, never on an
/// event loop, so it may take a lock and write a small file.
public final class HTTPServer: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        /// `CallbackToken.defaultPort` (8067) in production; 0 picks a free port (see `localPort`).
        public var port: Int
        /// Connections open at once; one beyond is closed at once and counted ("connection-limit").
        /// 1024 by default, as many as TFTP's transfers: a thousand iPXE nodes
        /// powered on together each keep one connection (bench/storm.sh).
        public var maximumConnections: Int
        /// From the connection opening to the end of the request; then 408 and the close.
        public var requestTimeout: TimeAmount
        /// Header fields (NIO's parser); the request line is bounded by `HTTPRoute.maximumTargetBytes`
        /// and the whole request, head and body, by this plus `maximumBodyBytes`.
        public var maximumHeadBytes: Int
        /// A larger body (by Content-Length, or as it arrives) gets 413.
        public var maximumBodyBytes: Int
        /// Threads the responder runs on.
        public var responderThreads: Int
        /// The TFTP tree served under its TFTP names (kernels, initrds, UEFI programs); nil refuses those with 404.
        public var files: HTTPBootFiles?

        public init(host: String = "0.0.0.0", port: Int = CallbackToken.defaultPort, maximumConnections: Int = 1024,
                    requestTimeout: TimeAmount = .seconds(10), maximumHeadBytes: Int = 8192, maximumBodyBytes: Int = 4096,
                    responderThreads: Int = 2) {
            self.host = host
            self.port = port
            self.maximumConnections = maximumConnections
            self.requestTimeout = requestTimeout
            self.maximumHeadBytes = maximumHeadBytes
            self.maximumBodyBytes = maximumBodyBytes
            self.responderThreads = responderThreads
            self.files = nil
        }
    }

    public let configuration: Configuration
    /// Requests and connections refused, by reason (logged by the daemon).
    public let refusals: RefusalCounter
    private let channel: Channel
    private let connections: HTTPConnectionGate.Table
    private let pool: NIOThreadPool

    /// Where the listener is bound (the real port when 0 was asked for).
    public var localAddress: SocketAddress? { channel.localAddress }
    public var localPort: Int { channel.localAddress?.port ?? configuration.port }
    /// Connections open now.
    public var openConnections: Int { connections.count }

    private init(configuration: Configuration, refusals: RefusalCounter, channel: Channel, connections: HTTPConnectionGate.Table, pool: NIOThreadPool) {
        self.configuration = configuration
        self.refusals = refusals
        self.channel = channel
        self.connections = connections
        self.pool = pool
    }

    public static func start(_ configuration: Configuration, responder: @escaping @Sendable (HTTPRequestInfo) -> HTTPAnswer,
                             group: EventLoopGroup, logger: Logger) async throws -> HTTPServer {
        try await start(configuration, responder: responder, group: group, logger: logger).get()
    }

    /// Binds the listener and starts serving; `responder` is called on a
    /// pool thread for each accepted request, `HTTPRequestInfo` in, answer out.
    public static func start(_ configuration: Configuration, responder: @escaping @Sendable (HTTPRequestInfo) -> HTTPAnswer,
                             group: EventLoopGroup, logger: Logger) -> EventLoopFuture<HTTPServer> {
        let refusals = RefusalCounter(message: "refused http requests")
        let connections = HTTPConnectionGate.table(limit: configuration.maximumConnections, logger: logger)
        let pool = NIOThreadPool(numberOfThreads: max(1, configuration.responderThreads))
        pool.start()
        let respond: HTTPConnectionHandler.Respond = { info, eventLoop in
            pool.runIfActive(eventLoop: eventLoop) { responder(info) }
        }
        return ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(HTTPConnectionGate(table: connections, refusals: refusals))
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try addHandlers(to: channel.pipeline.syncOperations, configuration, logger: logger, refusals: refusals, respond: respond)
                }
            }
            .bind(host: configuration.host, port: configuration.port)
            .flatMapError { error in
                let failure = FarmServerError.cannotListen(.http, host: configuration.host, port: configuration.port, reason: "\(error)")
                return Self.shutdown(pool, on: group.next()).flatMapThrowing { throw failure }
            }
            .map { channel in
                let port = channel.localAddress?.port ?? configuration.port
                logger.info("http serving", metadata: ["host": "\(configuration.host)", "port": "\(port)"])
                return HTTPServer(configuration: configuration, refusals: refusals, channel: channel, connections: connections, pool: pool)
            }
    }

    /// One connection's pipeline: size limit, parser, encoder, the request handler.
    static func addHandlers(to pipeline: ChannelPipeline.SynchronousOperations, _ configuration: Configuration, logger: Logger,
                            refusals: RefusalCounter, respond: @escaping HTTPConnectionHandler.Respond) throws {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = configuration.maximumHeadBytes
        limits.maxHeaderListSize = configuration.maximumHeadBytes
        var encoding = HTTPResponseEncoder.Configuration()
        encoding.automaticallySetFramingHeaders = false
        let sizeLimit = HTTPRequestSizeLimit(maximumBytes: configuration.maximumHeadBytes + configuration.maximumBodyBytes)
        try pipeline.addHandler(sizeLimit)
        try pipeline.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes, limitConfiguration: limits)))
        try pipeline.addHandler(HTTPResponseEncoder(configuration: encoding))
        try pipeline.addHandler(HTTPConnectionHandler(requestTimeout: configuration.requestTimeout, maximumBodyBytes: configuration.maximumBodyBytes,
                                                      logger: logger, refusals: refusals, files: configuration.files, sizeLimit: sizeLimit,
                                                      respond: respond))
    }

    /// Stops listening, closes the connections still open (a request whose
    /// responder has not run yet is answered 503 if its connection lives),
    /// then stops the responder threads.
    public func stop() -> EventLoopFuture<Void> {
        let eventLoop = channel.eventLoop
        return channel.close().recover { _ in }
            .flatMap { [connections] in EventLoopFuture.andAllComplete(connections.values.map { $0.close().recover { _ in } }, on: eventLoop) }
            .flatMap { [pool] in Self.shutdown(pool, on: eventLoop) }
    }

    public func stop() async throws {
        try await stop().get()
    }

    private static func shutdown(_ pool: NIOThreadPool, on eventLoop: EventLoop) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        pool.shutdownGracefully { error in
            if let error { promise.fail(error) } else { promise.succeed(()) }
        }
        return promise.futureResult
    }
}
