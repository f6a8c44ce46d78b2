import Testing
import NetbootWire
@testable import FarmModel

/// The farms that say what the reference's two option 43 examples say (digest §4).
enum ReferenceOptionFarms {
    static func services() -> [Service] {
        [
            Service(type: 0, name: "local", menu: "Local boot", root: .local),
            Service(type: 13, name: "linux-install", menu: "kick start", image: "base", root: .ram, kickstart: "/ks.cfg"),
            Service(type: 14, name: "linux-boot", menu: "network boot", image: "base", root: .nfs),
        ]
    }

    static let prompt = Prompt(timeout: 10, text: "Type <F8> for menu")

    static func multicast() -> Farm {
        var farm = SampleFarm.farm()
        farm.services = services()
        farm.discovery = Discovery(multicast: Discovery.defaultMulticast, broadcast: true, prompt: prompt)
        return farm
    }

    static func unicast() -> Farm {
        var farm = SampleFarm.farm()
        farm.services = services()
        farm.discovery = Discovery(multicast: nil, broadcast: false, unicast: [SampleFarm.ip("192.168.197.12")], prompt: prompt)
        return farm
    }
}

@Suite struct FarmPXEVendorOptionsTests {
    @Test func multicastDiscoveryFarmGivesTheReferenceBytes() throws {
        let expected = "06:01:00:07:04:e0:00:01:02:09:29:00:00:0a:4c:6f:63:61:6c:20:62:6f:6f:74:00:0d:0a:6b:69:63:6b:20:73:74:61:72:74:00:0e:0c:6e:65:74:77:6f:72:6b:20:62:6f:6f:74:0a:13:0a:54:79:70:65:20:3c:46:38:3e:20:66:6f:72:20:6d:65:6e:75:ff"
        #expect(HexBytes.colonSeparated(try ReferenceOptionFarms.multicast().pxeVendorOptions().encode()) == expected)
        #expect(SampleFarm.diagnostics(ReferenceOptionFarms.multicast()) == [])
    }

    @Test func unicastDiscoveryFarmGivesTheReferenceBytes() throws {
        let expected = "06:01:03:08:0e:00:0d:01:c0:a8:c5:0c:00:0e:01:c0:a8:c5:0c:09:29:00:00:0a:4c:6f:63:61:6c:20:62:6f:6f:74:00:0d:0a:6b:69:63:6b:20:73:74:61:72:74:00:0e:0c:6e:65:74:77:6f:72:6b:20:62:6f:6f:74:0a:13:0a:54:79:70:65:20:3c:46:38:3e:20:66:6f:72:20:6d:65:6e:75:ff"
        #expect(HexBytes.colonSeparated(try ReferenceOptionFarms.unicast().pxeVendorOptions().encode()) == expected)
        #expect(SampleFarm.diagnostics(ReferenceOptionFarms.unicast()) == [])
    }

    @Test func discoveryControlBitsFollowTheSettings() {
        var farm = ReferenceOptionFarms.unicast()
        farm.discovery.serverListOnly = true
        farm.discovery.menu = false
        #expect(farm.pxeVendorOptions().discoveryControl == [.noBroadcast, .noMulticast, .serverListOnly, .bootFileOnly])
        #expect(ReferenceOptionFarms.multicast().pxeVendorOptions().bootServers == nil)
    }

    @Test func aMenuTooLongForOption43IsAnErrorAtServices() {
        var farm = SampleFarm.farm()
        for index in 0..<9 {
            farm.services.append(Service(type: UInt16(20 + index), name: "extra\(index)", menu: "Remote Boot Linux variant \(index)", image: "base"))
        }
        // The sample's three entries take 3 * 3 + 10 + 20 + 17 = 56 bytes, the nine extras 9 * (3 + 27) = 270.
        #expect(SampleFarm.diagnostics(farm) == [
            "error: services: the PXE options (DHCP option 43) do not fit: the boot menu (tag 9) is 326 bytes; one sub-option holds at most 252 in option 43: shorten the menu texts, or offer fewer services",
        ])
    }

    @Test func tooManyUnicastServersIsAnErrorAtDiscovery() {
        var farm = ReferenceOptionFarms.unicast()
        farm.discovery.unicast = (20...49).map { IPv4Address(192, 168, 197, UInt8($0)) }
        farm.nodes = []
        // tag 8: two types of 3 + 30 * 4 bytes each, 248 with tag and length; then menu 43, prompt 21, tag 6 3, end 1.
        #expect(SampleFarm.diagnostics(farm) == [
            "error: discovery: the PXE options (DHCP option 43) do not fit: option 43 would be 316 bytes, over the 255 a DHCP option holds; the boot server list (tag 8) takes 248, the boot menu (tag 9) takes 43: list fewer unicast boot servers, or offer fewer services",
        ])
    }
}
