#if canImport(Glibc)
import Glibc
#endif

/// The owners, modes and attributes of one write-out: files' at once,
/// directories' last, deepest first; and what could not be kept.
struct Finishing {
    private var pending: [(path: String, mode: UInt32, attributes: FileAttributes?)] = []
    /// Paths (absolute) with what was not kept on each, "PATH: owner 0:42".
    private(set) var notKept: [String] = []

    mutating func keep(_ attributes: FileAttributes?, on path: String, mode: UInt32?) throws(BuildError) {
        guard let attributes else { return }
        let lost = try attributes.apply(to: path, mode: mode)
        if !lost.isEmpty { notKept.append(path + ": " + lost.joined(separator: ", ")) }
    }

    mutating func later(_ path: String, mode: UInt32, attributes: FileAttributes?) {
        pending.append((path, mode, attributes))
    }

    mutating func directories() throws(BuildError) {
        let ordered = pending.sorted { $0.path > $1.path }
        pending = []
        for directory in ordered {
            if let attributes = directory.attributes {
                try keep(attributes, on: directory.path, mode: directory.mode)
            } else if chmod(directory.path, mode_t(directory.mode)) != 0 {
                throw FileSystem.failure("chmod", directory.path)
            }
        }
    }
}
