/// Why a `PXEVendorOptions` value cannot be written as option 43. Each
/// message says what to shorten.
public enum PXEOptionsEncodeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A menu text over 255 bytes (its length is one byte).
    case menuTextTooLong(type: UInt16, length: Int)
    /// More than 255 servers for one type (the count is one byte).
    case tooManyServers(type: UInt16, count: Int)
    /// One sub-option's value alone leaves no room in option 43.
    case subOptionTooLong(tag: UInt8, length: Int)
    /// The whole would pass 255 bytes; `largest` lists the sub-option tags
    /// from the largest down, `sizes` their sizes with tag and length.
    case tooLong(length: Int, largest: [UInt8], sizes: [Int])
    /// An extra sub-option repeats a tag or uses pad, end or a named tag.
    case unusableTag(UInt8)

    /// The tag a person should shorten.
    public var tagToShorten: UInt8? {
        switch self {
        case .menuTextTooLong: 9
        case .tooManyServers: 8
        case .subOptionTooLong(let tag, _): tag
        case .tooLong(_, let largest, _): largest.first
        case .unusableTag: nil
        }
    }

    public var description: String {
        switch self {
        case .menuTextTooLong(let type, let length):
            "the boot menu (tag 9) text of type \(type) is \(length) bytes; a menu text holds at most 255: shorten it"
        case .tooManyServers(let type, let count):
            "the boot server list (tag 8) of type \(type) has \(count) servers; at most 255 fit: list fewer"
        case .subOptionTooLong(let tag, let length):
            "the \(Self.what(tag)) is \(length) bytes; one sub-option holds at most \(PXEVendorOptions.maximumSubOptionValue) in option 43: \(Self.advice(tag))"
        case .tooLong(let length, let largest, let sizes):
            "option 43 would be \(length) bytes, over the 255 a DHCP option holds; "
                + zip(largest, sizes).prefix(2).map { "the \(Self.what($0.0)) takes \($0.1)" }.joined(separator: ", ")
                + (largest.first.map { ": \(Self.advice($0))" } ?? "")
        case .unusableTag(let tag):
            "sub-option tag \(tag) cannot be added as an extra: it is pad, end, a named tag or repeated"
        }
    }

    /// "boot menu (tag 9)"
    static func what(_ tag: UInt8) -> String {
        tag == 8 ? "boot server list (tag 8)" : "\(PXESubOption.name(ofTag: tag)) (tag \(tag))"
    }

    static func advice(_ tag: UInt8) -> String {
        switch tag {
        case 8: "list fewer unicast boot servers, or offer fewer services"
        case 9: "shorten the menu texts, or offer fewer services"
        case 10: "shorten the prompt text"
        default: "shorten it"
        }
    }
}
