import Testing
import TestSupport
@testable import NetbootWire

/// A PXE DISCOVER as an Intel PXE 2.1 ROM sends it, built field by field.
func pxeDiscover() -> DHCPPacket {
    var options = DHCPOptions()
    options.append(DHCPOption(code: 53, data: [1]))
    options.append(DHCPOption(code: 57, data: [0x05, 0xC0]))
    options.append(DHCPOption(code: 55, data: [1, 2, 3, 5, 6, 11, 12, 13, 15, 16, 17, 18, 43, 54, 60, 66, 67, 128, 129, 130, 131, 132, 133, 134, 135]))
    options.append(DHCPOption(code: 97, data: [0] + Array(0x10...0x1F)))
    options.append(DHCPOption(code: 94, data: [1, 2, 1]))
    options.append(DHCPOption(code: 93, data: [0, 0]))
    options.append(DHCPOption(code: 60, data: Array("PXEClient:Arch:00000:UNDI:002001".utf8)))
    options.append(DHCPOption(code: 61, data: [1, 0x00, 0xD0, 0xB7, 0x1B, 0x12, 0xED]))
    options.append(DHCPOption(code: 77, data: Array("iPXE".utf8)))
    options.append(DHCPOption(code: 175, data: [19, 1, 1, 0x11, 1, 1, 255]))
    options.append(DHCPOption(code: 82, data: [1, 3, 0x65, 0x74, 0x30, 2, 2, 0xAB, 0xCD]))
    return DHCPPacket(op: .request, xid: 0x1B12_ED01, chaddr: [0x00, 0xD0, 0xB7, 0x1B, 0x12, 0xED],
                      secs: 4, flags: DHCPPacket.broadcastFlag, options: options)
}

@Suite struct DHCPPacketTests {
    @Test func pxeDiscoverGolden() throws {
        let bytes = try pxeDiscover().encoded()
        #expect(bytes.count == 372, "240 header bytes, 131 of options, the end option")
        let decoded = try DHCPPacket(decoding: bytes)
        #expect(decoded == pxeDiscover())
        try GoldenFile.check(hexDump(bytes) + "\n" + decoded.dump, against: "dhcp-pxe-discover.txt")
    }

    @Test func typedAccess() throws {
        let options = pxeDiscover().options
        #expect(try options.messageType == .discover)
        #expect(try options.maxMessageSize == 1472)
        #expect(try options.parameterRequestList?.first == 1)
        #expect(try options.clientSystemArchitectures == [0])
        #expect(try options.clientNetworkInterface.map { [$0.type, $0.major, $0.minor] } == [1, 2, 1])
        #expect(try options.clientMachineIdentifier?.guid == Array(0x10...0x1F))
        #expect(try options.clientIdentifier?.type == 1)
        #expect(options.isPXEClient)
        #expect(options.isIPXE)
        #expect(options.userClass == [Array("iPXE".utf8)])
        #expect(try options.iPXEEncapsulated == [DHCPSubOption(code: 19, data: [1]), DHCPSubOption(code: 0x11, data: [1])])
        #expect(try options.relayAgentInformation == [DHCPSubOption(code: 1, data: [0x65, 0x74, 0x30]), DHCPSubOption(code: 2, data: [0xAB, 0xCD])])
        #expect(try options.serverIdentifier == nil)
        #expect(pxeDiscover().clientMAC?.description == "00:D0:B7:1B:12:ED")
        #expect(pxeDiscover().isBroadcast)
    }

    @Test func userClassInRFC3004Form() {
        var options = DHCPOptions()
        options[77] = [4] + Array("iPXE".utf8) + [3] + Array("foo".utf8)
        #expect(options.userClass == [Array("iPXE".utf8), Array("foo".utf8)])
        #expect(options.isIPXE)
    }

