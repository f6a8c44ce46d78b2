import Testing
@testable import NetbootWire

/// The two worked examples of the reference deployment (digest §4), byte for byte.
enum ReferenceVectors {
    static let multicast = """
        06:01:00: 07:04:e0:00:01:02: 09:29:00:00:0a:4c:6f:63:61:6c:20:62:6f:6f:74:00:0d:0a:6b:69:63:6b:20:73:74:61:72:74:00:0e:0c:6e:65:74:77:6f:72:6b:20:62:6f:6f:74: 0a:13:0a:54:79:70:65:20:3c:46:38:3e:20:66:6f:72:20:6d:65:6e:75:ff
        """
    static let unicast = """
        06:01:03: 08:0e:00:0d:01:C0:A8:C5:0C:00:0e:01:C0:A8:C5:0C: 09:29:00:00:0a:4c:6f:63:61:6c:20:62:6f:6f:74:00:0d:0a:6b:69:63:6b:20:73:74:61:72:74:00:0e:0c:6e:65:74:77:6f:72:6b:20:62:6f:6f:74: 0a:13:0a:54:79:70:65:20:3c:46:38:3e:20:66:6f:72:20:6d:65:6e:75:ff
        """

    static let menu = [
        PXEMenuItem(type: 0, text: "Local boot"), PXEMenuItem(type: 13, text: "kick start"), PXEMenuItem(type: 14, text: "network boot"),
    ]
    static let prompt = PXEPrompt(timeout: 10, text: "Type <F8> for menu")
    static let bootServer = IPv4Address(192, 168, 197, 12)

    static var multicastOptions: PXEVendorOptions {
        PXEVendorOptions(discoveryControl: [], multicastDiscoveryAddress: IPv4Address(224, 0, 1, 2), bootMenu: menu, prompt: prompt)
    }

    static var unicastOptions: PXEVendorOptions {
        PXEVendorOptions(
            discoveryControl: [.noBroadcast, .noMulticast],
            bootServers: [PXEBootServerList(type: 13, servers: [bootServer]), PXEBootServerList(type: 14, servers: [bootServer])],
            bootMenu: menu, prompt: prompt)
    }
}

@Suite struct PXEVendorOptionsTests {
    @Test func multicastExampleEncodesByteForByte() throws {
        #expect(try ReferenceVectors.multicastOptions.encode() == HexBytes.parse(ReferenceVectors.multicast))
    }

    @Test func unicastExampleEncodesByteForByte() throws {
        #expect(try ReferenceVectors.unicastOptions.encode() == HexBytes.parse(ReferenceVectors.unicast))
    }

    @Test func referenceExamplesDecode() throws {
        #expect(try PXEVendorOptions.decode(HexBytes.parse(ReferenceVectors.multicast)) == ReferenceVectors.multicastOptions)
        #expect(try PXEVendorOptions.decode(HexBytes.parse(ReferenceVectors.unicast)) == ReferenceVectors.unicastOptions)
    }

    @Test func everyNamedTagRoundTrips() throws {
        let options = PXEVendorOptions(
            mtftpAddress: IPv4Address(224, 1, 2, 3), mtftpClientPort: 1758, mtftpServerPort: 1759, mtftpTimeout: 1, mtftpDelay: 10,
            discoveryControl: [.serverListOnly, .bootFileOnly], multicastDiscoveryAddress: IPv4Address(224, 0, 1, 2),
            bootServers: [PXEBootServerList(type: 65535, servers: [IPv4Address(10, 0, 0, 1), IPv4Address(10, 0, 0, 2)])],
            bootMenu: [PXEMenuItem(type: 0, text: "")], prompt: PXEPrompt(timeout: 255, text: ""), bootItem: PXEBootItem(type: 14, layer: 2),
            otherSubOptions: [.other(tag: 72, value: []), .other(tag: 200, value: [1, 2, 3])])
        let bytes = try options.encode()
        #expect(bytes.prefix(6) == [1, 4, 224, 1, 2, 3])
        #expect(bytes.suffix(14) == [71, 4, 0, 14, 0, 2, 72, 0, 200, 3, 1, 2, 3, 255])
        #expect(try PXEVendorOptions.decode(bytes) == options)
    }

    @Test func padBytesAreSkipped() throws {
        #expect(try PXEVendorOptions.decode([0, 6, 1, 3, 0, 0, 255]) == PXEVendorOptions(discoveryControl: [.noBroadcast, .noMulticast]))
    }

