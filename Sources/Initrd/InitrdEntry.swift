/// One member of an initrd: a path inside the archive (relative, `bin/sh`), what it
/// is, and its permission bits and owner. Times are not per entry: the whole archive
/// gets one time (SOURCE_DATE_EPOCH) so that the same input gives the same bytes.
public struct InitrdEntry: Hashable, Sendable {
    public var path: String
    public var kind: Kind
    /// Permission bits including set-id and sticky bits (07777).
    public var permissions: UInt32
    public var uid: UInt32
    public var gid: UInt32

    public enum Kind: Hashable, Sendable {
        case directory
        case file(FileContent)
        case symlink(target: String)
        case characterDevice(major: UInt32, minor: UInt32)
        case blockDevice(major: UInt32, minor: UInt32)
        case fifo
    }

    public init(path: String, kind: Kind, permissions: UInt32, uid: UInt32 = 0, gid: UInt32 = 0) {
        self.path = path
        self.kind = kind
        self.permissions = permissions & 0o7777
        self.uid = uid
        self.gid = gid
    }

    public static func directory(_ path: String, permissions: UInt32 = 0o755) -> InitrdEntry {
        InitrdEntry(path: path, kind: .directory, permissions: permissions)
    }

    public static func file(_ path: String, text: String, permissions: UInt32 = 0o644) -> InitrdEntry {
        InitrdEntry(path: path, kind: .file(.bytes(Array(text.utf8))), permissions: permissions)
    }

    public static func symlink(_ path: String, to target: String) -> InitrdEntry {
        InitrdEntry(path: path, kind: .symlink(target: target), permissions: 0o777)
    }

    /// The file type letter `ls -l` shows.
    public var typeLetter: Character {
        switch kind {
        case .directory: "d"
        case .file: "-"
        case .symlink: "l"
        case .characterDevice: "c"
        case .blockDevice: "b"
        case .fifo: "p"
        }
    }
}

/// Where a regular file's bytes come from: memory (generated files such as /init's
/// configuration) or a file on disk, read while the archive is written.
public enum FileContent: Hashable, Sendable {
    case bytes([UInt8])
    case disk(DiskFile)

    public var size: Int64 {
        switch self {
        case let .bytes(bytes): Int64(bytes.count)
        case let .disk(file): file.size
        }
    }
}

/// A file on disk as it was when the tree was scanned. Files with the same
/// `device`/`inode` are hard links and are stored once; size and modification time
/// are checked again when the bytes are copied, to catch a tree that changes.
public struct DiskFile: Hashable, Sendable {
    public var path: String
    public var size: Int64
    public var device: UInt64
    public var inode: UInt64
    public var modificationSeconds: Int
    public var modificationNanoseconds: Int

    public init(path: String, size: Int64, device: UInt64, inode: UInt64,
                modificationSeconds: Int, modificationNanoseconds: Int) {
        self.path = path
        self.size = size
        self.device = device
        self.inode = inode
        self.modificationSeconds = modificationSeconds
        self.modificationNanoseconds = modificationNanoseconds
    }
}
