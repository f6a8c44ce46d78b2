import FarmModel

/// Everything that stops an import, one sentence each: a configuration that
/// does not read, at its file, line and column in the form compilers use
/// (`dhcpd.conf:12:3: error: ...`), or a file that cannot be read or written.
public enum ImportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The dhcpd.conf or pxe.conf does not read as one, at this place.
    case invalid(String, at: SourceLocation)
    /// An input file is missing or cannot be read.
    case unreadable(path: String)
    /// An input file is neither UTF-8 nor Latin-1 text.
    case notText(path: String)
    /// The farm file to write exists, and replacing it was not asked for.
    case outputExists(path: String)
    /// Writing the farm file failed: the temporary file beside it, or the rename onto it.
    case unwritable(path: String, reason: String)

    /// A configuration that does not read, at `location`.
    public init(_ message: String, at location: SourceLocation) {
        self = .invalid(message, at: location)
    }

    /// Where in a configuration the problem is; nil for a file that failed.
    public var location: SourceLocation? {
        if case .invalid(_, let location) = self { location } else { nil }
    }

    /// The problem without its place.
    public var message: String {
        switch self {
        case .invalid(let message, _): message
        case .unreadable: "cannot read the file (missing or not readable)"
        case .notText: "not a text file"
        case .outputExists: "exists; pass --force to replace it"
        case .unwritable(_, let reason): reason
        }
    }

    public var description: String {
        switch self {
        case .invalid(let message, let location): "\(location): error: \(message)"
        case .unreadable(let path), .notText(let path): "\(path): \(message)"
        case .outputExists(let path): "\(path) \(message)"
        case .unwritable(let path, let reason): "cannot write \(path): \(reason)"
        }
    }
}
