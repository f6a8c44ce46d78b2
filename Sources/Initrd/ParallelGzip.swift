import Dispatch
import Foundation

/// A gzip compressor that deflates fixed-size blocks on all cores, each primed with
/// the previous block's last 32 KiB as its dictionary, and joins them into one gzip
/// member (RFC 1952) with no time stamp and no name. Block boundaries depend only on
/// byte offsets, so the output is the same on every run, whatever the scheduling.
final class ParallelGzipSink: ByteSink {
    static let blockSize = 128 * 1024
    static let window = 32 * 1024

    private let level: Int32
    private let output: ByteSink
    private let maxInFlight: Int
    private let results = BlockResults()
    private var current: [UInt8] = []
    private var previousTail: [UInt8] = []
    private var submitted = 0
    private var written = 0
    private var crc: UInt = 0
    private var length: UInt64 = 0
    private var finished = false
    private var headerWritten = false
    /// The first error: after it every call fails at once (no waiting on lost blocks).
    private var failure: (any Error)?

    init(level: Int, output: ByteSink, workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.level = Int32(level)
        self.output = output
        self.maxInFlight = max(4, workers * 8)
        current.reserveCapacity(Self.blockSize)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        try guarded { try writeBytes(bytes) }
    }

    func finish() throws {
        try guarded { try finishStream() }
    }

    private func guarded(_ body: () throws -> Void) throws {
        if let failure { throw failure }
        do { try body() } catch {
            failure = error
            throw error
        }
    }

    private func writeBytes(_ bytes: UnsafeRawBufferPointer) throws {
        try writeHeader()
        var offset = 0
        while offset < bytes.count {
            let take = min(Self.blockSize - current.count, bytes.count - offset)
            // Typed, so that append is one memcpy (a raw buffer would be copied byte by byte).
            current.append(contentsOf: UnsafeBufferPointer(
                start: bytes.baseAddress!.advanced(by: offset).assumingMemoryBound(to: UInt8.self), count: take))
            offset += take
            if current.count == Self.blockSize { try submit(last: false) }
        }
    }

    private func finishStream() throws {
        guard !finished else { return }
        finished = true
        try writeHeader()
        try submit(last: true)
        while written < submitted { try writeNext(wait: true) }
        var trailer: [UInt8] = []
        for shift in stride(from: 0, to: 32, by: 8) { trailer.append(UInt8(truncatingIfNeeded: UInt32(crc) >> UInt32(shift))) }
        for shift in stride(from: 0, to: 32, by: 8) { trailer.append(UInt8(truncatingIfNeeded: length >> UInt64(shift))) }
        try trailer.withUnsafeBytes { try output.write($0) }
        try output.finish()
    }

    private func writeHeader() throws {
        guard !headerWritten else { return }
        headerWritten = true
        // ID1 ID2 CM=deflate FLG=0 MTIME=0 (none) XFL OS=3 (Unix).
        let extraFlags: UInt8 = level == 9 ? 2 : (level == 1 ? 4 : 0)
        let header: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, extraFlags, 3]
        try header.withUnsafeBytes { try output.write($0) }
    }

    private func submit(last: Bool) throws {
        while submitted - written >= maxInFlight { try writeNext(wait: true) }
        let input = current
        let dictionary = previousTail
        previousTail = input.count >= Self.window ? Array(input[(input.count - Self.window)...])
            : Array((previousTail + input).suffix(Self.window))
        current = []
        current.reserveCapacity(Self.blockSize)
        let index = submitted
        submitted += 1
        let level = self.level
        let results = self.results
        DispatchQueue.global().async {
            results.put(index, Result { try DeflateBlock.compress(input, dictionary: dictionary, level: level, last: last) })
        }
        while try writeNext(wait: false) {}
    }

    /// Writes the next block in order if it is ready (or waits for it); false when not ready.
    @discardableResult
    private func writeNext(wait: Bool) throws -> Bool {
        guard written < submitted, let result = results.take(written, wait: wait) else { return false }
        let block = try result.get()
        try block.bytes.withUnsafeBytes { try output.write($0) }
        crc = DeflateBlock.combine(crc, then: block)
        length &+= UInt64(block.length)
        written += 1
        return true
    }
}
