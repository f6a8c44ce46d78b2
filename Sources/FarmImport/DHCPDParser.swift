import FarmModel

/// Groups dhcpd.conf tokens into statements and nested blocks. It knows the
/// shape of the file only (`;` ends a statement, `{ }` holds a block);
/// `DHCPDConfigReader` gives the statements their meaning.
public enum DHCPDParser {
    public static func parse(_ text: String, file: String) throws(ImportError) -> [DHCPDStatement] {
        let tokens = try DHCPDTokenizer.tokens(text, file: file)
        var index = 0
        return try parseBlock(tokens, &index, opener: nil)
    }

    /// Statements up to the `}` that closes `opener` (or the end of the file at the top).
    static func parseBlock(_ tokens: [DHCPDToken], _ index: inout Int, opener: DHCPDStatement?) throws(ImportError) -> [DHCPDStatement] {
        var statements: [DHCPDStatement] = []
        var words: [DHCPDToken] = []
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            switch token.kind {
            case .semicolon:
                if !words.isEmpty { statements.append(DHCPDStatement(words: words)) }
                words = []
            case .openBrace:
                guard !words.isEmpty else { throw ImportError("a block '{' needs a statement before it, such as 'host NAME {'", at: token.location) }
                let header = DHCPDStatement(words: words)
                let inner = try parseBlock(tokens, &index, opener: header)
                statements.append(DHCPDStatement(words: words, block: inner))
                words = []
            case .closeBrace:
                if let last = words.first {
                    throw ImportError("missing ';' after '\(words.map(\.quoted).joined(separator: " "))' before '}'", at: last.location)
                }
                guard opener != nil else { throw ImportError("'}' without a block to close", at: token.location) }
                return statements
            case .word, .string, .comma:
                words.append(token)
            }
        }
        if let first = words.first {
            throw ImportError("missing ';': the file ends inside the statement '\(words.map(\.quoted).joined(separator: " "))'", at: first.location)
        }
        if let opener {
            let header = opener.words.map(\.quoted).joined(separator: " ")
            throw ImportError("unterminated block '\(header) {': the file ends before its closing '}'", at: opener.location)
        }
        return statements
    }
}
