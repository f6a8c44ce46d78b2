/// Checks on text that ends up in names and configuration files.
public enum TextRules {
    /// Characters that would end a quoted string, a statement or a block in
    /// dhcpd.conf, Kea's JSON, dnsmasq.conf, pxe.conf or a pxelinux config,
    /// and so let a farm file write configuration of its own (config injection).
    public static let unsafeCharacters: [Character: String] = [
        "\"": "a double quote", "'": "a single quote", ";": "a semicolon",
        "{": "a brace", "}": "a brace", "\n": "a newline", "\r": "a carriage return",
        "\\": "a backslash",
    ]

    /// A diagnostic when `text` carries a character that would break out of
    /// the configuration file it is written into; nil when it is safe.
    public static func injection(in text: String, at path: FieldPath) -> Diagnostic? {
        for character in text {
            if let name = unsafeCharacters[character] {
                return .error(path, "contains \(name), which would break out of the configuration files it is written into; remove it")
            }
            if character.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                return .error(path, "contains a control character (U+\(String(character.unicodeScalars.first!.value, radix: 16, uppercase: true))); remove it")
            }
        }
        return nil
    }

    /// RFC 1123 host name label: 1-63 letters, digits and hyphens, neither
    /// first nor last a hyphen.
    public static func isHostLabel(_ label: some StringProtocol) -> Bool {
        guard (1...63).contains(label.count), label.first != "-", label.last != "-" else { return false }
        return label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }

    /// A domain name: dot-separated host labels, at most 253 characters.
    public static func isDomainName(_ name: String) -> Bool {
        name.count <= 253 && name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(isHostLabel)
    }

    /// A name that becomes one directory of the TFTP tree: letters, digits,
    /// `-`, `_` and `.`, not starting with a dot, at most 64 characters.
    public static func isDirectoryName(_ name: String) -> Bool {
        (1...64).contains(name.count) && name.first != "." &&
            name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }
}
