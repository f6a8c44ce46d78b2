extension InitrdEntry {
    /// A regular file on disk, stored at `entryPath`, read when the archive is
    /// written (size and time checked again then).
    public static func diskFile(_ source: String, at entryPath: String, permissions: UInt32 = 0o644) throws -> InitrdEntry {
        let entry = try KernelModules.fileEntry(path: source, entryPath: entryPath, missing: nil)
        return InitrdEntry(path: entry.path, kind: entry.kind, permissions: permissions)
    }
}