    @Test func malformedTypedOptionsThrowNamingTheOption() {
        var options = DHCPOptions()
        options[53] = [1, 2]
        options[54] = [10, 0, 0]
        options[57] = [0, 100]
        options[93] = [0]
        options[94] = [1]
        options[97] = [1, 2, 3]
        options[61] = [1]
        options[82] = [1, 5, 0]
        #expect(throws: NetbootWireError.badOption(code: 53, reason: "length 2, expected 1")) { try options.messageType }
        #expect(throws: NetbootWireError.badOption(code: 54, reason: "length 3, expected 4")) { try options.serverIdentifier }
        #expect(throws: NetbootWireError.self) { try options.maxMessageSize }
        #expect(throws: NetbootWireError.self) { try options.clientSystemArchitectures }
        #expect(throws: NetbootWireError.self) { try options.clientNetworkInterface }
        #expect(throws: NetbootWireError.self) { try options.clientMachineIdentifier }
        #expect(throws: NetbootWireError.self) { try options.clientIdentifier }
        #expect(throws: NetbootWireError.self) { try options.relayAgentInformation }
        options[53] = [9]
        #expect(throws: NetbootWireError.badOption(code: 53, reason: "unknown message type 9")) { try options.messageType }
    }

    @Test func repeatedOptionsAreConcatenated() throws {
        var bytes = try DHCPPacket(op: .request, xid: 1).encoded()
        // Replace the end option with two instances of option 43 then end (RFC 3396).
        bytes.replaceSubrange(240..., with: [43, 2, 1, 2, 0, 0, 43, 1, 3, 255])
        let packet = try DHCPPacket(decoding: bytes)
        #expect(packet.options.vendorSpecific == [1, 2, 3])
    }

    @Test func longOptionsAreSplitAndReassembled() throws {
        var packet = DHCPPacket(op: .reply, xid: 7)
        packet.options[17] = Array(repeating: UInt8(ascii: "r"), count: 300)
        let bytes = try packet.encoded(maximumSize: 1500)
        #expect(bytes[240] == 17 && bytes[241] == 255)
        #expect(try DHCPPacket(decoding: bytes).options[17]?.count == 300)
    }

