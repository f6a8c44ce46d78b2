import FileIO
#if canImport(Glibc)
import Glibc
#endif

/// Carries out a plan: writes a new generation beside the current one
/// (unchanged files hard-linked from it), publishes it with one rename,
/// then brings the node trees up to date, each file replaced atomically.
/// Killed at any moment, the previous generation stays whole and the next
/// build converges.
public struct BuildApplier {
    public let layout: OutputLayout
    public let keepGenerations: Int
    public let progress: @Sendable (BuildProgress) -> Void

    public init(layout: OutputLayout, keepGenerations: Int = 3, progress: @escaping @Sendable (BuildProgress) -> Void = { _ in }) {
        self.layout = layout
        self.keepGenerations = keepGenerations
        self.progress = progress
    }

    public func apply(_ plan: BuildPlan, farm: String) throws(BuildError) -> BuildSummary {
        let clock = ContinuousClock.now
        var summary = BuildSummary()
        let store = GenerationStore(layout: layout)
        try FileSystem.makeDirectories(layout.generations)
        try store.removeLeftovers()
        // Only outputs are looked up in it: a plan that keeps everything (a
        // no-op from the build cache) has none, and skips hashing every path.
        let changes = plan.outputs.isEmpty ? [:] : Dictionary(plan.items.map { ($0.path, $0.change) }, uniquingKeysWith: { first, _ in first })
        if plan.changesGeneration || store.current == nil {
            summary.generation = try writeGeneration(plan, changes: changes, farm: farm, store: store, summary: &summary)
        } else {
            summary.generation = store.current
            try store.ensureTopLinks()
        }
        try updateNodeTrees(plan, changes: changes, summary: &summary)
        let elapsed = (ContinuousClock.now - clock).components
        summary.seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        summary.changed = plan.changedCount
        return summary
    }

    private func writeGeneration(_ plan: BuildPlan, changes: [String: BuildPlan.Change], farm: String, store: GenerationStore, summary: inout BuildSummary) throws(BuildError) -> Int {
        let number = (store.all().last ?? 0) + 1
        let staging = layout.partial(number)
        let previous = store.current.map { layout.generation($0) }
        try FileSystem.makeDirectories(staging)
        var entries: [String: Manifest.Entry] = [:]
        var produced: [String: String] = [:]
        var finish = Finishing()
        let outputs = plan.outputs.filter { $0.output.placement == .generation }
        for (index, resolved) in outputs.enumerated() {
            let output = resolved.output
            let target = staging + "/" + output.path
            try FileSystem.makeDirectories(PathName.directoryName(target))
            let unchanged = changes[output.path] == .keep
            if unchanged, let previous, case let old = previous + "/" + output.path,
               let kind = FileSystem.status(old)?.kind, kind == .file || kind == .other {
                try FileSystem.hardLink(old, target)
            } else if case .produced = output.content, let twin = produced[resolved.key] {
                // Two services of one image share one initrd: made once, linked twice.
                try FileSystem.hardLink(twin, target)
            } else if try write(output.content, at: target, base: staging, attributes: output.attributes, finish: &finish) {
                if case .produced = output.content { produced[resolved.key] = target }
                // Directories and links of an unchanged output are remade, not counted.
                if !unchanged {
                    summary.filesWritten += 1
                    summary.bytesWritten += FileSystem.status(target)?.size ?? 0
                }
            } else {
                summary.notMade.append(output.path)
            }
            entries[output.path] = Manifest.Entry(key: resolved.key, group: output.group, inputs: output.inputs, source: resolved.stamp)
            progress(BuildProgress(phase: .generation, done: index + 1, total: outputs.count))
        }
        try finish.directories()
        summary.notKept += finish.notKept.map { String($0.dropFirst(staging.count + 1)) }
        let manifest = Manifest(farm: farm, generation: number, outputs: entries)
        let text: String
        do { text = try manifest.encoded() } catch { throw .produce(path: Manifest.fileName, reason: "\(error)") }
        try FileSystem.create(staging + "/" + Manifest.fileName, bytes: Array(text.utf8))
        FileSystem.sync(staging)
        try FileSystem.rename(staging, layout.generation(number))
        FileSystem.sync(layout.generations)
        try store.publish(number)
        try store.prune(keep: keepGenerations)
        return number
    }

