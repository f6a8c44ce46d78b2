import FileIO
import Glibc

/// The build's only reach into the disk: thin POSIX calls that throw a
/// `BuildError.io` naming the path and the system's reason.
public enum FileSystem {
    public struct Status: Equatable, Sendable {
        public enum Kind: Sendable, Equatable { case file, directory, symlink, other }
        public var kind: Kind
        public var mode: UInt32
        /// Size, modification time, inode and device: what tells a changed file apart.
        public var signature: FileSignature
        /// The inode's last change (content, mode, owner, links, attributes), nanoseconds.
        public var changed: Int64 = 0
        public var links: UInt64
        public var uid: UInt32
        public var gid: UInt32
        public var rdev: UInt64
        public var rawType: SpecialType

        public enum SpecialType: Sendable, Equatable {
            case characterDevice, blockDevice, fifo, socket, none

            /// The S_IF* bits mknod needs.
            public var bits: UInt32 {
                switch self {
                case .characterDevice: UInt32(S_IFCHR)
                case .blockDevice: UInt32(S_IFBLK)
                case .fifo: UInt32(S_IFIFO)
                case .socket: UInt32(S_IFSOCK)
                case .none: 0
                }
            }
        }

        public var size: Int64 { signature.size }
        /// Nanoseconds since the epoch.
        public var modified: Int64 { signature.modified }
        public var inode: UInt64 { signature.inode }
        public var device: UInt64 { signature.device }
    }

    static func failure(_ what: String, _ path: String) -> BuildError {
        .io(path: path, action: what, reason: String(cString: strerror(errno)))
    }

    /// lstat(2), or stat(2) `following` symlinks; nil when nothing is there.
    public static func status(_ path: String, following: Bool = false) -> Status? {
        var info = stat()
        guard (following ? stat(path, &info) : lstat(path, &info)) == 0 else { return nil }
        return status(info)
    }

    /// lstat(2) of `path` inside the open folder `directory` (fstatat): the
    /// kernel walks only the part of the path below it.
    public static func status(_ path: String, in directory: Int32) -> Status? {
        var info = stat()
        guard fstatat(directory, path, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return status(info)
    }

    private static func status(_ info: stat) -> Status {
        let kind: Status.Kind
        var special = Status.SpecialType.none
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .file
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symlink
        case S_IFCHR: kind = .other; special = .characterDevice
        case S_IFBLK: kind = .other; special = .blockDevice
        case S_IFIFO: kind = .other; special = .fifo
        default: kind = .other; special = .socket
        }
        return Status(
            kind: kind, mode: UInt32(info.st_mode & 0o7777), signature: FileSignature(info),
            changed: Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec), links: UInt64(info.st_nlink),
            uid: info.st_uid, gid: info.st_gid, rdev: UInt64(info.st_rdev), rawType: special)
    }

    public static func exists(_ path: String) -> Bool { status(path) != nil }

    /// mkdir -p.
    public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(BuildError) {
        if status(path)?.kind == .directory { return }
        let parent = PathName.directoryName(path)
        if parent != path { try makeDirectories(parent, mode: mode) }
        guard mkdir(path, mode) == 0 || errno == EEXIST else { throw failure("create directory", path) }
    }

    /// The names in a directory, sorted, without . and ..
    public static func list(_ path: String) throws(BuildError) -> [String] {
        guard let directory = opendir(path) else { throw failure("list", path) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    public static func read(_ path: String) throws(BuildError) -> [UInt8] {
        do {
            return try WholeFile.read(path)
        } catch {
            throw .io(path: path, action: "read", reason: error.reason)
        }
    }

    /// Writes `bytes` to a new file at `path` (which must not exist).
    public static func create(_ path: String, bytes: some Collection<UInt8>, mode: mode_t = 0o644) throws(BuildError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw failure("create", path) }
        var ok = true
        Array(bytes).withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 { if errno == EINTR { continue }; ok = false; return }
                offset += written
            }
        }
        let error = errno
        guard close(descriptor) == 0, ok else {
            errno = ok ? errno : error
            unlink(path)
            throw failure("write", path)
        }
        _ = fchmodat(AT_FDCWD, path, mode, 0)
    }

    /// Copies a regular file's bytes to a new file, streaming.
    public static func copyFile(from source: String, to target: String, mode: mode_t) throws(BuildError) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw failure("read", source) }
        defer { close(input) }
        let output = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard output >= 0 else { throw failure("create", target) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, $0.count) }
            if count < 0 { if errno == EINTR { continue }; close(output); unlink(target); throw failure("read", source) }
            if count == 0 { break }
            var offset = 0
            while offset < count {
                let written = buffer.withUnsafeBytes { write(output, $0.baseAddress! + offset, count - offset) }
                if written < 0 { if errno == EINTR { continue }; close(output); unlink(target); throw failure("write", target) }
                offset += written
            }
        }
        guard close(output) == 0 else { unlink(target); throw failure("write", target) }
        _ = fchmodat(AT_FDCWD, target, mode, 0)
    }

    public static func hardLink(_ existing: String, _ new: String) throws(BuildError) {
        guard link(existing, new) == 0 else { throw failure("hard-link \(existing) to", new) }
    }

    public static func symbolicLink(_ target: String, at path: String) throws(BuildError) {
        guard symlink(target, path) == 0 else { throw failure("create symlink", path) }
    }

    public static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// rename(2): atomic replacement of `target` on one file system.
    public static func rename(_ source: String, _ target: String) throws(BuildError) {
        guard Glibc.rename(source, target) == 0 else { throw failure("rename \(source) to", target) }
    }

    /// rm -rf, without following symlinks.
    public static func removeTree(_ path: String) throws(BuildError) {
        guard let info = status(path) else { return }
        if info.kind == .directory {
            for name in try list(path) { try removeTree(path + "/" + name) }
            guard rmdir(path) == 0 else { throw failure("remove", path) }
        } else {
            guard unlink(path) == 0 else { throw failure("remove", path) }
        }
    }

    /// Makes a device node or FIFO; only root may make devices.
    public static func makeNode(_ path: String, mode: UInt32, device: UInt64) throws(BuildError) {
        guard mknod(path, mode_t(mode), dev_t(device)) == 0 else { throw failure("mknod", path) }
    }

    public static func setOwner(_ path: String, uid: UInt32, gid: UInt32) throws(BuildError) {
        guard lchown(path, uid, gid) == 0 else { throw failure("chown", path) }
    }

    public static var isRoot: Bool { geteuid() == 0 }

    /// fsync(2) of a directory or file, so a rename is on disk before the next step.
    public static func sync(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    /// The absolute, symlink-free form of an existing path.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
