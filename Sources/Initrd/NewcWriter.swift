
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
        var diskFiles: [(entry: Int, file: DiskFile)] = []
        for (index, item) in entries.enumerated() where links.carriesData(index) {
            if case let .file(.disk(file)) = item.kind { diskFiles.append((index, file)) }
        }
        let prefetcher = FilePrefetcher(files: diskFiles)
        prefetcher.start()
        defer { prefetcher.cancel() }
        for (index, item) in entries.enumerated() {
            var header = ArchiveHeader()
            header.path = item.path
            header.permissions = item.permissions
            header.uid = Int64(item.uid)
            header.gid = Int64(item.gid)
            header.modificationSeconds = modificationTime
            header.inode = Int64(links.inode(of: index))
            var data: FileContent?
            switch item.kind {
            case .directory:
                header.type = .directory
                header.links = UInt32(2 + subdirectories[item.path, default: 0])
            case let .file(content):
                header.type = .regular
                header.links = UInt32(links.count(of: index))
                if links.carriesData(index) {
                    header.size = content.size
                    data = content
                }
            case let .symlink(target):
                header.type = .symlink
                header.symlinkTarget = target
            case let .characterDevice(major, minor):
                header.type = .characterDevice
                (header.deviceMajor, header.deviceMinor) = (major, minor)
            case let .blockDevice(major, minor):
                header.type = .blockDevice
                (header.deviceMajor, header.deviceMinor) = (major, minor)
            case .fifo:
                header.type = .fifo
            }
            try writer.writeHeader(header)
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
