import FarmModel
import NetbootWire
import Testing
import TestSupport
@testable import FarmServer

/// Full DHCP (static reservations): every branch of `DHCPPolicy.full`.
@Suite struct DHCPPolicyTests {
    typealias T = DHCPTestFarm
    let context = T.context()

    func decide(_ packet: DHCPPacket, context: DHCPContext? = nil, arrival: DHCPRequest.Arrival = .dhcpPort,
                peer: DHCPEndpoint = DHCPEndpoint(.any, 68)) -> DHCPDecision {
        DHCPPolicy.decide(T.request(packet, from: peer, arrival: arrival), context: context ?? self.context, mode: .full)
    }

    func menu(_ reply: DHCPReply) throws -> [UInt16] {
        let bytes = try #require(reply.packet.options.vendorSpecific)
        return try #require(try PXEVendorOptions.decode(bytes).bootMenu).map(\.type)
    }

    @Test func discoverFromAKnownPXENodeGetsAnOfferWithEveryField() throws {
        let request = T.packet(.discover, mac: T.n011)
        let reply = try #require(decide(request).replyValue)
        let packet = reply.packet
        #expect(packet.op == 2)
        #expect(packet.htype == 1 && packet.hlen == 6 && packet.hops == 0)
        #expect(packet.xid == request.xid)
        #expect(packet.flags == request.flags)
        #expect(packet.chaddr == request.chaddr)
        #expect(packet.ciaddr == .any)
        #expect(packet.yiaddr == IPv4Address(192, 168, 197, 31))
        #expect(packet.siaddr == T.server)
        #expect(packet.giaddr == .any)
        #expect(packet.bootFile == "X86PC/UNDI/linux-boot/linux.0")
        #expect(packet.options.all.map(\.code) == [53, 54, 51, 1, 3, 6, 12, 15, 17, 28, 60, 43, 97])
        #expect(packet.options.data(53) == [DHCPMessageType.offer.rawValue])
        #expect(packet.options.data(54) == T.server.octets)
        #expect(packet.options.data(51) == [0, 0, 2, 88])
        #expect(packet.options.data(1) == [255, 255, 255, 0])
        #expect(packet.options.data(3) == [192, 168, 197, 1])
        #expect(packet.options.data(6) == [192, 168, 197, 2])
        #expect(packet.options.data(12) == Array("n011".utf8))
        #expect(packet.options.data(15) == Array("dc2.kek.jp".utf8))
        #expect(packet.options.data(17) == Array("/nfsroot/n011".utf8))
        #expect(packet.options.data(28) == [192, 168, 197, 255])
        #expect(packet.options.data(60) == Array("PXEClient".utf8))
        #expect(packet.options.data(97) == T.guid)
        #expect(reply.destination == DHCPEndpoint(.broadcast, 68))
        #expect(reply.node == "n011")
        #expect(try reply.encoded().count == 240 + packet.options.all.reduce(0) { $0 + 2 + $1.data.count } + 1)
        let golden = GoldenFile.fixtures() + "/dhcp-offer-n011.txt"
        #expect(packet.dump == (try GoldenFile.expected(packet.dump, path: golden)))
    }

