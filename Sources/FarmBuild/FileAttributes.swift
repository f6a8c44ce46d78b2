#if canImport(Glibc)
import Glibc
#endif

/// What an image file carries besides its bytes and mode: its owner, group
/// and extended attributes (security.capability, POSIX ACLs as
/// system.posix_acl_*, user.* and the rest). Kept in the shared image and
/// the node trees when building as root; without root, what could not be
/// set is listed (`BuildSummary.notKept`).
public struct FileAttributes: Sendable, Hashable {
    public var uid: UInt32
    public var gid: UInt32
    /// Sorted by name.
    public var extended: [ExtendedAttribute]

    public init(uid: UInt32, gid: UInt32, extended: [ExtendedAttribute] = []) {
        self.uid = uid
        self.gid = gid
        self.extended = extended.sorted { $0.name < $1.name }
    }

    /// Read from a path, without following a symlink.
    static func of(_ path: String, status: FileSystem.Status) -> FileAttributes {
        FileAttributes(uid: status.uid, gid: status.gid, extended: FileSystem.extendedAttributes(path))
    }

    /// ` owner 0:42` (and a digest of the extended attributes), part of an
    /// output's key so that a change of owner or attributes is a change.
    var keySuffix: String {
        var suffix = " owner \(uid):\(gid)"
        if !extended.isEmpty {
            var listing: [UInt8] = []
            for attribute in extended { listing += Array(attribute.name.utf8) + [0] + attribute.value + [0] }
            suffix += " xattrs " + Digest.of(listing)
        }
        return suffix
    }

    /// Gives `path` these attributes and `mode` (nil for a symlink, whose
    /// mode cannot be set): owner first, since chown clears setuid, setgid
    /// and file capabilities; then the mode; then the extended attributes.
    /// Returns what could not be kept, one phrase each; throws when root
    /// is refused something a root build must be able to do.
    func apply(to path: String, mode: UInt32?) throws(BuildError) -> [String] {
        var lost: [String] = []
        if let current = FileSystem.status(path), current.uid != uid || current.gid != gid {
            if lchown(path, uid, gid) != 0 {
                guard errno == EPERM, !FileSystem.isRoot else { throw FileSystem.failure("chown", path) }
                lost.append("owner \(uid):\(gid)")
            }
        }
        if let mode, chmod(path, mode_t(mode)) != 0 { throw FileSystem.failure("chmod", path) }
        for attribute in extended {
            if let reason = FileSystem.setExtendedAttribute(path, attribute) {
                lost.append("\(attribute.name) (\(reason))")
            }
        }
        return lost
    }
}

public struct ExtendedAttribute: Sendable, Hashable {
    public var name: String
    public var value: [UInt8]

    public init(name: String, value: [UInt8]) {
        self.name = name
        self.value = value
    }
}
