/// What is wrong in an option 43 that does not decode (see
/// `NetbootWireError.option43(offset:_:)`, which says at which byte).
public enum PXEOptionsFault: Hashable, Sendable {
    /// The last byte is a tag with no length byte after it.
    case missingLength(tag: UInt8)
    /// A sub-option's length runs past the end of option 43.
    case lengthPastEnd(tag: UInt8, length: Int, available: Int)
    /// The bytes end without the end tag 255.
    case missingEnd
    /// Bytes follow the end tag.
    case bytesAfterEnd(count: Int)
    /// A tag appears a second time.
    case repeatedTag(tag: UInt8, firstOffset: Int)
    /// A fixed-size sub-option has another length.
    case wrongLength(tag: UInt8, length: Int, expected: Int)
    /// A sub-option that needs a value has an empty one.
    case emptyValue(tag: UInt8)
    /// Tag 8: an entry's type and count run past the end of the tag.
    case serverEntryTruncated(available: Int)
    /// Tag 8: the count says more addresses than the tag holds.
    case serverCountMismatch(type: UInt16, count: Int, available: Int)
    /// Tag 9: an entry's type and length run past the end of the tag.
    case menuEntryTruncated(available: Int)
    /// Tag 9: the text length runs past the end of the tag.
    case menuTextOverrun(type: UInt16, length: Int, available: Int)
    /// Text (tag 9 or 10) that is not UTF-8.
    case textNotUTF8(tag: UInt8)
    /// More bytes than one DHCP option holds (and than `encode` would write back).
    case tooLong(length: Int)

    /// The problem without its position.
    public var explanation: String {
        func name(_ tag: UInt8) -> String { "tag \(tag) (\(PXESubOption.name(ofTag: tag)))" }
        switch self {
        case .missingLength(let tag):
            return "\(name(tag)) has no length byte: the option ends after its tag"
        case .lengthPastEnd(let tag, let length, let available):
            return "\(name(tag)) says \(length) bytes but only \(available) remain"
        case .missingEnd:
            return "the option ends without the end tag 255"
        case .bytesAfterEnd(let count):
            return "\(count) byte(s) after the end tag 255"
        case .repeatedTag(let tag, let first):
            return "\(name(tag)) appears again (first at byte \(first))"
        case .wrongLength(let tag, let length, let expected):
            return "\(name(tag)) is \(length) bytes long; it must be \(expected)"
        case .emptyValue(let tag):
            return "\(name(tag)) is empty; it needs at least its first field"
        case .serverEntryTruncated(let available):
            return "boot server entry needs type (2) and count (1) but only \(available) byte(s) remain in tag 8"
        case .serverCountMismatch(let type, let count, let available):
            return "boot servers of type \(type) count \(count) address(es) (\(count * 4) bytes) but \(available) byte(s) remain in tag 8"
        case .menuEntryTruncated(let available):
            return "menu entry needs type (2) and length (1) but only \(available) byte(s) remain in tag 9"
        case .menuTextOverrun(let type, let length, let available):
            return "menu text of type \(type) says \(length) bytes but only \(available) remain in tag 9"
        case .textNotUTF8(let tag):
            return "text of \(name(tag)) is not UTF-8"
        case .tooLong(let length):
            return "option 43 is \(length) bytes; one DHCP option holds at most \(PXEVendorOptions.maximumLength)"
        }
    }
}
