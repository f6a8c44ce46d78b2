import FarmModel
import NetbootWire

/// Why boot configuration could not be made. One sentence per case, naming
/// the file and where in it.
public enum BootConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The templates directory given does not exist.
    case templatesDirectoryMissing(String)
    /// The templates directory lacks a template a renderer needs.
    case templateMissing(path: String, directory: String)
    /// A template could not be read from disk.
    case templateUnreadable(path: String, reason: String)
    /// A template is not valid Mustache.
    case templateSyntax(path: String, line: Int, column: Int, reason: String)
    /// The farm's option 43 does not fit (the validator reports this first).
    case vendorOptions(NetbootWireError)
    /// Two renderers made the same output file.
    case duplicateOutput(path: String)
    /// An output file could not be written.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .templatesDirectoryMissing(let directory):
            "templates directory \(directory) does not exist"
        case .templateMissing(let path, let directory):
            "template \(path) is missing from \(directory)"
        case .templateUnreadable(let path, let reason):
            "cannot read template \(path): \(reason)"
        case .templateSyntax(let path, let line, let column, let reason):
            "\(path):\(line):\(column): error: \(reason)"
        case .vendorOptions(let reason):
            "option 43 cannot be written: \(reason)"
        case .duplicateOutput(let path):
            "two outputs would both be written to \(path)"
        case .cannotWrite(let path, let reason):
            "cannot write \(path): \(reason)"
        }
    }
}
