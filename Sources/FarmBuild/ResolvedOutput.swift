/// An output with its key worked out: the hash that says whether it must be
/// made again, and for copies the source as seen now.
public struct ResolvedOutput: Sendable {
    public var output: BuildOutput
    public var key: String
    public var stamp: Manifest.SourceStamp?

    public var path: String { output.path }
}

/// Works out keys, reading as little as it can: an unchanged source (same
/// size, time and inode as in the last manifest) is not hashed again.
public struct KeyResolver {
    let previous: Manifest?

    public init(previous: Manifest?) { self.previous = previous }

    public func resolve(_ output: BuildOutput) throws(BuildError) -> ResolvedOutput {
        // A seed is made only with a new node and never compared: no key to work out.
        if output.placement == .nodeSeed { return ResolvedOutput(output: output, key: "seed") }
        var resolved = try resolveContent(output)
        if let attributes = output.attributes { resolved.key += attributes.keySuffix }
        return resolved
    }

    private func resolveContent(_ output: BuildOutput) throws(BuildError) -> ResolvedOutput {
        switch output.content {
        case .text(let text, let mode):
            return ResolvedOutput(output: output, key: Digest.of(text: text) + mode.modeSuffix)
        case .copy(let source, let mode):
            let (digest, stamp) = try contentDigest(of: source, for: output.path)
            return ResolvedOutput(output: output, key: digest + mode.modeSuffix, stamp: stamp)
        case .hardLink(let first, let source, let mode):
            // The first name's content: when it changes, so does every link to it.
            let (digest, stamp) = try contentDigest(of: source, for: output.path)
            return ResolvedOutput(output: output, key: "link:" + first + " " + digest + mode.modeSuffix, stamp: stamp)
        case .directory(let mode):
            return ResolvedOutput(output: output, key: "directory" + mode.modeSuffix)
        case .symlink(let target):
            return ResolvedOutput(output: output, key: "symlink:" + target)
        case .node(let mode, let device):
            return ResolvedOutput(output: output, key: "node:\(String(mode, radix: 8)):\(device)")
        case .produced(let recipe):
            return ResolvedOutput(output: output, key: "recipe:" + (try recipe.inputsDigest()))
        case .tree(let entries):
            var listing = ""
            for entry in entries { listing += entry.path + "\n" }
            return ResolvedOutput(output: output, key: "tree:" + Digest.of(text: listing))
        }
    }

    /// The content hash of a source file; taken from the last manifest when
    /// the file's size, time and inode are unchanged (a chmod or chown does
    /// not change those, so only the hash is taken, never the mode or owner).
    private func contentDigest(of source: String, for path: String) throws(BuildError) -> (String, Manifest.SourceStamp) {
        guard let status = FileSystem.status(source), status.kind == .file else {
            throw .io(path: source, action: "read", reason: "No such file")
        }
        let stamp = Manifest.SourceStamp(path: source, size: status.size, modified: status.modified, inode: status.inode)
        if let entry = previous?.outputs[path], entry.source == stamp {
            let digest = entry.key.split(separator: " ").first { $0.hasPrefix("sha256:") }
            if let digest { return (String(digest), stamp) }
        }
        return (try Digest.ofFile(source), stamp)
    }
}

extension UInt32 {
    /// ` mode 0755`, part of a key so that a mode change is a change.
    var modeSuffix: String { " mode 0" + String(self, radix: 8) }
}
