#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOConcurrencyHelpers
import NIOCore

/// File contents shared between transfers: 1000 clients of one linux.1 cost
/// one read. Entries are keyed by path, device, inode, size and mtime, so a
/// file replaced on disk (a rebuild renames a new one into place) is read
/// afresh; least recently used entries go once the byte budget is exceeded.
/// A file larger than the whole budget is read per transfer and not kept.
public final class FileCache: Sendable {
    struct Key: Hashable {
        var path: String
        var device: UInt64
        var inode: UInt64
        var size: Int
        var mtimeSeconds: Int
        var mtimeNanoseconds: Int
        var netascii: Bool
    }

    private struct Entry {
        var bytes: ByteBuffer
        var lastUse: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var bytes = 0
        var clock: UInt64 = 0
        var reads = 0
    }

    public let budget: Int
    private let state = NIOLockedValueBox(State())

    public init(budget: Int = 512 << 20) {
        self.budget = budget
    }

    /// How many times a file was read from disk (for tests and logs).
    public var diskReads: Int { state.withLockedValue { $0.reads } }
    public var cachedBytes: Int { state.withLockedValue { $0.bytes } }

    /// The bytes of the regular file at `path` (already checked by `TFTPPathPolicy`),
    /// converted to netascii when asked.
    public func contents(of path: String, netascii: Bool = false) throws(FileCacheError) -> ByteBuffer {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw .open(path: path, errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .open(path: path, errno: errno) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .notRegular(path) }
        #if canImport(Darwin)
        let mtime = info.st_mtimespec
        #else
        let mtime = info.st_mtim
        #endif
        let key = Key(path: path, device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int(info.st_size),
                      mtimeSeconds: Int(mtime.tv_sec), mtimeNanoseconds: Int(mtime.tv_nsec), netascii: netascii)
        // Reading under the lock: concurrent first requests for one file wait for
        // the single read instead of each reading the disk.
        return try state.withLockedValue { (state: inout State) -> Result<ByteBuffer, FileCacheError> in
            state.clock += 1
            if let entry = state.entries[key] {
                state.entries[key]?.lastUse = state.clock
                return .success(entry.bytes)
            }
            var bytes: ByteBuffer
            switch Self.readAll(fd: fd, size: key.size, path: path) {
            case .success(let read): bytes = read
            case .failure(let error): return .failure(error)
            }
            state.reads += 1
            if netascii {
                let converted = NetASCII.encode(bytes.readableBytesView)
                bytes = ByteBuffer(bytes: converted)
            }
            guard bytes.readableBytes <= budget else { return .success(bytes) }
            state.entries[key] = Entry(bytes: bytes, lastUse: state.clock)
            state.bytes += bytes.readableBytes
            while state.bytes > budget, let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                state.bytes -= oldest.value.bytes.readableBytes
                state.entries[oldest.key] = nil
            }
            return .success(bytes)
        }.get()
    }

    private static func readAll(fd: Int32, size: Int, path: String) -> Result<ByteBuffer, FileCacheError> {
        var buffer = ByteBufferAllocator().buffer(capacity: size)
        var total = 0
        while total < size {
            let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size - total) { pointer in
                let n = pread(fd, pointer.baseAddress, size - total, off_t(total))
                return max(n, 0)
            }
            guard count > 0 else { return .failure(.shortRead(path: path, expected: size, got: total)) }
            total += count
        }
        return .success(buffer)
    }
}

public enum FileCacheError: Error, Equatable, Sendable, CustomStringConvertible {
    case open(path: String, errno: Int32)
    case notRegular(String)
    case shortRead(path: String, expected: Int, got: Int)

    public var description: String {
        switch self {
        case .open(let path, let code): "cannot open \(path): \(String(cString: strerror(code)))"
        case .notRegular(let path): "\(path) is not a regular file"
        case .shortRead(let path, let expected, let got): "\(path) shrank while being read (\(got) of \(expected) bytes)"
        }
    }
}
