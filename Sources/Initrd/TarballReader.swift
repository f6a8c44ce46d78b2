import CArchive

/// Walks an image tarball (tar, ustar, pax or GNU tar; any compression
/// libarchive's read filters know: gzip, xz, zstd, bzip2, ...) entry by entry,
/// each admitted by a `TarballPathPolicy` before the caller sees it. A
/// refused entry stops the walk with `InitrdError.refusedTarballEntry`
/// naming the tarball and the entry as stored.
public struct TarballReader: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// Calls `visit` for every entry in archive order; for a regular file,
    /// `data` streams its contents (blocks with their offsets, holes skipped).
    public func read(_ visit: (TarballEntry, TarballData) throws -> Void) throws {
        let archive = try ArchiveReader(path: path, formats: .tar)
        var policy = TarballPathPolicy()
        var number = 0
        while let raw = try archive.next(number: number + 1) {
            number += 1
            let stored = archive_entry_pathname(raw).map { String(cString: $0) } ?? ""
            switch Self.admit(raw, stored: stored, policy: &policy) {
            case .success(let entry): try visit(entry, TarballData(archive: archive, entry: stored))
            case .failure(let refusal): throw InitrdError.refusedTarballEntry(tarball: path, entry: stored, reason: refusal.reason)
            }
        }
        try archive.close()
    }

    private static func admit(_ raw: OpaquePointer, stored: String, policy: inout TarballPathPolicy) -> Result<TarballEntry, TarballPathPolicy.RefusalError> {
        Result { () throws(TarballPathPolicy.RefusalError) -> TarballEntry in try policy.admit(try entry(raw, stored: stored)) }
    }

    /// An entry as stored (path not yet normalised).
    static func entry(_ raw: OpaquePointer, stored: String) throws(TarballPathPolicy.RefusalError) -> TarballEntry {
        let kind: TarballEntry.Kind
        if let target = archive_entry_hardlink(raw) {
            kind = .hardLink(target: String(cString: target))
        } else {
            let major = UInt32(truncatingIfNeeded: archive_entry_rdevmajor(raw))
            let minor = UInt32(truncatingIfNeeded: archive_entry_rdevminor(raw))
            switch archive_entry_filetype(raw) {
            case UInt32(CARCHIVE_AE_IFDIR): kind = .directory
            case UInt32(CARCHIVE_AE_IFREG): kind = .file(size: archive_entry_size(raw))
            case UInt32(CARCHIVE_AE_IFLNK): kind = .symlink(target: archive_entry_symlink(raw).map { String(cString: $0) } ?? "")
            case UInt32(CARCHIVE_AE_IFCHR): kind = .characterDevice(major: major, minor: minor)
            case UInt32(CARCHIVE_AE_IFBLK): kind = .blockDevice(major: major, minor: minor)
            case UInt32(CARCHIVE_AE_IFIFO): kind = .fifo
            default: throw TarballPathPolicy.RefusalError("is a socket or a file type an image cannot hold")
            }
        }
        var entry = TarballEntry(
            path: stored, kind: kind, permissions: UInt32(archive_entry_perm(raw)) & 0o7777,
            uid: archive_entry_uid(raw), gid: archive_entry_gid(raw),
            modificationSeconds: Int64(archive_entry_mtime(raw)), modificationNanoseconds: Int64(archive_entry_mtime_nsec(raw)))
        entry.extendedAttributes = attributes(raw)
        return entry
    }

    /// archive_entry_xattr_reset/next: the entry's extended attributes.
    static func attributes(_ raw: OpaquePointer) -> [TarballAttribute] {
        guard archive_entry_xattr_reset(raw) > 0 else { return [] }
        var found: [TarballAttribute] = []
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while archive_entry_xattr_next(raw, &name, &value, &size) == ARCHIVE_OK, let name {
            let bytes = value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) } ?? []
            found.append(TarballAttribute(name: String(cString: name), value: bytes))
        }
        return found
    }
}

/// The data of the entry being visited; valid only during the visit.
public struct TarballData {
    fileprivate let archive: ArchiveReader
    fileprivate let entry: String

    /// Hands each data block with its offset in the file to `body`.
    public func blocks(_ body: (UnsafeRawBufferPointer, Int64) throws -> Void) throws {
        try archive.blocks(entry: entry, body)
    }
}
