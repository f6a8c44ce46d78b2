import Foundation
import Logging
import NetbootWire
import NIOCore
import NIOEmbedded
import Testing
@testable import FarmServer

/// Every branch of the DHCP policy once more, through the handler on an
/// EmbeddedChannel: what goes out (bytes and destination), or the silence and
/// the log line with the reason, must be exactly what the pure policy decided;
/// a refusal is counted once under its category.
@Suite struct DHCPHandlerBranchTests {
    typealias T = DHCPTestFarm

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var packet: DHCPPacket
        var mode: DHCPMode = .full
        var port: DHCPRequest.Arrival = .dhcpPort
        var from: DHCPEndpoint = DHCPEndpoint(.any, 68)
        var toMulticast = false
        var expectReply: Bool
        /// The category a packet without a reply is counted under (nil: answered, or a note).
        var refusal: DHCPRefusal? = nil
        var testDescription: String { name }
    }

    static let nodeAddress = IPv4Address(192, 168, 197, 31)
    static let bound = DHCPEndpoint(nodeAddress, 68)
    static let relay = IPv4Address(192, 168, 197, 1)

    static let cases: [Case] = [
        Case(name: "full DISCOVER known", packet: T.packet(.discover, mac: T.n011), expectReply: true),
        Case(name: "full DISCOVER unknown MAC", packet: T.packet(.discover, mac: T.stranger), expectReply: false, refusal: .unknownMAC),
        Case(name: "full REQUEST reserved address", packet: T.packet(.request, mac: T.n011, extra: [T.option(50, nodeAddress.octets)]), expectReply: true),
        Case(name: "full REQUEST other address: NAK", packet: T.packet(.request, mac: T.n011, extra: [T.option(50, [10, 1, 1, 1])]), expectReply: true),
        Case(name: "full REQUEST other server", packet: T.packet(.request, mac: T.n011, extra: [T.option(50, nodeAddress.octets), T.option(54, [10, 0, 0, 1])]), expectReply: false, refusal: .otherServer),
        Case(name: "full REQUEST without address", packet: T.packet(.request, mac: T.n011), expectReply: false, refusal: .noRequestedAddress),
        Case(name: "full REQUEST renewing", packet: T.packet(.request, mac: T.n011, ciaddr: nodeAddress, flags: 0), from: bound, expectReply: true),
        Case(name: "full relayed DISCOVER", packet: T.packet(.discover, mac: T.n011, giaddr: relay, extra: [T.option(82, [1, 1, 7])]), from: DHCPEndpoint(relay, 67), expectReply: true),
        Case(name: "full INFORM", packet: T.packet(.inform, mac: T.n011, pxe: false, ciaddr: nodeAddress), from: bound, expectReply: true),
        Case(name: "full RELEASE", packet: T.packet(.release, mac: T.n011, pxe: false, ciaddr: nodeAddress), from: bound, expectReply: false),
        Case(name: "full DECLINE", packet: T.packet(.decline, mac: T.n011, pxe: false, extra: [T.option(50, nodeAddress.octets)]), expectReply: false),
        Case(name: "full server message from a client", packet: T.packet(.offer, mac: T.n011), expectReply: false, refusal: .serverMessage),
        Case(name: "full plain DHCP client", packet: T.packet(.discover, mac: T.n011, pxe: false), expectReply: true),
        Case(name: "full EFI client", packet: T.packet(.discover, mac: T.n011, firmware: .efi), expectReply: true),
        Case(name: "full iPXE client", packet: T.packet(.discover, mac: T.n014, ipxe: true), expectReply: true),
        Case(name: "BOOTREPLY op", packet: { var p = T.packet(.discover, mac: T.n011); p.op = 2; return p }(), expectReply: false, refusal: .notBootRequest),
        Case(name: "no option 53", packet: { var p = T.packet(.discover, mac: T.n011); p.options.remove(53); return p }(), expectReply: false, refusal: .noMessageType),
        Case(name: "malformed option 93", packet: T.packet(.discover, mac: T.n011, extra: [T.option(93, [0])]), expectReply: false, refusal: .malformedOption),
        Case(name: "malformed option 43", packet: T.packet(.request, mac: T.n011, extra: [T.option(43, [71, 9, 0])]), expectReply: false, refusal: .option43Unreadable),
        Case(name: "proxy DISCOVER PXE", packet: T.packet(.discover, mac: T.stranger), mode: .proxy, expectReply: true),
        Case(name: "proxy DISCOVER not PXE", packet: T.packet(.discover, mac: T.stranger, pxe: false), mode: .proxy, expectReply: false, refusal: .notPXE),
        Case(name: "proxy REQUEST on 67", packet: T.packet(.request, mac: T.n011, extra: [T.option(50, nodeAddress.octets)]), mode: .proxy, expectReply: false, refusal: .forSiteServer),
        Case(name: "proxy EFI without program", packet: T.packet(.discover, mac: T.n011, firmware: .efi), mode: .proxy, expectReply: false, refusal: .efiNoBootProgram),
        Case(name: "PXE port REQUEST", packet: T.packet(.request, mac: T.n011, ciaddr: nodeAddress), mode: .proxy, port: .pxePort, from: DHCPEndpoint(nodeAddress, 4011), expectReply: true),
        Case(name: "PXE port DISCOVER", packet: T.packet(.discover, mac: T.n011), mode: .proxy, port: .pxePort, from: DHCPEndpoint(nodeAddress, 4011), expectReply: false, refusal: .wrongTypeOnPXEPort),
        Case(name: "PXE port not PXE", packet: T.packet(.request, mac: T.n011, pxe: false, ciaddr: nodeAddress), mode: .proxy, port: .pxePort, from: DHCPEndpoint(nodeAddress, 4011), expectReply: false, refusal: .notPXE),
        Case(name: "boot server unicast", packet: T.packet(.request, mac: T.n011, ciaddr: nodeAddress, extra: [T.bootItem(type: 14, layer: 0)]), mode: .proxy, port: .pxePort, from: DHCPEndpoint(nodeAddress, 4011), expectReply: true),
        Case(name: "boot server multicast", packet: T.packet(.request, mac: T.n011, ciaddr: nodeAddress, extra: [T.bootItem(type: 14, layer: 1)]), mode: .proxy, port: .pxePort, from: DHCPEndpoint(nodeAddress, 4011), toMulticast: true, expectReply: true),
        Case(name: "boot server broadcast", packet: T.packet(.request, mac: T.n011, ciaddr: nodeAddress, extra: [T.bootItem(type: 13, layer: 2)]), from: bound, expectReply: true),
        Case(name: "boot server unknown type", packet: T.packet(.request, mac: T.n011, ciaddr: nodeAddress, extra: [T.bootItem(type: 99, layer: 0)]), mode: .proxy, port: .pxePort, from: DHCPEndpoint(nodeAddress, 4011), expectReply: false, refusal: .unknownServerType),
        Case(name: "boot server local boot", packet: T.packet(.request, mac: T.n011, ciaddr: nodeAddress, extra: [T.bootItem(type: 0, layer: 0)]), mode: .proxy, port: .pxePort, from: DHCPEndpoint(nodeAddress, 4011), expectReply: false, refusal: .localBootItem),
        Case(name: "boot server layer out of range", packet: T.packet(.request, mac: T.n011, ciaddr: nodeAddress, extra: [T.bootItem(type: 14, layer: 7)]), mode: .proxy, port: .pxePort, from: DHCPEndpoint(nodeAddress, 4011), expectReply: false, refusal: .layerOutside),
        Case(name: "boot server credentials", packet: T.packet(.request, mac: T.n011, ciaddr: nodeAddress, extra: [T.bootItem(type: 14, layer: 0x8000)]), mode: .proxy, port: .pxePort, from: DHCPEndpoint(nodeAddress, 4011), expectReply: false, refusal: .credentials),
        Case(name: "boot server DISCOVER", packet: T.packet(.discover, mac: T.n011, extra: [T.bootItem(type: 14, layer: 0)]), mode: .proxy, port: .pxePort, from: DHCPEndpoint(nodeAddress, 4011), expectReply: false, refusal: .bootItemWithoutRequest),
        Case(name: "boot server unknown MAC in full mode", packet: T.packet(.request, mac: T.stranger, ciaddr: nodeAddress, extra: [T.bootItem(type: 14, layer: 0)]), port: .pxePort, from: DHCPEndpoint(nodeAddress, 4011), expectReply: false, refusal: .unknownMAC),
        Case(name: "multicast without boot item", packet: T.packet(.request, mac: T.n011, ciaddr: nodeAddress), mode: .proxy, port: .pxePort, from: DHCPEndpoint(nodeAddress, 4011), toMulticast: true, expectReply: false, refusal: .multicastWithoutBootItem),
    ]

    @Test(arguments: cases)
    func theHandlerDoesWhatThePolicyDecided(_ test: Case) throws {
        let (logger, log) = CapturingLogHandler.logger()
        let context = T.context()
        let refusals = RefusalCounter(message: "refused dhcp packets")
        let channel = EmbeddedChannel(handler: DHCPHandler(port: test.port, mode: test.mode, context: DHCPContextBox(context), stages: nil,
                                                           refusals: refusals, logger: logger))
        let arrival: DHCPRequest.Arrival = test.toMulticast ? .multicast : test.port
        let decision = DHCPPolicy.decide(DHCPRequest(packet: test.packet, peer: test.from, arrival: arrival), context: context, mode: test.mode)
        #expect((decision.replyValue != nil) == test.expectReply, "\(decision)")
        #expect(decision.refusal == test.refusal, "\(decision)")

        let metadata = try test.toMulticast ? AddressedEnvelope<ByteBuffer>.Metadata(
            ecnState: .transportNotCapable,
            packetInfo: NIOPacketInfo(destinationAddress: try SocketAddress(ipAddress: "224.0.1.2", port: 4011), interfaceIndex: 2)) : nil
        let from = try SocketAddress(ipAddress: test.from.address.description, port: test.from.port)
        try channel.writeInbound(AddressedEnvelope(remoteAddress: from, data: ByteBuffer(bytes: try test.packet.encoded()), metadata: metadata))
        let sent = try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self)
        if let reply = decision.replyValue {
            let envelope = try #require(sent)
            #expect(envelope.remoteAddress == (try SocketAddress(ipAddress: reply.destination.address.description, port: reply.destination.port)))
            #expect(Array(envelope.data.readableBytesView) == (try reply.encoded()))
            #expect(log.messages.count == 1 && log.messages[0].hasPrefix("info dhcp answered"))
        } else {
            #expect(sent == nil)
            #expect(log.messages.count == 1)
            #expect(log.messages.first?.contains("reason=\(decision.reason)") == true)
        }
        if let refusal = test.refusal {
            #expect(refusals.counts == [refusal.rawValue: 1])
            #expect(log.messages.first?.contains("refusal=\(refusal.rawValue) ") == true)
        } else {
            #expect(refusals.counts.isEmpty)
        }
        #expect(try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self) == nil)
        #expect(try channel.finish().isClean)
    }
}
