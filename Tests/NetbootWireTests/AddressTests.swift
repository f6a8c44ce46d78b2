import Testing
@testable import NetbootWire

@Suite struct IPv4AddressTests {
    @Test func parsesDottedQuad() throws {
        let address = try #require(IPv4Address("192.168.197.11"))
        #expect(address.value == 0xC0A8_C50B)
        #expect(address.octets == [192, 168, 197, 11])
        #expect(address.description == "192.168.197.11")
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-4", "a.b.c.d", "1..2.3", " 1.2.3.4", "1.2.3.4 "])
    func refusesMalformed(_ text: String) {
        #expect(IPv4Address(text) == nil)
    }

    @Test func advancesAndStopsAtTheEnd() {
        #expect(IPv4Address(192, 168, 197, 255).advanced(by: 1) == IPv4Address(192, 168, 198, 0))
        #expect(IPv4Address.broadcast.advanced(by: 1) == nil)
        #expect(IPv4Address(224, 0, 1, 2).isMulticast)
    }
}

@Suite struct MACAddressTests {
    @Test(arguments: ["00:D0:B7:1B:12:ED", "00-d0-b7-1b-12-ed", "00d0.b71b.12ed"])
    func parsesCommonForms(_ text: String) throws {
        let mac = try #require(MACAddress(text))
        #expect(mac.description == "00:D0:B7:1B:12:ED")
        #expect(mac.pxelinuxConfigName == "01-00-d0-b7-1b-12-ed")
    }

    @Test(arguments: ["", "00:D0:B7:1B:12", "00:D0:B7:1B:12:ED:00", "00:D0:B7:1B:12:EG", "0:D0:B7:1B:12:ED", "00d0b71b12ed", "00:d0-b7:1b:12:ed"])
    func refusesMalformed(_ text: String) {
        #expect(MACAddress(text) == nil)
    }

    @Test func advancesAsA48BitNumber() throws {
        let mac = try #require(MACAddress("52:54:00:12:34:ff"))
        #expect(mac.advanced(by: 1)?.description == "52:54:00:12:35:00")
        #expect(MACAddress("ff:ff:ff:ff:ff:ff")?.advanced(by: 1) == nil)
    }
}

@Suite struct IPv4SubnetTests {
    @Test func derivesMaskAndBroadcast() throws {
        let subnet = try #require(IPv4Subnet("192.168.197.0/24"))
        #expect(subnet.mask.description == "255.255.255.0")
        #expect(subnet.broadcast.description == "192.168.197.255")
        #expect(subnet.contains(IPv4Address(192, 168, 197, 31)))
        #expect(!subnet.contains(IPv4Address(192, 168, 198, 31)))
    }

    @Test(arguments: ["192.168.197.0", "192.168.197.5/24", "192.168.197.0/33", "192.168.197.0/", "x/24", "10.0.0.0/+8"])
    func refusesMalformed(_ text: String) {
        #expect(IPv4Subnet(text) == nil)
    }
}
