/// One member of an image tarball, after `TarballPathPolicy` admitted it:
/// a relative path without `.` or `..` components ("" for the root itself).
public struct TarballEntry: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case directory
        /// A regular file of `size` bytes; its data follows through `TarballData`.
        case file(size: Int64)
        case symlink(target: String)
        /// Another name for an earlier regular file or node (a normalised path).
        case hardLink(target: String)
        case characterDevice(major: UInt32, minor: UInt32)
        case blockDevice(major: UInt32, minor: UInt32)
        case fifo
    }

    public var path: String
    public var kind: Kind
    /// The permission bits, setuid, setgid and sticky included (07777).
    public var permissions: UInt32
    public var uid: Int64
    public var gid: Int64
    public var modificationSeconds: Int64
    public var modificationNanoseconds: Int64
    /// Extended attributes as stored (pax SCHILY.xattr, GNU tar --xattrs):
    /// security.capability, system.posix_acl_*, user.*, in archive order.
    public var extendedAttributes: [TarballAttribute] = []

    public init(path: String, kind: Kind, permissions: UInt32, uid: Int64 = 0, gid: Int64 = 0,
                modificationSeconds: Int64 = 0, modificationNanoseconds: Int64 = 0) {
        self.path = path
        self.kind = kind
        self.permissions = permissions
        self.uid = uid
        self.gid = gid
        self.modificationSeconds = modificationSeconds
        self.modificationNanoseconds = modificationNanoseconds
    }
}

/// One extended attribute of a tarball entry.
public struct TarballAttribute: Sendable, Equatable {
    public var name: String
    public var value: [UInt8]

    public init(name: String, value: [UInt8]) {
        self.name = name
        self.value = value
    }
}
