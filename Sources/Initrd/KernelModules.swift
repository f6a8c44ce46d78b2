import Glibc

/// A selection of kernel modules from a modules tree (`.../lib/modules/<version>`):
/// the named modules with their dependency closure from modules.dep, plus the
/// `modules.*` index files, placed at `lib/modules/<version>/` in the initrd.
public struct KernelModules: Hashable, Sendable {
    /// The `lib/modules/<version>` directory; its last component is the version.
    public var directory: String
    public var names: [String]

    public init(directory: String, names: [String]) {
        self.directory = directory
        self.names = names
    }

    public var version: String {
        directory.split(separator: "/").last.map(String.init) ?? directory
    }

    /// Everything the initrd needs for these modules, and the load order (paths
    /// relative to the version directory) that /init follows.
    public func resolve() throws -> (entries: [InitrdEntry], loadOrder: [String]) {
        let resolved = try resolveWithClasses()
        return (resolved.entries, resolved.loadOrder)
    }

    /// As `resolve()`, with the modules that only a class (such as `net`) or
    /// a soft dependency (modules.softdep) brought in: /init loads those when
    /// they load and goes on when one does not (a driver whose hardware or
    /// firmware is absent, crc32c_intel without SSE 4.2), while a named
    /// module or one of its modules.dep dependencies that fails stops the boot.
    public func resolveWithClasses() throws -> (entries: [InitrdEntry], loadOrder: [String], optional: Set<String>) {
        let depPath = directory + "/modules.dep"
        var info = stat()
        guard stat(depPath, &info) == 0 else {
            if errno == ENOENT { throw InitrdError.modulesDepMissing(path: depPath) }
            throw InitrdError.io(path: depPath, doing: "stat", errno: errno)
        }
        let text = try FileReading.text(of: depPath)
        let table = try ModulesDep(parsing: text, origin: depPath)
        let named = names.filter { ModulesDep.classes[$0] == nil }
        let classMembers = names.compactMap { table.members(ofClass: $0) }.flatMap { $0 }
        let required = try table.loadOrder(for: named, modulesDirectory: directory)
        let direct = try table.loadOrder(for: named + classMembers, modulesDirectory: directory)
        // Soft dependencies (crc32c before libcrc32c) load best effort, as modprobe does.
        let soft = ModuleSoftDependencies(softdep: (try? FileReading.text(of: directory + "/modules.softdep")) ?? "",
                                          alias: (try? FileReading.text(of: directory + "/modules.alias")) ?? "")
        let (order, _) = try soft.expand(direct, table: table, modulesDirectory: directory)
        let optional = Set(order).subtracting(required)
        let base = "lib/modules/\(version)"
        var entries: [InitrdEntry] = []
        for relative in order {
            let entryPath = try EntryPath.normalize(base + "/" + relative, origin: depPath)
            entries.append(try Self.fileEntry(path: directory + "/" + relative, entryPath: entryPath,
                                             missing: { InitrdError.modulesDep(file: depPath, line: 0, message: "lists \(relative), which is not in \(directory)") }))
        }
        for index in try Self.indexFiles(in: directory) {
            entries.append(try Self.fileEntry(path: directory + "/" + index, entryPath: base + "/" + index, missing: nil))
        }
        return (entries, order, optional)
    }

    /// modules.dep, modules.dep.bin, modules.alias, modules.order, ... in the version directory.
    static func indexFiles(in directory: String) throws -> [String] {
        guard let handle = opendir(directory) else {
            throw InitrdError.io(path: directory, doing: "open the directory", errno: errno)
        }
        defer { closedir(handle) }
        var names: [String] = []
        while let item = readdir(handle) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name.hasPrefix("modules.") { names.append(name) }
        }
        return names.sorted()
    }

    static func fileEntry(path: String, entryPath: String, missing: (() -> InitrdError)?) throws -> InitrdEntry {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT, let missing { throw missing() }
            throw InitrdError.io(path: path, doing: "stat", errno: errno)
        }
        guard info.st_mode & S_IFMT == S_IFREG else { throw InitrdError.invalidArgument("\(path): not a regular file") }
        let file = DiskFile(path: path, size: Int64(info.st_size), device: UInt64(info.st_dev), inode: UInt64(info.st_ino),
                            modificationSeconds: Int(info.st_mtim.tv_sec), modificationNanoseconds: Int(info.st_mtim.tv_nsec))
        return InitrdEntry(path: entryPath, kind: .file(.disk(file)), permissions: 0o644)
    }
}
