import FarmModel

/// Scalars as a person would type them in YAML: plain where that reads back
/// as the same string, double-quoted otherwise (MAC addresses always, since
/// YAML 1.1 reads `00:11:22` as a base-60 number).
enum YAMLText {
    static func scalar(_ text: String) -> String {
        plainIsSafe(text) ? text : quoted(text)
    }

    static let doubleQuotedEscapes = ScalarEscapes(["\"": "\\\"", "\\": "\\\\", "\n": "\\n", "\t": "\\t"])

    static func quoted(_ text: String) -> String {
        "\"" + doubleQuotedEscapes.escape(text) + "\""
    }

    static let reservedWords: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"]

    static func plainIsSafe(_ text: String) -> Bool {
        guard let first = text.first, first.isLetter || first == "/" || first == "." || first == "_" else { return false }
        guard !reservedWords.contains(text.lowercased()) else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_./".contains($0)) }
    }

    /// `[a, b]`.
    static func flowList(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }

    /// `{key: value, ...}`.
    static func flowMap(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + "}"
    }
}
