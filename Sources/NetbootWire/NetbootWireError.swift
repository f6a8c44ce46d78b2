/// Everything NetbootWire refuses to decode or encode, one sentence each.
/// Each case names the byte, field, option or sub-option at fault, so that a
/// log line or a farm-file diagnostic can say exactly what a peer sent or
/// what to shorten.
public enum NetbootWireError: Error, Hashable, Sendable, CustomStringConvertible {
    // DHCP and BOOTP packets (RFC 2131, 2132)

    /// Fewer than the 236 fixed header bytes plus the 4-byte magic cookie.
    case truncatedHeader(length: Int)
    /// The 4 bytes at offset 236 are not 99.130.83.99 (RFC 2131 §3).
    case badMagicCookie([UInt8])
    /// An option's length byte runs past the end of its field.
    case truncatedOption(code: UInt8, field: DHCPOptionField, offset: Int, declared: Int, available: Int)
    /// Option 52 (overload) is not exactly one byte of 1, 2 or 3 (RFC 2132 §9.3).
    case badOverload([UInt8])
    /// A typed option is present but its bytes do not fit its definition.
    case badOption(code: UInt8, reason: String)
    /// A `file` or `sname` header field given longer than it holds.
    case fieldTooLong(field: DHCPOptionField, length: Int)
    /// The options do not fit the packet, even with `file` and `sname` overloaded.
    case optionsTooLarge(code: UInt8, maximumSize: Int)

    // PXE option 43

    /// Option 43 does not decode: what is wrong, at which byte (0-based,
    /// counted from the first byte of the option 43 value).
    case option43(offset: Int, PXEOptionsFault)
    /// A boot menu text (tag 9) over 255 bytes (its length is one byte).
    case menuTextTooLong(type: UInt16, length: Int)
    /// More than 255 boot servers of one type (tag 8; the count is one byte).
    case tooManyServers(type: UInt16, count: Int)
    /// One sub-option's value alone leaves no room in option 43.
    case subOptionTooLong(tag: UInt8, length: Int)
    /// The whole of option 43 would pass 255 bytes; `largest` lists the
    /// sub-option tags from the largest down, `sizes` their sizes with tag and length.
    case option43TooLong(length: Int, largest: [UInt8], sizes: [Int])
    /// An extra sub-option repeats a tag or uses pad, end or a named tag.
    case unusableTag(UInt8)

    // TFTP packets (RFC 1350, 2347)

    /// Fewer bytes than the opcode (or the packet's fixed part) needs.
    case truncated(length: Int, needed: Int, opcode: UInt16?)
    /// An opcode RFC 1350 and its extensions do not define.
    case unknownOpcode(UInt16)
    /// A string field (filename, mode, option name or value, error message) has no NUL terminator.
    case unterminated(field: String)
    /// A request names no file.
    case emptyFilename
    /// An option name at the end of the list has no value (an odd number of strings).
    case optionWithoutValue(name: String)

    // Hex text (`pxefarm explain`, imported configurations)

    /// Text that is not hex bytes, at a 0-based character position.
    case badHex(position: Int, message: String)

    public var description: String {
        switch self {
        case .truncatedHeader(let length):
            "packet of \(length) bytes is shorter than the 240-byte BOOTP header and magic cookie"
        case .badMagicCookie(let bytes):
            "magic cookie is \(bytes.map(String.init).joined(separator: ".")), not 99.130.83.99"
        case .truncatedOption(let code, let field, let offset, let declared, let available):
            "option \(code) at offset \(offset) of the \(field) field declares \(declared) bytes but only \(available) remain"
        case .badOverload(let bytes):
            "option 52 (overload) must be one byte 1, 2 or 3, got \(bytes)"
        case .badOption(let code, let reason):
            "option \(code): \(reason)"
        case .fieldTooLong(let field, let length):
            "the \(field) field holds \(field == .sname ? 64 : 128) bytes, not \(length)"
        case .optionsTooLarge(let code, let maximumSize):
            "option \(code) does not fit in a \(maximumSize)-byte packet, even with file and sname overloaded"
        case .option43(let offset, let fault):
            "byte \(offset): \(fault.explanation)"
        case .menuTextTooLong(let type, let length):
            "the boot menu (tag 9) text of type \(type) is \(length) bytes; a menu text holds at most 255: shorten it"
        case .tooManyServers(let type, let count):
            "the boot server list (tag 8) of type \(type) has \(count) servers; at most 255 fit: list fewer"
        case .subOptionTooLong(let tag, let length):
            "the \(Self.what(tag)) is \(length) bytes; one sub-option holds at most \(PXEVendorOptions.maximumSubOptionValue) in option 43: \(Self.advice(tag))"
        case .option43TooLong(let length, let largest, let sizes):
            "option 43 would be \(length) bytes, over the 255 a DHCP option holds; "
                + zip(largest, sizes).prefix(2).map { "the \(Self.what($0.0)) takes \($0.1)" }.joined(separator: ", ")
                + (largest.first.map { ": \(Self.advice($0))" } ?? "")
        case .unusableTag(let tag):
            "sub-option tag \(tag) cannot be added as an extra: it is pad, end, a named tag or repeated"
        case .truncated(let length, let needed, let opcode):
            "\(length) bytes is too short for \(opcode.map { "opcode \($0)" } ?? "a TFTP packet") (needs at least \(needed))"
        case .unknownOpcode(let code): "unknown opcode \(code)"
        case .unterminated(let field): "the \(field) is not terminated by a NUL byte"
        case .emptyFilename: "the file name is empty"
        case .optionWithoutValue(let name): "option \"\(name.escapedForLog)\" has no value (odd-length option list)"
        case .badHex(let position, let message): "character \(position + 1): \(message)"
        }
    }

    /// For an option 43 that does not decode, the byte at fault; nil otherwise.
    public var offset: Int? {
        if case .option43(let offset, _) = self { offset } else { nil }
    }

    /// The problem without its position: an option 43 fault's explanation,
    /// else the description.
    public var explanation: String {
        if case .option43(_, let fault) = self { fault.explanation } else { description }
    }

    /// For an option 43 that cannot be encoded, the sub-option tag a person should shorten.
    public var tagToShorten: UInt8? {
        switch self {
        case .menuTextTooLong: 9
        case .tooManyServers: 8
        case .subOptionTooLong(let tag, _): tag
        case .option43TooLong(_, let largest, _): largest.first
        default: nil
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
