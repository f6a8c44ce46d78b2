import NIOCore

/// On the HTTP listening channel, ahead of NIO's accept handler: sees every
/// accepted connection, in order, on one event loop, and closes those over
/// the table's limit before they are set up, counting each as
/// "connection-limit".
final class HTTPConnectionGate: ChannelInboundHandler {
    typealias InboundIn = Channel
    typealias InboundOut = Channel

    private let table: HTTPConnectionTable
    private let refusals: RefusalCounter

    init(table: HTTPConnectionTable, refusals: RefusalCounter) {
        self.table = table
        self.refusals = refusals
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let accepted = unwrapInboundIn(data)
        guard table.admit(accepted) else {
            refusals.count("connection-limit")
            accepted.close(promise: nil)
            return
        }
        context.fireChannelRead(data)
    }
}
