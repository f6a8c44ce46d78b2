/// Why bytes are not a DHCP/BOOTP packet. Each case names the offset or option
/// at fault so a log line can say exactly what a peer sent.
public enum DHCPDecodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer than the 236 fixed header bytes plus the 4-byte magic cookie.
    case truncatedHeader(length: Int)
    /// The 4 bytes at offset 236 are not 99.130.83.99 (RFC 2131 §3).
    case badMagicCookie([UInt8])
    /// An option's length byte runs past the end of its field.
    case truncatedOption(code: UInt8, field: DHCPOptionField, offset: Int, declared: Int, available: Int)
    /// Option 52 (overload) is not exactly one byte of 1, 2 or 3 (RFC 2132 §9.3).
    case badOverload([UInt8])

    public var description: String {
        switch self {
        case .truncatedHeader(let length):
            return "packet of \(length) bytes is shorter than the 240-byte BOOTP header and magic cookie"
        case .badMagicCookie(let bytes):
            return "magic cookie is \(bytes.map(String.init).joined(separator: ".")), not 99.130.83.99"
        case .truncatedOption(let code, let field, let offset, let declared, let available):
            return "option \(code) at offset \(offset) of the \(field) field declares \(declared) bytes but only \(available) remain"
        case .badOverload(let bytes):
            return "option 52 (overload) must be one byte 1, 2 or 3, got \(bytes)"
        }
    }
}

/// Where an option was found: the options field proper, or the `file`/`sname`
/// header fields when option 52 overloads them (RFC 2131 §4.1: options, then file, then sname).
public enum DHCPOptionField: String, Sendable, Equatable {
    case options, file, sname
}

/// A typed option is present but its bytes do not fit its definition.
public struct DHCPOptionError: Error, Equatable, Sendable, CustomStringConvertible {
    public let code: UInt8
    public let reason: String

    public init(code: UInt8, reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "option \(code): \(reason)" }
}
