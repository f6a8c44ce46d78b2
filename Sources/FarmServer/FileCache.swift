import FileIO
import Glibc
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// File contents shared between transfers: 1000 clients of one linux.1 cost
/// one read. Entries are keyed by path, device, inode, size and mtime: a file
/// replaced on disk (a rebuild renames a new one into place) is read afresh,
/// and since the path names the generation it was resolved in
/// (`.pxefarm/generations/<N>/tftpboot/...`), one generation's bytes are never
/// served for another's file, even one that happens to reuse an inode number.
/// When requests move to another tree (a build published a new generation,
/// `rollback` went back), entries of the trees left behind are dropped.
/// Least recently used entries go once the byte budget is exceeded; a file
/// larger than the whole budget is read per request and not kept.
///
/// Reads happen on `threadPool`, never on the event loop asking: the first
/// fetch of a 100 MiB initrd does not stall other requests. One read is in
/// flight per file; requests for it meanwhile wait for that read. Without a
/// thread pool (tests on an `EmbeddedChannel`, tools) reads happen in the
/// caller's thread.
public final class FileCache: Sendable {
    struct Key: Hashable {
        var path: String
        var signature: FileSignature
        var netascii: Bool
    }

    private struct Entry {
        var bytes: ByteBuffer
        var lastUse: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var reading: [Key: EventLoopFuture<ByteBuffer>] = [:]
        var bytes = 0
        var clock: UInt64 = 0
        var reads = 0
        /// The tree the last request was resolved in.
        var tree: String?
    }

    public let budget: Int
    private let threadPool: NIOThreadPool?
    private let state = NIOLockedValueBox(State())

    public init(budget: Int = 512 << 20, threadPool: NIOThreadPool? = nil) {
        self.budget = budget
        self.threadPool = threadPool
    }

    /// How many times a file was read from disk (for tests and logs).
    public var diskReads: Int { state.withLockedValue { $0.reads } }
    public var cachedBytes: Int { state.withLockedValue { $0.bytes } }
    public var cachedFiles: Int { state.withLockedValue { $0.entries.count } }

    /// The bytes of `file` (already checked by `TFTPPathPolicy`), converted to
    /// netascii when asked, delivered on `eventLoop`.
    public func contents(of file: TFTPFile, netascii: Bool = false, on eventLoop: EventLoop) -> EventLoopFuture<ByteBuffer> {
        let fd = open(file.path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return eventLoop.makeFailedFuture(FarmServerError.fileUnopenable(path: file.path, errno: errno)) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            return eventLoop.makeFailedFuture(FarmServerError.fileUnopenable(path: file.path, errno: code))
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            return eventLoop.makeFailedFuture(FarmServerError.notRegularFile(file.path))
        }
        let key = Key(path: file.path, signature: FileSignature(info), netascii: netascii)
        enum Lookup { case cached(ByteBuffer), reading(EventLoopFuture<ByteBuffer>), read(EventLoopPromise<ByteBuffer>) }
        let lookup = state.withLockedValue { (state: inout State) -> Lookup in
            if state.tree != file.tree {
                state.tree = file.tree
                drop(outside: file.tree, from: &state)
            }
            state.clock += 1
            if let entry = state.entries[key] {
                state.entries[key]?.lastUse = state.clock
                return .cached(entry.bytes)
            }
            if let reading = state.reading[key] { return .reading(reading) }
            let promise = eventLoop.makePromise(of: ByteBuffer.self)
            state.reading[key] = promise.futureResult
            return .read(promise)
        }
        switch lookup {
        case .cached(let bytes):
            close(fd)
            return eventLoop.makeSucceededFuture(bytes)
        case .reading(let future):
            close(fd)
            return future.hop(to: eventLoop)
        case .read(let promise):
            let read: @Sendable () -> Void = { [self] in
                defer { close(fd) }
                promise.completeWith(load(key, fd: fd))
            }
            if let threadPool {
                threadPool.submit { _ in read() }
            } else {
                read()
            }
            return promise.futureResult
        }
    }

    /// Reads the file, keeps it when it fits, and ends its read in flight.
    private func load(_ key: Key, fd: Int32) -> Result<ByteBuffer, Error> {
        var result = Self.readAll(fd: fd, size: Int(key.signature.size), path: key.path)
        if key.netascii, case .success(let bytes) = result {
            result = .success(ByteBuffer(bytes: NetASCII.encode(bytes.readableBytesView)))
        }
        state.withLockedValue { state in
            state.reading[key] = nil
            guard case .success(let bytes) = result else { return }
            state.reads += 1
            // A request meanwhile moved to another tree: this file is not kept.
            guard bytes.readableBytes <= budget, state.tree.map({ Self.path(key.path, isIn: $0) }) ?? true else { return }
            state.entries[key] = Entry(bytes: bytes, lastUse: state.clock)
            state.bytes += bytes.readableBytes
            while state.bytes > budget, let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                state.bytes -= oldest.value.bytes.readableBytes
                state.entries[oldest.key] = nil
            }
        }
        return result.mapError { $0 }
    }

    /// Forgets every entry outside `tree`: transfers running hold their own
    /// reference to the bytes, so they finish on the file they opened.
    private func drop(outside tree: String, from state: inout State) {
        for (key, entry) in state.entries where !Self.path(key.path, isIn: tree) {
            state.bytes -= entry.bytes.readableBytes
            state.entries[key] = nil
        }
    }

    private static func path(_ path: String, isIn tree: String) -> Bool {
        tree == "/" || path.hasPrefix(tree + "/")
    }

    private static func readAll(fd: Int32, size: Int, path: String) -> Result<ByteBuffer, FarmServerError> {
        var buffer = ByteBufferAllocator().buffer(capacity: size)
        var total = 0
        while total < size {
            let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size - total) { pointer in
                let n = pread(fd, pointer.baseAddress, size - total, off_t(total))
                return max(n, 0)
            }
            guard count > 0 else { return .failure(.fileShrank(path: path, expected: size, got: total)) }
            total += count
        }
        return .success(buffer)
    }
}
