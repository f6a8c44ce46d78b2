import NetbootWire

import Glibc

/// The one place where a requested TFTP file name becomes a file on disk.
///
/// Policy (checked in this order, on the raw bytes the client sent):
/// - one leading `/` is stripped, as tftp-hpa does with `-s`: PXE ROMs and
///   GRUB ask for `/X86PC/...` and mean the root; `//x` is refused;
/// - refused: empty names, names over 512 bytes, NUL and control characters
///   (0x00-0x1F, 0x7F), backslashes, bytes that are not UTF-8, empty, `.` and
///   `..` components;
/// - the root is resolved with realpath(3) at every request, so a root that
///   is a link through `.pxefarm/current` (`out/tftpboot`) serves whichever
///   generation is current when the request comes, never a pinned one;
/// - the name is joined to that resolved root and resolved too, and must stay
///   inside it, so a symlink pointing out of the root is refused while one
///   inside it is followed, and the whole request is served from one tree;
/// - only regular files are served.
public struct TFTPPathPolicy: Sendable {
    /// The root as configured (not resolved: see the type's policy).
    public let root: String
    public static let maximumNameLength = 512

    /// `root` must exist now; it is resolved again at every request.
    public init(root: String) throws(FarmServerError) {
        guard Self.resolvedPath(root) != nil else { throw .tftpRootMissing(root) }
        self.root = root
    }

    /// The tree requests are served from now: the root, resolved.
    public var currentTree: String? { Self.resolvedPath(root) }

    /// The checked, resolved file `name` names now (see the type's policy).
    public func resolve(_ name: [UInt8]) throws(TFTPPathRefusal) -> TFTPFile {
        let relative = try Self.checkedRelativeName(name)
        // Between a publish and its prune the old tree may vanish: absent, as a client retry will find.
        guard let tree = currentTree else { throw .notFound(relative) }
        let joined = tree == "/" ? "/" + relative : tree + "/" + relative
        guard let resolved = Self.resolvedPath(joined) else { throw .notFound(relative) }
        guard resolved.hasPrefix(tree == "/" ? "/" : tree + "/") else { throw .outsideRoot(relative) }
        var info = stat()
        guard stat(resolved, &info) == 0 else { throw .notFound(relative) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .notARegularFile(relative) }
        return TFTPFile(path: resolved, tree: tree)
    }

    /// The lexical checks alone: the name relative to the root, or why not.
    public static func checkedRelativeName(_ raw: [UInt8]) throws(TFTPPathRefusal) -> String {
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
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}

/// A file `TFTPPathPolicy` admitted: its real path, and the real root it was
/// found under (for a built farm, one generation's tftpboot).
public struct TFTPFile: Hashable, Sendable {
    public var path: String
    public var tree: String
}

/// Why a requested name is not served. `tftpCode` is what the client is told.
/// Thrown within a request only; counted, logged and answered, never reported out.
public enum TFTPPathRefusal: Error, Equatable, Sendable, CustomStringConvertible {
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
