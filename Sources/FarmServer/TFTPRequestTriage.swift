import Logging
import NetbootWire
import NIOCore

/// The opening both request listeners share (TFTP on 69, MTFTP on 1759): a
/// datagram is a read request to serve, or something to refuse — with the
/// reason it is counted under, the log line, and the ERROR to answer (none
/// to an ERROR, which is never answered).
enum TFTPRequestTriage {
    case read(TFTPRequest)
    case refuse(Refusal)

    struct Refusal {
        /// The refusal counter's key.
        var reason: String
        var level: Logger.Level
        /// The log message after the listener's name ("malformed request").
        var message: String
        var metadata: Logger.Metadata
        var reply: (code: TFTPErrorCode, message: String)?
    }

    init(_ bytes: ByteBufferView) {
        let packet: TFTPPacket
        do {
            packet = try TFTPPacket(decoding: bytes)
        } catch {
            var reply: (TFTPErrorCode, String)? = (.illegalOperation, "Illegal TFTP operation")
            switch error {
            case .optionWithoutValue: reply = (.optionRefused, "\(error)")
            case .truncated(_, _, opcode: TFTPPacket.Opcode.error.rawValue): reply = nil
            default: break
            }
            self = .refuse(Refusal(reason: "malformed", level: .info, message: "malformed request", metadata: ["error": "\(error)"], reply: reply))
            return
        }
        switch packet {
        case .readRequest(let request):
            self = .read(request)
        case .writeRequest(let request):
            self = .refuse(Refusal(reason: "write-request", level: .info, message: "write refused", metadata: ["file": "\(request.filenameText)"],
                                   reply: (.accessViolation, "Write requests are refused (read-only server)")))
        case .error:
            self = .refuse(Refusal(reason: "stray-error", level: .debug, message: "stray ERROR on the request port ignored", metadata: [:], reply: nil))
        case .data, .ack, .optionAck:
            self = .refuse(Refusal(reason: "not-a-request", level: .info, message: "non-request on the request port", metadata: ["packet": "\(packet.dump)"],
                                   reply: (.illegalOperation, "Illegal TFTP operation")))
        }
    }
}

extension ChannelHandlerContext {
    /// Sends one TFTP ERROR to `peer` from a listener's socket.
    func sendTFTPError(_ code: TFTPErrorCode, _ message: String, to peer: SocketAddress) {
        let bytes = TFTPPacket.error(code: code, message: message).encoded()
        writeAndFlush(NIOAny(AddressedEnvelope(remoteAddress: peer, data: channel.allocator.buffer(bytes: bytes))), promise: nil)
    }

    /// Logs, counts and answers a refusal the way every request listener does.
    func refuse(_ refusal: TFTPRequestTriage.Refusal, from peer: SocketAddress, listener: String, refusals: RefusalCounter, logger: Logger) {
        refusals.count(refusal.reason)
        logger.log(level: refusal.level, "\(listener) \(refusal.message)", metadata: ["client": "\(peer.logText)"].merging(refusal.metadata) { $1 })
        if let reply = refusal.reply { sendTFTPError(reply.code, reply.message, to: peer) }
    }
}
