/// One input of an initrd. Sources merge into one archive in the order given; a
/// later source replaces an earlier entry with the same path.
public enum InitrdSource: Hashable, Sendable {
    /// A directory tree, stored under `under` (empty: at the root). Owners become
    /// root unless `preserveOwnership`.
    case directory(path: String, under: String = "", preserveOwnership: Bool = false)
    /// A buildroot device table (its `f` lines change entries of earlier sources).
    case deviceTable(DeviceTable)
    /// Entries made in memory: generated files, device nodes, links.
    case entries([InitrdEntry], origin: String)
    /// Named kernel modules with their dependency closure and the modules.* indexes.
    case kernelModules(KernelModules)
}

/// What an initrd is made of, and the time every entry carries.
public struct InitrdSpec: Hashable, Sendable {
    public var sources: [InitrdSource]
    /// Seconds since 1970 for every entry's mtime: SOURCE_DATE_EPOCH, 0 by default.
    public var modificationTime: Int64

    public init(sources: [InitrdSource], modificationTime: Int64 = 0) {
        self.sources = sources
        self.modificationTime = modificationTime
    }

    /// SOURCE_DATE_EPOCH from the environment (reproducible-builds.org), else 0.
    public static func sourceDateEpoch(_ environment: [String: String]) throws -> Int64 {
        guard let text = environment["SOURCE_DATE_EPOCH"] else { return 0 }
        guard let value = Int64(text), value >= 0, value <= Int64(UInt32.max) else {
            throw InitrdError.invalidArgument("SOURCE_DATE_EPOCH='\(text)' is not a time in seconds (0-\(UInt32.max))")
        }
        return value
    }

    /// All entries, merged, with missing parent directories added (0755, root), in
    /// byte order of their paths, so parents come before their children.
    public func resolve() throws -> [InitrdEntry] {
        var byPath: [String: InitrdEntry] = [:]
        var origins: [String: String] = [:]
        for source in sources {
            let origin = source.origin
            switch source {
            case let .deviceTable(table):
                for entry in table.entries() { byPath[entry.path] = entry; origins[entry.path] = origin }
                for change in table.attributeChanges {
                    guard var entry = byPath[change.path] else {
                        throw InitrdError.deviceTableTargetMissing(file: table.origin, line: change.number, path: change.path)
                    }
                    entry.permissions = change.permissions
                    entry.uid = change.uid
                    entry.gid = change.gid
                    byPath[change.path] = entry
                }
            default:
                for var entry in try source.entries() {
                    entry.path = try EntryPath.normalize(entry.path, origin: origin)
                    byPath[entry.path] = entry
                    origins[entry.path] = origin
                }
            }
        }
        for path in Array(byPath.keys) {
            for parent in EntryPath.parents(of: path) {
                if let existing = byPath[parent] {
                    guard existing.kind == .directory else {
                        throw InitrdError.invalidArgument(
                            "\(parent) is not a directory (from \(origins[parent] ?? "?")), but \(path) (from \(origins[path] ?? "?")) is inside it")
                    }
                } else {
                    byPath[parent] = .directory(parent)
                }
            }
        }
        return byPath.values.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
    }
}

extension InitrdSource {
    /// For messages: which source an entry came from.
    public var origin: String {
        switch self {
        case let .directory(path, _, _): path
        case let .deviceTable(table): table.origin
        case let .entries(_, origin): origin
        case let .kernelModules(modules): modules.directory
        }
    }

    func entries() throws -> [InitrdEntry] {
        switch self {
        case let .directory(path, under, preserveOwnership):
            let prefix = under.isEmpty ? "" : try EntryPath.normalize(under, origin: path)
            return try DirectoryScanner(root: path, prefix: prefix, preserveOwnership: preserveOwnership).scan()
        case let .deviceTable(table):
            return table.entries()
        case let .entries(entries, _):
            return entries
        case let .kernelModules(modules):
            return try modules.resolve().entries
        }
    }
}
