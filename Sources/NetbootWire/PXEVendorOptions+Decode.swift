extension PXEVendorOptions {
    /// Reads an option 43 value strictly: every length must stay inside its
    /// parent, counts must match lengths, texts must stay inside their entry
    /// and be UTF-8, no tag may repeat, the end tag must close the option and
    /// nothing may follow it. Pad bytes (tag 0) are skipped. The first
    /// problem is thrown with its byte offset. A value over 255 bytes is
    /// refused as a whole: `encode` could not write it back.
    public static func decode(_ bytes: [UInt8]) throws(NetbootWireError) -> PXEVendorOptions {
        guard bytes.count <= maximumLength else {
            throw NetbootWireError.option43(offset: maximumLength, .tooLong(length: bytes.count))
        }
        let (records, problem) = PXEOptionScanner.scan(bytes)
        var options = PXEVendorOptions()
        var firstOffset: [UInt8: Int] = [:]
        for record in records {
            if let first = firstOffset[record.tag] {
                throw NetbootWireError.option43(offset: record.offset, .repeatedTag(tag: record.tag, firstOffset: first))
            }
            firstOffset[record.tag] = record.offset
            let option = try PXESubOption.decode(tag: record.tag, value: record.value, at: record.valueOffset)
            _ = options.set(option)
        }
        if let problem { throw problem }
        return options
    }
}
