import Glibc
import CArchive

/// Owns one libarchive write handle set up for newc cpio. Every return code goes
/// through `check`, which throws libarchive's message and what was being done (or
/// the sink's own error, such as a full disk). The handle is freed in deinit.
struct ArchiveWriter: ~Copyable {
    private let handle: OpaquePointer
    private let context: WriterContext
    /// The one entry object every header is written through.
    private let entry: OpaquePointer

    /// `sink` receives the bytes after libarchive's filter (zstd, xz) or the plain
    /// newc stream when compression is done by the sink itself (gzip) or not at all.
    init(filter: CompressionSetting?, sink: ByteSink) throws {
        guard let handle = archive_write_new() else {
            throw InitrdError.archive(doing: "creating a write handle", message: "out of memory")
        }
        guard let entry = archive_entry_new() else {
            archive_write_free(handle)
            throw InitrdError.archive(doing: "creating an entry", message: "out of memory")
        }
        let context = WriterContext(sink: sink)
        do {
            try Self.check(archive_write_set_format_cpio_newc(handle), handle, context, "selecting the newc format")
            try Self.configure(filter: filter, handle, context)
            // Hand the sink big blocks, and do not pad the end: the archive is exactly the stream.
            try Self.check(archive_write_set_bytes_per_block(handle, 65536), handle, context, "setting the block size")
            try Self.check(archive_write_set_bytes_in_last_block(handle, 1), handle, context, "setting the last block size")
            try Self.check(archive_write_open(handle, Unmanaged.passUnretained(context).toOpaque(), nil, writeToSink, nil),
                           handle, context, "opening the archive")
        } catch {
            archive_entry_free(entry)
            archive_write_free(handle)
            throw error
        }
        self.context = context
        self.handle = handle
        self.entry = entry
    }

    deinit {
        // Not closed cleanly: libarchive's free would flush into a sink that failed.
        if !context.closed { context.abandoned = true }
        archive_write_free(handle)
        archive_entry_free(entry)
    }

    private static func configure(filter: CompressionSetting?, _ handle: OpaquePointer, _ context: WriterContext) throws {
        guard let filter else { return }
        let level = String(filter.level)
        switch filter.compression {
        case .none, .gzip, .xz:
            return
        case .zstd:
            try check(archive_write_add_filter_zstd(handle), handle, context, "adding the zstd filter")
            try check(archive_write_set_filter_option(handle, "zstd", "compression-level", level), handle, context,
                      "setting zstd level \(level)")
            let threads = String(max(1, sysconfThreads()))
            try check(archive_write_set_filter_option(handle, "zstd", "threads", threads), handle, context,
                      "setting zstd threads \(threads)")
        }
    }

    func writeHeader(_ header: ArchiveHeader) throws {
        header.write(into: entry)
        try Self.check(archive_write_header(handle, entry), handle, context, "writing the header of \(header.path)")
    }

    func writeData(_ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let count = archive_write_data(handle, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0 { try Self.check(Int32(count), handle, context, "writing the data of \(path)") }
            if count == 0 { throw InitrdError.archive(doing: "writing the data of \(path)", message: "libarchive accepted no bytes") }
            offset += count
        }
    }

    /// Writes the trailer and flushes the filters; errors here (a full disk) surface.
    consuming func close() throws {
        try Self.check(archive_write_close(handle), handle, context, "closing the archive")
        context.closed = true
    }

    private static func check(_ status: Int32, _ handle: OpaquePointer, _ context: WriterContext, _ doing: @autoclosure () -> String) throws {
        guard status != ARCHIVE_OK else { return }
        if let error = context.error { throw error }
        let message = archive_error_string(handle).map { String(cString: $0) } ?? "status \(status)"
        throw InitrdError.archive(doing: doing(), message: message)
    }
}

/// What the write callback needs: the sink, and the error it threw (libarchive only
/// sees -1).
final class WriterContext {
    let sink: ByteSink
    var error: (any Error)?
    var closed = false
    var abandoned = false

    init(sink: ByteSink) {
        self.sink = sink
    }
}

private func writeToSink(_ archive: OpaquePointer?, _ client: UnsafeMutableRawPointer?,
                         _ buffer: UnsafeRawPointer?, _ length: Int) -> la_ssize_t {
    let context = Unmanaged<WriterContext>.fromOpaque(client!).takeUnretainedValue()
    if context.abandoned || context.error != nil { return -1 }
    do {
        try context.sink.write(UnsafeRawBufferPointer(start: buffer, count: length))
        return la_ssize_t(length)
    } catch {
        context.error = error
        return -1
    }
}

private func sysconfThreads() -> Int {
    Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
}
