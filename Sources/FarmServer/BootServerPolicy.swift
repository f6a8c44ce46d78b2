import FarmModel
import NetbootWire

/// PXE boot-server discovery (PXE 2.1 §2.2.5): a REQUEST carrying 43.71
/// (server type, layer), by multicast to the farm's discovery group, by
/// broadcast to the DHCP port, or unicast to the PXE port. The ACK names the
/// file of that layer of that service and echoes 43.71 with the same type
/// bytes (iPXE drops the ACK otherwise, FIELD-NOTES).
enum BootServerPolicy {
    static func decide(_ request: DHCPRequest, client: DHCPClient, item: PXEBootItem, node: Node?, context: DHCPContext, mode: DHCPMode) -> DHCPDecision {
        let farm = context.farm
        let name = node?.name
        guard client.messageType == .request || client.messageType == .inform else {
            return .ignore(.bootItemWithoutRequest, reason: "\(client.messageType) with a boot item (43.71); boot servers answer REQUEST", node: name)
        }
        if mode == .full, node == nil {
            return .ignore(.unknownMAC, reason: "boot-server request from unknown MAC \(client.mac) (static reservations only)", node: nil)
        }
        switch request.arrival {
        case .dhcpPort where !farm.discovery.broadcast:
            return .ignore(.broadcastDiscoveryOff, reason: "boot-server request by broadcast, but the farm turned broadcast discovery off", node: name)
        case .multicast where farm.discovery.multicast == nil:
            return .ignore(.multicastDiscoveryOff, reason: "boot-server request by multicast, but the farm has no multicast discovery address", node: name)
        default:
            break
        }
        // Bit 15 of the layer asks for credentials (PXE 2.1 §2.2.5.1), which pxefarm does not offer.
        guard item.layer & 0x8000 == 0 else {
            return .ignore(.credentials, reason: "boot item asks for credentials (layer 0x\(String(item.layer, radix: 16))); not offered", node: name)
        }
        let layer = Int(item.layer)
        guard let service = farm.service(type: item.type) else {
            return .ignore(.unknownServerType, reason: "boot-server request for type \(item.type), which no service of the farm has", node: name)
        }
        guard !service.isLocalBoot else {
            return .ignore(.localBootItem, reason: "boot-server request for type 0 (local boot): there is no file to serve", node: name)
        }
        guard service.layers.contains(layer) else {
            return .ignore(.layerOutside, reason: "layer \(layer) of \(service.name) is outside its layers \(service.layers.lowerBound)-\(service.layers.upperBound)", node: name)
        }
        let file: String
        var reason = "boot server: \(service.name) layer \(layer) by \(request.arrival.rawValue)"
        switch PXEBootFile.choose(service: service, layer: layer, client: client, farm: farm, catalog: context.bootFiles, httpBootBase: context.httpBootBase) {
        case .file(let chosen, let note):
            guard let chosen else { return .ignore(.noBootFile, reason: "\(service.name) has no boot file", node: name) }
            file = chosen
            if let note { reason += "; \(note)" }
        case .refused(let refusal, let reason):
            return .ignore(refusal, reason: reason, node: name)
        }
        reason += "; file \(file)"
        var reply = DHCPReplyBuilder.reply(to: request.packet, type: .ack, server: context.serverAddress)
        reply.ciaddr = request.packet.ciaddr
        reply.siaddr = context.serverAddress
        reply.file = Array(file.utf8)
        reply.options[DHCPOptionCode.vendorClassIdentifier] = DHCPReplyBuilder.pxeClient
        reply.options[DHCPOptionCode.vendorSpecific] = PXESubOption.bootItem(item).encodedWithEnd
        DHCPReplyBuilder.finish(&reply, echoing: client)
        let destination = DHCPReplyBuilder.destination(answering: request.peer, request: request.packet, ports: context.ports)
        return .reply(DHCPReply(packet: reply, destination: destination, maximumSize: client.maximumSize, node: name, reason: reason))
    }
}

extension PXESubOption {
    /// One sub-option as a whole option 43: tag, length, value, end.
    var encodedWithEnd: [UInt8] { [tag, UInt8(value.count)] + value + [PXESubOption.endTag] }
}
