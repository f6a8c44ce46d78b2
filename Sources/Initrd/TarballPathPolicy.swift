/// Decides, entry by entry and before anything is written, whether a tarball
/// member may be extracted into an image root. Pure: it only remembers what
/// earlier entries were. Extraction never follows a symlink, so an entry
/// is refused when it would have to, or when it could leave the root:
///
/// - absolute paths and `..` components;
/// - an entry below an earlier symlink, file or node of the archive (it would
///   be written through the link, or cannot exist);
/// - the same path twice, unless both are directories (the later one's
///   mode, owner and time win, as with tar): a replaced entry could turn a
///   checked directory into a link;
/// - a hard link to anything but an earlier regular file or node.
public struct TarballPathPolicy: Sendable {
    private enum Seen: Sendable { case directory, file, node, symlink }
    private var seen: [String: Seen] = ["": .directory]

    public init() {}

    public struct Refusal: Error, Equatable, Sendable {
        /// Completes "it ...": "is an absolute path".
        public var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// `path` without `./` prefixes, `.` components, doubled or trailing
    /// slashes; refused when absolute or with a `..` component.
    public static func normalize(_ path: String) throws(Refusal) -> String {
        if path.hasPrefix("/") { throw Refusal("is an absolute path") }
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { throw Refusal("has a '..' component, which would leave the image root") }
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }

    /// Admits one entry (its path as stored in the archive) and returns it
    /// with its paths normalised, or throws the reason it is refused.
    public mutating func admit(_ entry: TarballEntry) throws(Refusal) -> TarballEntry {
        var entry = entry
        entry.path = try Self.normalize(entry.path)
        if case .hardLink(let target) = entry.kind {
            let linked: String
            do { linked = try Self.normalize(target) } catch {
                throw Refusal("is a hard link to \(target), which \(error.reason)")
            }
            switch seen[linked] {
            case .file?, .node?: entry.kind = .hardLink(target: linked)
            default: throw Refusal("is a hard link to \(target), which is not an earlier file of the archive")
            }
        }
        let kind: Seen
        switch entry.kind {
        case .directory: kind = .directory
        case .file: kind = .file
        case .symlink: kind = .symlink
        case .hardLink(let target): kind = seen[target] ?? .file
        case .characterDevice, .blockDevice, .fifo: kind = .node
        }
        if entry.path.isEmpty, kind != .directory {
            throw Refusal("names the image root itself, which must be a directory")
        }
        // Every parent must be a directory: an earlier one, or one made now.
        var parent = ""
        for component in entry.path.split(separator: "/").dropLast() {
            parent = parent.isEmpty ? String(component) : parent + "/" + component
            switch seen[parent] {
            case .symlink?: throw Refusal("lies under \(parent), a symlink in the archive (extraction never follows links)")
            case .file?, .node?: throw Refusal("lies under \(parent), which the archive made a file")
            case .directory?: continue
            case nil: seen[parent] = .directory
            }
        }
        if !entry.path.isEmpty, let earlier = seen[entry.path], !(earlier == .directory && kind == .directory) {
            throw Refusal("appears twice in the archive (only a directory may be repeated, as a directory)")
        }
        seen[entry.path] = kind
        return entry
    }
}
