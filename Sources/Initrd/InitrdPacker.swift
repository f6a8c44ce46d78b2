import Glibc

/// Packs an initrd. The archive is written to a temporary file (`.<name>.tmp-XXXXXX`) beside the
/// destination and renamed over it only when complete, so a failure (an unreadable
/// file, a changing tree, a full disk) leaves no partial output behind.
public enum InitrdPacker {
    public struct Summary: Hashable, Sendable {
        public var entries: Int
        public var bytes: Int64
    }

    /// Resolves `spec` and writes it to `path` with `compression`.
    @discardableResult
    public static func pack(_ spec: InitrdSpec, to path: String, compression: CompressionSetting) throws -> Summary {
        let entries = try spec.resolve()
        return try write(entries, modificationTime: spec.modificationTime, compression: compression, to: path)
    }

    /// Writes already resolved entries (sorted, parents first) to `path`.
    @discardableResult
    public static func write(_ entries: [InitrdEntry], modificationTime: Int64, compression: CompressionSetting,
                             to path: String) throws -> Summary {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty else { throw InitrdError.invalidArgument("\(path): the output must name a file") }
        // A unique name beside the destination (same file system, so rename is atomic),
        // even when several packs of one output run at once.
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        var template = Array((prefix + ".\(name).tmp-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw InitrdError.io(path: directory, doing: "create a temporary file for \(name)", errno: errno) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        fchmod(fd, 0o644)
        let sink = FileSink(path: path, fd: fd)
        do {
            try NewcWriter(modificationTime: modificationTime).write(entries, compression: compression, to: sink)
            guard rename(temporary, path) == 0 else { throw InitrdError.io(path: path, doing: "rename \(temporary) to", errno: errno) }
        } catch {
            unlink(temporary)
            throw error
        }
        var info = stat()
        _ = stat(path, &info)
        return Summary(entries: entries.count, bytes: Int64(info.st_size))
    }

    /// The archive's bytes in memory (tests, golden files, small archives).
    public static func bytes(of spec: InitrdSpec, compression: CompressionSetting) throws -> [UInt8] {
        let sink = MemorySink()
        try NewcWriter(modificationTime: spec.modificationTime).write(try spec.resolve(), compression: compression, to: sink)
        return sink.bytes
    }
}
