import Glibc

/// What tells a changed file apart without reading it: size, modification
/// time, inode and device. A file replaced by rename (a rebuild, a new boot
/// state) or rewritten in place gets another signature.
public struct FileSignature: Hashable, Sendable {
    public var size: Int64
    /// Nanoseconds since the epoch.
    public var modified: Int64
    public var inode: UInt64
    public var device: UInt64

    public init(size: Int64, modified: Int64, inode: UInt64, device: UInt64) {
        self.size = size
        self.modified = modified
        self.inode = inode
        self.device = device
    }

    /// From stat(2) or fstat(2) results.
    public init(_ info: stat) {
        self.init(size: Int64(info.st_size), modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
                  inode: UInt64(info.st_ino), device: UInt64(info.st_dev))
    }

    /// stat(2) of `path` (following symlinks); nil when nothing is there.
    public init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }
}
