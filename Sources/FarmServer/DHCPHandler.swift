import Logging
import NetbootWire
import NIOCore
import Glibc

/// One DHCP listener (the DHCP port, or the PXE port with its multicast
/// group): decodes each datagram, asks `DHCPPolicy`, logs the decision with
/// its reason — one line per packet — records the node's boot stage, and
/// sends the reply. Every packet it does not answer (a note aside) is counted
/// in `refusals` under its `DHCPRefusal`, those it drops before the policy
/// too. All behaviour is in the policy; this is the socket edge.
final class DHCPHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let port: DHCPRequest.Arrival
    private let mode: DHCPMode
    private let context: DHCPContextBox
    private let stages: BootStageRecorder?
    private let refusals: RefusalCounter
    /// Replies sent, counted as "<port> <message type>".
    private let answers: RefusalCounter
    /// The listener's socket, replies are sent on with sendto(2) (see
    /// `DHCPSocket.send`); nil writes them to the channel (EmbeddedChannel tests).
    private let socket: CInt?
    private let logger: Logger

    /// `port` is `.dhcpPort` or `.pxePort`; packets to a multicast address on
    /// the PXE port are told apart by their destination (packet info).
    init(port: DHCPRequest.Arrival, mode: DHCPMode, context: DHCPContextBox, stages: BootStageRecorder?,
         refusals: RefusalCounter = RefusalCounter(), answers: RefusalCounter = RefusalCounter(), socket: CInt? = nil, logger: Logger) {
        self.port = port
        self.mode = mode
        self.context = context
        self.stages = stages
        self.refusals = refusals
        self.answers = answers
        self.socket = socket
        self.logger = logger
    }

    func channelRead(context channelContext: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let peer = envelope.remoteAddress.dhcpEndpoint else {
            refusals.count(DHCPRefusal.notIPv4Sender.rawValue)
            logger.debug("dhcp ignored", metadata: ["from": "\(envelope.remoteAddress)", "refusal": "\(DHCPRefusal.notIPv4Sender.rawValue)",
                                                    "reason": "not an IPv4 sender"])
            return
        }
        var meta: Logger.Metadata = [:]
        meta.reserveCapacity(12)  // every key a decision's line can carry: no regrowth per packet
        meta["from"] = "\(peer)"
        meta["port"] = "\(port.rawValue)"
        let packet: DHCPPacket
        do {
            packet = try DHCPPacket(decoding: envelope.data.readableBytesView)
        } catch {
            ignored(.undecodable, because: "undecodable: \(error)", &meta, level: .info)
            return
        }
        var arrival = port
        if let destination = envelope.metadata?.packetInfo?.destinationAddress.dhcpEndpoint, destination.address.isMulticast {
            arrival = .multicast
        }
        meta["port"] = "\(arrival.rawValue)"
        meta["xid"] = "0x\(String(packet.xid, radix: 16))"
        meta["mac"] = "\(packet.clientMAC?.description ?? "-")"
        meta["type"] = "\((try? packet.options.messageType).flatMap { $0 }?.description ?? "-")"
        let farm = context.current
        let decision = DHCPPolicy.decide(DHCPRequest(packet: packet, peer: peer, arrival: arrival), context: farm, mode: mode)
        meta["reason"] = "\(decision.reason)"
        if let node = decision.node { meta["node"] = "\(node)" }
        switch decision {
        case .ignore(let refusal, _, _):
            ignored(refusal, &meta, level: .info)
        case .note(_, let node):
            logger.notice("dhcp noted", metadata: meta)
            stages?.record(node: node, stage: .dhcp, detail: "\(meta["type"] ?? "-"): \(decision.reason)")
        case .reply(let reply):
            let bytes: [UInt8]
            do {
                bytes = try reply.encoded()
            } catch {
                ignored(.replyUnencodable, because: "reply cannot be encoded: \(error)", &meta, level: .error)
                return
            }
            let answer = reply.messageType?.description ?? "-"
            meta["reply"] = "\(answer)"
            meta["to"] = "\(reply.destination)"
            if let socket {
                if let error = DHCPSocket.send(bytes, to: reply.destination, on: socket) {
                    let reason = "\(decision.reason); \(answer) to \(reply.destination) not sent: \(String(cString: strerror(error)))"
                    ignored(.replyNotSent, because: reason, &meta, level: .warning)
                    return
                }
            } else {
                channelContext.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: SocketAddress(reply.destination), data: ByteBuffer(bytes: bytes))), promise: nil)
            }
            answers.count("\(arrival.rawValue) \(answer)")
            logger.info("dhcp answered", metadata: meta)
            if let node = reply.node {
                let isBootServer = reply.packet.options.vendorSpecific?.first == 71
                stages?.record(node: node, stage: isBootServer ? .bootServer : .dhcp,
                               detail: isBootServer ? reply.packet.bootFile : "\(answer) \(reply.packet.yiaddr): \(reply.reason)",
                               address: isBootServer || reply.packet.yiaddr == .any ? nil : reply.packet.yiaddr.description)
            }
        }
    }

    /// A packet not answered: counted under its refusal and logged as
    /// "dhcp ignored" with the refusal and, when given, the reason.
    private func ignored(_ refusal: DHCPRefusal, because reason: String? = nil, _ meta: inout Logger.Metadata, level: Logger.Level) {
        refusals.count(refusal.rawValue)
        meta["refusal"] = "\(refusal.rawValue)"
        if let reason { meta["reason"] = "\(reason)" }
        logger.log(level: level, "dhcp ignored", metadata: meta)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // Reads that fail (NIO keeps a datagram channel open through them); replies never get here (see `DHCPSocket.send`).
        logger.warning("dhcp socket error", metadata: ["port": "\(port.rawValue)", "error": "\(error)"])
    }
}
