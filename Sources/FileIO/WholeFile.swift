import Glibc

/// Whole-file reads: the bytes of a file, read to its end.
public enum WholeFile {
    /// Follows symlinks; EINTR is retried. Throws the `open` or `read` that failed.
    public static func read(_ path: String) throws(FileIOError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileIOError(.open, path: path, errno: errno) }
        defer { close(descriptor) }
        // Most files read whole are small (a hostname, a manifest, a template):
        // size the buffer to the file rather than clearing a megabyte each time.
        var info = stat()
        let size = fstat(descriptor, &info) == 0 ? Int(info.st_size) : 0
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size)
        var buffer = [UInt8](repeating: 0, count: min(1 << 20, max(4096, size + 1)))
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileIOError(.read, path: path, errno: errno)
            }
            if count == 0 { return bytes }
            bytes += buffer[0..<count]
        }
    }
}
