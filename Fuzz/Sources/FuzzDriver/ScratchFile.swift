#if canImport(Glibc)
import Glibc
#endif

/// For targets whose parser opens a file by path (libarchive readers): writes
/// one input to the process's own scratch file, in /dev/shm when it can, and
/// returns its path. `name` tells the targets' files apart.
public func writeScratchFile(_ data: UnsafePointer<UInt8>?, _ size: Int, name: String) -> String {
    let directory = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    let path = "\(directory)/pxefarm-fuzz-\(name)-\(getpid())"
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { fatalError("cannot write \(path)") }
    var written = 0
    while size > 0, written < size {
        let n = write(fd, data! + written, size - written)
        guard n > 0 else { fatalError("cannot write \(path)") }
        written += n
    }
    close(fd)
    return path
}
