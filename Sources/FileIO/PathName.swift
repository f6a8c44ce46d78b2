/// The parts of a path, as dirname(1) and basename(1) read them (without
/// their treatment of trailing slashes, which the callers never pass).
public enum PathName {
    /// "a/b" for "a/b/c", "/" for "/c", "." for "c".
    public static func directoryName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// "c" for "a/b/c" and for "c".
    public static func baseName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
