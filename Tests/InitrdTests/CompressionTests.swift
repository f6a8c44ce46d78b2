import Foundation
import Testing
import TestSupport
@testable import Initrd

@Suite struct CompressionTests {
    /// Each compressed archive decodes with the compressor's own tool to the plain newc bytes.
    @Test(.needs(.gzip, .zstd, .xz), arguments: [(Compression.gzip, Peer.gzip), (.zstd, .zstd), (.xz, .xz)])
    func decodesWithTheStandardTool(_ compression: Compression, _ peer: Peer) throws {
        let decoder = try #require(peer.path)
        let tool = peer.name
        let plain = try InitrdPacker.bytes(of: PackTests.spec, compression: CompressionSetting(.none))
        for level in [compression.levels.lowerBound, compression.defaultLevel] {
            let packed = try InitrdPacker.bytes(of: PackTests.spec, compression: CompressionSetting(compression, level: level))
            let run = try ProgramRun.capture(decoder, ["-dc"], input: Data(packed))
            #expect(run.status == 0, "\(tool) -dc: \(run.error)")
            #expect(Array(run.output) == plain, "\(compression) level \(level)")
        }
    }

    /// The kernel's XZ decoder accepts only the CRC32 check (or none): stream flags 0x00 0x01.
    @Test func xzUsesTheCRC32CheckTheKernelNeeds() throws {
        let packed = try InitrdPacker.bytes(of: PackTests.spec, compression: CompressionSetting(.xz))
        #expect(Array(packed.prefix(8)) == [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0x00, 0x01])
    }
}
