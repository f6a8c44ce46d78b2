import NIOCore

/// Everything a new transfer needs, decided by the request handler.
struct TFTPTransferStart: Sendable {
    var client: SocketAddress
    /// The address the request arrived at, when known: the transfer's socket binds there.
    var localAddress: SocketAddress?
    var fileName: String
    var file: ByteBuffer
    var transfer: TFTPTransfer
}
