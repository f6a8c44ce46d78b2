import Foundation
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

/// The byte-by-byte descriptions say what the plain formulas say, for every
/// octet value in every position and for every byte of a MAC.
@Suite struct AddressDescriptionTests {
    @Test func dottedQuadsForEveryOctetValue() {
        for octet in 0...255 {
            for position in 0..<4 {
                var octets: [UInt8] = [10, 0, 0, 1]
                octets[position] = UInt8(octet)
                let address = IPv4Address(octets[0], octets[1], octets[2], octets[3])
                #expect(address.description == octets.map(String.init).joined(separator: "."))
                #expect(IPv4Address(address.description) == address)
            }
        }
        #expect(IPv4Address(0).description == "0.0.0.0")
        #expect(IPv4Address(.max).description == "255.255.255.255")
    }

    @Test func macsForEveryByteValue() throws {
        for byte in 0...255 {
            let bytes: [UInt8] = [0x52, 0x54, 0x00, UInt8(byte), 0xAB, UInt8(255 - byte)]
            let mac = try #require(MACAddress(bytes: bytes))
            let hex = bytes.map { String(format: "%02X", $0) }
            #expect(mac.description == hex.joined(separator: ":"))
            #expect(mac.pxelinuxConfigName == "01-" + hex.joined(separator: "-").lowercased())
            #expect(MACAddress(mac.description) == mac)
        }
    }
}