    /// iPXE boots the FIRST menu item when the prompt times out (FIELD-NOTES),
    /// so each known node sees its own service first, the rest in farm order.
    @Test func theMenuListsTheNodesOwnServiceFirst() throws {
        #expect(try menu(try #require(decide(T.packet(.discover, mac: T.n011)).replyValue)) == [14, 13, 0, 15])
        #expect(try menu(try #require(decide(T.packet(.discover, mac: T.n012)).replyValue)) == [13, 0, 14, 15])
        #expect(try menu(try #require(decide(T.packet(.discover, mac: T.n013)).replyValue)) == [0, 13, 14, 15])
        let options = try PXEVendorOptions.decode(try #require(decide(T.packet(.discover, mac: T.n011)).replyValue?.packet.options.vendorSpecific))
        #expect(options.prompt == PXEPrompt(timeout: 10, text: "Press F8 to view menu ..."))
        #expect(options.multicastDiscoveryAddress == Discovery.defaultMulticast)
        #expect(options.discoveryControl == [])
    }

    @Test func anUnknownMACIsIgnoredAndSaysSo() {
        let decision = decide(T.packet(.discover, mac: T.stranger))
        #expect(decision == .ignore(.unknownMAC, reason: "unknown MAC 52:54:00:99:99:99: no reservation in the farm (static reservations only)", node: nil))
    }

    @Test func requestForTheReservedAddressIsAcknowledged() throws {
        let request = T.packet(.request, mac: T.n011, extra: [T.option(50, [192, 168, 197, 31]), T.option(54, T.server.octets)])
        let reply = try #require(decide(request).replyValue)
        #expect(reply.messageType == .ack)
        #expect(reply.packet.yiaddr == IPv4Address(192, 168, 197, 31))
        #expect(reply.packet.options.data(51) != nil)
        #expect(reply.destination == DHCPEndpoint(.broadcast, 68))
    }

    @Test func requestForAnotherAddressGetsANak() throws {
        let request = T.packet(.request, mac: T.n011, extra: [T.option(50, [192, 168, 197, 99])])
        let decision = decide(request)
        let reply = try #require(decision.replyValue)
        #expect(reply.messageType == .nak)
        #expect(reply.packet.yiaddr == .any && reply.packet.siaddr == .any)
        #expect(reply.packet.options.all.map(\.code) == [53, 54, 56, 97])
        #expect(reply.destination == DHCPEndpoint(.broadcast, 68))
        #expect(decision.reason == "REQUEST for 192.168.197.99, but n011 is reserved 192.168.197.31")
    }

    @Test func shortRepliesArePaddedToTheBOOTPMinimum() throws {
        let packet = DHCPReplyBuilder.reply(to: T.packet(.request, mac: T.n011), type: .nak, server: T.server)
        let bytes = try DHCPReply(packet: packet, destination: DHCPEndpoint(.broadcast, 68), node: nil, reason: "").encoded()
        #expect(bytes.count == 300)
        #expect(bytes[240..<250] == [53, 1, 6, 54, 4, 192, 168, 197, 11, 255])
    }

    @Test func requestForAnotherServerIsIgnored() {
        let request = T.packet(.request, mac: T.n011, extra: [T.option(50, [192, 168, 197, 31]), T.option(54, [10, 0, 0, 1])])
        #expect(decide(request).refusal == .otherServer)
        #expect(decide(request).reason == "REQUEST for server 10.0.0.1, not this one (192.168.197.11)")
    }

    @Test func requestWithoutAnyAddressIsIgnored() {
        #expect(decide(T.packet(.request, mac: T.n011)).reason == "REQUEST without option 50 or ciaddr")
        #expect(decide(T.packet(.request, mac: T.n011)).refusal == .noRequestedAddress)
    }

    @Test func renewingClientIsAnsweredByUnicastToCiaddr() throws {
        let request = T.packet(.request, mac: T.n011, ciaddr: IPv4Address(192, 168, 197, 31), flags: 0)
        let reply = try #require(decide(request).replyValue)
        #expect(reply.messageType == .ack)
        #expect(reply.packet.ciaddr == IPv4Address(192, 168, 197, 31))
        #expect(reply.destination == DHCPEndpoint(IPv4Address(192, 168, 197, 31), 68))
    }

    @Test func relayedRequestsGoBackToTheRelayWithOption82Last() throws {
        let relay = IPv4Address(192, 168, 197, 1)
        let agent = T.option(82, [1, 3, 0x65, 0x74, 0x68, 2, 2, 0xAB, 0xCD])
        let offer = try #require(decide(T.packet(.discover, mac: T.n011, giaddr: relay, flags: 0, extra: [agent])).replyValue)
        #expect(offer.destination == DHCPEndpoint(relay, 67))
        #expect(offer.packet.giaddr == relay)
        #expect(offer.packet.options.all.last == agent)
        #expect(offer.packet.options.all.suffix(2).map(\.code) == [97, 82])
        let nak = try #require(decide(T.packet(.request, mac: T.n011, giaddr: relay, flags: 0, extra: [T.option(50, [1, 2, 3, 4]), agent])).replyValue)
        #expect(nak.destination == DHCPEndpoint(relay, 67))
        #expect(nak.packet.isBroadcast)
        #expect(nak.packet.options.all.last == agent)
    }

    @Test func informGetsConfigurationWithoutAnAddressOrLease() throws {
        let address = IPv4Address(192, 168, 197, 31)
        let reply = try #require(decide(T.packet(.inform, mac: T.n011, pxe: false, ciaddr: address, flags: 0)).replyValue)
        #expect(reply.messageType == .ack)
        #expect(reply.packet.yiaddr == .any)
        #expect(reply.packet.ciaddr == address)
        #expect(reply.packet.options.data(51) == nil)
        #expect(reply.packet.options.data(12) == Array("n011".utf8))
        #expect(reply.destination == DHCPEndpoint(address, 68))
    }

    @Test func releaseAndDeclineAreNotedWithoutAReply() {
        #expect(decide(T.packet(.release, mac: T.n011, pxe: false)).refusal == nil)
        #expect(decide(T.packet(.release, mac: T.n011, pxe: false, ciaddr: IPv4Address(192, 168, 197, 31))) ==
            .note(reason: "RELEASE of 192.168.197.31 (the reservation stays)", node: "n011"))
        #expect(decide(T.packet(.decline, mac: T.n011, pxe: false, extra: [T.option(50, [192, 168, 197, 31])])) ==
            .note(reason: "DECLINE: 192.168.197.31 is in use by another host; check the network for a duplicate", node: "n011"))
    }

    @Test func serverMessagesFromClientsAreIgnored() {
        for type in [DHCPMessageType.offer, .ack, .nak] {
            #expect(decide(T.packet(type, mac: T.n011)).reason == "\(type) is a server's message")
            #expect(decide(T.packet(type, mac: T.n011)).refusal == .serverMessage)
        }
    }

    @Test func aPlainDHCPClientGetsTheLeaseAndRootPathButNoPXEOptions() throws {
        let reply = try #require(decide(T.packet(.discover, mac: T.n011, pxe: false)).replyValue)
        #expect(reply.packet.options.all.map(\.code) == [53, 54, 51, 1, 3, 6, 12, 15, 17, 28])
        #expect(reply.packet.file.isEmpty && reply.packet.siaddr == .any)
    }

    @Test func rootPathOnlyForNFSRootServices() throws {
        #expect(try #require(decide(T.packet(.discover, mac: T.n012)).replyValue).packet.options.data(17) == nil)
        let local = try #require(decide(T.packet(.discover, mac: T.n013)).replyValue)
        #expect(local.packet.options.data(17) == nil)
        #expect(local.packet.file.isEmpty)
    }

    @Test func efiClientsGetTheEFIProgramWithoutMenuOrNoBootFile() throws {
        let without = try #require(decide(T.packet(.discover, mac: T.n011, firmware: .efi)).replyValue)
        #expect(without.packet.file.isEmpty)
        #expect(without.packet.options.data(43) == nil)
        #expect(without.reason.hasSuffix("no boot file: EFI x86-64 (option 93 = 7) and no boot program EFI/X64/linux-boot/linux.0 in the TFTP tree"))
        let with = try #require(decide(T.packet(.discover, mac: T.n011, firmware: .efi), context: T.context(efi: ["linux-boot"])).replyValue)
        #expect(with.packet.bootFile == "EFI/X64/linux-boot/linux.0")
        #expect(with.packet.options.data(43) == nil)
        #expect(with.packet.options.data(60) == Array("PXEClient".utf8))
        let arm = try #require(decide(T.packet(.discover, mac: T.n011, firmware: .arm)).replyValue)
        #expect(arm.packet.file.isEmpty)
        #expect(arm.reason.hasSuffix("ARM 64-bit UEFI (option 93 = 11) and no boot program EFI/AA64/linux-boot/linux.0 in the TFTP tree"))
        let armWith = try #require(decide(T.packet(.discover, mac: T.n011, firmware: .arm),
                                          context: T.context(files: ["EFI/AA64/linux-boot/linux.0"])).replyValue)
        #expect(armWith.packet.bootFile == "EFI/AA64/linux-boot/linux.0")
    }

    /// Option 93 through the architecture table: each code to its folder,
    /// an unknown one refused naming its code.
    @Test func theArchitectureTableSendsEachCodeToItsFolder() throws {
        let folders: [UInt16: String] = [0: "X86PC/UNDI", 6: "EFI/IA32", 7: "EFI/X64", 9: "EFI/X64", 10: "EFI/ARM", 11: "EFI/AA64",
                                         15: "EFI/IA32", 16: "EFI/X64", 18: "EFI/ARM", 19: "EFI/AA64"]
        #expect(Set(ClientArchitecture.table.keys) == Set(folders.keys))
        for (code, folder) in folders {
            #expect(ClientArchitecture.of([code])?.folder == folder, "\(code)")
        }
        #expect(ClientArchitecture.of([]) == ClientArchitecture.bios)
        #expect(ClientArchitecture.of([7, 0]) == ClientArchitecture.bios)
        #expect(ClientArchitecture.of([2, 11])?.code == 11)
        #expect(ClientArchitecture.of([1]) == nil)
        let all = Set(ClientArchitecture.uefiFolders.map { "\($0)/linux-boot/linux.0" })
        for code: UInt16 in [6, 9, 10] {
            let packet = T.packet(.discover, mac: T.n011, extra: [T.option(93, [0, UInt8(code)])], replacingArchitecture: true)
            let reply = try #require(decide(packet, context: T.context(files: all)).replyValue)
            #expect(reply.packet.bootFile == folders[code]! + "/linux-boot/linux.0", "\(code)")
        }
        let unknown = try #require(decide(T.packet(.discover, mac: T.n011, extra: [T.option(93, [0, 2])], replacingArchitecture: true),
                                          context: T.context(files: all)).replyValue)
        #expect(unknown.packet.file.isEmpty)
        #expect(unknown.reason.hasSuffix("no boot file: client architecture 2 (option 93) is not served (served: 0 BIOS; 6, 7, 9, 10, 11 UEFI; 15, 16, 18, 19 UEFI HTTP)"))
    }

    /// A UEFI iPXE (snponly.efi as the UEFI boot program) asking again gets the kernel.
    @Test func uefiIPXEIsNotHandedIPXEAgain() throws {
        var farm = T.farm()
        farm.images[1].efiBootProgram = .ipxe
        let context = T.context(farm, files: ["EFI/X64/ipxe-boot/linux.0"])
        let rom = try #require(decide(T.packet(.discover, mac: T.n014, firmware: .efi), context: context).replyValue)
        #expect(rom.packet.bootFile == "EFI/X64/ipxe-boot/linux.0")
        let chained = try #require(decide(T.packet(.discover, mac: T.n014, firmware: .efi, ipxe: true), context: context).replyValue)
        #expect(chained.packet.bootFile == "EFI/X64/ipxe-boot/linux.1")
    }

    @Test func iPXEIsNotHandedIPXEAgain() throws {
        let rom = try #require(decide(T.packet(.discover, mac: T.n014)).replyValue)
        #expect(rom.packet.bootFile == "X86PC/UNDI/ipxe-boot/linux.0")
        let chained = try #require(decide(T.packet(.discover, mac: T.n014, ipxe: true)).replyValue)
        #expect(chained.packet.bootFile == "X86PC/UNDI/ipxe-boot/linux.1")
        let ipxe175 = try #require(decide(T.packet(.discover, mac: T.n014, extra: [T.option(175, [19, 1, 1])])).replyValue)
        #expect(ipxe175.packet.bootFile == "X86PC/UNDI/ipxe-boot/linux.1")
        // iPXE loading pxelinux does not loop: it gets linux.0 as usual.
        let pxelinux = try #require(decide(T.packet(.discover, mac: T.n011, ipxe: true)).replyValue)
        #expect(pxelinux.packet.bootFile == "X86PC/UNDI/linux-boot/linux.0")
    }

    /// `farm.http-boot`: iPXE (option 77 or 175) is handed its per-node
    /// script over HTTP, from the server address and HTTP port serve answers
    /// on; a PXE ROM that is not iPXE still gets linux.0 over TFTP, and so does
    /// iPXE where serve answers no HTTP.
    @Test func iPXEBootsOverHTTPWhereTheFarmSaysSo() throws {
        var farm = T.farm()
        farm.settings.httpBoot = true
        let context = DHCPContext(farm: farm, serverAddress: T.server, httpPort: 8067)
        let ipxe = try #require(decide(T.packet(.discover, mac: T.n011, ipxe: true), context: context).replyValue)
        #expect(ipxe.packet.bootFile == "http://192.168.197.11:8067/boot/01-00-d0-b7-1b-12-ed.ipxe")
        #expect(ipxe.reason.contains("kernel and initrd over HTTP"))
        let ipxe175 = try #require(decide(T.packet(.discover, mac: T.n014, extra: [T.option(175, [19, 1, 1])]), context: context).replyValue)
        #expect(ipxe175.packet.bootFile == "http://192.168.197.11:8067/boot/01-00-d0-b7-1b-12-f0.ipxe")
        let rom = try #require(decide(T.packet(.discover, mac: T.n011), context: context).replyValue)
        #expect(rom.packet.bootFile == "X86PC/UNDI/linux-boot/linux.0")
        let noHTTP = DHCPContext(farm: farm, serverAddress: T.server, httpPort: nil)
        #expect(try #require(decide(T.packet(.discover, mac: T.n011, ipxe: true), context: noHTTP).replyValue).packet.bootFile
                == "X86PC/UNDI/linux-boot/linux.0")
        farm.settings.httpBoot = false
        let off = DHCPContext(farm: farm, serverAddress: T.server, httpPort: 8067)
        #expect(try #require(decide(T.packet(.discover, mac: T.n011, ipxe: true), context: off).replyValue).packet.bootFile
                == "X86PC/UNDI/linux-boot/linux.0")
    }

    @Test func proxyDiscoveryModeLeavesOption43ToTheProxy() throws {
        let farm = T.farm(discovery: Discovery(mode: .proxy, multicast: nil))
        let reply = try #require(decide(T.packet(.discover, mac: T.n011), context: T.context(farm)).replyValue)
        #expect(reply.packet.options.data(60) == Array("PXEClient".utf8))
        #expect(reply.packet.options.data(43) == nil)
    }

    @Test func theClientsMaximumMessageSizeIsKept() throws {
        let reply = try #require(decide(T.packet(.discover, mac: T.n011, extra: [T.option(57, [0x05, 0xC0])])).replyValue)
        #expect(reply.maximumSize == 1472)
        #expect(decide(T.packet(.discover, mac: T.n011, extra: [T.option(57, [0, 100])])).reason.contains("option 57"))
        #expect(decide(T.packet(.discover, mac: T.n011, extra: [T.option(57, [0, 100])])).refusal == .malformedOption)
    }

    @Test func packetsThePolicyCannotReadAreIgnoredWithTheReason() {
        var reply = T.packet(.discover, mac: T.n011)
        reply.op = 2
        #expect(decide(reply).reason == "op 2 is not BOOTREQUEST")
        #expect(decide(reply).refusal == .notBootRequest)
        var bootp = T.packet(.discover, mac: T.n011)
        bootp.options.remove(53)
        #expect(decide(bootp).reason == "no option 53 (a BOOTP client; pxefarm answers DHCP only)")
        #expect(decide(bootp).refusal == .noMessageType)
        var token = T.packet(.discover, mac: T.n011)
        token.htype = 6
        #expect(decide(token).reason == "htype 6 hlen 6 is not Ethernet")
        #expect(decide(token).refusal == .notEthernet)
        #expect(decide(T.packet(.discover, mac: T.n011, extra: [T.option(93, [0])])).reason.contains("option 93"))
        #expect(decide(T.packet(.discover, mac: T.n011, extra: [T.option(93, [0])])).refusal == .malformedOption)
        #expect(decide(T.packet(.discover, mac: T.n011, extra: [T.option(53, [0])])).reason.contains("option 53"))
        #expect(decide(T.packet(.discover, mac: T.n011, extra: [T.option(53, [0])])).refusal == .malformedOption)
    }

    @Test func anOption43ThatDoesNotEncodeIsRefusedNotTruncated() {
        var farm = T.farm()
        farm.services += (0..<12).map { Service(type: UInt16(100 + $0), name: "s\($0)", menu: String(repeating: "x", count: 30), image: "base") }
        let decision = decide(T.packet(.discover, mac: T.n011), context: T.context(farm))
        #expect(decision.refusal == .option43Unencodable)
        #expect(decision.reason.hasPrefix("option 43 for n011 cannot be encoded"))
    }
}
