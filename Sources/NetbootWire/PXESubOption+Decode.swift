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
        var lists: [PXEBootServerList] = []
        var index = 0
        while index < value.count {
            guard value.count - index >= 3 else {
                throw NetbootWireError.option43(offset: offset + index, .serverEntryTruncated(available: value.count - index))
            }
            let type = value.uint16(at: index)
            let count = Int(value[index + 2])
            let available = value.count - index - 3
            guard count * 4 <= available else {
                throw NetbootWireError.option43(offset: offset + index + 2, .serverCountMismatch(type: type, count: count, available: available))
            }
            let start = index + 3
            let servers = (0..<count).map { IPv4Address(octets: value[(start + 4 * $0)..<(start + 4 * $0 + 4)])! }
            lists.append(PXEBootServerList(type: type, servers: servers))
            index = start + 4 * count
        }
        return lists
    }

    static func decodeMenu(_ value: [UInt8], at offset: Int) throws(NetbootWireError) -> [PXEMenuItem] {
        var items: [PXEMenuItem] = []
        var index = 0
        while index < value.count {
            guard value.count - index >= 3 else {
                throw NetbootWireError.option43(offset: offset + index, .menuEntryTruncated(available: value.count - index))
            }
            let type = value.uint16(at: index)
            let length = Int(value[index + 2])
            let available = value.count - index - 3
            guard length <= available else {
                throw NetbootWireError.option43(offset: offset + index + 2, .menuTextOverrun(type: type, length: length, available: available))
            }
            let start = index + 3
            items.append(PXEMenuItem(type: type, text: try text(value[start..<(start + length)], tag: 9, at: offset + start)))
            index = start + length
        }
        return items
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
