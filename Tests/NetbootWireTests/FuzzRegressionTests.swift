import Foundation
import Testing
@testable import NetbootWire

/// Inputs libFuzzer found (`make fuzz`), kept as fixtures under Fixtures/fuzz/.
@Suite struct FuzzRegressionTests {
    static func fixture(_ name: String, filePath: String = #filePath) throws -> [UInt8] {
        let url = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz/\(name)")
        return Array(try Data(contentsOf: url))
    }

    /// Tags without a field of their own (179, then 96) arrived out of order;
    /// the decoded value kept that order while `encode` sorts, so the round
    /// trip gave a different value.
    @Test func otherSubOptionsOutOfOrderRoundTrip() throws {
        let bytes = try Self.fixture("option43-other-tags-out-of-order.bin")
        #expect(bytes == [179, 0, 96, 0, 255])
        let decoded = try PXEVendorOptions.decode(bytes)
        #expect(decoded.otherSubOptions.map(\.tag) == [96, 179])
        #expect(try PXEVendorOptions.decode(try decoded.encode()) == decoded)
    }

    /// 272 bytes, mostly pad, decoded to a value whose canonical encoding
    /// (260 bytes) `encode` refused: the decoder now refuses what one DHCP
    /// option cannot hold, as the encoder does.
    @Test func option43OverOneOptionIsRefused() throws {
        let bytes = try Self.fixture("option43-padded-over-255-bytes.bin")
        #expect(bytes.count == 272)
        #expect(throws: NetbootWireError.option43(offset: 255, .tooLong(length: 272))) { try PXEVendorOptions.decode(bytes) }
        // 255 bytes are still one option's worth.
        #expect(try PXEVendorOptions.decode(Array(repeating: 0, count: 254) + [255]) == PXEVendorOptions())
    }
}
