import Glibc
import Foundation

/// Reads the archive's disk files on a thread of its own, in entry order, a bounded
/// amount ahead of the writer, so reading overlaps formatting and compression.
/// Each file is checked against its scan (same file, size and time) before and after
/// it is read; a failure is handed to the writer in place of the file's data.
final class FilePrefetcher: @unchecked Sendable {
    struct Chunk {
        var entry: Int
        var bytes: [UInt8]
        var last: Bool
    }

    static let chunkSize = 4 << 20
    private let files: [(entry: Int, file: DiskFile)]
    private let limit: Int
    private let condition = NSCondition()
    private var queue: [Result<Chunk, any Error>] = []
    private var head = 0
    private var queuedBytes = 0
    private var cancelled = false

    init(files: [(entry: Int, file: DiskFile)], limit: Int = 64 << 20) {
        self.files = files
        self.limit = limit
    }

    func start() {
        guard !files.isEmpty else { return }
        let thread = Thread { [self] in run() }
        thread.name = "initrd file reader"
        thread.start()
    }

    /// The next chunk, in order; waits for the reader.
    func next() throws -> Chunk {
        condition.lock()
        defer { condition.unlock() }
        while head == queue.count { condition.wait() }
        let result = queue[head]
        head += 1
        if head > 256 {
            queue.removeFirst(head)
            head = 0
        }
        if case let .success(chunk) = result { queuedBytes -= chunk.bytes.count }
        condition.broadcast()
        return try result.get()
    }

    /// Stops the reader (the writer failed or finished).
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    private func push(_ result: Result<Chunk, any Error>) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let size = (try? result.get().bytes.count) ?? 0
        while !cancelled && queuedBytes > 0 && queuedBytes + size > limit { condition.wait() }
        if cancelled { return false }
        queue.append(result)
        queuedBytes += size
        condition.broadcast()
        return true
    }

    private func run() {
        for (entry, file) in files {
            do {
                try readFile(file, entry: entry)
            } catch {
                _ = push(.failure(error))
                return
            }
            if isCancelled { return }
        }
    }

    private var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    private func readFile(_ file: DiskFile, entry: Int) throws {
        let fd = open(file.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw InitrdError.io(path: file.path, doing: "open", errno: errno) }
        defer { close(fd) }
        try Self.checkUnchanged(fd, file, when: "before reading")
        var remaining = file.size
        repeat {
            let want = Int(min(Int64(Self.chunkSize), remaining))
            var bytes = [UInt8](repeating: 0, count: want)
            var filled = 0
            while filled < want {
                let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, want - filled) }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw InitrdError.io(path: file.path, doing: "read", errno: errno)
                }
                if count == 0 {
                    throw InitrdError.changedWhilePacking(path: file.path, detail: "it ended \(remaining - Int64(filled)) bytes early")
                }
                filled += count
            }
            remaining -= Int64(want)
            if remaining == 0 {
                var probe: UInt8 = 0
                if read(fd, &probe, 1) > 0 {
                    throw InitrdError.changedWhilePacking(path: file.path, detail: "it grew past \(file.size) bytes")
                }
                try Self.checkUnchanged(fd, file, when: "after reading")
            }
            guard push(.success(Chunk(entry: entry, bytes: bytes, last: remaining == 0))) else { return }
        } while remaining > 0
    }

    static func checkUnchanged(_ fd: Int32, _ file: DiskFile, when: String) throws {
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
}
