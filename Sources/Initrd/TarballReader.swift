/// Walks an image tarball (tar, ustar, pax or GNU tar; any compression
/// libarchive's read filters know: gzip, xz, zstd, bzip2, ...) entry by entry,
/// each admitted by a `TarballPathPolicy` before the caller sees it. A
/// refused entry stops the walk with `InitrdError.refusedTarballEntry`
/// naming the tarball and the entry as stored.
public struct TarballReader: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// Calls `visit` for every entry in archive order; for a regular file,
    /// `data` streams its contents (blocks with their offsets, holes skipped).
    public func read(_ visit: (TarballEntry, TarballData) throws -> Void) throws {
        let archive = try ArchiveReader(path: path, formats: .tar)
        var policy = TarballPathPolicy()
        var number = 0
        while let raw = try archive.next(number: number + 1) {
            number += 1
            let stored = raw.path
            switch Self.admit(raw, stored: stored, policy: &policy) {
            case .success(let entry): try visit(entry, TarballData(archive: archive, entry: stored))
            case .failure(let refusal): throw InitrdError.refusedTarballEntry(tarball: path, entry: stored, reason: refusal.reason)
            }
        }
        try archive.close()
    }

    private static func admit(_ raw: ArchiveHeader, stored: String, policy: inout TarballPathPolicy) -> Result<TarballEntry, TarballPathPolicy.Refusal> {
        Result { () throws(TarballPathPolicy.Refusal) -> TarballEntry in try policy.admit(try entry(raw, stored: stored)) }
    }

    /// An entry as stored (path not yet normalised).
    static func entry(_ raw: ArchiveHeader, stored: String) throws(TarballPathPolicy.Refusal) -> TarballEntry {
        let kind: TarballEntry.Kind
        if let target = raw.hardlinkTarget {
            kind = .hardLink(target: target)
        } else {
            switch raw.type {
            case .directory: kind = .directory
            case .regular: kind = .file(size: raw.size)
            case .symlink: kind = .symlink(target: raw.symlinkTarget ?? "")
            case .characterDevice: kind = .characterDevice(major: raw.deviceMajor, minor: raw.deviceMinor)
            case .blockDevice: kind = .blockDevice(major: raw.deviceMajor, minor: raw.deviceMinor)
            case .fifo: kind = .fifo
            case .socket, .other: throw TarballPathPolicy.Refusal("is a socket or a file type an image cannot hold")
            }
        }
        var entry = TarballEntry(
            path: stored, kind: kind, permissions: raw.permissions & 0o7777, uid: raw.uid, gid: raw.gid,
            modificationSeconds: raw.modificationSeconds, modificationNanoseconds: raw.modificationNanoseconds)
        entry.extendedAttributes = raw.attributes.map { TarballAttribute(name: $0.name, value: $0.value) }
        return entry
    }
}

/// The data of the entry being visited; valid only during the visit.
public struct TarballData {
    fileprivate let archive: ArchiveReader
    fileprivate let entry: String

    /// Hands each data block with its offset in the file to `body`.
    public func blocks(_ body: (UnsafeRawBufferPointer, Int64) throws -> Void) throws {
        try archive.blocks(entry: entry, body)
    }
}
