import NIOCore

/// What a new MTFTP transfer needs.
struct MTFTPTransferStart: Sendable {
    var master: SocketAddress
    var group: MTFTPGroup
    /// The file's resolved path, which names the running transfer, and the name the client asked for.
    var path, fileName: String
    var file: ByteBuffer
    var transfer: MTFTPTransfer
}
