import NetbootWire

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place where a requested TFTP file name becomes a file on disk.
///
/// Policy (checked in this order, on the raw bytes the client sent):
/// - one leading `/` is stripped, as tftp-hpa does with `-s`: PXE ROMs and
///   GRUB ask for `/X86PC/...` and mean the root; `//x` is refused;
/// - refused: empty names, names over 512 bytes, NUL and control characters
///   (0x00-0x1F, 0x7F), backslashes, bytes that are not UTF-8, empty, `.` and
///   `..` components;
/// - the joined path is resolved with realpath(3) and must stay inside the
///   resolved root, so a symlink pointing out of the root is refused while one
///   inside it is followed;
/// - only regular files are served.
public struct TFTPPathPolicy: Sendable {
    public let root: String
    public static let maximumNameLength = 512

    /// `root` must exist; it is resolved once so that the prefix check compares real paths.
    public init(root: String) throws(TFTPPathError) {
        guard let resolved = Self.resolvedPath(root) else { throw .rootMissing(root) }
        self.root = resolved
    }

    /// The checked, resolved path of `name` (see the type's policy).
    public func resolve(_ name: [UInt8]) throws(TFTPPathError) -> String {
        let relative = try Self.checkedRelativeName(name)
        let joined = root == "/" ? "/" + relative : root + "/" + relative
        guard let resolved = Self.resolvedPath(joined) else { throw .notFound(relative) }
        guard resolved.hasPrefix(root == "/" ? "/" : root + "/") else { throw .outsideRoot(relative) }
        var info = stat()
        guard stat(resolved, &info) == 0 else { throw .notFound(relative) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .notARegularFile(relative) }
        return resolved
    }

    /// The lexical checks alone: the name relative to the root, or why not.
    public static func checkedRelativeName(_ raw: [UInt8]) throws(TFTPPathError) -> String {
        guard raw.count <= maximumNameLength else { throw .tooLong(raw.count) }
        var name = raw[...]
        if name.first == UInt8(ascii: "/") { name = name.dropFirst() }
        guard !name.isEmpty else { throw .empty }
        if let bad = name.first(where: { $0 < 0x20 || $0 == 0x7F }) { throw .controlCharacter(bad) }
        guard !name.contains(UInt8(ascii: "\\")) else { throw .backslash }
        guard let text = String(validating: name, as: UTF8.self) else { throw .notUTF8 }
        for component in text.split(separator: "/", omittingEmptySubsequences: false) {
            guard !component.isEmpty else { throw .emptyComponent(text) }
            guard component != "..", component != "." else { throw .dotComponent(text) }
        }
        return text
    }

    static func resolvedPath(_ path: String) -> String? {
        #if canImport(Glibc) || canImport(Darwin)
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
        #endif
    }
}

/// Why a requested name is not served. `tftpCode` is what the client is told.
public enum TFTPPathError: Error, Equatable, Sendable, CustomStringConvertible {
    case rootMissing(String)
    case tooLong(Int)
    case empty
    case controlCharacter(UInt8)
    case backslash
    case notUTF8
    case emptyComponent(String)
    case dotComponent(String)
    case outsideRoot(String)
    case notFound(String)
    case notARegularFile(String)

    public var description: String {
        switch self {
        case .rootMissing(let root): "TFTP root \(root) does not exist"
        case .tooLong(let length): "file name of \(length) bytes is over the limit of \(TFTPPathPolicy.maximumNameLength)"
        case .empty: "empty file name"
        case .controlCharacter(let byte): "file name contains control character 0x\(String(byte, radix: 16))"
        case .backslash: "file name contains a backslash"
        case .notUTF8: "file name is not UTF-8"
        case .emptyComponent(let name): "file name \(name) has an empty component (absolute or doubled slash)"
        case .dotComponent(let name): "file name \(name) has a . or .. component"
        case .outsideRoot(let name): "\(name) resolves outside the TFTP root"
        case .notFound(let name): "\(name) not found"
        case .notARegularFile(let name): "\(name) is not a regular file"
        }
    }

    /// File not found for what is simply absent; access violation for everything refused.
    public var tftpCode: TFTPErrorCode {
        switch self {
        case .notFound: .fileNotFound
        default: .accessViolation
        }
    }

    /// The message sent on the wire: short, and never the server's real paths.
    public var wireMessage: String {
        switch self {
        case .notFound: "File not found"
        default: "Access violation"
        }
    }
}
