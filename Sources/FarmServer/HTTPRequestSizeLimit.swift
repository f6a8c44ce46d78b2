import NIOCore

/// The bytes one HTTP connection may send, counted before the parser sees
/// them: NIO's parser bounds the header fields (to the head limit, set on the
/// decoder) but not the request line, so this bounds everything, head and
/// body together, to head limit + body limit, per request: a connection kept
/// for the next boot file starts a new allowance (`reset`). Past the allowance it fires
/// `HTTPRequestSizeLimit.Exceeded` once and drops whatever else arrives;
/// `HTTPConnectionHandler` answers 431 (no head yet) or 413 and closes.
final class HTTPRequestSizeLimit: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    struct Exceeded: Error, Equatable {}

    private let allowance: Int
    private var received = 0
    private var exceeded = false

    init(maximumBytes: Int) {
        allowance = maximumBytes
    }

    /// The next request on a kept connection: its bytes are counted afresh.
    func reset() {
        received = 0
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !exceeded else { return }
        received += unwrapInboundIn(data).readableBytes
        guard received <= allowance else {
            exceeded = true
            context.fireErrorCaught(Exceeded())
            return
        }
        context.fireChannelRead(data)
    }
}
