extension PXEVendorOptions {
    /// The option 43 value: each sub-option as tag, length, value, in
    /// ascending tag order, then the end tag 255.
    ///
    /// Throws when a menu text or a server list does not fit its length
    /// byte, when a sub-option alone or the whole would pass 255 bytes, or
    /// when `otherSubOptions` repeats a tag or uses pad, end or a named tag.
    public func encode() throws(NetbootWireError) -> [UInt8] {
        var seen: Set<UInt8> = []
        for option in otherSubOptions {
            guard case .other(let tag, _) = option, !PXESubOption.namedTags.contains(tag),
                  tag != PXESubOption.padTag, tag != PXESubOption.endTag, seen.insert(tag).inserted
            else { throw .unusableTag(option.tag) }
        }
        for list in bootServers ?? [] where list.servers.count > 255 {
            throw .tooManyServers(type: list.type, count: list.servers.count)
        }
        for item in bootMenu ?? [] where item.text.utf8.count > 255 {
            throw .menuTextTooLong(type: item.type, length: item.text.utf8.count)
        }
        let parts = subOptions.map { ($0.tag, $0.value) }
        for (tag, value) in parts where value.count > Self.maximumSubOptionValue {
            throw .subOptionTooLong(tag: tag, length: value.count)
        }
        let total = parts.reduce(1) { $0 + 2 + $1.1.count }
        guard total <= Self.maximumLength else {
            let sizes = parts.map { (tag: $0.0, length: 2 + $0.1.count) }.sorted { $0.length > $1.length }
            throw .option43TooLong(length: total, largest: sizes.map(\.tag), sizes: sizes.map(\.length))
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(total)
        for (tag, value) in parts {
            bytes += [tag, UInt8(value.count)] + value
        }
        bytes.append(PXESubOption.endTag)
        return bytes
    }

    /// The longest value one sub-option can have and still fit option 43
    /// with its tag, its length and the end tag: 255 - 3.
    public static let maximumSubOptionValue = maximumLength - 3
}
