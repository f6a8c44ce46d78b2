import FarmModel

/// Why an existing configuration could not be imported: the first problem
/// that stops reading, at its file, line and column, in the form compilers
/// use (`dhcpd.conf:12:3: error: ...`).
public struct ImportError: Error, Hashable, Sendable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(_ message: String, at location: SourceLocation) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): error: \(message)" }

    /// The same problem as a diagnostic, to print beside the warnings.
    public var diagnostic: Diagnostic { Diagnostic(.error, FieldPath(), message, at: location) }
}
