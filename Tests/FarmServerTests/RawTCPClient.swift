import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A TCP connection to 127.0.0.1 that sends what it is told and keeps
/// every byte it receives, for clients no real tool imitates (one that stops
/// half way through its request line, one that only holds a connection).
final class RawTCPClient: Sendable {
    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let received = NIOLockedValueBox<[UInt8]>([])
        let first: String?

        init(first: String?) { self.first = first }

        /// The first bytes go out as soon as the connection is up, on the
        /// event loop: however long the test's task waits to be scheduled
        /// (the test runner's pool is two threads here), the server's
        /// timers start from a request that was sent at once.
        func channelActive(context: ChannelHandlerContext) {
            if let first { context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: first)), promise: nil) }
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            received.withLockedValue { $0 += buffer.readableBytesView }
        }
    }

    private let channel: Channel
    private let collector: Collector

    private init(channel: Channel, collector: Collector) {
        self.channel = channel
        self.collector = collector
    }

    /// Connects, and sends `first` the moment the connection is up.
    static func connect(port: Int, group: EventLoopGroup, sending first: String? = nil) async throws -> RawTCPClient {
        let collector = Collector(first: first)
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawTCPClient(channel: channel, collector: collector)
    }

    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text))
    }

    /// Waits until the server closes the connection; what it sent until then.
    func closedByServer() async throws -> String {
        try await channel.closeFuture.get()
        return String(decoding: collector.received.withLockedValue { $0 }, as: UTF8.self)
    }

    func close() async throws {
        try await channel.close()
    }
}
