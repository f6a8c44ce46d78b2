import FarmModel
import NetbootWire
import Testing
@testable import FarmServer

/// Several `pxefarm serve --server NAME` instances on one farm: the same
/// answer from each, except that option 54 and siaddr name the one answering.
@Suite struct MultiServerDHCPTests {
    typealias T = DHCPTestFarm

    static func farm() -> Farm {
        var farm = T.farm()
        farm.servers = [
            Server(name: "boot1", address: IPv4Address(192, 168, 197, 3), roles: [.dhcp, .tftp, .http]),
            Server(name: "boot2", address: IPv4Address(192, 168, 197, 4), roles: [.dhcp, .tftp, .http]),
            Server(name: "boot3", address: IPv4Address(192, 168, 197, 5), roles: [.dhcp, .tftp, .http]),
            Server(name: "nfs1", address: IPv4Address(192, 168, 197, 6), roles: [.nfs]),
            Server(name: "nfs2", address: IPv4Address(192, 168, 197, 7), roles: [.nfs]),
        ]
        return farm
    }

    static func context(_ name: String) -> DHCPContext { DHCPContext(farm: farm(), serverName: name) }

    static func offer(_ context: DHCPContext, mac: MACAddress) throws -> DHCPPacket {
        try #require(DHCPPolicy.decide(T.request(T.packet(.discover, mac: mac)), context: context, mode: .full).replyValue).packet
    }

    @Test func eachInstanceNamesItselfAndOtherwiseAnswersTheSame() throws {
        let farm = Self.farm()
        let contexts = ["boot1", "boot2", "boot3"].map(Self.context)
        for mac in [T.n011, T.n012, T.n014] {
            let offers = try contexts.map { try Self.offer($0, mac: mac) }
            for (offer, context) in zip(offers, contexts) {
                #expect(offer.options.data(54) == context.serverAddress.octets)
                #expect(offer.siaddr == context.serverAddress)
                #expect(context.serverAddress == context.server?.address)
            }
            // Drop what names the answering server: the rest is byte for byte the same.
            let rest = try offers.map { offer -> [UInt8] in
                var same = offer
                same.siaddr = .any
                same.options[54] = nil
                return try same.encoded()
            }
            #expect(Set(rest).count == 1)
            let node = try #require(contexts[0].node(mac: mac))
            let options = try PXEVendorOptions.decode(try #require(offers[0].options.vendorSpecific))
            let order = farm.bootServers(of: node).map(\.address)
            #expect(order.count == 3)
            #expect(options.bootServers?.allSatisfy { $0.servers == order } == true)
            #expect(options.bootServers?.map(\.type) == [13, 14, 15])
        }
    }

    @Test func theRootPathNamesTheHomeNFSServer() throws {
        let farm = Self.farm()
        let node = try #require(farm.node(named: "n011"))
        let home = try #require(farm.homeNFSServer(of: node))
        let offer = try Self.offer(Self.context("boot2"), mac: T.n011)
        #expect(offer.options.data(17) == Array("\(home.address):/nfsroot/n011".utf8))
    }

    @Test func aRequestForAnotherInstanceIsLeftToIt() throws {
        let request = T.packet(.request, mac: T.n011, extra: [
            DHCPOption(code: 50, data: [192, 168, 197, 31]), DHCPOption(code: 54, data: [192, 168, 197, 3]),
        ])
        let mine = DHCPPolicy.decide(T.request(request), context: Self.context("boot1"), mode: .full)
        #expect(mine.replyValue?.packet.options.data(53) == [DHCPMessageType.ack.rawValue])
        let other = DHCPPolicy.decide(T.request(request), context: Self.context("boot2"), mode: .full)
        #expect(other.replyValue == nil)
    }

    @Test func withoutServersTag8IsAsBefore() throws {
        let offer = try Self.offer(T.context(), mac: T.n011)
        let options = try PXEVendorOptions.decode(try #require(offer.options.vendorSpecific))
        #expect(options.bootServers == nil)
        #expect(offer.options.data(17) == Array("/nfsroot/n011".utf8))
    }
}
