import CArchive

/// xz as the kernel can unpack it: liblzma's preset at `level` with the CRC32 check.
/// (libarchive's xz filter always writes CRC64, which the kernel's XZ decoder
/// refuses with "Input was encoded with settings that are not supported".)
final class XZSink: ByteSink {
    private let output: ByteSink
    private var stream = lzma_stream()
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var finished = false

    init(level: Int, output: ByteSink) throws {
        self.output = output
        let status = lzma_easy_encoder(&stream, UInt32(level), LZMA_CHECK_CRC32)
        guard status == LZMA_OK else {
            throw InitrdError.invalidArgument("liblzma could not start an xz encoder at level \(level) (status \(status.rawValue))")
        }
    }

    deinit {
        lzma_end(&stream)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !bytes.isEmpty else { return }
        stream.next_in = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        stream.avail_in = bytes.count
        while stream.avail_in > 0 { try code(LZMA_RUN) }
    }

    func finish() throws {
        guard !finished else { return }
        finished = true
        stream.next_in = nil
        stream.avail_in = 0
        while try code(LZMA_FINISH) != LZMA_STREAM_END {}
        try output.finish()
    }

    @discardableResult
    private func code(_ action: lzma_action) throws -> lzma_ret {
        let count = buffer.count
        let (status, produced) = buffer.withUnsafeMutableBufferPointer { target -> (lzma_ret, Int) in
            stream.next_out = target.baseAddress
            stream.avail_out = count
            let status = lzma_code(&stream, action)
            return (status, count - stream.avail_out)
        }
        guard status == LZMA_OK || status == LZMA_STREAM_END else {
            throw InitrdError.invalidArgument("liblzma failed while compressing (status \(status.rawValue))")
        }
        if produced > 0 { try buffer.withUnsafeBytes { try output.write(UnsafeRawBufferPointer(rebasing: $0[..<produced])) } }
        return status
    }
}
