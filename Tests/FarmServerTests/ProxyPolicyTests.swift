import FarmModel
import NetbootWire
import Testing
import TestSupport
@testable import FarmServer

/// ProxyDHCP (`--proxy`) on the DHCP port and the PXE port.
@Suite struct ProxyPolicyTests {
    typealias T = DHCPTestFarm
    let context = T.context()
    let client = DHCPEndpoint(IPv4Address(192, 168, 197, 200), 68)

    func decide(_ packet: DHCPPacket, context: DHCPContext? = nil, arrival: DHCPRequest.Arrival = .dhcpPort,
                peer: DHCPEndpoint = DHCPEndpoint(.any, 68), mode: DHCPMode = .proxy) -> DHCPDecision {
        DHCPPolicy.decide(T.request(packet, from: peer, arrival: arrival), context: context ?? self.context, mode: mode)
    }

    @Test func anUnknownPXEClientGetsAnOfferWithoutAddressAndTheFarmMenu() throws {
        let request = T.packet(.discover, mac: T.stranger)
        let reply = try #require(decide(request).replyValue)
        let packet = reply.packet
        #expect(packet.op == 2 && packet.xid == request.xid && packet.chaddr == request.chaddr && packet.flags == request.flags)
        #expect(packet.yiaddr == .any && packet.ciaddr == .any)
        #expect(packet.siaddr == T.server)
        #expect(packet.file.isEmpty)
        #expect(packet.options.all.map(\.code) == [53, 54, 60, 43, 97])
        #expect(packet.options.data(53) == [DHCPMessageType.offer.rawValue])
        #expect(packet.options.data(97) == T.guid)
        #expect(try PXEVendorOptions.decode(try #require(packet.options.data(43))).bootMenu?.map(\.type) == [13, 0, 14, 15])
        #expect(reply.destination == DHCPEndpoint(.broadcast, 68))
        #expect(reply.node == nil)
        let golden = GoldenFile.fixtures() + "/proxy-offer-unknown.txt"
        #expect(packet.dump == (try GoldenFile.expected(packet.dump, path: golden)))
    }

    @Test func aKnownNodeSeesItsOwnServiceFirstInProxyMenus() throws {
        let reply = try #require(decide(T.packet(.discover, mac: T.n011)).replyValue)
        #expect(try PXEVendorOptions.decode(try #require(reply.packet.options.data(43))).bootMenu?.map(\.type) == [14, 13, 0, 15])
        #expect(reply.node == "n011")
    }

    @Test func nonPXEClientsAreLeftToTheSitesServer() {
        #expect(decide(T.packet(.discover, mac: T.n011, pxe: false)).reason.hasPrefix("not a PXE client"))
        #expect(decide(T.packet(.discover, mac: T.n011, pxe: false)).refusal == .notPXE)
        #expect(decide(T.packet(.request, mac: T.n011, pxe: false), arrival: .pxePort, peer: client).reason.hasPrefix("not a PXE client"))
        #expect(decide(T.packet(.request, mac: T.n011, pxe: false), arrival: .pxePort, peer: client).refusal == .notPXE)
    }

    @Test func requestOnTheDHCPPortIsForTheOtherServer() {
        let decision = decide(T.packet(.request, mac: T.n011, extra: [T.option(50, [192, 168, 197, 31])]))
        #expect(decision.refusal == .forSiteServer)
        #expect(decision.reason.contains("ProxyDHCP answers it on the PXE port"))
    }

    @Test func requestOnThePXEPortIsAcknowledgedToTheSender() throws {
        let request = T.packet(.request, mac: T.n011, ciaddr: client.address, flags: 0)
        let reply = try #require(decide(request, arrival: .pxePort, peer: client).replyValue)
        #expect(reply.messageType == .ack)
        #expect(reply.packet.ciaddr == client.address && reply.packet.yiaddr == .any)
        #expect(reply.packet.options.all.map(\.code) == [53, 54, 60, 43, 97])
        #expect(reply.destination == client)
        // In full mode too: a farm with `discovery: proxy` sends its clients to 4011.
        #expect(decide(request, arrival: .pxePort, peer: client, mode: .full).replyValue?.destination == client)
    }

    @Test func onlyRequestAndInformAreAnsweredOnThePXEPort() {
        #expect(decide(T.packet(.discover, mac: T.n011), arrival: .pxePort, peer: client).reason == "DISCOVER on the PXE port; only REQUEST and INFORM are answered there")
        #expect(decide(T.packet(.discover, mac: T.n011), arrival: .pxePort, peer: client).refusal == .wrongTypeOnPXEPort)
    }

