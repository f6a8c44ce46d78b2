import FarmModel

/// One statement of dhcpd.conf: its words up to `;` or `{`, and for a block
/// (`subnet ... { }`, `host n011 { }`, `group { }`) the statements inside.
public struct DHCPDStatement: Hashable, Sendable {
    public var words: [DHCPDToken]
    /// nil for a simple statement ended by `;`.
    public var block: [DHCPDStatement]?

    public init(words: [DHCPDToken], block: [DHCPDStatement]? = nil) {
        self.words = words
        self.block = block
    }

    public var location: SourceLocation { words[0].location }
    /// The first word, lower-cased: `host`, `option`, `fixed-address`.
    public var keyword: String { words[0].text.lowercased() }
    /// The words after the keyword.
    public var arguments: ArraySlice<DHCPDToken> { words.dropFirst() }
}
