/// The files of an image root, as outputs: walked once, in sorted order,
/// without following symlinks.
public struct ImageTree {
    public struct Entry: Sendable {
        /// Path inside the image, without a leading slash ("" for the root).
        public var path: String
        public var content: OutputContent
    }

    public let root: String

    public init(root: String) { self.root = root }

    /// Every entry under `subtree` ("" for all), directories before their contents.
    /// Sockets cannot be stored and are left out; the caller is told which.
    public func entries(under subtree: String = "", skipped: inout [String]) throws(BuildError) -> [Entry] {
        var found: [Entry] = []
        let start = subtree.isEmpty ? root : root + "/" + subtree
        guard let status = FileSystem.status(start) else { return [] }
        try walk(start, relative: subtree, status: status, into: &found, skipped: &skipped)
        return found
    }

    private func walk(_ absolute: String, relative: String, status: FileSystem.Status, into found: inout [Entry], skipped: inout [String]) throws(BuildError) {
        switch status.kind {
        case .directory:
            found.append(Entry(path: relative, content: .directory(mode: status.mode)))
            for name in try FileSystem.list(absolute) {
                let child = absolute + "/" + name
                guard let childStatus = FileSystem.status(child) else { continue }
                try walk(child, relative: relative.isEmpty ? name : relative + "/" + name, status: childStatus, into: &found, skipped: &skipped)
            }
        case .file:
            found.append(Entry(path: relative, content: .copy(source: absolute, mode: status.mode)))
        case .symlink:
            guard let target = FileSystem.readLink(absolute) else { throw FileSystem.failure("read link", absolute) }
            found.append(Entry(path: relative, content: .symlink(target: target)))
        case .other:
            let type = status.rawType
            if type == .characterDevice || type == .blockDevice || type == .fifo {
                found.append(Entry(path: relative, content: .node(mode: status.mode | type.bits, device: status.rdev)))
            } else {
                skipped.append(absolute)
            }
        }
    }
}