    @Test func withoutMenusTheOfferNamesTheBootFile() throws {
        let farm = T.farm(discovery: Discovery(menu: false))
        let reply = try #require(decide(T.packet(.discover, mac: T.n012), context: T.context(farm)).replyValue)
        #expect(reply.packet.bootFile == "X86PC/UNDI/linux-install/linux.0")
        #expect(reply.packet.options.data(43) == [6, 1, 8, 255])
        let unknown = try #require(decide(T.packet(.discover, mac: T.stranger), context: T.context(farm)).replyValue)
        #expect(unknown.packet.bootFile == "X86PC/UNDI/linux-install/linux.0")
    }

    @Test func efiClientsGetTheirProgramOrNothing() throws {
        let refused = decide(T.packet(.discover, mac: T.n011, firmware: .efi))
        #expect(refused.refusal == .efiNoBootProgram)
        #expect(refused.reason == "EFI x86-64 (option 93 = 7) and no boot program EFI/X64/linux-boot/linux.0 in the TFTP tree")
        let reply = try #require(decide(T.packet(.discover, mac: T.n011, firmware: .efi), context: T.context(efi: ["linux-boot"])).replyValue)
        #expect(reply.packet.bootFile == "EFI/X64/linux-boot/linux.0")
        #expect(reply.packet.options.data(43) == [6, 1, 8, 255])
    }
}

/// Boot-server discovery: requests carrying 43.71, by multicast, broadcast or unicast.
@Suite struct BootServerPolicyTests {
    typealias T = DHCPTestFarm
    let client = DHCPEndpoint(IPv4Address(192, 168, 197, 31), 68)

    func decide(_ packet: DHCPPacket, farm: Farm = T.farm(), arrival: DHCPRequest.Arrival = .pxePort, mode: DHCPMode = .proxy,
                peer: DHCPEndpoint? = nil) -> DHCPDecision {
        DHCPPolicy.decide(T.request(packet, from: peer ?? client, arrival: arrival), context: T.context(farm), mode: mode)
    }

    func ask(type: UInt16, layer: UInt16, mac: MACAddress = T.n011, messageType: DHCPMessageType = .request) -> DHCPPacket {
        T.packet(messageType, mac: mac, ciaddr: client.address, flags: 0, extra: [T.bootItem(type: type, layer: layer)])
    }

    @Test func aBootServerRequestGetsTheLayersFileAndTheSameItemBack() throws {
        let request = ask(type: 14, layer: 0)
        let reply = try #require(decide(request).replyValue)
        let packet = reply.packet
        #expect(packet.op == 2 && packet.xid == request.xid && packet.chaddr == request.chaddr)
        #expect(packet.ciaddr == client.address && packet.yiaddr == .any)
        #expect(packet.siaddr == T.server)
        #expect(packet.bootFile == "X86PC/UNDI/linux-boot/linux.0")
        #expect(packet.options.all.map(\.code) == [53, 54, 60, 43, 97])
        #expect(packet.options.data(43) == [71, 4, 0, 14, 0, 0, 255])
        #expect(reply.destination == client)
        let golden = GoldenFile.fixtures() + "/boot-server-ack.txt"
        #expect(packet.dump == (try GoldenFile.expected(packet.dump, path: golden)))
    }

    @Test func everyArrivalIsAnswered() throws {
        let multicast = try #require(decide(ask(type: 13, layer: 1), arrival: .multicast).replyValue)
        #expect(multicast.packet.bootFile == "X86PC/UNDI/linux-install/linux.1")
        #expect(multicast.packet.options.data(43) == [71, 4, 0, 13, 0, 1, 255])
        let broadcast = try #require(decide(ask(type: 14, layer: 2), arrival: .dhcpPort, mode: .full).replyValue)
        #expect(broadcast.packet.bootFile == "X86PC/UNDI/linux-boot/linux.2")
        #expect(broadcast.destination == client)
    }

