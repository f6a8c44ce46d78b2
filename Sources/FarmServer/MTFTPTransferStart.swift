import NIOCore

/// What a new MTFTP transfer needs.
struct MTFTPTransferStart: Sendable {
    var master: SocketAddress
    var group: MTFTPGroup
    var path: String
    var fileName: String
    var file: ByteBuffer
    var transfer: MTFTPTransfer
}