    /// New nodes are made whole in a hidden folder and renamed into place;
    /// managed files of existing nodes are replaced one by one.
    private func updateNodeTrees(_ plan: BuildPlan, changes: [String: BuildPlan.Change], summary: inout BuildSummary) throws(BuildError) {
        var byNode: [String: [ResolvedOutput]] = [:]
        var order: [String] = []
        for resolved in plan.outputs where resolved.output.placement != .generation && changes[resolved.path] != .keep {
            let node = NodeTreePaths.node(of: resolved.path)
            if byNode[node] == nil { order.append(node) }
            byNode[node, default: []].append(resolved)
        }
        let nodesRoot = layout.root + "/" + OutputLayout.nodeRoots
        try FileSystem.makeDirectories(nodesRoot)
        for name in (try? FileSystem.list(nodesRoot)) ?? [] where name.hasPrefix(".") && name.hasSuffix(".partial") {
            try FileSystem.removeTree(nodesRoot + "/" + name)
        }
        for (index, node) in order.enumerated() {
            let outputs = byNode[node] ?? []
            let finalTree = nodesRoot + "/" + node
            if !FileSystem.exists(finalTree) {
                // The whole tree in a hidden folder first, then one rename.
                let staging = nodesRoot + "/." + node + ".partial"
                // The seed first: the files pxefarm manages then replace the image's copies.
                let ordered = outputs.filter { $0.output.placement == .nodeSeed } + outputs.filter { $0.output.placement != .nodeSeed }
                for resolved in ordered {
                    let inside = NodeTreePaths.insideNode(resolved.path)
                    if resolved.output.placement == .nodeSeed, case .tree(let entries) = resolved.output.content {
                        try writeTree(entries, at: staging + (inside.isEmpty ? "" : "/" + inside), plan: resolved.path, summary: &summary)
                    } else if resolved.output.placement == .nodeIdentity, case .produced(let recipe) = resolved.output.content {
                        try recipe.produce(at: staging + "/" + inside)
                        summary.filesWritten += 1
                    } else {
                        try replace(resolved.output.content, at: staging + "/" + inside, summary: &summary)
                    }
                }
                try FileSystem.rename(staging, finalTree)
                summary.nodesCreated += 1
            } else {
                for resolved in outputs where changes[resolved.path] != .keep {
                    switch (resolved.output.placement, resolved.output.content) {
                    case (.nodeManaged, let content):
                        try replace(content, at: layout.root + "/" + resolved.path, summary: &summary)
                    case (.nodeIdentity, .produced(let recipe)):
                        try recipe.produce(at: layout.root + "/" + resolved.path)
                        summary.filesWritten += 1
                    default:
                        continue
                    }
                }
            }
            progress(BuildProgress(phase: .nodeTrees, done: index + 1, total: order.count))
        }
    }

    /// A new node's tree: the directory, then each entry below it.
    private func writeTree(_ entries: [ImageTree.Entry], at root: String, plan path: String, summary: inout BuildSummary) throws(BuildError) {
        try FileSystem.makeDirectories(root)
        var finish = Finishing()
        for entry in entries {
            let target = entry.path.isEmpty ? root : root + "/" + entry.path
            try FileSystem.makeDirectories(PathName.directoryName(target))
            if try write(entry.content, at: target, base: root, attributes: entry.attributes, finish: &finish) {
                if case .directory = entry.content { continue }
                summary.filesWritten += 1
                summary.bytesWritten += FileSystem.status(target).map { $0.kind == .file ? $0.size : 0 } ?? 0
            } else {
                summary.notMade.append(path + "/" + entry.path)
            }
        }
        try finish.directories()
        summary.notKept += finish.notKept.map { path + String($0.dropFirst(root.count)) }
    }