    @Test func aClientWithoutAddressIsAnsweredByBroadcastOnItsPort() throws {
        let reply = try #require(decide(T.packet(.request, mac: T.n011, extra: [T.bootItem(type: 14, layer: 0)]),
                                        peer: DHCPEndpoint(.any, 68)).replyValue)
        #expect(reply.destination == DHCPEndpoint(.broadcast, 68))
    }

    @Test func discoveryTheFarmTurnedOffIsRefused() {
        let noBroadcast = T.farm(discovery: Discovery(multicast: nil, broadcast: false))
        #expect(decide(ask(type: 14, layer: 0), farm: noBroadcast, arrival: .dhcpPort).reason.contains("broadcast discovery off"))
        #expect(decide(ask(type: 14, layer: 0), farm: noBroadcast, arrival: .dhcpPort).refusal == .broadcastDiscoveryOff)
        #expect(decide(ask(type: 14, layer: 0), farm: noBroadcast, arrival: .multicast).reason.contains("no multicast discovery address"))
        #expect(decide(ask(type: 14, layer: 0), farm: noBroadcast, arrival: .multicast).refusal == .multicastDiscoveryOff)
        #expect(decide(ask(type: 14, layer: 0), farm: noBroadcast, arrival: .pxePort).replyValue != nil)
    }

    @Test func itemsTheFarmCannotServeAreRefusedWithTheReason() {
        #expect(decide(ask(type: 99, layer: 0)).reason == "boot-server request for type 99, which no service of the farm has")
        #expect(decide(ask(type: 99, layer: 0)).refusal == .unknownServerType)
        #expect(decide(ask(type: 0, layer: 0)).reason == "boot-server request for type 0 (local boot): there is no file to serve")
        #expect(decide(ask(type: 0, layer: 0)).refusal == .localBootItem)
        #expect(decide(ask(type: 14, layer: 3)).reason == "layer 3 of linux-boot is outside its layers 0-2")
        #expect(decide(ask(type: 14, layer: 3)).refusal == .layerOutside)
        #expect(decide(ask(type: 14, layer: 0x8000)).reason.hasPrefix("boot item asks for credentials"))
        #expect(decide(ask(type: 14, layer: 0x8000)).refusal == .credentials)
        #expect(decide(ask(type: 14, layer: 0, messageType: .discover)).reason.hasSuffix("boot servers answer REQUEST"))
        #expect(decide(ask(type: 14, layer: 0, messageType: .discover)).refusal == .bootItemWithoutRequest)
    }

    @Test func fullModeServesOnlyReservedMACs() throws {
        #expect(decide(ask(type: 14, layer: 0, mac: T.stranger), mode: .full).reason.hasPrefix("boot-server request from unknown MAC"))
        #expect(decide(ask(type: 14, layer: 0, mac: T.stranger), mode: .full).refusal == .unknownMAC)
        #expect(decide(ask(type: 14, layer: 0, mac: T.stranger), mode: .proxy).replyValue != nil)
    }

    @Test func option43IsReadStrictlyButAMissingEndIsTolerated() throws {
        let noEnd = T.packet(.request, mac: T.n011, ciaddr: client.address, extra: [T.option(43, [71, 4, 0, 14, 0, 1])])
        #expect(try #require(decide(noEnd).replyValue).packet.bootFile == "X86PC/UNDI/linux-boot/linux.1")
        let broken = T.packet(.request, mac: T.n011, ciaddr: client.address, extra: [T.option(43, [71, 9, 0, 14])])
        #expect(decide(broken).reason.hasPrefix("option 43 unreadable"))
        #expect(decide(broken).refusal == .option43Unreadable)
    }

    @Test func theMulticastGroupAnswersOnlyBootServerRequests() {
        #expect(decide(T.packet(.request, mac: T.n011), arrival: .multicast).reason == "REQUEST to the discovery group without a boot item (43.71)")
        #expect(decide(T.packet(.request, mac: T.n011), arrival: .multicast).refusal == .multicastWithoutBootItem)
    }

    @Test func efiBootServerRequestsGetTheEFIProgramOrARefusal() throws {
        let efi = T.packet(.request, mac: T.n011, firmware: .efi, ciaddr: client.address, extra: [T.bootItem(type: 14, layer: 0)])
        #expect(decide(efi).reason.hasPrefix("EFI x86-64 (option 93 = 7) and no boot program EFI/X64/linux-boot/linux.0"))
        #expect(decide(efi).refusal == .efiNoBootProgram)
        let reply = try #require(DHCPPolicy.decide(T.request(efi, from: client, arrival: .pxePort), context: T.context(efi: ["linux-boot"]), mode: .proxy).replyValue)
        #expect(reply.packet.bootFile == "EFI/X64/linux-boot/linux.0")
    }
}
