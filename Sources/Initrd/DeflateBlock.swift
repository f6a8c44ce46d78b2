import CArchive

/// One raw deflate block: a sync flush (byte-aligned, not final) or the final block.
/// With XZSink (liblzma), the module's only code over a compression library: zlib.
struct DeflateBlock: Sendable {
    var bytes: [UInt8]
    var crc: UInt
    var length: Int

    /// The CRC-32 of the data before `block` followed by the block's input.
    static func combine(_ crc: UInt, then block: DeflateBlock) -> UInt {
        crc32_combine(crc, block.crc, off_t(block.length))
    }

    static func compress(_ input: [UInt8], dictionary: [UInt8], level: Int32, last: Bool) throws -> DeflateBlock {
        var stream = z_stream()
        guard carchive_deflate_init2(&stream, level, -15) == Z_OK else {
            throw InitrdError.invalidArgument("zlib could not start a deflate stream at level \(level)")
        }
        defer { deflateEnd(&stream) }
        if !dictionary.isEmpty {
            _ = dictionary.withUnsafeBufferPointer { deflateSetDictionary(&stream, $0.baseAddress, uInt($0.count)) }
        }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 64)
        var produced = 0
        try input.withUnsafeBufferPointer { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = uInt(source.count)
            while true {
                if produced == output.count { output.append(contentsOf: repeatElement(0, count: 65536)) }
                let status = output.withUnsafeMutableBufferPointer { target -> Int32 in
                    stream.next_out = target.baseAddress! + produced
                    stream.avail_out = uInt(target.count - produced)
                    let status = deflate(&stream, last ? Z_FINISH : Z_SYNC_FLUSH)
                    produced = target.count - Int(stream.avail_out)
                    return status
                }
                if last && status == Z_STREAM_END { break }
                if !last && status == Z_OK && stream.avail_out > 0 { break }
                guard status == Z_OK || status == Z_BUF_ERROR else {
                    throw InitrdError.invalidArgument("zlib deflate failed with status \(status)")
                }
            }
        }
        output.removeSubrange(produced...)
        let crc = input.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
        return DeflateBlock(bytes: output, crc: crc, length: input.count)
    }
}
