import Dispatch
import FileIO
import Foundation

/// The build cache against the disk: whether the last build's record still
/// holds (then the plan is "keep everything", made without rendering or
/// hashing), and recording a build once it is applied.
struct InputCache {
    let layout: OutputLayout

    var path: String { layout.state + "/" + BuildCache.fileName }

    /// A record that says nothing changed, and the plan that keeps everything.
    struct Hit {
        var plan: BuildPlan
        /// The record read, with the new signature of every managed node
        /// file touched but unchanged.
        var cache: BuildCache
        /// Whether some node file was touched (the record must be written again).
        var touched: Bool
    }

    /// The plan when the record says nothing changed: it `matches` (the
    /// same input digest, or the same invocation over the same loaded files),
    /// the same generation is current, every watched file and every node file
    /// has the signature recorded. A managed node file whose signature
    /// differs is read and hashed: the same content keeps it (with its new
    /// signature in the hit's record), other content means a real build. nil
    /// whenever anything differs.
    func unchangedPlan(current: Int?, matches: (BuildCache) -> Bool) -> Hit? {
        guard let current, let bytes = try? FileSystem.read(path), var cache = BuildCache.decode(bytes),
              cache.generation == current, matches(cache) else { return nil }
        for entry in cache.watched where BuildCache.Signature.of(entry.path) != entry.signature { return nil }
        // One stat a node file, over 100,000 at 10,000 nodes: split among the cores.
        let items = cache.items
        let parts = max(1, min(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 8, items.count / 2048))
        let results = PartResults(count: parts)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let range = (items.count * part / parts)..<(items.count * (part + 1) / parts)
            results.set(part, check(items[range]))
        }
        guard let touched = results.merged() else { return nil }
        for (index, signature) in touched { cache.items[index].signature = signature }
        let kept = cache.items.map { BuildPlan.Item(path: $0.path, group: $0.group, change: .keep) }
        return Hit(plan: BuildPlan(items: kept, outputs: [], previousGeneration: current), cache: cache, touched: !touched.isEmpty)
    }

    /// Whether each file loading read has the signature it had then.
    static func unchanged(_ loaded: [BuildCache.Watched]) -> Bool {
        loaded.allSatisfy { BuildCache.Signature.of($0.path, following: true) == $0.signature }
    }

    /// The files a load read, with their signatures now; nil when one of
    /// them may have changed after it was read (its time is not before the
    /// load began), as then its signature does not vouch for what was read.
    static func loaded(_ log: ReadLog) -> [BuildCache.Watched]? {
        var entries: [BuildCache.Watched] = []
        for path in log.recorded {
            let signature = BuildCache.Signature.of(path, following: true)
            if let signature, log.isRacy(modified: signature.modified, changed: signature.changed) { return nil }
            entries.append(BuildCache.Watched(path: path, signature: signature))
        }
        return entries
    }

    /// Checks recorded node files against the disk: nil when one differs,
    /// else the managed files touched but unchanged, with their signature
    /// now. Each is looked up inside the open output folder, not from `/`.
    func check(_ items: ArraySlice<BuildCache.Item>) -> [(Int, BuildCache.Signature)]? {
        let root = open(layout.root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { return nil }
        defer { close(root) }
        var touched: [(Int, BuildCache.Signature)] = []
        for index in items.indices {
            let item = items[index]
            switch item.placement {
            case .generation:
                continue
            case .nodeSeed:
                // A node's tree is there when the file after it, inside it, is.
                let next = items.index(after: index)
                if next < items.endIndex, items[next].placement != .nodeSeed, items[next].path.hasPrefix(item.path + "/") { continue }
                guard FileSystem.status(item.path, in: root)?.kind == .directory else { return nil }
            case .nodeIdentity:
                guard BuildCache.Signature.of(item.path, in: root) == item.signature else { return nil }
            case .nodeManaged:
                let now = BuildCache.Signature.of(item.path, in: root)
                if now == item.signature { continue }
                let target = layout.root + "/" + item.path
                guard let now, now.kind == .file, let key = item.key, let content = try? FileSystem.read(target),
                      Digest.of(content) + now.mode.modeSuffix == key else { return nil }
                touched.append((index, now))
            }
        }
        return touched
    }

    /// The signatures of files read as inputs, taken as the plan is made.
    static func watched(_ paths: Set<String>) -> [BuildCache.Watched] {
        paths.sorted().map { BuildCache.Watched(path: $0, signature: .of($0)) }
    }

    /// Every path a plan's outputs were read from: their sources, what their
    /// recipes depend on, and what `FarmOutputs` listed.
    static func inputPaths(of outputs: [ResolvedOutput], listed: Set<String>) -> Set<String> {
        var paths = listed
        for resolved in outputs {
            switch resolved.output.content {
            case .copy(let source, _), .hardLink(_, let source, _): paths.insert(source)
            case .produced(let recipe): paths.formUnion(recipe.watchedPaths())
            default: continue
            }
        }
        return paths
    }

    /// The record of an applied plan: `watched` as taken when planning, plus
    /// the generation's manifest and the public halves of host keys as they
    /// are now; each node file with its signature now.
    func record(_ plan: BuildPlan, inputs: String, generation: Int, watched: [BuildCache.Watched], skipped: [String], load: LoadRecord) -> BuildCache {
        var after = [layout.generation(generation) + "/" + Manifest.fileName]
        var resolvedByPath: [String: ResolvedOutput] = [:]
        resolvedByPath.reserveCapacity(plan.outputs.count)
        for resolved in plan.outputs where resolved.output.placement != .generation { resolvedByPath[resolved.path] = resolved }
        var items: [BuildCache.Item] = []
        items.reserveCapacity(plan.items.count)
        for item in plan.items where item.change != .delete {
            guard let resolved = resolvedByPath[item.path] else {
                items.append(BuildCache.Item(path: item.path, group: item.group, placement: .generation))
                continue
            }
            let target = layout.root + "/" + item.path
            let placement = resolved.output.placement
            switch placement {
            case .generation, .nodeSeed:
                items.append(BuildCache.Item(path: item.path, group: item.group, placement: placement))
            case .nodeManaged:
                items.append(BuildCache.Item(path: item.path, group: item.group, placement: placement, key: resolved.key, signature: .of(target)))
            case .nodeIdentity:
                if case .produced(let recipe as NodeIdentity) = resolved.output.content, case .sshHostKey = recipe.kind { after.append(target + ".pub") }
                items.append(BuildCache.Item(path: item.path, group: item.group, placement: placement, signature: .of(target)))
            }
        }
        let all = watched + after.map { BuildCache.Watched(path: $0, signature: .of($0)) }
        return BuildCache(inputs: inputs, generation: generation, invocation: load.invocation, nodes: load.nodes, loaded: load.loaded,
                          watched: all, items: items, skipped: skipped)
    }

    /// Written beside and renamed into place: a half-written record is never read.
    func write(_ cache: BuildCache) throws(BuildError) {
        let temporary = path + ".pxefarm-new"
        try? FileSystem.removeTree(temporary)
        try FileSystem.create(temporary, bytes: Array(cache.encoded().utf8), mode: 0o600)
        try FileSystem.rename(temporary, path)
    }

    /// Before a build changes anything: the record no longer says what is on disk.
    func remove() throws(BuildError) {
        try FileSystem.removeTree(path)
    }
}

/// What each part of a parallel check found, gathered under a lock.
private final class PartResults: @unchecked Sendable {
    private let lock = NSLock()
    private var parts: [[(Int, BuildCache.Signature)]?]

    init(count: Int) { parts = Array(repeating: nil, count: count) }

    func set(_ part: Int, _ result: [(Int, BuildCache.Signature)]?) { lock.withLock { parts[part] = result } }

    /// nil when any part found a difference.
    func merged() -> [(Int, BuildCache.Signature)]? {
        lock.withLock {
            var all: [(Int, BuildCache.Signature)] = []
            for part in parts {
                guard let part else { return nil }
                all += part
            }
            return all
        }
    }
}
