import Logging
import NetbootWire
import NIOCore

/// What the two request listeners (TFTP on 69, MTFTP on 1759) share: the
/// tree a read is served from (path policy and file cache), and how a
/// request is refused: counted under its reason, logged under the
/// listener's name and answered with an ERROR.
struct TFTPRequestIntake: Sendable {
    /// `tftp` or `mtftp`: the first word of every log line.
    let listener: String
    let policy: TFTPPathPolicy
    let cache: FileCache
    let logger: Logger
    let refusals: RefusalCounter

    /// The read request `envelope` holds; anything else is refused here, and nil.
    func readRequest(in envelope: AddressedEnvelope<ByteBuffer>, context: ChannelHandlerContext) -> TFTPRequest? {
        switch TFTPRequestTriage(envelope.data.readableBytesView) {
        case .read(let request):
            return request
        case .refuse(let refusal):
            context.refuse(refusal, from: envelope.remoteAddress, listener: listener, refusals: refusals, logger: logger)
            return nil
        }
    }

    /// What every log line about `request` says: the client and the file asked for.
    func metadata(_ request: TFTPRequest, from peer: SocketAddress) -> Logger.Metadata {
        ["client": "\(peer.logText)", "file": "\(request.filenameText)"]
    }

    /// Counts `reason`, logs "`listener` `message`" and answers `code` with `text`.
    func refuse(_ reason: String, _ message: String, level: Logger.Level = .info, metadata: Logger.Metadata,
                answering code: TFTPErrorCode, _ text: String, to peer: SocketAddress, context: ChannelHandlerContext) {
        refusals.count(reason)
        logger.log(level: level, "\(listener) \(message)", metadata: metadata)
        context.sendTFTPError(code, text, to: peer)
    }

    /// A name the path policy refused.
    func refuse(_ refusal: TFTPPathRefusal, metadata: Logger.Metadata, to peer: SocketAddress, context: ChannelHandlerContext) {
        refuse(refusal.reason, "request refused", metadata: metadata.merging(["reason": "\(refusal)"]) { $1 },
               answering: refusal.tftpCode, refusal.wireMessage, to: peer, context: context)
    }

    /// A file the cache could not read.
    func refuseUnreadable(_ error: any Error, metadata: Logger.Metadata, to peer: SocketAddress, context: ChannelHandlerContext) {
        refuse("unreadable", "file unreadable", level: .warning, metadata: metadata.merging(["reason": "\(error)"]) { $1 },
               answering: .accessViolation, "Access violation", to: peer, context: context)
    }

    /// A UDP listener keeps listening: errors here are per datagram (ICMP unreachable from a gone client).
    func socketError(_ error: any Error) {
        logger.debug("\(listener) request socket error", metadata: ["error": "\(error)"])
    }
}
