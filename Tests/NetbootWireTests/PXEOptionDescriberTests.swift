import Testing
@testable import NetbootWire

@Suite struct PXEOptionDescriberTests {
    @Test func multicastExampleInWords() throws {
        let description = PXEOptionDescriber.describe(try HexBytes.parse(ReferenceVectors.multicast))
        #expect(!description.hasProblems)
        #expect(description.lines == [
            "6 discovery control: 0 (broadcast, multicast)",
            "7 multicast discovery address: 224.0.1.2",
            "9 boot menu: type 0 \"Local boot\" (local boot)",
            "9 boot menu: type 13 \"kick start\"",
            "9 boot menu: type 14 \"network boot\"",
            "10 prompt: 10 s \"Type <F8> for menu\"",
            "255 end",
        ])
    }

    @Test func unicastExampleInWords() throws {
        let description = PXEOptionDescriber.describe(try HexBytes.parse(ReferenceVectors.unicast))
        #expect(description.lines.prefix(3) == [
            "6 discovery control: 3 (no broadcast, no multicast)",
            "8 boot servers: type 13 -> 192.168.197.12",
            "8 boot servers: type 14 -> 192.168.197.12",
        ])
    }

    @Test func malformedPartsAreMarkedAndTheRestStillRead() {
        // A good tag 6, a menu whose text overruns, a prompt, then no end tag.
        let description = PXEOptionDescriber.describe([6, 1, 8, 9, 5, 0, 14, 4, 65, 66, 10, 2, 0, 65])
        #expect(description.hasProblems)
        #expect(description.lines == [
            "6 discovery control: 8 (broadcast, multicast, no prompt, menu or discovery: boot file of the DHCP answer)",
            "malformed at byte 7: menu text of type 14 says 4 bytes but only 2 remain in tag 9",
            "10 prompt: 0 s, first item at once \"A\"",
            "malformed at byte 14: the option ends without the end tag 255",
        ])
    }
}

@Suite struct HexBytesTests {
    @Test(arguments: ["06:01:03", "06 01 03", "060103", "0x060103", "0X06:0x01 03", "6:1:3", " 06:01: 03\n"])
    func acceptsTheUsualSpellings(_ text: String) throws {
        #expect(try HexBytes.parse(text) == [6, 1, 3])
    }

    @Test(arguments: [("06:0g", 4, "\"g\" is not a hex digit"), ("061", 0, "odd number of hex digits (3) in \"061\""), ("06 0x", 3, "\"0x\" with no hex digits after it")])
    func refusesWithAPosition(_ text: String, _ position: Int, _ message: String) {
        #expect(throws: NetbootWireError.badHex(position: position, message: message)) { try HexBytes.parse(text) }
    }

    @Test func writesColonSeparatedLowerCase() {
        #expect(HexBytes.colonSeparated([0xC0, 0xA8, 0x0C, 0xFF]) == "c0:a8:0c:ff")
    }
}