    @Test func overloadSpillsIntoFileThenSnameAndBack() throws {
        var packet = DHCPPacket(op: .reply, xid: 0xCAFE)
        packet.options[53] = [2]
        for code in UInt8(200)...UInt8(203) { packet.options[code] = Array(repeating: code, count: 100) }
        // 4 x 102 bytes of options: the options field of a 576-byte packet holds 335 at most.
        let bytes = try packet.encoded()
        #expect(bytes.count <= 576)
        let decoded = try DHCPPacket(decoding: bytes)
        #expect(decoded.options[52] == [1])
        for code in UInt8(200)...UInt8(203) { #expect(decoded.options[code] == Array(repeating: code, count: 100)) }
        #expect(decoded.file.isEmpty)
        try GoldenFile.check(hexDump(bytes) + "\n" + decoded.dump, against: "dhcp-overload.txt")
    }

    @Test func overloadUsesSnameToo() throws {
        var packet = DHCPPacket(op: .reply, xid: 1)
        for code in UInt8(200)...UInt8(203) { packet.options[code] = Array(repeating: code, count: 100) }
        packet.options[204] = Array(repeating: 204, count: 50)
        let decoded = try DHCPPacket(decoding: try packet.encoded())
        #expect(decoded.options[52] == [3])
        for code in UInt8(200)...UInt8(203) { #expect(decoded.options[code]?.count == 100) }
        #expect(decoded.options[204]?.count == 50)
    }

    @Test func optionsThatCannotFitAreRefused() {
        var packet = DHCPPacket(op: .reply, xid: 1, file: Array("linux.0".utf8))
        for code in UInt8(200)...UInt8(205) { packet.options[code] = Array(repeating: code, count: 120) }
        #expect(throws: NetbootWireError.optionsTooLarge(code: 202, maximumSize: 576)) { try packet.encoded() }
    }

    @Test func headerFieldsSurviveARoundTrip() throws {
        let packet = DHCPPacket(op: .reply, xid: 0xDEAD_BEEF, chaddr: [1, 2, 3, 4, 5, 6], hops: 2, secs: 9,
                                ciaddr: IPv4Address(10, 0, 0, 1), yiaddr: IPv4Address(10, 0, 0, 2),
                                siaddr: IPv4Address(10, 0, 0, 3), giaddr: IPv4Address(10, 0, 0, 4),
                                sname: Array("boot".utf8), file: Array("X86PC/UNDI/linux-boot/linux.0".utf8),
                                options: DHCPOptions([DHCPOption(code: 53, data: [5])]))
        let decoded = try DHCPPacket(decoding: try packet.encoded())
        #expect(decoded == packet)
        #expect(decoded.bootFile == "X86PC/UNDI/linux-boot/linux.0")
        #expect(decoded.serverName == "boot")
        #expect(decoded.kind == .reply)
    }

    @Test func decodeErrorsArePrecise() throws {
        #expect(throws: NetbootWireError.truncatedHeader(length: 239)) { try DHCPPacket(decoding: [UInt8](repeating: 0, count: 239)) }
        var bytes = try DHCPPacket(op: .request, xid: 1).encoded()
        bytes[239] = 98
        #expect(throws: NetbootWireError.badMagicCookie([99, 130, 83, 98])) { try DHCPPacket(decoding: bytes) }
        bytes[239] = 99
        bytes.replaceSubrange(240..., with: [53, 1, 1, 60, 9, 80])
        #expect(throws: NetbootWireError.truncatedOption(code: 60, field: .options, offset: 3, declared: 9, available: 1)) {
            try DHCPPacket(decoding: bytes)
        }
        bytes.replaceSubrange(240..., with: [53])
        #expect(throws: NetbootWireError.truncatedOption(code: 53, field: .options, offset: 0, declared: 1, available: 0)) {
            try DHCPPacket(decoding: bytes)
        }
        bytes.replaceSubrange(240..., with: [52, 1, 4, 255])
        #expect(throws: NetbootWireError.badOverload([4])) { try DHCPPacket(decoding: bytes) }
        bytes.replaceSubrange(240..., with: [52, 1, 1, 255])
        bytes[108] = 43
        bytes[109] = 200
        #expect(throws: NetbootWireError.truncatedOption(code: 43, field: .file, offset: 0, declared: 200, available: 126)) {
            try DHCPPacket(decoding: bytes)
        }
    }

    @Test func missingEndOptionIsTolerated() throws {
        var bytes = try DHCPPacket(op: .request, xid: 1).encoded()
        bytes.replaceSubrange(240..., with: [53, 1, 3])
        #expect(try DHCPPacket(decoding: bytes).options.messageType == .request)
    }

    /// Every prefix and thousands of random mutations of a real packet decode
    /// or throw; none traps. A prefix without the whole header and cookie is
    /// refused as truncated; a mutated cookie is refused as such; what decodes
    /// keeps the untouched header, dumps, and its re-encoding decodes again.
    @Test func anyBytesDecodeOrThrow() throws {
        let original = try pxeDiscover()
        let base = try original.encoded()
        let fixed = DHCPPacket.headerLength + DHCPPacket.magicCookie.count
        for length in 0...base.count {
            if length < fixed {
                #expect(throws: NetbootWireError.truncatedHeader(length: length)) { try DHCPPacket(decoding: base.prefix(length)) }
            } else {
                _ = try? DHCPPacket(decoding: base.prefix(length)).dump
            }
        }
        var generator = SeededGenerator(seed: 0x5EED)
        var decoded = 0, refused = 0
        for _ in 0..<20_000 {
            var bytes = base
            for _ in 0..<Int(generator.next() % 8 + 1) {
                let index = 236 + Int(generator.next() % UInt64(bytes.count - 236))
                bytes[index] = UInt8(truncatingIfNeeded: generator.next())
            }
            let cookie = Array(bytes[236..<240])
            guard cookie == DHCPPacket.magicCookie else {
                #expect(throws: NetbootWireError.badMagicCookie(cookie)) { try DHCPPacket(decoding: bytes) }
                refused += 1
                continue
            }
            guard let packet = try? DHCPPacket(decoding: bytes) else { refused += 1; continue }
            decoded += 1
            #expect(packet.xid == original.xid && packet.chaddr == original.chaddr && packet.op == original.op)
            #expect(!packet.dump.isEmpty)
            // What the encoder makes of it, the decoder takes back, header intact.
            if let again = try? packet.encoded(maximumSize: 1500) {
                let back = try DHCPPacket(decoding: again)
                #expect(back.xid == packet.xid && back.chaddr == packet.chaddr && back.yiaddr == packet.yiaddr)
            }
        }
        #expect(decoded > 0 && refused > 0, "mutations reach both the decoder's success and its refusals")
        for _ in 0..<2_000 {
            let bytes = (0..<Int(generator.next() % 600)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            // Random bytes are too short or lack the cookie (odds 2^-32 per packet; the seed is fixed).
            #expect(throws: NetbootWireError.self) { try DHCPPacket(decoding: bytes) }
        }
    }
}
