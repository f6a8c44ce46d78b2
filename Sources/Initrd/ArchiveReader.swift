import CArchive

/// Owns one libarchive read handle, the only one in the module: `pxefarm
/// initrd list` opens it for any format and filter libarchive knows (newc,
/// odc, tar; gzip, zstd, xz, ...), so it reads archives made by GNU cpio and
/// bsdtar as well as its own; an image root tarball opens it for tar formats
/// only. Errors name the archive, and the entry where there is one. A class,
/// so a `TarballData` can read the current entry's contents during a visit.
final class ArchiveReader {
    enum Formats {
        case all
        case tar
    }

    private let handle: OpaquePointer
    let path: String

    init(path: String, formats: Formats = .all) throws {
        guard let handle = archive_read_new() else {
            throw InitrdError.archive(doing: "creating a read handle", message: "out of memory")
        }
        do {
            try Self.check(archive_read_support_filter_all(handle), handle, "enabling decompression for \(path)")
            switch formats {
            case .all: try Self.check(archive_read_support_format_all(handle), handle, "enabling formats for \(path)")
            case .tar: try Self.check(archive_read_support_format_tar(handle), handle, "enabling tar formats for \(path)")
            }
            try Self.check(archive_read_open_filename(handle, path, 65536), handle, "opening \(path)")
        } catch {
            archive_read_free(handle)
            throw error
        }
        self.handle = handle
        self.path = path
    }

    deinit { archive_read_free(handle) }

    /// The next entry's header (the `number`th, for messages), or nil at the end.
    func next(number: Int) throws -> ArchiveHeader? {
        var entry: OpaquePointer?
        let status = archive_read_next_header(handle, &entry)
        if status == ARCHIVE_EOF { return nil }
        try Self.check(status, handle, "reading entry \(number) of \(path)", allowWarning: true)
        guard let entry else { throw InitrdError.archive(doing: "reading entry \(number) of \(path)", message: "libarchive gave no header") }
        return ArchiveHeader(reading: entry)
    }

    /// Hands each data block of the current entry, with its offset in the file, to `body`.
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

    func skipData(of entry: String) throws {
        try Self.check(archive_read_data_skip(handle), handle, "skipping the data of \(entry) in \(path)", allowWarning: true)
    }

    func close() throws {
        try Self.check(archive_read_close(handle), handle, "closing \(path)")
    }

    /// Reads every header, skipping the data.
    func entries() throws -> [ListedEntry] {
        var result: [ListedEntry] = []
        while let entry = try next(number: result.count + 1) {
            result.append(ListedEntry(entry))
            try skipData(of: result.last!.path)
        }
        try close()
        return result
    }

    private static func check(_ status: Int32, _ handle: OpaquePointer, _ doing: @autoclosure () -> String,
                              allowWarning: Bool = false) throws {
        if status == ARCHIVE_OK || (allowWarning && status == ARCHIVE_WARN) { return }
        let message = archive_error_string(handle).map { String(cString: $0) } ?? "status \(status)"
        throw InitrdError.archive(doing: doing(), message: message)
    }
}
