import Logging
import NIOCore

/// On the HTTP listening channel, ahead of NIO's accept handler: sees every
/// accepted connection, in order, on one event loop, keeps it in the table
/// of open connections until it closes, and closes those over the table's
/// limit before they are set up, counting each as "connection-limit".
final class HTTPConnectionGate: ChannelInboundHandler {
    typealias InboundIn = Channel
    typealias InboundOut = Channel
    /// The connections open now, by identity.
    typealias Table = CappedTable<ObjectIdentifier, Channel>

    private let table: Table
    private let refusals: RefusalCounter

    init(table: Table, refusals: RefusalCounter) {
        self.table = table
        self.refusals = refusals
    }

    /// A table of at most `limit` connections: reaching it is logged once, and
    /// leaving it again with how many connections were turned away.
    static func table(limit: Int, logger: Logger) -> Table {
        Table(limit: limit, logger: logger, lines: .init(
            reached: "http connection limit reached; new connections are closed until one ends",
            resumed: "http below the connection limit again", turnedAwayKey: "turned-away"))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let accepted = unwrapInboundIn(data)
        let key = ObjectIdentifier(accepted)
        guard table.admit(key, accepted, metadata: ["peer": "\(accepted.remoteAddress?.logText ?? "-")"]) == .admitted else {
            refusals.count("connection-limit")
            accepted.close(promise: nil)
            return
        }
        accepted.closeFuture.whenComplete { [table] _ in table.remove(key) }
        context.fireChannelRead(data)
    }
}
