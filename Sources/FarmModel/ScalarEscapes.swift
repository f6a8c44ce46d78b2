/// How text is written inside some quoting (a JSON string, a YAML
/// double-quoted scalar, a path field of the build cache): each scalar the
/// table names as its replacement, any other as it is.
public struct ScalarEscapes: Sendable {
    public var table: [Unicode.Scalar: String]
    /// The replacement of a scalar the table does not name, if it has one.
    public var otherwise: @Sendable (Unicode.Scalar) -> String?

    public init(_ table: [Unicode.Scalar: String], otherwise: @escaping @Sendable (Unicode.Scalar) -> String? = { _ in nil }) {
        self.table = table
        self.otherwise = otherwise
    }

    public func escape(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            if let replacement = table[scalar] ?? otherwise(scalar) {
                escaped += replacement
            } else {
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
