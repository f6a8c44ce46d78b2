import FarmModel
import NetbootWire

/// The parts every reply shares, kept in one place so that the three
/// policies agree on them: the header echoed from the request, the option
/// order (53 and 54 first, 97 echoed, 82 echoed last), and where the reply
/// goes.
enum DHCPReplyBuilder {
    /// op 2 with xid, flags, giaddr and chaddr echoed (RFC 2131 §4.3.1 table 3),
    /// options 53 and 54 already set.
    static func reply(to request: DHCPPacket, type: DHCPMessageType, server: IPv4Address) -> DHCPPacket {
        var packet = DHCPPacket(op: .reply, xid: request.xid, chaddr: request.chaddr, htype: request.htype, hlen: request.hlen,
                                flags: request.flags, giaddr: request.giaddr)
        packet.options[DHCPOptionCode.messageType] = [type.rawValue]
        packet.options[DHCPOptionCode.serverIdentifier] = server.octets
        return packet
    }

    /// Appends what must be echoed, in the order the wire needs: option 97
    /// (PXE clients drop a reply without their GUID), then option 82, which
    /// RFC 3046 §2.2 wants as the last option before end.
    static func finish(_ packet: inout DHCPPacket, echoing client: DHCPClient) {
        if let guid = client.machineIdentifier { packet.options[DHCPOptionCode.clientMachineIdentifier] = guid }
        if let relay = client.relayAgentInformation { packet.options[DHCPOptionCode.relayAgentInformation] = relay }
    }

    /// Where a reply to the DHCP port goes (RFC 2131 §4.1): through the relay
    /// when giaddr is set (to its server port); a NAK without relay to the
    /// all-ones broadcast; to ciaddr when the client has an address;
    /// otherwise to 255.255.255.255 on the client port. (Unicast to yiaddr
    /// before the client has the address needs an ARP entry made by hand,
    /// which a UDP socket cannot do; §4.1 allows the broadcast instead, and
    /// old ROMs need it — reference digest §1.)
    static func destination(for request: DHCPPacket, type: DHCPMessageType, ports: DHCPPorts) -> DHCPEndpoint {
        if request.giaddr != .any { return DHCPEndpoint(request.giaddr, ports.server) }
        if type == .nak { return DHCPEndpoint(.broadcast, ports.client) }
        if request.ciaddr != .any { return DHCPEndpoint(request.ciaddr, ports.client) }
        return DHCPEndpoint(.broadcast, ports.client)
    }

    /// Where a reply to the PXE port or to the multicast group goes: back to
    /// the sender's address and port (PXE 2.1 §2.2.5), or broadcast to that
    /// port when the sender has no address yet.
    static func destination(answering peer: DHCPEndpoint, request: DHCPPacket, ports: DHCPPorts) -> DHCPEndpoint {
        if request.giaddr != .any { return DHCPEndpoint(request.giaddr, ports.server) }
        if peer.address != .any { return peer }
        if request.ciaddr != .any { return DHCPEndpoint(request.ciaddr, peer.port) }
        return DHCPEndpoint(.broadcast, peer.port)
    }

    /// The lease options of a node (RFC 2132): 51, 1, 3, 6, 12, 15, 17 (the
    /// NFS root its initrd mounts, for NFS-root services), 28. No 51 for INFORM.
    static func leaseOptions(for node: Node, in farm: Farm, leaseTime: Bool) -> [DHCPOption] {
        let settings = farm.settings
        var options: [DHCPOption] = []
        if leaseTime {
            let seconds = UInt32(clamping: settings.leaseTime.defaultSeconds)
            options.append(DHCPOption(code: DHCPOptionCode.leaseTime, data: IPv4Address(seconds).octets))
        }
        options.append(DHCPOption(code: DHCPOptionCode.subnetMask, data: settings.subnet.mask.octets))
        if !settings.routers.isEmpty {
            options.append(DHCPOption(code: DHCPOptionCode.routers, data: settings.routers.flatMap(\.octets)))
        }
        if !settings.dnsServers.isEmpty {
            options.append(DHCPOption(code: DHCPOptionCode.domainNameServers, data: settings.dnsServers.flatMap(\.octets)))
        }
        options.append(DHCPOption(code: DHCPOptionCode.hostName, data: Array(node.name.utf8)))
        if !settings.domain.isEmpty {
            options.append(DHCPOption(code: DHCPOptionCode.domainName, data: Array(settings.domain.utf8)))
        }
        if let service = farm.service(named: node.service), service.root == .nfs, !service.isLocalBoot {
            options.append(DHCPOption(code: DHCPOptionCode.rootPath, data: Array(farm.rootPathOption(of: node).utf8)))
        }
        options.append(DHCPOption(code: DHCPOptionCode.broadcastAddress, data: settings.subnet.broadcast.octets))
        return options
    }

    /// Option 60 in replies to PXE clients (PXE 2.1 §2.2.1; iPXE wants at least
    /// these nine bytes before it reads option 43).
    static let pxeClient = Array("PXEClient".utf8)
    /// Option 60 of an answer to UEFI HTTP Boot: the client takes no offer without it.
    static let httpClient = Array("HTTPClient".utf8)
}
