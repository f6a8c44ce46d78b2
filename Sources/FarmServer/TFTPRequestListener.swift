import NetbootWire
import NIOCore

/// A handler on a TFTP request port (TFTP's 69, MTFTP's 1759): each datagram
/// that holds a read request goes to `read`; anything else is refused by its
/// `intake`, as are socket errors logged there, and the listener goes on.
protocol TFTPRequestListener: ChannelInboundHandler where InboundIn == AddressedEnvelope<ByteBuffer> {
    var intake: TFTPRequestIntake { get }

    /// Serves or refuses one read request, which arrived in `envelope`.
    func read(_ request: TFTPRequest, from envelope: AddressedEnvelope<ByteBuffer>, context: ChannelHandlerContext)
}

extension TFTPRequestListener {
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let request = intake.readRequest(in: envelope, context: context) else { return }
        read(request, from: envelope, context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        intake.socketError(error)
    }
}
