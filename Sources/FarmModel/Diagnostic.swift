/// A position in a file that a person wrote: 1-based line and column.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line, column: Int

    public init(file: String, line: Int, column: Int) { self.file = file; self.line = line; self.column = column }

    public var description: String { "\(file):\(line):\(column)" }
}

/// One problem found in a farm: what is wrong, with which field, and where.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable, Comparable {
        case warning, error

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .warning && rhs == .error }
    }

    public var severity: Severity
    public var path: FieldPath
    public var message: String
    /// Filled in by the loader from the path; nil for farms built in code.
    public var location: SourceLocation?

    public init(_ severity: Severity, _ path: FieldPath, _ message: String, at location: SourceLocation? = nil) {
        self.severity = severity
        self.path = path
        self.message = message
        self.location = location
    }

    public static func error(_ path: FieldPath, _ message: String) -> Diagnostic { Diagnostic(.error, path, message) }
    public static func warning(_ path: FieldPath, _ message: String) -> Diagnostic { Diagnostic(.warning, path, message) }

    /// `farm.yaml:12:9: error: nodes[2].ip: 192.168.198.5 is outside the subnet 192.168.197.0/24`,
    /// the form compilers use, so editors can jump to it.
    public var description: String {
        let field = path.components.isEmpty ? "" : "\(path): "
        let prefix = location.map { "\($0): " } ?? ""
        return "\(prefix)\(severity.rawValue): \(field)\(message)"
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// File order: by file, line and column, then as found.
    public func sortedByLocation() -> [Diagnostic] {
        enumerated().sorted { lhs, rhs in
            switch (lhs.element.location, rhs.element.location) {
            case let (l?, r?) where (l.file, l.line, l.column) != (r.file, r.line, r.column):
                return (l.file, l.line, l.column) < (r.file, r.line, r.column)
            case (nil, _?): return false
            case (_?, nil): return true
            default: return lhs.offset < rhs.offset
            }
        }.map(\.element)
    }
}
