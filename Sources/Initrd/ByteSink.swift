import Glibc

/// Where archive bytes go. `finish` flushes and reports any late error (a full disk
/// shows up at write, fsync or close).
protocol ByteSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
    func finish() throws
}

/// Writes to a file descriptor it owns; every short write is retried, every error
/// carries the path.
final class FileSink: ByteSink {
    let path: String
    private var fd: Int32

    init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let count = posixWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0 {
                if errno == EINTR { continue }
                throw InitrdError.io(path: path, doing: "write", errno: errno)
            }
            offset += count
        }
    }

    func finish() throws {
        guard fd >= 0 else { return }
        let descriptor = fd
        fd = -1
        if fsync(descriptor) != 0 {
            let error = errno
            close(descriptor)
            throw InitrdError.io(path: path, doing: "flush to disk", errno: error)
        }
        if close(descriptor) != 0 { throw InitrdError.io(path: path, doing: "close", errno: errno) }
    }
}

/// Collects the bytes in memory (tests, small archives).
final class MemorySink: ByteSink {
    private(set) var bytes: [UInt8] = []

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        self.bytes.append(contentsOf: bytes.bindMemory(to: UInt8.self))
    }

    func finish() throws {}
}

private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