    @Test(arguments: [
        ([], 0, "the option ends without the end tag 255"),
        ([6, 1, 0], 3, "the option ends without the end tag 255"),
        ([6], 0, "tag 6 (discovery control) has no length byte: the option ends after its tag"),
        ([9, 10, 0, 0, 3], 1, "tag 9 (boot menu) says 10 bytes but only 3 remain"),
        ([6, 1, 0, 255, 0], 4, "1 byte(s) after the end tag 255"),
        ([6, 1, 0, 6, 1, 3, 255], 3, "tag 6 (discovery control) appears again (first at byte 0)"),
        ([6, 2, 0, 0, 255], 1, "tag 6 (discovery control) is 2 bytes long; it must be 1"),
        ([7, 3, 224, 0, 1, 255], 1, "tag 7 (multicast discovery address) is 3 bytes long; it must be 4"),
        ([10, 0, 255], 1, "tag 10 (prompt) is empty; it needs at least its first field"),
        ([8, 2, 0, 13, 255], 2, "boot server entry needs type (2) and count (1) but only 2 byte(s) remain in tag 8"),
        ([8, 7, 0, 13, 2, 10, 0, 0, 1, 255], 4, "boot servers of type 13 count 2 address(es) (8 bytes) but 4 byte(s) remain in tag 8"),
        ([8, 8, 0, 13, 1, 10, 0, 0, 1, 0, 255], 9, "boot server entry needs type (2) and count (1) but only 1 byte(s) remain in tag 8"),
        ([9, 5, 0, 14, 4, 65, 66, 255], 4, "menu text of type 14 says 4 bytes but only 2 remain in tag 9"),
        ([9, 2, 0, 14, 255], 2, "menu entry needs type (2) and length (1) but only 2 byte(s) remain in tag 9"),
        ([10, 3, 5, 0xC3, 0x28, 255], 3, "text of tag 10 (prompt) is not UTF-8"),
    ] as [([UInt8], Int, String)])
    func malformedInputIsRefusedWithItsOffset(_ bytes: [UInt8], _ offset: Int, _ message: String) {
        #expect(throws: NetbootWireError.self) { try PXEVendorOptions.decode(bytes) }
        do {
            _ = try PXEVendorOptions.decode(bytes)
        } catch {
            #expect(error.offset == offset)
            #expect(error.explanation == message)
        }
    }

    @Test func anOverlongMenuNamesTheMenu() {
        let menu = (0..<12).map { PXEMenuItem(type: UInt16(20 + $0), text: "Remote Boot Linux \($0)") }
        var options = ReferenceVectors.multicastOptions
        options.bootMenu = menu
        #expect(throws: NetbootWireError.subOptionTooLong(tag: 9, length: 12 * 3 + 12 * 19 + 2)) { try options.encode() }
        #expect(NetbootWireError.subOptionTooLong(tag: 9, length: 266).description
            == "the boot menu (tag 9) is 266 bytes; one sub-option holds at most 252 in option 43: shorten the menu texts, or offer fewer services")
    }

    @Test func aTotalOverTheLimitNamesTheLargestPart() {
        var options = ReferenceVectors.unicastOptions
        options.bootServers = (0..<4).map { PXEBootServerList(type: UInt16(13 + $0), servers: (1...11).map { IPv4Address(10, 0, 0, UInt8($0)) }) }
        // tag 8: 4 * (3 + 44) = 188 bytes of value; with the menu (43), prompt (21), tag 6 (3) and end the whole is 190 + 43 + 21 + 3 + 1.
        #expect(throws: NetbootWireError.option43TooLong(length: 258, largest: [8, 9, 10, 6], sizes: [190, 43, 21, 3])) { try options.encode() }
        let error = NetbootWireError.option43TooLong(length: 262, largest: [8, 9], sizes: [174, 63])
        #expect(error.description == "option 43 would be 262 bytes, over the 255 a DHCP option holds; the boot server list (tag 8) takes 174, the boot menu (tag 9) takes 63: list fewer unicast boot servers, or offer fewer services")
    }

    @Test func entriesThatOverflowTheirLengthByteAreRefused() {
        let long = PXEVendorOptions(bootMenu: [PXEMenuItem(type: 13, text: String(repeating: "x", count: 256))])
        #expect(throws: NetbootWireError.menuTextTooLong(type: 13, length: 256)) { try long.encode() }
        let many = PXEVendorOptions(bootServers: [PXEBootServerList(type: 13, servers: Array(repeating: .any, count: 256))])
        #expect(throws: NetbootWireError.tooManyServers(type: 13, count: 256)) { try many.encode() }
        let clash = PXEVendorOptions(otherSubOptions: [.other(tag: 9, value: [])])
        #expect(throws: NetbootWireError.unusableTag(9)) { try clash.encode() }
    }

    @Test func theLargestValueThatFitsIsAccepted() throws {
        let options = PXEVendorOptions(otherSubOptions: [.other(tag: 200, value: Array(repeating: 7, count: 252))])
        #expect(try options.encode().count == 255)
    }
}
