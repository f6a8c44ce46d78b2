import BootConfig
import FarmModel
import FileIO

/// plan(farm, last manifest) then apply: the one path `pxefarm plan` and
/// `pxefarm build` share.
public struct Builder {
    public let layout: OutputLayout
    public let templates: Templates
    public var programs = BootPrograms()
    public var keepGenerations = 3
    /// ks/<node>.cfg files, rendered with the farm's secrets by the caller.
    public var kickstart: [RenderedFile] = []
    /// The installed kernels to build with; nil takes the current generation's.
    public var kernels: KernelRecord?

    public init(outputDirectory: String, templates: Templates) {
        layout = OutputLayout(root: outputDirectory)
        self.templates = templates
    }

    /// What the farm was loaded from and what else decides its outputs, as
    /// text: the farm file and its node lists, pxefarm's own identity. With
    /// it, a build records its inputs (`BuildCache`) and the next one with
    /// the same inputs and an untouched disk is known to be a no-op without
    /// rendering or reading anything; empty, every build is planned in full.
    public var inputs: [String] = []

    /// What `build` was asked, as a digest, and the log of every file
    /// loading the farm read. With both, the build cache lets the same
    /// command over the same files skip loading the farm
    /// (`unchangedBuild`); without, the next build loads it.
    public var invocation: String?
    public var loadLog: ReadLog?

    /// What a build would do, writing nothing but the extraction of root
    /// tarballs into `.pxefarm/roots` (it must look inside the image).
    public func plan(_ farm: Farm) throws(BuildError) -> (plan: BuildPlan, skipped: [String]) {
        let planned = try self.planned(farm)
        return (planned.plan, planned.skipped)
    }

    /// A plan and what recording it in the build cache takes.
    struct Planned {
        var plan: BuildPlan
        var skipped: [String]
        /// nil without `inputs`: no cache.
        var digest: String?
        /// True when the plan came from the cache (everything kept).
        var cached = false
        /// The files read as inputs, with their signatures when read.
        var watched: [BuildCache.Watched] = []
        /// The build cache's record, when the plan came from it.
        var hit: InputCache.Hit?
    }

    func planned(_ farm: Farm) throws(BuildError) -> Planned {
        try OutputGuard.check(layout.root, farm: farm)
        let store = GenerationStore(layout: layout)
        let current = store.current
        let record = kernels ?? current.flatMap { KernelRecord.load(generation: layout.generation($0)) } ?? KernelRecord()
        let digest = inputs.isEmpty ? nil : try inputDigest(kernels: record)
        if let digest, let hit = InputCache(layout: layout).unchangedPlan(current: current, matches: { $0.inputs == digest }) {
            return Planned(plan: hit.plan, skipped: hit.cache.skipped, digest: digest, cached: true, hit: hit)
        }
        let previous = current.flatMap(store.manifest(of:))
        var source = FarmOutputs(farm: farm, templates: templates, programs: programs, kernels: record, state: layout.state)
        let outputs = try source.outputs() + kickstart.map { file in
            BuildOutput(file.path, .text(file.text, mode: 0o640), group: .kickstart, inputs: ["farm file", "kickstart template", "farm.secrets"])
        }
        let resolver = KeyResolver(previous: previous)
        var resolved: [ResolvedOutput] = []
        resolved.reserveCapacity(outputs.count)
        for output in outputs { resolved.append(try resolver.resolve(output)) }
        let live = NodeTreeState(layout: layout).keys(for: resolved)
        let watched = digest == nil ? [] : InputCache.watched(InputCache.inputPaths(of: resolved, listed: source.watched))
        return Planned(plan: BuildPlan.make(outputs: resolved, previous: previous, liveKeys: live), skipped: source.skipped, digest: digest, watched: watched)
    }

    /// The digest of the inputs given as values (see `InputDigest`).
    func inputDigest(kernels: KernelRecord) throws(BuildError) -> String {
        var digest = InputDigest()
        digest.add("inputs \(inputs.count)")
        for input in inputs { digest.add(input) }
        digest.add(templates)
        digest.add(programs)
        digest.add(kickstart)
        digest.add(try kernels.encoded())
        return digest.finish()
    }

