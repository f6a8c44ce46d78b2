extension PXESubOption {
    /// Reads the value of one record strictly. `offset` is where the value
    /// starts in the whole option, so errors point at the exact byte.
    public static func decode(tag: UInt8, value: [UInt8], at offset: Int) throws(NetbootWireError) -> PXESubOption {
        func exactly(_ count: Int) throws(NetbootWireError) {
            guard value.count == count else {
                throw NetbootWireError.option43(offset: offset - 1, .wrongLength(tag: tag, length: value.count, expected: count))
            }
        }
        switch tag {
        case 1:
            try exactly(4)
            return .mtftpAddress(IPv4Address(octets: value)!)
        case 2:
            try exactly(2)
            return .mtftpClientPort(value.uint16(at: 0))
        case 3:
            try exactly(2)
            return .mtftpServerPort(value.uint16(at: 0))
        case 4:
            try exactly(1)
            return .mtftpTimeout(value[0])
        case 5:
            try exactly(1)
            return .mtftpDelay(value[0])
        case 6:
            try exactly(1)
            return .discoveryControl(PXEDiscoveryControl(rawValue: value[0]))
        case 7:
            try exactly(4)
            return .multicastDiscoveryAddress(IPv4Address(octets: value)!)
        case 8:
            return .bootServers(try decodeServers(value, at: offset))
        case 9:
            return .bootMenu(try decodeMenu(value, at: offset))
        case 10:
            guard let timeout = value.first else { throw NetbootWireError.option43(offset: offset - 1, .emptyValue(tag: tag)) }
            return .prompt(PXEPrompt(timeout: timeout, text: try text(value[1...], tag: tag, at: offset + 1)))
        case 71:
            try exactly(4)
            return .bootItem(PXEBootItem(type: value.uint16(at: 0), layer: value.uint16(at: 2)))
        default:
            return .other(tag: tag, value: value)
        }
    }

    static func decodeServers(_ value: [UInt8], at offset: Int) throws(NetbootWireError) -> [PXEBootServerList] {
        try typedEntries(value, at: offset, valueSize: { 4 * $0 }, truncated: { .serverEntryTruncated(available: $0) },
                         overrun: { .serverCountMismatch(type: $0, count: $1, available: $2) }) { type, count, start in
            PXEBootServerList(type: type, servers: (0..<count).map { IPv4Address(octets: value[(start + 4 * $0)..<(start + 4 * $0 + 4)])! })
        }
    }

    static func decodeMenu(_ value: [UInt8], at offset: Int) throws(NetbootWireError) -> [PXEMenuItem] {
        try typedEntries(value, at: offset, valueSize: { $0 }, truncated: { .menuEntryTruncated(available: $0) },
                         overrun: { .menuTextOverrun(type: $0, length: $1, available: $2) }) { type, length, start throws(NetbootWireError) in
            PXEMenuItem(type: type, text: try text(value[start..<(start + length)], tag: 9, at: offset + start))
        }
    }

    /// Walks the `type(2) length(1) value` entries of tags 8 and 9.
    /// `valueSize` is the byte count of a value from its length byte (tag 8
    /// counts addresses, 4 bytes each); `truncated` is the fault of an entry
    /// cut before its length byte, `overrun` of one whose value runs past
    /// the end; `entry` reads one from its type, length byte and the index
    /// its value starts at.
    static func typedEntries<Entry>(
        _ value: [UInt8], at offset: Int, valueSize: (Int) -> Int,
        truncated: (_ available: Int) -> PXEOptionsFault,
        overrun: (_ type: UInt16, _ length: Int, _ available: Int) -> PXEOptionsFault,
        entry: (_ type: UInt16, _ length: Int, _ start: Int) throws(NetbootWireError) -> Entry
    ) throws(NetbootWireError) -> [Entry] {
        var entries: [Entry] = []
        var index = 0
        while index < value.count {
            guard value.count - index >= 3 else {
                throw NetbootWireError.option43(offset: offset + index, truncated(value.count - index))
            }
            let type = value.uint16(at: index)
            let length = Int(value[index + 2])
            let available = value.count - index - 3
            guard valueSize(length) <= available else {
                throw NetbootWireError.option43(offset: offset + index + 2, overrun(type, length, available))
            }
            let start = index + 3
            entries.append(try entry(type, length, start))
            index = start + valueSize(length)
        }
        return entries
    }

    static func text(_ bytes: ArraySlice<UInt8>, tag: UInt8, at offset: Int) throws(NetbootWireError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw NetbootWireError.option43(offset: offset, .textNotUTF8(tag: tag))
        }
        return text
    }
}

extension Array where Element == UInt8 {
    func uint16(at index: Int) -> UInt16 { UInt16(self[index]) << 8 | UInt16(self[index + 1]) }
}