    /// Writes beside `target` and renames over it: a file pxefarm manages
    /// replaces whatever stands there (the image's copy, an older version).
    private func replace(_ content: OutputContent, at target: String, summary: inout BuildSummary) throws(BuildError) {
        let temporary = target + ".pxefarm-new"
        try? FileSystem.removeTree(temporary)
        try FileSystem.makeDirectories(PathName.directoryName(target))
        var finish = Finishing()
        _ = try write(content, at: temporary, base: PathName.directoryName(target), attributes: nil, finish: &finish)
        try finish.directories()
        try FileSystem.rename(temporary, target)
        summary.filesWritten += 1
        summary.bytesWritten += FileSystem.status(target).map { $0.kind == .file ? $0.size : 0 } ?? 0
    }

    /// Makes one output; false when it could not be made and was only
    /// recorded (a device node without root). `base` is the folder a hard
    /// link's first name is relative to. A file gets its owner, mode and
    /// extended attributes at once; a directory once everything below it is
    /// written (`finish`), so a read-only or setgid directory of the image
    /// neither stops its own contents nor passes its group on to them.
    @discardableResult
    private func write(_ content: OutputContent, at path: String, base: String, attributes: FileAttributes?, finish: inout Finishing) throws(BuildError) -> Bool {
        switch content {
        case .text(let text, let mode):
            try FileSystem.create(path, bytes: Array(text.utf8), mode: mode_t(mode))
        case .copy(let source, let mode):
            try FileSystem.copyFile(from: source, to: path, mode: mode_t(mode))
            try finish.keep(attributes, on: path, mode: mode)
        case .hardLink(let first, _, _):
            // Owner, mode and attributes are the first name's: one inode.
            try FileSystem.hardLink(base + "/" + first, path)
        case .directory(let mode):
            try FileSystem.makeDirectories(path, mode: 0o700)
            finish.later(path, mode: mode, attributes: attributes)
        case .symlink(let target):
            try FileSystem.symbolicLink(target, at: path)
            try finish.keep(attributes, on: path, mode: nil)
        case .node(let mode, let device):
            guard FileSystem.isRoot else { return false }
            try FileSystem.makeNode(path, mode: mode, device: device)
            try finish.keep(attributes, on: path, mode: mode & 0o7777)
        case .produced(let recipe):
            try recipe.produce(at: path)
        case .tree(let entries):
            var ignored = BuildSummary()
            try writeTree(entries, at: path, plan: path, summary: &ignored)
        }
        return true
    }
}

/// How far a build is: which phase, and how many of its items are done.
public struct BuildProgress: Sendable, Hashable {
    public enum Phase: String, Sendable, Hashable {
        /// The new generation's files (TFTP tree, initrds, configuration).
        case generation
        /// The per-node NFS roots.
        case nodeTrees = "node trees"

        /// What the phase's items are called.
        public var items: String { self == .generation ? "outputs" : "nodes" }
    }

    public var phase: Phase
    public var done, total: Int

    public init(phase: Phase, done: Int, total: Int) {
        self.phase = phase
        self.done = done
        self.total = total
    }

    public var nodesDone: Int { phase == .nodeTrees ? done : 0 }
    public var nodesTotal: Int { phase == .nodeTrees ? total : 0 }
}

/// What a build did, for its closing line.
public struct BuildSummary: Sendable {
    public var generation: Int?
    public var changed = 0
    public var nodesCreated = 0
    public var filesWritten = 0
    public var bytesWritten: Int64 = 0
    public var seconds = 0.0
    /// Device nodes recorded but not made (no root).
    public var notMade: [String] = []
    /// Owners, groups and extended attributes of the image that could not be
    /// set (no root, or a file system without them): "PATH: what".
    public var notKept: [String] = []
}
