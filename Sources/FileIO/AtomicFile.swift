import Glibc

/// Whole-file replacement: the bytes go to a temporary file beside the
/// target, then rename(2) puts it over the target, so a reader sees the old
/// file or the new one, never half of one. On failure the temporary file is
/// removed and the target is as it was.
public enum AtomicFile {
    /// `.NAME.tmp-PID` in the target's folder: hidden, and two processes never share one.
    public static func temporaryPath(for path: String) -> String {
        let folder = PathName.directoryName(path)
        return (folder == "/" ? "" : folder) + "/." + PathName.baseName(path) + ".tmp-\(getpid())"
    }

    /// Writes `bytes` to `temporary` (created with `mode`, less the umask;
    /// truncated if it is there), then renames it over `path`. With
    /// `durable`, the file is fsync'd before the rename and its folder after
    /// it, so the new contents survive a crash once this returns.
    public static func write(_ bytes: some Collection<UInt8>, to path: String, temporary: String? = nil,
                             mode: mode_t = 0o666, durable: Bool = false) throws(FileIOError) {
        let temporary = temporary ?? temporaryPath(for: path)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw FileIOError(.open, path: temporary, errno: errno) }
        var failure: FileIOError?
        Array(bytes).withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = FileIOError(.write, path: temporary, errno: errno)
                    return
                }
                offset += written
            }
        }
        if failure == nil, durable, fsync(descriptor) != 0 { failure = FileIOError(.fsync, path: temporary, errno: errno) }
        if close(descriptor) != 0, failure == nil { failure = FileIOError(.write, path: temporary, errno: errno) }
        if failure == nil, rename(temporary, path) != 0 { failure = FileIOError(.rename, path: path, errno: errno) }
        if let failure {
            unlink(temporary)
            throw failure
        }
        if durable { syncDirectory(PathName.directoryName(path)) }
    }

    /// fsync(2) of a folder, so a rename in it is on disk; best effort.
    public static func syncDirectory(_ path: String) {
        let folder = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { return }
        fsync(folder)
        close(folder)
    }
}
