/// Splits an option 43 value into its sub-options without reading their
/// values: the framing half of decoding, shared by `decode` and `explain`.
public enum PXEOptionScanner {
    /// One `TAG LEN VALUE` record and where its tag byte sits.
    public struct Record: Hashable, Sendable {
        public var offset: Int
        public var tag: UInt8
        public var value: [UInt8]
        /// Where the value starts.
        public var valueOffset: Int { offset + 2 }
    }

    /// Every complete record up to the end tag (pad bytes skipped), and the
    /// first framing problem, if any; scanning stops at that problem.
    public static func scan(_ bytes: [UInt8]) -> (records: [Record], problem: NetbootWireError?) {
        var records: [Record] = []
        var index = 0
        while index < bytes.count {
            let tag = bytes[index]
            if tag == PXESubOption.endTag {
                let after = bytes.count - index - 1
                return (records, after > 0 ? NetbootWireError.option43(offset: index + 1, .bytesAfterEnd(count: after)) : nil)
            }
            if tag == PXESubOption.padTag {
                index += 1
                continue
            }
            guard index + 1 < bytes.count else {
                return (records, NetbootWireError.option43(offset: index, .missingLength(tag: tag)))
            }
            let length = Int(bytes[index + 1])
            let available = bytes.count - index - 2
            guard length <= available else {
                return (records, NetbootWireError.option43(offset: index + 1, .lengthPastEnd(tag: tag, length: length, available: available)))
            }
            records.append(Record(offset: index, tag: tag, value: Array(bytes[(index + 2)..<(index + 2 + length)])))
            index += 2 + length
        }
        return (records, NetbootWireError.option43(offset: bytes.count, .missingEnd))
    }
}
