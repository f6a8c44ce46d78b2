/// Bytes written as hex, the way configuration files and packet dumps
/// write them: `06:01:00`, `06 01 00`, `060100`, `0x060100`.
public enum HexBytes {

    /// Reads hex bytes. Groups are separated by colons, white space, or
    /// nothing; a group of one digit is one byte (dhcpd writes `6:1:0`), a
    /// longer group must have an even number of digits. A leading `0x` is
    /// allowed on the whole text and on each group.
    public static func parse(_ text: String) throws(NetbootWireError) -> [UInt8] {
        let characters = Array(text)
        var bytes: [UInt8] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == ":" || character.isWhitespace {
                index += 1
                continue
            }
            var start = index
            if character == "0", index + 1 < characters.count, characters[index + 1] == "x" || characters[index + 1] == "X" {
                start += 2
            }
            var end = start
            while end < characters.count, characters[end] != ":", !characters[end].isWhitespace {
                guard characters[end].isHexDigit, characters[end].isASCII else {
                    throw .badHex(position: end, message: "\"\(characters[end])\" is not a hex digit")
                }
                end += 1
            }
            let digits = characters[start..<end]
            if digits.isEmpty {
                throw .badHex(position: index, message: "\"0x\" with no hex digits after it")
            }
            if digits.count == 1 {
                bytes.append(UInt8(String(digits), radix: 16)!)
            } else if digits.count % 2 == 1 {
                throw .badHex(position: start, message: "odd number of hex digits (\(digits.count)) in \"\(String(digits))\"")
            } else {
                var pair = start
                while pair < end {
                    bytes.append(UInt8(String(characters[pair..<(pair + 2)]), radix: 16)!)
                    pair += 2
                }
            }
            index = end
        }
        return bytes
    }

    /// `06:01:00`, lower case, as dhcpd and Kea accept it.
    public static func colonSeparated(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
        }.joined(separator: ":")
    }
}
