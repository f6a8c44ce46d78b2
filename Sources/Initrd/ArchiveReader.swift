import CArchive

/// Owns one libarchive read handle that accepts any format and filter libarchive
/// knows (newc, odc, tar; gzip, zstd, xz, ...): `pxefarm initrd list` reads archives
/// made by GNU cpio and bsdtar as well as its own.
struct ArchiveReader: ~Copyable {
    private let handle: OpaquePointer
    private let path: String

    init(path: String) throws {
        guard let handle = archive_read_new() else {
            throw InitrdError.archive(doing: "creating a read handle", message: "out of memory")
        }
        do {
            try Self.check(archive_read_support_filter_all(handle), handle, "enabling decompression for \(path)")
            try Self.check(archive_read_support_format_all(handle), handle, "enabling formats for \(path)")
            try Self.check(archive_read_open_filename(handle, path, 65536), handle, "opening \(path)")
        } catch {
            archive_read_free(handle)
            throw error
        }
        self.handle = handle
        self.path = path
    }

    deinit {
        archive_read_free(handle)
    }

    /// Reads every header, skipping the data; errors name the archive and the entry number.
    func entries() throws -> [ListedEntry] {
        var result: [ListedEntry] = []
        var entry: OpaquePointer?
        while true {
            let status = archive_read_next_header(handle, &entry)
            if status == ARCHIVE_EOF { break }
            try Self.check(status, handle, "reading entry \(result.count + 1) of \(path)", allowWarning: true)
            guard let entry else { break }
            result.append(ListedEntry(entry))
            try Self.check(archive_read_data_skip(handle), handle, "skipping the data of \(result.last!.path) in \(path)",
                           allowWarning: true)
        }
        try Self.check(archive_read_close(handle), handle, "closing \(path)")
        return result
    }

    private static func check(_ status: Int32, _ handle: OpaquePointer, _ doing: @autoclosure () -> String,
                              allowWarning: Bool = false) throws {
        if status == ARCHIVE_OK || (allowWarning && status == ARCHIVE_WARN) { return }
        let message = archive_error_string(handle).map { String(cString: $0) } ?? "status \(status)"
        throw InitrdError.archive(doing: doing(), message: message)
    }
}
