#if canImport(Glibc)
import Glibc
#endif

/// Reads a file in pieces.
final class FileReader {
    private let descriptor: Int32
    private let path: String
    private var buffer = [UInt8](repeating: 0, count: 1 << 20)

    init(_ path: String) throws(BuildError) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileSystem.failure("read", path) }
    }

    /// The next piece, or nil at the end.
    func next() throws(BuildError) -> ArraySlice<UInt8>? {
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 { if errno == EINTR { continue }; throw FileSystem.failure("read", path) }
            return count == 0 ? nil : buffer[0..<count]
        }
    }

    func close() { Glibc.close(descriptor) }
}
