import FarmModel

/// Splits dhcpd.conf text into tokens (dhcpd.conf(5)): `#` starts a comment
/// that runs to the end of the line, white space separates words, strings
/// are in double quotes with backslash escapes, and `{ } ; ,` stand alone.
public enum DHCPDTokenizer {
    public static func tokens(_ text: String, file: String) throws(ImportError) -> [DHCPDToken] {
        var tokens: [DHCPDToken] = []
        let characters = Array(text)
        var index = 0
        var line = 1
        var column = 1

        func advance() {
            if characters[index] == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }

        while index < characters.count {
            let character = characters[index]
            let here = SourceLocation(file: file, line: line, column: column)
            switch character {
            case "#":
                while index < characters.count, characters[index] != "\n" { advance() }
            case _ where character.isWhitespace:
                advance()
            case "{", "}", ";", ",":
                let kind: DHCPDToken.Kind = character == "{" ? .openBrace : character == "}" ? .closeBrace : character == ";" ? .semicolon : .comma
                tokens.append(DHCPDToken(kind, String(character), at: here))
                advance()
            case "\"":
                advance()
                var value = ""
                var closed = false
                while index < characters.count {
                    let next = characters[index]
                    if next == "\"" {
                        closed = true
                        advance()
                        break
                    }
                    if next == "\n" { break }
                    if next == "\\", index + 1 < characters.count {
                        advance()
                        let escaped = characters[index]
                        value.append(escaped == "n" ? "\n" : escaped == "t" ? "\t" : escaped)
                    } else {
                        value.append(next)
                    }
                    advance()
                }
                guard closed else { throw ImportError("unterminated string: the closing quote is missing on this line", at: here) }
                tokens.append(DHCPDToken(.string, value, at: here))
            default:
                var word = ""
                while index < characters.count {
                    let next = characters[index]
                    if next.isWhitespace || "{};,\"#".contains(next) { break }
                    word.append(next)
                    advance()
                }
                tokens.append(DHCPDToken(.word, word, at: here))
            }
        }
        return tokens
    }
}
