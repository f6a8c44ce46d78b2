import BootConfig
import FarmModel

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

    /// What a build would do, writing nothing but the extraction of root
    /// tarballs into `.pxefarm/roots` (it must look inside the image).
    public func plan(_ farm: Farm) throws(BuildError) -> (plan: BuildPlan, skipped: [String]) {
        try OutputGuard.check(layout.root, farm: farm)
        let store = GenerationStore(layout: layout)
        let previous = store.current.flatMap(store.manifest(of:))
        let record = kernels ?? store.current.flatMap { KernelRecord.load(generation: layout.generation($0)) } ?? KernelRecord()
        var source = FarmOutputs(farm: farm, templates: templates, programs: programs, kernels: record, state: layout.state)
        let outputs = try source.outputs() + kickstart.map { file in
            BuildOutput(file.path, .text(file.text, mode: 0o640), group: .kickstart, inputs: ["farm file", "kickstart template", "farm.secrets"])
        }
        let resolver = KeyResolver(previous: previous)
        var resolved: [ResolvedOutput] = []
        resolved.reserveCapacity(outputs.count)
        for output in outputs { resolved.append(try resolver.resolve(output)) }
        let live = NodeTreeState(layout: layout).keys(for: resolved)
        return (BuildPlan.make(outputs: resolved, previous: previous, liveKeys: live), source.skipped)
    }

    /// The installed kernels of the current generation.
    public var currentKernels: KernelRecord {
        let store = GenerationStore(layout: layout)
        return store.current.flatMap { KernelRecord.load(generation: layout.generation($0)) } ?? KernelRecord()
    }

    public func build(_ farm: Farm, progress: @escaping @Sendable (BuildProgress) -> Void = { _ in }) throws(BuildError) -> (plan: BuildPlan, summary: BuildSummary) {
        let (plan, _) = try self.plan(farm)
        let applier = BuildApplier(layout: layout, keepGenerations: keepGenerations, progress: progress)
        return (plan, try applier.apply(plan, farm: farm.settings.name))
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
