import Glibc

/// A system call on a path failed: which call, on which path, and the
/// system's reason. Callers turn it into their own module's error.
public struct FileIOError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Call: String, Sendable {
        case open, read, write, fsync, rename
    }

    public let call: Call
    public let path: String
    public let errno: Int32

    public init(_ call: Call, path: String, errno: Int32) {
        self.call = call
        self.path = path
        self.errno = errno
    }

    /// strerror(3) of `errno`, such as "Permission denied".
    public var reason: String { String(cString: strerror(errno)) }

    public var description: String { "\(path): \(call.rawValue): \(reason)" }
}
