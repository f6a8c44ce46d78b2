/// modules.dep as depmod writes it: `kernel/fs/nfs/nfs.ko: kernel/net/sunrpc/sunrpc.ko ...`,
/// paths relative to lib/modules/<version>. Pure: parses text, answers closures.
public struct ModulesDep: Hashable, Sendable {
    /// Module file path -> the paths it depends on, as listed.
    public private(set) var dependencies: [String: [String]] = [:]
    /// Module name (`nfs`, `virtio_net`; `-` read as `_`) -> file path.
    public private(set) var pathsByName: [String: String] = [:]

    public init(parsing text: String, origin: String) throws {
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: " \t\r")
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw InitrdError.modulesDep(file: origin, line: index + 1, message: "expected 'module.ko: dependencies', found no ':'")
            }
            let path = String(line[..<colon])
            guard !path.isEmpty, !path.contains(" "), Self.name(ofPath: path) != nil else {
                throw InitrdError.modulesDep(file: origin, line: index + 1, message: "'\(path)' is not a module file (.ko, .ko.xz, .ko.gz, .ko.zst)")
            }
            let deps = line[line.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            dependencies[path] = deps
            if let name = Self.name(ofPath: path) { pathsByName[name] = path }
        }
    }

    /// `kernel/net/sunrpc/sunrpc.ko.xz` -> `sunrpc`; `nfs-layout.ko` -> `nfs_layout`.
    public static func name(ofPath path: String) -> String? {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        for suffix in [".ko", ".ko.xz", ".ko.gz", ".ko.zst"] where file.hasSuffix(suffix) {
            return canonical(String(file.dropLast(suffix.count)))
        }
        return nil
    }

    public static func canonical(_ name: String) -> String {
        name.replacingAll("-", with: "_")
    }

    /// Classes of modules `initrd.modules` may name besides modules: `net` is
    /// every Ethernet driver of the kernel (kernel/drivers/net/ethernet) and
    /// the virtio network driver with its PCI transport, so that one initrd
    /// boots every node model of a site.
    public static let classes: [String: (prefixes: [String], names: [String])] = [
        "net": (["kernel/drivers/net/ethernet/"], ["virtio_net", "virtio_pci"]),
    ]

    /// The module names of a class, sorted; nil when `name` is no class.
    public func members(ofClass name: String) -> [String]? {
        guard let members = Self.classes[name] else { return nil }
        var found = Set(members.names.filter { pathsByName[$0] != nil })
        for path in dependencies.keys where members.prefixes.contains(where: { path.hasPrefix($0) }) {
            if let module = Self.name(ofPath: path) { found.insert(module) }
        }
        return found.sorted()
    }

    /// The files to load for `names`, dependencies before dependents, each once, in
    /// an order `insmod` can follow. Throws for a name not in the table.
    public func loadOrder(for names: [String], modulesDirectory: String) throws -> [String] {
        var order: [String] = []
        var seen: Set<String> = []
        func visit(_ path: String, chain: [String]) throws {
            if seen.contains(path) { return }
            guard let deps = dependencies[path] else {
                throw InitrdError.modulesDep(file: modulesDirectory + "/modules.dep", line: 0,
                                             message: "\(chain.last ?? path) depends on \(path), which has no line of its own")
            }
            seen.insert(path)
            // depmod lists dependencies with the deepest last; load those first.
            for dep in deps.reversed() { try visit(dep, chain: chain + [path]) }
            order.append(path)
        }
        for name in names {
            guard let path = pathsByName[Self.canonical(name)] else {
                throw InitrdError.moduleNotFound(name: name, modulesDirectory: modulesDirectory)
            }
            try visit(path, chain: [])
        }
        return order
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> Substring {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return slice
    }
}

extension String {
    func replacingAll(_ character: Character, with replacement: Character) -> String {
        String(map { $0 == character ? replacement : $0 })
    }
}
