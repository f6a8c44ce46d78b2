import Glibc

/// Walks a directory with lstat and turns what it finds into entries under `prefix`.
/// Symlinks are stored as links, never followed; sockets are refused; hard links
/// keep their device/inode so the writer stores them once.
struct DirectoryScanner {
    let root: String
    let prefix: String
    let preserveOwnership: Bool

    func scan() throws -> [InitrdEntry] {
        var entries: [InitrdEntry] = []
        var info = stat()
        guard lstat(root, &info) == 0 else { throw InitrdError.io(path: root, doing: "read the directory", errno: errno) }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw InitrdError.invalidArgument("\(root): not a directory")
        }
        try walk(directory: root, relative: prefix, into: &entries)
        return entries
    }

    private func walk(directory: String, relative: String, into entries: inout [InitrdEntry]) throws {
        guard let handle = opendir(directory) else {
            throw InitrdError.io(path: directory, doing: "open the directory", errno: errno)
        }
        defer { closedir(handle) }
        var names: [String] = []
        while true {
            errno = 0
            guard let item = readdir(handle) else {
                if errno != 0 { throw InitrdError.io(path: directory, doing: "list the directory", errno: errno) }
                break
            }
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            let path = directory + "/" + name
            let entryPath = relative.isEmpty ? name : relative + "/" + name
            try EntryPath.checkLength(entryPath, shownAs: path)
            var info = stat()
            guard lstat(path, &info) == 0 else { throw InitrdError.io(path: path, doing: "stat", errno: errno) }
            let uid = preserveOwnership ? UInt32(info.st_uid) : 0
            let gid = preserveOwnership ? UInt32(info.st_gid) : 0
            let permissions = UInt32(info.st_mode) & 0o7777
            func entry(_ kind: InitrdEntry.Kind) -> InitrdEntry {
                InitrdEntry(path: entryPath, kind: kind, permissions: permissions, uid: uid, gid: gid)
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                guard access(path, R_OK | X_OK) == 0 else {
                    throw InitrdError.io(path: path, doing: "read the directory", errno: errno)
                }
                entries.append(entry(.directory))
                try walk(directory: path, relative: entryPath, into: &entries)
            case S_IFREG:
                guard access(path, R_OK) == 0 else { throw InitrdError.io(path: path, doing: "read", errno: errno) }
                entries.append(entry(.file(.disk(DiskFile(
                    path: path, size: Int64(info.st_size), device: UInt64(info.st_dev), inode: UInt64(info.st_ino),
                    modificationSeconds: Int(info.st_mtim.tv_sec), modificationNanoseconds: Int(info.st_mtim.tv_nsec))))))
            case S_IFLNK:
                let target = try readLink(path, size: Int(info.st_size))
                try EntryPath.checkLength(target, shownAs: "\(path) -> \(target)")
                entries.append(entry(.symlink(target: target)))
            case S_IFCHR:
                entries.append(entry(.characterDevice(major: major(info.st_rdev), minor: minor(info.st_rdev))))
            case S_IFBLK:
                entries.append(entry(.blockDevice(major: major(info.st_rdev), minor: minor(info.st_rdev))))
            case S_IFIFO:
                entries.append(entry(.fifo))
            case S_IFSOCK:
                throw InitrdError.unsupportedFileType(path: path, type: "socket")
            default:
                throw InitrdError.unsupportedFileType(path: path, type: "file of unknown type")
            }
        }
    }

    private func readLink(_ path: String, size: Int) throws -> String {
        var buffer = [CChar](repeating: 0, count: max(size, 255) + 2)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { throw InitrdError.io(path: path, doing: "read the link", errno: errno) }
        guard count < buffer.count - 1 else { throw InitrdError.changedWhilePacking(path: path, detail: "link target grew") }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

func major(_ device: dev_t) -> UInt32 {
    UInt32(truncatingIfNeeded: ((device >> 32) & 0xFFFF_F000) | ((device >> 8) & 0x0000_0FFF))
}

func minor(_ device: dev_t) -> UInt32 {
    UInt32(truncatingIfNeeded: ((device >> 12) & 0xFFFF_FF00) | (device & 0x0000_00FF))
}
