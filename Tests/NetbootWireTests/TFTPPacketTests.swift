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
        try expectGolden(text, "tftp-packets.txt")
    }

    @Test func decodeErrorsArePrecise() {
        func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
        #expect(throws: TFTPDecodeError.truncated(length: 1, needed: 2, opcode: nil)) { try TFTPPacket(decoding: [0]) }
        #expect(throws: TFTPDecodeError.unknownOpcode(7)) { try TFTPPacket(decoding: [0, 7]) }
        #expect(throws: TFTPDecodeError.unknownOpcode(0x100)) { try TFTPPacket(decoding: [1, 0, 0, 0]) }
        #expect(throws: TFTPDecodeError.unterminated(field: "filename")) { try TFTPPacket(decoding: [0, 1] + bytes("abc")) }
        #expect(throws: TFTPDecodeError.unterminated(field: "mode")) { try TFTPPacket(decoding: [0, 1] + bytes("abc\0oct")) }
        #expect(throws: TFTPDecodeError.emptyFilename) { try TFTPPacket(decoding: [0, 1, 0] + bytes("octet\0")) }
        #expect(throws: TFTPDecodeError.optionWithoutValue(name: "blksize")) {
            try TFTPPacket(decoding: [0, 1] + bytes("a\0octet\0blksize\0"))
        }
        #expect(throws: TFTPDecodeError.unterminated(field: "value of option \"blksize\"")) {
            try TFTPPacket(decoding: [0, 1] + bytes("a\0octet\0blksize\0512"))
        }
        #expect(throws: TFTPDecodeError.truncated(length: 3, needed: 4, opcode: 4)) { try TFTPPacket(decoding: [0, 4, 0]) }
        #expect(throws: TFTPDecodeError.truncated(length: 3, needed: 4, opcode: 3)) { try TFTPPacket(decoding: [0, 3, 0]) }
        #expect(throws: TFTPDecodeError.truncated(length: 2, needed: 5, opcode: 5)) { try TFTPPacket(decoding: [0, 5]) }
        #expect(throws: TFTPDecodeError.unterminated(field: "error message")) { try TFTPPacket(decoding: [0, 5, 0, 1, 65]) }
    }

    @Test func optionsKeepOrderCaseAndDuplicates() throws {
        let bytes: [UInt8] = [0, 1] + Array("f\0OCTET\0BlkSize\0512\0blksize\0 1024\0".utf8)
        guard case .readRequest(let request) = try TFTPPacket(decoding: bytes) else { Issue.record("not an RRQ"); return }
        #expect(request.mode == "OCTET")
        #expect(request.options.map(\.key) == ["blksize", "blksize"])
        #expect(request.options.map(\.value) == ["512", " 1024"])
    }

    @Test func anyBytesDecodeOrThrow() {
        var generator = SeededGenerator(seed: 42)
        let base = Self.samples[0].encoded()
        for length in 0...base.count { _ = try? TFTPPacket(decoding: base.prefix(length)).dump }
        for _ in 0..<20_000 {
            var bytes = base
            for _ in 0..<Int(generator.next() % 6 + 1) {
                bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
            }
            _ = try? TFTPPacket(decoding: bytes).dump
            let random = (0..<Int(generator.next() % 80)).map { _ in UInt8(truncatingIfNeeded: generator.next() % 4 == 0 ? 0 : generator.next()) }
            _ = try? TFTPPacket(decoding: random).dump
        }
    }
}
