import FarmModel
import NetbootWire

/// How `pxefarm serve` takes part in DHCP.
public enum DHCPMode: String, Hashable, Sendable {
    /// It hands out the farm's addresses (static reservations only).
    case full
    /// Another server hands out addresses; pxefarm adds the PXE answers
    /// (`--proxy`): offers without an address on 67, answers on 4011.
    case proxy
}

/// The DHCP policy as one pure function: a request, the farm and the mode in,
/// a decision out. It reads as a checklist of guards; each one that stops a
/// packet says why: a `DHCPRefusal` the listener counts it under, and a
/// reason that becomes the log line.
public enum DHCPPolicy {
    public static func decide(_ request: DHCPRequest, context: DHCPContext, mode: DHCPMode) -> DHCPDecision {
        let packet = request.packet
        let client: DHCPClient
        do {
            client = try DHCPClient(packet)
        } catch {
            return .ignore(error.refusal, reason: "\(error)", node: nil)
        }
        let node = context.node(mac: client.mac)
        let bootItem: PXEBootItem?
        do {
            bootItem = try PXEBootFile.bootItem(in: packet)
        } catch {
            return .ignore(.option43Unreadable, reason: "option 43 unreadable: \(error)", node: node?.name)
        }
        if let bootItem {
            return BootServerPolicy.decide(request, client: client, item: bootItem, node: node, context: context, mode: mode)
        }
        switch (request.arrival, mode) {
        case (.multicast, _):
            return .ignore(.multicastWithoutBootItem, reason: "\(client.messageType) to the discovery group without a boot item (43.71)", node: node?.name)
        case (.pxePort, _):
            return ProxyPolicy.answerOnPXEPort(request, client: client, node: node, context: context)
        case (.dhcpPort, .proxy):
            return ProxyPolicy.offer(request, client: client, node: node, context: context)
        case (.dhcpPort, .full):
            return full(request, client: client, node: node, context: context)
        }
    }

    /// Full DHCP on the DHCP port: DISCOVER, REQUEST, INFORM, RELEASE, DECLINE.
    static func full(_ request: DHCPRequest, client: DHCPClient, node: Node?, context: DHCPContext) -> DHCPDecision {
        let packet = request.packet
        guard let node else {
            return .ignore(.unknownMAC, reason: "unknown MAC \(client.mac): no reservation in the farm (static reservations only)", node: nil)
        }
        switch client.messageType {
        case .discover:
            return lease(.offer, request, client: client, node: node, context: context, reason: "DISCOVER: offering \(node.ip)")
        case .request:
            if let server = client.serverIdentifier, server != context.serverAddress {
                return .ignore(.otherServer, reason: "REQUEST for server \(server), not this one (\(context.serverAddress))", node: node.name)
            }
            let wanted = client.requestedAddress ?? (packet.ciaddr != .any ? packet.ciaddr : nil)
            guard let wanted else {
                return .ignore(.noRequestedAddress, reason: "REQUEST without option 50 or ciaddr", node: node.name)
            }
            guard wanted == node.ip else {
                return nak(request, client: client, node: node, context: context,
                           reason: "REQUEST for \(wanted), but \(node.name) is reserved \(node.ip)")
            }
            return lease(.ack, request, client: client, node: node, context: context, reason: "REQUEST: \(node.ip) acknowledged")
        case .inform:
            return lease(.ack, request, client: client, node: node, context: context, reason: "INFORM: configuration only")
        case .release:
            return .note(reason: "RELEASE of \(packet.ciaddr) (the reservation stays)", node: node.name)
        case .decline:
            let address = client.requestedAddress ?? node.ip
            return .note(reason: "DECLINE: \(address) is in use by another host; check the network for a duplicate", node: node.name)
        case .offer, .ack, .nak:
            return .ignore(.serverMessage, reason: "\(client.messageType) is a server's message", node: node.name)
        }
    }

    /// OFFER or ACK with the node's address, lease options and, for PXE
    /// clients, the PXE options of its service.
    static func lease(_ type: DHCPMessageType, _ request: DHCPRequest, client: DHCPClient, node: Node, context: DHCPContext, reason: String) -> DHCPDecision {
        let packet = request.packet
        let farm = context.farm
        let inform = client.messageType == .inform
        var reply = DHCPReplyBuilder.reply(to: packet, type: type, server: context.serverAddress)
        reply.yiaddr = inform ? .any : node.ip
        reply.ciaddr = type == .ack ? packet.ciaddr : .any
        for option in DHCPReplyBuilder.leaseOptions(for: node, in: farm, leaseTime: !inform) {
            reply.options.append(option)
        }
        var why = reason
        if client.isPXE || client.isIPXE || client.isHTTPClient, let service = farm.service(named: node.service) {
            let choice = PXEBootFile.choose(service: service, layer: service.layers.lowerBound, client: client, farm: farm, catalog: context.bootFiles,
                                            httpBootBase: context.httpBootBase)
            switch PXEBootFile.onTheWire(choice, client: client, context: context) {
            case .file(let file, let note):
                reply.siaddr = context.serverAddress
                reply.file = Array((file ?? "").utf8)
                if let vendorClass = PXEBootFile.vendorClass(for: client) { reply.options[DHCPOptionCode.vendorClassIdentifier] = vendorClass }
                // The menu goes in the DHCP answer only when the farm says so
                // (discovery: dhcp) and the client reads it (BIOS ROMs; EFI ones boot `file`).
                if client.isPXE, farm.discovery.mode == .dhcp, client.isBIOS {
                    do {
                        reply.options[DHCPOptionCode.vendorSpecific] = try context.vendorOptionBytes(first: service, node: node)
                    } catch {
                        return .ignore(.option43Unencodable, reason: "option 43 for \(node.name) cannot be encoded: \(error)", node: node.name)
                    }
                }
                if let note { why += "; \(note)" }
                why += "; service \(service.name)" + (file.map { ", file \($0)" } ?? ", local boot")
            case .refused(_, let refusal):
                why += "; no boot file: \(refusal)"
            }
        }
        DHCPReplyBuilder.finish(&reply, echoing: client)
        let destination = DHCPReplyBuilder.destination(for: packet, type: type, ports: context.ports)
        return .reply(DHCPReply(packet: reply, destination: destination, maximumSize: client.maximumSize, node: node.name, reason: why))
    }

    static func nak(_ request: DHCPRequest, client: DHCPClient, node: Node, context: DHCPContext, reason: String) -> DHCPDecision {
        var reply = DHCPReplyBuilder.reply(to: request.packet, type: .nak, server: context.serverAddress)
        reply.options[DHCPOptionCode.message] = Array("address not reserved for this client".utf8)
        // Through a relay the NAK must reach a client without an address (RFC 2131 §4.1).
        if request.packet.giaddr != .any { reply.flags |= DHCPPacket.broadcastFlag }
        DHCPReplyBuilder.finish(&reply, echoing: client)
        let destination = DHCPReplyBuilder.destination(for: request.packet, type: .nak, ports: context.ports)
        return .reply(DHCPReply(packet: reply, destination: destination, maximumSize: client.maximumSize, node: node.name, reason: reason))
    }
}
