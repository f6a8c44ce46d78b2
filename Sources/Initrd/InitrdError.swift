import Glibc

/// Everything that can stop an initrd from being packed or read. Each case says in
/// one sentence what went wrong and names the file, line or entry concerned.
public enum InitrdError: Error, Equatable, CustomStringConvertible {
    /// libarchive refused an operation; `doing` says what pxefarm was doing.
    case archive(doing: String, message: String)
    /// A system call on a file failed (`errno` as reported).
    case io(path: String, doing: String, errno: Int32)
    /// A file type that an initrd cannot hold (a socket, for instance).
    case unsupportedFileType(path: String, type: String)
    /// A path or link target longer than the kernel's initramfs unpacker accepts.
    case pathTooLong(path: String, length: Int, limit: Int)
    /// An entry path that is absolute after normalising, empty, or climbs out with `..`.
    case invalidEntryPath(path: String, origin: String)
    /// A file changed size or time between the scan and the copy into the archive.
    case changedWhilePacking(path: String, detail: String)
    /// A device table line that does not parse.
    case deviceTable(file: String, line: Int, message: String)
    /// A device-table `f` line for a path no earlier source provides.
    case deviceTableTargetMissing(file: String, line: Int, path: String)
    /// A requested kernel module is not in modules.dep.
    case moduleNotFound(name: String, modulesDirectory: String)
    /// The modules tree has no modules.dep.
    case modulesDepMissing(path: String)
    /// A modules.dep line that does not parse, or names a file that is not there.
    case modulesDep(file: String, line: Int, message: String)
    /// A compression level outside what the compressor accepts.
    case invalidLevel(compression: String, level: Int, range: ClosedRange<Int>)
    /// A template file (the default /init) that cannot be found.
    case templateMissing(name: String, searched: [String])
    /// The busybox binary could not be used.
    case busybox(path: String, message: String)
    /// A value passed to the API that is not valid.
    case invalidArgument(String)
    /// A tarball member that extraction refuses (see `TarballPathPolicy`).
    case refusedTarballEntry(tarball: String, entry: String, reason: String)

    public var description: String {
        switch self {
        case let .archive(doing, message):
            return "libarchive failed while \(doing): \(message)"
        case let .io(path, doing, errno):
            return "\(path): cannot \(doing): \(String(cString: strerror(errno)))"
        case let .unsupportedFileType(path, type):
            return "\(path): a \(type) cannot be stored in an initrd"
        case let .pathTooLong(path, length, limit):
            return "\(path): \(length) bytes long, the kernel accepts at most \(limit)"
        case let .invalidEntryPath(path, origin):
            return "\(origin): entry path '\(path)' must be relative, non-empty and must not contain '..'"
        case let .changedWhilePacking(path, detail):
            return "\(path): changed while it was being packed (\(detail)); pack again when the tree is still"
        case let .deviceTable(file, line, message):
            return "\(file):\(line): \(message)"
        case let .deviceTableTargetMissing(file, line, path):
            return "\(file):\(line): 'f' line for \(path), but no earlier source provides that file"
        case let .moduleNotFound(name, directory):
            return "kernel module '\(name)' is not in \(directory)/modules.dep"
        case let .modulesDepMissing(path):
            return "\(path) is missing; create it with `depmod -b ROOT VERSION` (or `busybox depmod -b ROOT VERSION`)"
        case let .modulesDep(file, line, message):
            return "\(file):\(line): \(message)"
        case let .invalidLevel(compression, level, range):
            return "\(compression) level \(level) is out of range \(range.lowerBound)-\(range.upperBound)"
        case let .templateMissing(name, searched):
            return "template '\(name)' not found; looked in: \(searched.joined(separator: ", "))"
        case let .busybox(path, message):
            return "\(path): \(message)"
        case let .invalidArgument(message):
            return message
        case let .refusedTarballEntry(tarball, entry, reason):
            return "\(tarball): refusing entry '\(entry)': it \(reason)"
        }
    }
}

import Foundation

extension InitrdError: LocalizedError {
    public var errorDescription: String? { description }
}
