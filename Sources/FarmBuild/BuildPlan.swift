/// What a build would do, as data: every output with its change, and
/// the outputs of the last generation that are no longer wanted.
/// `pxefarm plan` prints it; `pxefarm build` applies the same value.
public struct BuildPlan: Sendable {
    public enum Change: String, Sendable, CaseIterable, Comparable {
        case create, update, delete, keep

        public static func < (lhs: Change, rhs: Change) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public struct Item: Sendable, Equatable {
        public var path: String
        public var group: OutputGroup
        public var change: Change
    }

    public var items: [Item]
    /// The outputs to have after the build, keys resolved.
    public var outputs: [ResolvedOutput]
    public var previousGeneration: Int?

    /// Compares the wanted outputs with the last manifest (generation outputs)
    /// and with what the node trees hold now (`liveKeys`: path -> key of the
    /// file on disk, nil when absent). Pure.
    public static func make(outputs: [ResolvedOutput], previous: Manifest?, liveKeys: [String: String?]) -> BuildPlan {
        var items: [Item] = []
        var wanted = Set<String>()
        for resolved in outputs {
            let output = resolved.output
            wanted.insert(output.path)
            let change: Change
            switch output.placement {
            case .generation:
                if let entry = previous?.outputs[output.path] {
                    change = entry.key == resolved.key ? .keep : .update
                } else {
                    change = .create
                }
            case .nodeSeed, .nodeIdentity:
                change = (liveKeys[output.path] ?? nil) == nil ? .create : .keep
            case .nodeManaged:
                switch liveKeys[output.path] ?? nil {
                case nil: change = .create
                case resolved.key?: change = .keep
                default: change = .update
                }
            }
            items.append(Item(path: output.path, group: output.group, change: change))
        }
        for (path, entry) in previous?.outputs ?? [:] where !wanted.contains(path) {
            items.append(Item(path: path, group: entry.group, change: .delete))
        }
        items.sort { $0.path < $1.path }
        return BuildPlan(items: items, outputs: outputs, previousGeneration: previous?.generation)
    }

    /// Creates, updates and deletes (keeps do not count).
    public var changedCount: Int { items.filter { $0.change != .keep }.count }

    /// True when the generation itself changes (a new one must be published).
    public var changesGeneration: Bool {
        let generationPaths = Set(outputs.filter { $0.output.placement == .generation }.map(\.path))
        return items.contains { $0.change != .keep && (generationPaths.contains($0.path) || $0.change == .delete) }
    }

    /// Counts per group and change, for the report.
    public var counts: [OutputGroup: [Change: Int]] {
        var counts: [OutputGroup: [Change: Int]] = [:]
        for item in items { counts[item.group, default: [:]][item.change, default: 0] += 1 }
        return counts
    }
}
