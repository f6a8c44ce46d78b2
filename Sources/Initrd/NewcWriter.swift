import Glibc
import CArchive

/// Writes resolved entries as one newc archive into a sink. Header fields that would
/// make the bytes depend on the machine are set here: inode numbers count up in
/// entry order, device is 0, times are the spec's, link counts are what the archive
/// itself holds. Hard links share an inode and their data is stored once, with the
/// last link (as GNU cpio does; the kernel and both cpio readers accept it).
struct NewcWriter {
    let modificationTime: Int64

    func write(_ entries: [InitrdEntry], compression: CompressionSetting, to sink: ByteSink) throws {
        let streamSink: ByteSink
        switch compression.compression {
        case .gzip: streamSink = ParallelGzipSink(level: compression.level, output: sink)
        case .xz: streamSink = try XZSink(level: compression.level, output: sink)
        case .zstd, .none: streamSink = sink
        }
        let writer = try ArchiveWriter(filter: compression, sink: streamSink)
        let links = HardLinks(entries)
        let subdirectories = Self.subdirectoryCounts(entries)
        guard let entry = archive_entry_new() else {
            throw InitrdError.archive(doing: "creating an entry", message: "out of memory")
        }
        defer { archive_entry_free(entry) }
        var diskFiles: [(entry: Int, file: DiskFile)] = []
        for (index, item) in entries.enumerated() where links.carriesData(index) {
            if case let .file(.disk(file)) = item.kind { diskFiles.append((index, file)) }
        }
        let prefetcher = FilePrefetcher(files: diskFiles)
        prefetcher.start()
        defer { prefetcher.cancel() }
        for (index, item) in entries.enumerated() {
            archive_entry_clear(entry)
            archive_entry_copy_pathname(entry, item.path)
            archive_entry_set_perm(entry, mode_t(item.permissions))
            archive_entry_set_uid(entry, la_int64_t(item.uid))
            archive_entry_set_gid(entry, la_int64_t(item.gid))
            archive_entry_set_mtime(entry, time_t(modificationTime), 0)
            archive_entry_set_dev(entry, 0)
            archive_entry_set_ino64(entry, la_int64_t(links.inode(of: index)))
            archive_entry_set_nlink(entry, 1)
            archive_entry_set_size(entry, 0)
            var data: FileContent?
            switch item.kind {
            case .directory:
                archive_entry_set_filetype(entry, UInt32(CARCHIVE_AE_IFDIR))
                archive_entry_set_nlink(entry, UInt32(2 + subdirectories[item.path, default: 0]))
            case let .file(content):
                archive_entry_set_filetype(entry, UInt32(CARCHIVE_AE_IFREG))
                archive_entry_set_nlink(entry, UInt32(links.count(of: index)))
                if links.carriesData(index) {
                    archive_entry_set_size(entry, content.size)
                    data = content
                }
            case let .symlink(target):
                archive_entry_set_filetype(entry, UInt32(CARCHIVE_AE_IFLNK))
                archive_entry_copy_symlink(entry, target)
            case let .characterDevice(major, minor):
                archive_entry_set_filetype(entry, UInt32(CARCHIVE_AE_IFCHR))
                archive_entry_set_rdevmajor(entry, dev_t(major))
                archive_entry_set_rdevminor(entry, dev_t(minor))
            case let .blockDevice(major, minor):
                archive_entry_set_filetype(entry, UInt32(CARCHIVE_AE_IFBLK))
                archive_entry_set_rdevmajor(entry, dev_t(major))
                archive_entry_set_rdevminor(entry, dev_t(minor))
            case .fifo:
                archive_entry_set_filetype(entry, UInt32(CARCHIVE_AE_IFIFO))
            }
            try writer.writeHeader(entry, path: item.path)
            switch data {
            case let .bytes(bytes)?:
                try bytes.withUnsafeBytes { try writer.writeData($0, path: item.path) }
            case .disk?:
                try copy(entry: index, path: item.path, from: prefetcher, into: writer)
            case nil:
                break
            }
        }
        try writer.close()
        if streamSink !== sink { try streamSink.finish() } else { try sink.finish() }
    }

    /// Writes a disk file's bytes as the prefetcher hands them over.
    private func copy(entry index: Int, path: String, from prefetcher: FilePrefetcher, into writer: borrowing ArchiveWriter) throws {
        while true {
            let chunk = try prefetcher.next()
            precondition(chunk.entry == index, "file reader out of step: entry \(chunk.entry), expected \(index)")
            try chunk.bytes.withUnsafeBytes { try writer.writeData($0, path: path) }
            if chunk.last { return }
        }
    }

    /// Directory path -> number of directories directly inside it.
    static func subdirectoryCounts(_ entries: [InitrdEntry]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for entry in entries where entry.kind == .directory {
            if let slash = entry.path.lastIndex(of: "/") { counts[String(entry.path[..<slash]), default: 0] += 1 }
        }
        return counts
    }
}
