import Foundation
import Testing
import TestSupport
@testable import Initrd

@Suite struct ParallelGzipTests {
    /// Sizes around the block boundaries, checked by GNU gzip's own decoder and CRC.
    @Test(.needs(.gzip), arguments: [0, 1, ParallelGzipSink.blockSize - 1, ParallelGzipSink.blockSize, ParallelGzipSink.blockSize + 1,
                      ParallelGzipSink.blockSize * 9 + 12345])
    func gunzipRestoresTheInput(_ size: Int) throws {
        let gzip = try #require(Peer.gzip.path)
        var generator = SeededGenerator(seed: UInt64(size))
        // Half random, half repetitive, so both stored-like and well-compressed blocks occur.
        let input = (0..<size).map { index in index % 2048 < 1024 ? UInt8(truncatingIfNeeded: generator.next()) : UInt8(index % 7) }
        let sink = MemorySink()
        let compressor = ParallelGzipSink(level: 6, output: sink)
        try input.withUnsafeBytes { try compressor.write($0) }
        try compressor.finish()
        let run = try ProgramRun.capture(gzip, ["-dc"], input: Data(sink.bytes))
        #expect(run.status == 0, "gzip -dc: \(run.error)")
        #expect(Array(run.output) == input)
        // No time stamp, no name: bytes 4-7 are zero and FLG is 0.
        #expect(Array(sink.bytes[3...7]) == [0, 0, 0, 0, 0])
    }

    @Test func sameInputSameBytes() throws {
        let input = (0..<(ParallelGzipSink.blockSize * 5)).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 13) }
        func compress() throws -> [UInt8] {
            let sink = MemorySink()
            let compressor = ParallelGzipSink(level: 6, output: sink, workers: 4)
            try input.withUnsafeBytes { try compressor.write($0) }
            try compressor.finish()
            return sink.bytes
        }
        #expect(try compress() == compress())
    }
}
