import Testing
import TestSupport
@testable import NetbootWire

@Suite struct TFTPPacketTests {
    static let samples: [TFTPPacket] = [
        .readRequest(TFTPRequest(filename: "X86PC/UNDI/linux-boot/linux.1", mode: "octet",
                                 options: [TFTPOption("blksize", "1468"), TFTPOption("tsize", "0"),
                                           TFTPOption("timeout", "5"), TFTPOption("windowsize", "16")])),
        .readRequest(TFTPRequest(filename: "pxelinux.cfg/01-00-d0-b7-1b-12-ed", mode: "netascii")),
        .writeRequest(TFTPRequest(filename: "upload", mode: "octet")),
        .data(block: 65535, payload: Array(0..<12)),
        .data(block: 0, payload: []),
        .ack(block: 1),
        .error(code: .fileNotFound, message: "File not found"),
        .error(code: .optionRefused, message: "blksize 7 is below 8"),
        .optionAck([TFTPOption("blksize", "1432"), TFTPOption("tsize", "8388608")]),
    ]

    @Test func golden() throws {
        var text = ""
        for packet in Self.samples {
            let bytes = packet.encoded()
            #expect(try TFTPPacket(decoding: bytes) == packet)
            text += packet.dump + "\n" + hexDump(bytes) + "\n"
        }
        try GoldenFile.check(text, against: "tftp-packets.txt")
    }

    @Test func decodeErrorsArePrecise() {
        func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
        #expect(throws: NetbootWireError.truncated(length: 1, needed: 2, opcode: nil)) { try TFTPPacket(decoding: [0]) }
        #expect(throws: NetbootWireError.unknownOpcode(7)) { try TFTPPacket(decoding: [0, 7]) }
        #expect(throws: NetbootWireError.unknownOpcode(0x100)) { try TFTPPacket(decoding: [1, 0, 0, 0]) }
        #expect(throws: NetbootWireError.unterminated(field: "filename")) { try TFTPPacket(decoding: [0, 1] + bytes("abc")) }
        #expect(throws: NetbootWireError.unterminated(field: "mode")) { try TFTPPacket(decoding: [0, 1] + bytes("abc\0oct")) }
        #expect(throws: NetbootWireError.emptyFilename) { try TFTPPacket(decoding: [0, 1, 0] + bytes("octet\0")) }
        #expect(throws: NetbootWireError.optionWithoutValue(name: "blksize")) {
            try TFTPPacket(decoding: [0, 1] + bytes("a\0octet\0blksize\0"))
        }
        #expect(throws: NetbootWireError.unterminated(field: "value of option \"blksize\"")) {
            try TFTPPacket(decoding: [0, 1] + bytes("a\0octet\0blksize\0512"))
        }
        #expect(throws: NetbootWireError.truncated(length: 3, needed: 4, opcode: 4)) { try TFTPPacket(decoding: [0, 4, 0]) }
        #expect(throws: NetbootWireError.truncated(length: 3, needed: 4, opcode: 3)) { try TFTPPacket(decoding: [0, 3, 0]) }
        #expect(throws: NetbootWireError.truncated(length: 2, needed: 5, opcode: 5)) { try TFTPPacket(decoding: [0, 5]) }
        #expect(throws: NetbootWireError.unterminated(field: "error message")) { try TFTPPacket(decoding: [0, 5, 0, 1, 65]) }
    }

    @Test func optionsKeepOrderCaseAndDuplicates() throws {
        let bytes: [UInt8] = [0, 1] + Array("f\0OCTET\0BlkSize\0512\0blksize\0 1024\0".utf8)
        guard case .readRequest(let request) = try TFTPPacket(decoding: bytes) else { Issue.record("not an RRQ"); return }
        #expect(request.mode == "OCTET")
        #expect(request.options.map(\.key) == ["blksize", "blksize"])
        #expect(request.options.map(\.value) == ["512", " 1024"])
    }

    /// Prefixes, mutations and random bytes decode or throw; none traps. A
    /// prefix shorter than the opcode is refused, a prefix of the request is
    /// never the request, and whatever decodes encodes to bytes that decode
    /// to the same packet.
    @Test func anyBytesDecodeOrThrow() throws {
        var generator = SeededGenerator(seed: 42)
        let base = Self.samples[0].encoded()
        for length in 0..<base.count {
            let prefix = Array(base.prefix(length))
            if length < 2 {
                #expect(throws: NetbootWireError.self) { try TFTPPacket(decoding: prefix) }
            } else if let packet = try? TFTPPacket(decoding: prefix) {
                #expect(packet != Self.samples[0], "a \(length)-byte prefix decoded as the whole request")
            }
        }
        var decoded = 0, refused = 0
        func check(_ bytes: [UInt8]) throws {
            guard let packet = try? TFTPPacket(decoding: bytes) else { refused += 1; return }
            decoded += 1
            #expect(!packet.dump.isEmpty)
            #expect(try TFTPPacket(decoding: packet.encoded()) == packet, "\(bytes) does not survive re-encoding")
        }
        for _ in 0..<20_000 {
            var bytes = base
            for _ in 0..<Int(generator.next() % 6 + 1) {
                bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
            }
            try check(bytes)
            let random = (0..<Int(generator.next() % 80)).map { _ in UInt8(truncatingIfNeeded: generator.next() % 4 == 0 ? 0 : generator.next()) }
            try check(random)
        }
        #expect(decoded > 0 && refused > 0, "the inputs reach both the decoder's success and its refusals")
    }
}
