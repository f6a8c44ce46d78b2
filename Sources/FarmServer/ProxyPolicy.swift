import FarmModel
import NetbootWire

/// ProxyDHCP (PXE 2.1 §2.2.3): another server hands out the address; this
/// one tells PXE clients where to boot. On the DHCP port it answers DISCOVER
/// only, with an offer carrying no address; the client then sends its
/// REQUEST to the PXE port (4011), answered with the same PXE options.
enum ProxyPolicy {
    /// The proxy offer on the DHCP port.
    static func offer(_ request: DHCPRequest, client: DHCPClient, node: Node?, context: DHCPContext) -> DHCPDecision {
        guard client.isPXE else {
            return .ignore(.notPXE, reason: "not a PXE client (option 60 does not start with PXEClient); the site's DHCP server answers it", node: node?.name)
        }
        guard client.messageType == .discover else {
            return .ignore(.forSiteServer, reason: "\(client.messageType) on the DHCP port is for the site's DHCP server; ProxyDHCP answers it on the PXE port", node: node?.name)
        }
        return answer(.offer, request, client: client, node: node, context: context,
                      destination: DHCPReplyBuilder.destination(for: request.packet, type: .offer, ports: context.ports))
    }

    /// REQUEST (or INFORM) unicast to the PXE port, in either mode.
    static func answerOnPXEPort(_ request: DHCPRequest, client: DHCPClient, node: Node?, context: DHCPContext) -> DHCPDecision {
        guard client.isPXE else {
            return .ignore(.notPXE, reason: "not a PXE client (option 60 does not start with PXEClient) on the PXE port", node: node?.name)
        }
        guard client.messageType == .request || client.messageType == .inform else {
            return .ignore(.wrongTypeOnPXEPort, reason: "\(client.messageType) on the PXE port; only REQUEST and INFORM are answered there", node: node?.name)
        }
        return answer(.ack, request, client: client, node: node, context: context,
                      destination: DHCPReplyBuilder.destination(answering: request.peer, request: request.packet, ports: context.ports))
    }

    /// The PXE part of an answer without an address: siaddr, option 60,
    /// option 43 with discovery control, menu (the node's service first when
    /// the client is known) and prompt; `file` only when the client will not
    /// run a menu (EFI, or the farm turned menus off).
    static func answer(_ type: DHCPMessageType, _ request: DHCPRequest, client: DHCPClient, node: Node?, context: DHCPContext,
                       destination: DHCPEndpoint) -> DHCPDecision {
        let farm = context.farm
        let service = node.flatMap { farm.service(named: $0.service) }
        var reply = DHCPReplyBuilder.reply(to: request.packet, type: type, server: context.serverAddress)
        reply.ciaddr = type == .ack ? request.packet.ciaddr : .any
        reply.siaddr = context.serverAddress
        reply.options[DHCPOptionCode.vendorClassIdentifier] = DHCPReplyBuilder.pxeClient
        let who = node.map { "\($0.name) (service \($0.service))" } ?? "unknown client \(client.mac), farm menu order"
        var reason = "\(client.messageType): ProxyDHCP \(type) for \(who)"
        let menu = farm.discovery.menu && client.isBIOS
        if menu {
            do {
                reply.options[DHCPOptionCode.vendorSpecific] = try context.vendorOptionBytes(first: service, node: node)
            } catch {
                return .ignore(.option43Unencodable, reason: "option 43 cannot be encoded: \(error)", node: node?.name)
            }
        } else {
            guard let target = service ?? farm.services.first(where: { !$0.isLocalBoot }) else {
                return .ignore(.noService, reason: "no menu and no service to boot", node: node?.name)
            }
            switch PXEBootFile.choose(service: target, layer: target.layers.lowerBound, client: client, farm: farm, catalog: context.bootFiles, httpBootBase: context.httpBootBase) {
            case .file(let file, let note):
                reply.file = Array((file ?? "").utf8)
                // Tag 6 bit 3: skip menu and discovery, boot `file`.
                reply.options[DHCPOptionCode.vendorSpecific] = [6, 1, PXEDiscoveryControl.bootFileOnly.rawValue, PXESubOption.endTag]
                reason += "; file \(file ?? "none")" + (note.map { "; \($0)" } ?? "")
            case .refused(let refusal, let reason):
                return .ignore(refusal, reason: reason, node: node?.name)
            }
        }
        DHCPReplyBuilder.finish(&reply, echoing: client)
        return .reply(DHCPReply(packet: reply, destination: destination, maximumSize: client.maximumSize, node: node?.name, reason: reason))
    }
}
