#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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
        if compression.compression == .gzip {
            streamSink = ParallelGzipSink(level: compression.level, output: sink)
        } else {
            streamSink = sink
        }
        let writer = try ArchiveWriter(filter: compression, sink: streamSink)
        let links = HardLinks(entries)
        let subdirectories = Self.subdirectoryCounts(entries)
        guard let entry = archive_entry_new() else {
            throw InitrdError.archive(doing: "creating an entry", message: "out of memory")
        }
        defer { archive_entry_free(entry) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
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
            case let .disk(file)?:
                try copy(file, into: writer, buffer: &buffer)
            case nil:
                break
            }
        }
        try writer.close()
        if streamSink !== sink { try streamSink.finish() } else { try sink.finish() }
    }

    /// Copies exactly the scanned size, and refuses a file that changed since the scan.
    private func copy(_ file: DiskFile, into writer: borrowing ArchiveWriter, buffer: inout [UInt8]) throws {
        let fd = open(file.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw InitrdError.io(path: file.path, doing: "open", errno: errno) }
        defer { close(fd) }
        try Self.checkUnchanged(fd, file, when: "before reading")
        var remaining = file.size
        while remaining > 0 {
            let want = Int(min(Int64(buffer.count), remaining))
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, want) }
            if count < 0 {
                if errno == EINTR { continue }
                throw InitrdError.io(path: file.path, doing: "read", errno: errno)
            }
            if count == 0 {
                throw InitrdError.changedWhilePacking(path: file.path, detail: "it ended \(remaining) bytes early")
            }
            try buffer.withUnsafeBytes { try writer.writeData(UnsafeRawBufferPointer(rebasing: $0[..<count]), path: file.path) }
            remaining -= Int64(count)
        }
        var probe: UInt8 = 0
        if read(fd, &probe, 1) > 0 {
            throw InitrdError.changedWhilePacking(path: file.path, detail: "it grew past \(file.size) bytes")
        }
        try Self.checkUnchanged(fd, file, when: "after reading")
    }

    private static func checkUnchanged(_ fd: Int32, _ file: DiskFile, when: String) throws {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw InitrdError.io(path: file.path, doing: "stat", errno: errno) }
        if UInt64(info.st_ino) != file.inode || UInt64(info.st_dev) != file.device {
            throw InitrdError.changedWhilePacking(path: file.path, detail: "it was replaced by another file")
        }
        if Int64(info.st_size) != file.size {
            throw InitrdError.changedWhilePacking(path: file.path, detail: "size \(file.size) became \(info.st_size) \(when)")
        }
        if Int(info.st_mtim.tv_sec) != file.modificationSeconds || Int(info.st_mtim.tv_nsec) != file.modificationNanoseconds {
            throw InitrdError.changedWhilePacking(path: file.path, detail: "modified \(when)")
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

/// Groups disk files with the same device and inode. Each group shares the inode
/// number of its first member; the last member carries the data.
struct HardLinks {
    private var inodes: [Int]
    private var groupSizes: [Int]
    private var lastMember: Set<Int> = []

    init(_ entries: [InitrdEntry]) {
        inodes = (0..<entries.count).map { $0 + 1 }
        groupSizes = Array(repeating: 1, count: entries.count)
        var groups: [DiskIdentity: [Int]] = [:]
        for (index, entry) in entries.enumerated() {
            if case let .file(.disk(file)) = entry.kind {
                groups[DiskIdentity(device: file.device, inode: file.inode), default: []].append(index)
            } else if case .file = entry.kind {
                lastMember.insert(index)
            }
        }
        for members in groups.values {
            for member in members {
                inodes[member] = members[0] + 1
                groupSizes[member] = members.count
            }
            lastMember.insert(members[members.count - 1])
        }
    }

    func inode(of index: Int) -> Int { inodes[index] }
    func count(of index: Int) -> Int { groupSizes[index] }
    func carriesData(_ index: Int) -> Bool { lastMember.contains(index) }
}

private struct DiskIdentity: Hashable {
    var device: UInt64
    var inode: UInt64
}
