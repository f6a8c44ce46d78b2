/// The files of an image root, as outputs: walked once, in sorted order,
/// without following symlinks. Each entry carries its owner, group and
/// extended attributes; a file with several names is one file and links
/// (the first name in walk order is the file, the others link to it).
public struct ImageTree {
    public struct Entry: Sendable {
        /// Path inside the image, without a leading slash ("" for the root).
        public var path: String
        public var content: OutputContent
        /// nil for entries pxefarm makes itself (root's, with the given mode).
        public var attributes: FileAttributes? = nil
    }

    public let root: String

    public init(root: String) { self.root = root }

    /// Every entry under `subtree` ("" for all), directories before their contents.
    /// Sockets cannot be stored and are left out; the caller is told which.
    public func entries(under subtree: String = "", skipped: inout [String]) throws(BuildError) -> [Entry] {
        var found: [Entry] = []
        let start = subtree.isEmpty ? root : root + "/" + subtree
        guard let status = FileSystem.status(start) else { return [] }
        var names: [String: String] = [:]
        try walk(start, relative: subtree, status: status, into: &found, names: &names, skipped: &skipped)
        return found
    }

    /// `names`: device and inode of each file with several links -> its first path.
    private func walk(_ absolute: String, relative: String, status: FileSystem.Status, into found: inout [Entry], names: inout [String: String], skipped: inout [String]) throws(BuildError) {
        let attributes = FileAttributes.of(absolute, status: status)
        switch status.kind {
        case .directory:
            found.append(Entry(path: relative, content: .directory(mode: status.mode), attributes: attributes))
            for name in try FileSystem.list(absolute) {
                let child = absolute + "/" + name
                guard let childStatus = FileSystem.status(child) else { continue }
                try walk(child, relative: relative.isEmpty ? name : relative + "/" + name, status: childStatus, into: &found, names: &names, skipped: &skipped)
            }
        case .file:
            let identity = "\(status.device):\(status.inode)"
            if status.links > 1, let first = names[identity] {
                found.append(Entry(path: relative, content: .hardLink(to: first, source: absolute, mode: status.mode), attributes: attributes))
            } else {
                if status.links > 1 { names[identity] = relative }
                found.append(Entry(path: relative, content: .copy(source: absolute, mode: status.mode), attributes: attributes))
            }
        case .symlink:
            guard let target = FileSystem.readLink(absolute) else { throw FileSystem.failure("read link", absolute) }
            found.append(Entry(path: relative, content: .symlink(target: target), attributes: attributes))
        case .other:
            let type = status.rawType
            if type == .characterDevice || type == .blockDevice || type == .fifo {
                found.append(Entry(path: relative, content: .node(mode: status.mode | type.bits, device: status.rdev), attributes: attributes))
            } else {
                skipped.append(absolute)
            }
        }
    }
}
