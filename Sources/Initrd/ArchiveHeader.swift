import CArchive
import Glibc

/// One archive member's header as a Swift value, read from and written to
/// libarchive's `archive_entry`: with ArchiveReader and ArchiveWriter the
/// only code that touches libarchive's entry calls. Readers (the listing,
/// image tarballs) and the newc writer work on this value.
public struct ArchiveHeader: Sendable {
    enum FileType: Equatable {
        case directory, regular, symlink, characterDevice, blockDevice, fifo, socket, other
    }

    var path = ""
    var type: FileType = .regular
    var permissions: UInt32 = 0
    var uid: Int64 = 0
    var gid: Int64 = 0
    var links: UInt32 = 1
    var size: Int64 = 0
    var deviceMajor: UInt32 = 0
    var deviceMinor: UInt32 = 0
    var modificationSeconds: Int64 = 0
    var modificationNanoseconds: Int64 = 0
    /// Written headers only: the inode number (reading leaves it 0).
    var inode: Int64 = 0
    var symlinkTarget: String?
    var hardlinkTarget: String?
    /// Extended attributes, name and value (reading only).
    var attributes: [(name: String, value: [UInt8])] = []

    init() {}

    /// Everything `entry` holds, including its extended attributes.
    init(reading entry: OpaquePointer) {
        path = archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
        type = Self.fileType(archive_entry_filetype(entry))
        permissions = UInt32(archive_entry_perm(entry))
        uid = archive_entry_uid(entry)
        gid = archive_entry_gid(entry)
        links = archive_entry_nlink(entry)
        size = archive_entry_size(entry)
        deviceMajor = UInt32(truncatingIfNeeded: archive_entry_rdevmajor(entry))
        deviceMinor = UInt32(truncatingIfNeeded: archive_entry_rdevminor(entry))
        modificationSeconds = Int64(archive_entry_mtime(entry))
        modificationNanoseconds = Int64(archive_entry_mtime_nsec(entry))
        symlinkTarget = archive_entry_symlink(entry).map { String(cString: $0) }
        hardlinkTarget = archive_entry_hardlink(entry).map { String(cString: $0) }
        if archive_entry_xattr_reset(entry) > 0 {
            var name: UnsafePointer<CChar>?
            var value: UnsafeRawPointer?
            var count = 0
            while archive_entry_xattr_next(entry, &name, &value, &count) == ARCHIVE_OK, let name {
                attributes.append((String(cString: name), value.map { Array(UnsafeRawBufferPointer(start: $0, count: count)) } ?? []))
            }
        }
    }

    /// Sets `entry` (cleared first) to this header; device 0, no attributes.
    func write(into entry: OpaquePointer) {
        archive_entry_clear(entry)
        archive_entry_copy_pathname(entry, path)
        archive_entry_set_filetype(entry, UInt32(Self.mode(type)))
        archive_entry_set_perm(entry, mode_t(permissions))
        archive_entry_set_uid(entry, la_int64_t(uid))
        archive_entry_set_gid(entry, la_int64_t(gid))
        archive_entry_set_mtime(entry, time_t(modificationSeconds), Int(modificationNanoseconds))
        archive_entry_set_dev(entry, 0)
        archive_entry_set_ino64(entry, la_int64_t(inode))
        archive_entry_set_nlink(entry, links)
        archive_entry_set_size(entry, la_int64_t(size))
        if let symlinkTarget { archive_entry_copy_symlink(entry, symlinkTarget) }
        if type == .characterDevice || type == .blockDevice {
            archive_entry_set_rdevmajor(entry, dev_t(deviceMajor))
            archive_entry_set_rdevminor(entry, dev_t(deviceMinor))
        }
    }

    static func fileType(_ mode: UInt32) -> FileType {
        switch mode {
        case UInt32(CARCHIVE_AE_IFDIR): .directory
        case UInt32(CARCHIVE_AE_IFREG): .regular
        case UInt32(CARCHIVE_AE_IFLNK): .symlink
        case UInt32(CARCHIVE_AE_IFCHR): .characterDevice
        case UInt32(CARCHIVE_AE_IFBLK): .blockDevice
        case UInt32(CARCHIVE_AE_IFIFO): .fifo
        case UInt32(CARCHIVE_AE_IFSOCK): .socket
        default: .other
        }
    }

    static func mode(_ type: FileType) -> mode_t {
        switch type {
        case .directory: CARCHIVE_AE_IFDIR
        case .regular, .other: CARCHIVE_AE_IFREG
        case .symlink: CARCHIVE_AE_IFLNK
        case .characterDevice: CARCHIVE_AE_IFCHR
        case .blockDevice: CARCHIVE_AE_IFBLK
        case .fifo: CARCHIVE_AE_IFIFO
        case .socket: CARCHIVE_AE_IFSOCK
        }
    }
}
