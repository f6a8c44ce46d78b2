/// Entry paths as the kernel's initramfs unpacker wants them: relative to the root,
/// no `.` or empty components, never `..`, at most PATH_MAX - 1 bytes.
public enum EntryPath {
    /// The kernel refuses names whose length with the terminating NUL exceeds PATH_MAX.
    public static let limit = 4095

    /// `/dev//console` and `./dev/console` both become `dev/console`.
    public static func normalize(_ path: String, origin: String) throws -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { throw InitrdError.invalidEntryPath(path: path, origin: origin) }
            parts.append(part)
        }
        guard !parts.isEmpty else { throw InitrdError.invalidEntryPath(path: path, origin: origin) }
        let normalized = parts.joined(separator: "/")
        try checkLength(normalized)
        return normalized
    }

    static func checkLength(_ path: String, shownAs shown: String? = nil) throws {
        let length = path.utf8.count
        if length > limit {
            throw InitrdError.pathTooLong(path: shown ?? path, length: length, limit: limit)
        }
    }

    /// `a/b/c` -> [`a`, `a/b`].
    static func parents(of path: String) -> [String] {
        var result: [String] = []
        var index = path.startIndex
        while let slash = path[index...].firstIndex(of: "/") {
            result.append(String(path[..<slash]))
            index = path.index(after: slash)
        }
        return result
    }
}