    /// The installed kernels of the current generation.
    public var currentKernels: KernelRecord {
        let store = GenerationStore(layout: layout)
        return store.current.flatMap { KernelRecord.load(generation: layout.generation($0)) } ?? KernelRecord()
    }

    /// Plans and applies; with `inputs`, a build whose inputs and outputs are
    /// as the build cache recorded them writes nothing (but the record, when
    /// a node file was touched or what loading read is recorded anew), and
    /// any other build records them anew once applied.
    public func build(_ farm: Farm, progress: @escaping @Sendable (BuildProgress) -> Void = { _ in }) throws(BuildError) -> (plan: BuildPlan, summary: BuildSummary) {
        let planned = try self.planned(farm)
        let cache = InputCache(layout: layout)
        if planned.digest != nil, !planned.cached { try cache.remove() }
        let applier = BuildApplier(layout: layout, keepGenerations: keepGenerations, progress: progress)
        let summary = try applier.apply(planned.plan, farm: farm.settings.name)
        let load = LoadRecord(invocation: invocation, log: loadLog, nodes: farm.nodes.count)
        if let hit = planned.hit {
            if hit.touched || LoadRecord(of: hit.cache) != load { try cache.write(load.applied(to: hit.cache)) }
        } else if let digest = planned.digest, let generation = summary.generation {
            try cache.write(cache.record(planned.plan, inputs: digest, generation: generation, watched: planned.watched,
                                         skipped: planned.skipped, load: load))
        }
        return (planned.plan, summary)
    }

    /// A build that need not load the farm: the build cache holds this
    /// `invocation`, every file loading read then has the signature it had,
    /// and everything else is as a cache hit of `build` finds it (the same
    /// generation current, watched files and node files unchanged). Then
    /// nothing is rendered or written (but the record, when a node file was
    /// touched) and the result is that of the no-op `build` would have
    /// made, with the farm's node count. nil whenever anything differs: the
    /// caller loads the farm and builds.
    public static func unchangedBuild(outputDirectory: String, invocation: String, keepGenerations: Int = 3) throws(BuildError) -> (plan: BuildPlan, summary: BuildSummary, nodes: Int)? {
        let layout = OutputLayout(root: outputDirectory)
        let cache = InputCache(layout: layout)
        let matches = { (record: BuildCache) in record.invocation == invocation && InputCache.unchanged(record.loaded) }
        guard let hit = cache.unchangedPlan(current: GenerationStore(layout: layout).current, matches: matches) else { return nil }
        let applier = BuildApplier(layout: layout, keepGenerations: keepGenerations)
        // A plan that keeps everything over a current generation writes no
        // generation, so the farm's name (kept in a generation's manifest) is not asked for.
        let summary = try applier.apply(hit.plan, farm: "")
        if hit.touched { try cache.write(hit.cache) }
        return (hit.plan, summary, hit.cache.nodes)
    }
}

/// What the node trees on disk hold now, as keys the plan can compare.
struct NodeTreeState {
    let layout: OutputLayout

    func keys(for outputs: [ResolvedOutput]) -> [String: String?] {
        var keys: [String: String?] = [:]
        var nodeExists: [String: Bool] = [:]
        for resolved in outputs {
            switch resolved.output.placement {
            case .generation:
                continue
            case .nodeSeed:
                let node = NodeTreePaths.node(of: resolved.path)
                let exists = nodeExists[node] ?? FileSystem.exists(layout.root + "/" + OutputLayout.nodeRoots + "/" + node)
                nodeExists[node] = exists
                keys[resolved.path] = exists ? "present" : nil
            case .nodeIdentity:
                guard case .produced(let recipe as NodeIdentity) = resolved.output.content else { continue }
                keys[resolved.path] = recipe.isOwn(layout.root + "/" + resolved.path) ? "own" : .some(nil)
            case .nodeManaged:
                let path = layout.root + "/" + resolved.path
                guard let status = FileSystem.status(path), status.kind == .file, let bytes = try? FileSystem.read(path) else {
                    keys[resolved.path] = .some(nil)
                    continue
                }
                keys[resolved.path] = Digest.of(bytes) + status.mode.modeSuffix
            }
        }
        return keys
    }
}
