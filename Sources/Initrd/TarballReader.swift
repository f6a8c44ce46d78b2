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
        let archive = try TarballHandle(path: path)
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
        return TarballEntry(
            path: stored, kind: kind, permissions: UInt32(archive_entry_perm(raw)) & 0o7777,
            uid: archive_entry_uid(raw), gid: archive_entry_gid(raw),
            modificationSeconds: Int64(archive_entry_mtime(raw)), modificationNanoseconds: Int64(archive_entry_mtime_nsec(raw)))
    }
}

/// The data of the entry being visited; valid only during the visit.
public struct TarballData {
    fileprivate let archive: TarballHandle
    fileprivate let entry: String

    /// Hands each data block with its offset in the file to `body`.
    public func blocks(_ body: (UnsafeRawBufferPointer, Int64) throws -> Void) throws {
        try archive.blocks(entry: entry, body)
    }
}

/// Owns the libarchive read handle (a class so `TarballData` can share it
/// during one visit).
final class TarballHandle {
    private let handle: OpaquePointer
    let path: String

    init(path: String) throws {
        guard let handle = archive_read_new() else {
            throw InitrdError.archive(doing: "creating a read handle", message: "out of memory")
        }
        do {
            try Self.check(archive_read_support_filter_all(handle), handle, "enabling decompression for \(path)")
            try Self.check(archive_read_support_format_tar(handle), handle, "enabling tar formats for \(path)")
            try Self.check(archive_read_open_filename(handle, path, 65536), handle, "opening \(path)")
        } catch {
            archive_read_free(handle)
            throw error
        }
        self.handle = handle
        self.path = path
    }

    deinit { archive_read_free(handle) }

    func next(number: Int) throws -> OpaquePointer? {
        var entry: OpaquePointer?
        let status = archive_read_next_header(handle, &entry)
        if status == ARCHIVE_EOF { return nil }
        try Self.check(status, handle, "reading entry \(number) of \(path)", allowWarning: true)
        return entry
    }

    func blocks(entry: String, _ body: (UnsafeRawBufferPointer, Int64) throws -> Void) throws {
        var buffer: UnsafeRawPointer?
        var size = 0
        var offset: la_int64_t = 0
        while true {
            let status = archive_read_data_block(handle, &buffer, &size, &offset)
            if status == ARCHIVE_EOF { return }
            try Self.check(status, handle, "reading the data of \(entry) in \(path)", allowWarning: true)
            try body(UnsafeRawBufferPointer(start: buffer, count: size), Int64(offset))
        }
    }

    func close() throws {
        try Self.check(archive_read_close(handle), handle, "closing \(path)")
    }

    private static func check(_ status: Int32, _ handle: OpaquePointer, _ doing: @autoclosure () -> String,
                              allowWarning: Bool = false) throws {
        if status == ARCHIVE_OK || (allowWarning && status == ARCHIVE_WARN) { return }
        let message = archive_error_string(handle).map { String(cString: $0) } ?? "status \(status)"
        throw InitrdError.archive(doing: doing(), message: message)
    }
}
