import FarmModel

/// One lexical unit of dhcpd.conf: a word (keywords, addresses, colon hex,
/// numbers), a quoted string, or one of the punctuation marks `{ } ; ,`.
public struct DHCPDToken: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case word
        /// The text between the quotes, escapes resolved.
        case string
        case openBrace, closeBrace, semicolon, comma
    }

    public var kind: Kind
    public var text: String
    public var location: SourceLocation

    public init(_ kind: Kind, _ text: String, at location: SourceLocation) {
        self.kind = kind
        self.text = text
        self.location = location
    }

    /// How the token reads in a message: strings in quotes.
    var quoted: String { kind == .string ? "\"\(text)\"" : text }
}
