/// The generations of one output folder: which is current, publishing a new
/// one by one rename, keeping the last few, rolling back.
public struct GenerationStore: Sendable {
    public let layout: OutputLayout

    public init(layout: OutputLayout) { self.layout = layout }

    /// The number `current` points at, if any.
    public var current: Int? {
        FileSystem.readLink(layout.current).flatMap { Int($0.split(separator: "/").last ?? "") }
    }

    /// Complete generations, oldest first.
    public func all() -> [Int] {
        ((try? FileSystem.list(layout.generations)) ?? []).compactMap(Int.init).sorted()
    }

    public func manifest(of generation: Int) -> Manifest? {
        guard let bytes = try? FileSystem.read(layout.generation(generation) + "/" + Manifest.fileName) else { return nil }
        return try? Manifest.decode(bytes)
    }

    /// Removes what a build killed half-way left behind: partial generations
    /// and temporary links. The current generation is never touched.
    public func removeLeftovers() throws(BuildError) {
        for name in (try? FileSystem.list(layout.generations)) ?? [] where name.hasSuffix(".partial") {
            try FileSystem.removeTree(layout.generations + "/" + name)
        }
        for name in (try? FileSystem.list(layout.state)) ?? [] where name.hasPrefix("current.") {
            try FileSystem.removeTree(layout.state + "/" + name)
        }
    }

    /// Points `current` at `generation` with one rename, then makes sure the
    /// links at the top of the output folder exist.
    public func publish(_ generation: Int) throws(BuildError) {
        let temporary = layout.state + "/current.\(generation)"
        try? FileSystem.removeTree(temporary)
        try FileSystem.symbolicLink("generations/\(generation)", at: temporary)
        try FileSystem.rename(temporary, layout.current)
        FileSystem.sync(layout.state)
        try ensureTopLinks()
    }

    /// Links at the top of the output folder for what the current generation
    /// holds; a link to something it no longer holds is removed.
    func ensureTopLinks() throws(BuildError) {
        var links = OutputLayout.published.map { (layout.root + "/" + $0, ".pxefarm/current/" + $0, $0) }
        links.append((layout.root + "/" + OutputLayout.nodeRoots + "/.shared", "../.pxefarm/current/" + OutputLayout.sharedImages, OutputLayout.sharedImages))
        try FileSystem.makeDirectories(layout.root + "/" + OutputLayout.nodeRoots)
        for (path, target, inside) in links {
            guard FileSystem.exists(layout.current + "/" + inside) else {
                if FileSystem.readLink(path) == target { try FileSystem.removeTree(path) }
                continue
            }
            guard FileSystem.readLink(path) != target else { continue }
            let temporary = path + ".pxefarm-new"
            try? FileSystem.removeTree(temporary)
            try FileSystem.symbolicLink(target, at: temporary)
            try FileSystem.rename(temporary, path)
        }
    }

    /// Keeps the newest `keep` generations (and always the current one).
    public func prune(keep: Int) throws(BuildError) {
        let current = self.current
        let all = all()
        for number in all.dropLast(max(1, keep)) where number != current {
            try FileSystem.removeTree(layout.generation(number))
        }
    }

    /// Points `current` at the generation before it.
    public func rollback() throws(BuildError) -> (from: Int, to: Int) {
        guard let current else { throw .noGeneration("\(layout.root) holds no build to roll back") }
        guard let previous = all().last(where: { $0 < current }) else {
            throw .noGeneration("generation \(current) is the oldest one kept in \(layout.root); there is nothing to roll back to")
        }
        try publish(previous)
        return (current, previous)
    }
}
