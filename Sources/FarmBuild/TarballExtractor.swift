#if canImport(Glibc)
import Glibc
#endif
import Initrd

/// Extracts admitted tarball entries under a fresh directory with plain
/// system calls, never following a symlink: every parent is a directory
/// this extractor made (the `TarballPathPolicy` refuses entries below links),
/// files are created with O_EXCL | O_NOFOLLOW, hard links are made with
/// linkat without AT_SYMLINK_FOLLOW. Device nodes and FIFOs are recorded,
/// not made. Directory modes and times are set last, deepest first, so a
/// read-only directory in the archive does not stop its own contents.
struct TarballExtractor {
    struct Node: Equatable {
        var path: String
        var mode: UInt32
        var device: UInt64
    }

    let root: String
    private(set) var nodes: [Node] = []
    private var directories: [String: TarballEntry] = [:]
    private let isRoot = FileSystem.isRoot

    init(root: String) { self.root = root }

    mutating func extract(_ entry: TarballEntry, _ data: TarballData) throws {
        let target = entry.path.isEmpty ? root : root + "/" + entry.path
        try makeParents(of: entry.path)
        switch entry.kind {
        case .directory:
            if FileSystem.status(target) == nil { try check(mkdir(target, 0o700), "create directory", target) }
            directories[entry.path] = entry
        case .file(let size):
            try writeFile(entry, size: size, data, at: target)
        case .symlink(let destination):
            try check(symlink(destination, target), "create symlink", target)
            if isRoot { try check(lchown(target, uid_t(truncatingIfNeeded: entry.uid), gid_t(truncatingIfNeeded: entry.gid)), "chown", target) }
            try setAttributes(entry, target)
            try setTime(entry, target, flags: AT_SYMLINK_NOFOLLOW)
        case .hardLink(let linked):
            if let node = nodes.first(where: { $0.path == linked }) {
                nodes.append(Node(path: entry.path, mode: node.mode, device: node.device))
            } else {
                try check(linkat(AT_FDCWD, root + "/" + linked, AT_FDCWD, target, 0), "hard-link \(linked) to", target)
            }
        case .characterDevice(let major, let minor):
            nodes.append(Node(path: entry.path, mode: UInt32(S_IFCHR) | entry.permissions, device: FarmOutputs.deviceNumber(major, minor)))
        case .blockDevice(let major, let minor):
            nodes.append(Node(path: entry.path, mode: UInt32(S_IFBLK) | entry.permissions, device: FarmOutputs.deviceNumber(major, minor)))
        case .fifo:
            nodes.append(Node(path: entry.path, mode: UInt32(S_IFIFO) | entry.permissions, device: 0))
        }
    }

    /// Modes, owners and times of the directories, deepest first.
    func finish() throws(BuildError) {
        for (path, entry) in directories.sorted(by: { $0.key > $1.key }) {
            let target = path.isEmpty ? root : root + "/" + path
            if isRoot { try check(lchown(target, uid_t(truncatingIfNeeded: entry.uid), gid_t(truncatingIfNeeded: entry.gid)), "chown", target) }
            try check(chmod(target, mode_t(entry.permissions)), "chmod", target)
            try setAttributes(entry, target)
            try setTime(entry, target, flags: 0)
        }
    }

    /// The entry's extended attributes, after its owner and mode (chown
    /// clears security.capability). Without root those only root may set
    /// (security.*, trusted.*) are left out, as owners are; the build's
    /// copy into the shared image then lists what it could not keep.
    private func setAttributes(_ entry: TarballEntry, _ target: String) throws(BuildError) {
        for attribute in entry.extendedAttributes {
            let reason = FileSystem.setExtendedAttribute(target, ExtendedAttribute(name: attribute.name, value: attribute.value))
            if let reason, isRoot || !(attribute.name.hasPrefix("security.") || attribute.name.hasPrefix("trusted.")) {
                throw .io(path: target, action: "set the extended attribute \(attribute.name) (from the tarball) on", reason: reason)
            }
        }
    }

    /// Directories the archive implies but does not list: 0755, like tar.
    private mutating func makeParents(of path: String) throws(BuildError) {
        var parent = ""
        for component in path.split(separator: "/").dropLast() {
            parent = parent.isEmpty ? String(component) : parent + "/" + component
            guard directories[parent] == nil else { continue }
            let target = root + "/" + parent
            if FileSystem.status(target) == nil { try check(mkdir(target, 0o700), "create directory", target) }
            directories[parent] = TarballEntry(path: parent, kind: .directory, permissions: 0o755)
        }
    }

    private func writeFile(_ entry: TarballEntry, size: Int64, _ data: TarballData, at target: String) throws {
        let descriptor = open(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        try check(descriptor, "create", target)
        defer { close(descriptor) }
        try data.blocks { bytes, offset in
            var done = 0
            while done < bytes.count {
                let written = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
                if written < 0 { if errno == EINTR { continue }; throw FileSystem.failure("write", target) }
                done += written
            }
        }
        try check(ftruncate(descriptor, off_t(size)), "write", target)
        if isRoot { try check(fchown(descriptor, uid_t(truncatingIfNeeded: entry.uid), gid_t(truncatingIfNeeded: entry.gid)), "chown", target) }
        // After chown, which clears setuid and setgid.
        try check(fchmod(descriptor, mode_t(entry.permissions)), "chmod", target)
        try setAttributes(entry, target)
        var times = Self.times(entry)
        try check(futimens(descriptor, &times), "set the time of", target)
    }

    private func setTime(_ entry: TarballEntry, _ target: String, flags: Int32) throws(BuildError) {
        var times = Self.times(entry)
        try check(utimensat(AT_FDCWD, target, &times, flags), "set the time of", target)
    }

    private static func times(_ entry: TarballEntry) -> [timespec] {
        let time = timespec(tv_sec: Int(entry.modificationSeconds), tv_nsec: Int(entry.modificationNanoseconds))
        return [time, time]
    }

    private func check(_ result: Int32, _ action: String, _ path: String) throws(BuildError) {
        if result < 0 { throw FileSystem.failure(action, path) }
    }
}
