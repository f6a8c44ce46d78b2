/// modules.softdep and modules.alias as depmod writes them: the modules a
/// module wants loaded before it without naming them in modules.dep
/// (`softdep libcrc32c pre: crc32c`), and what such a name stands for
/// (`alias crc32c crc32c_intel`, `alias crc32c crc32c_generic`). modprobe
/// loads them best effort; so does /init, as optional modules. Pure.
public struct ModuleSoftDependencies: Hashable, Sendable {
    /// Module name -> the names (or aliases) to load before it.
    public private(set) var before: [String: [String]] = [:]
    /// Alias -> module names, in file order.
    public private(set) var aliases: [String: [String]] = [:]

    public init(softdep: String, alias: String) {
        for line in softdep.split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard words.count > 2, words[0] == "softdep" else { continue }
            var pre = false
            for word in words.dropFirst(2) {
                if word == "pre:" { pre = true } else if word == "post:" { pre = false } else if pre {
                    before[ModulesDep.canonical(words[1]), default: []].append(word)
                }
            }
        }
        for line in alias.split(separator: "\n") {
            let words = line.split(separator: " ").map(String.init)
            guard words.count == 3, words[0] == "alias" else { continue }
            aliases[words[1], default: []].append(ModulesDep.canonical(words[2]))
        }
    }

    /// `order` with the soft dependencies of each module (and their own
    /// dependencies) loaded just before it; and which of the files that adds.
    public func expand(_ order: [String], table: ModulesDep, modulesDirectory: String) throws -> (order: [String], added: Set<String>) {
        var result: [String] = []
        var seen = Set<String>()
        var added = Set<String>()
        for path in order {
            for wanted in before[ModulesDep.name(ofPath: path) ?? ""] ?? [] {
                let names = table.pathsByName[ModulesDep.canonical(wanted)] != nil ? [ModulesDep.canonical(wanted)] : (aliases[wanted] ?? [])
                for name in names where table.pathsByName[name] != nil {
                    // A file the order holds anyway moves up; only new ones are added.
                    for dependency in try table.loadOrder(for: [name], modulesDirectory: modulesDirectory) where seen.insert(dependency).inserted {
                        if !order.contains(dependency) { added.insert(dependency) }
                        result.append(dependency)
                    }
                }
            }
            if seen.insert(path).inserted { result.append(path) }
        }
        return (result, added)
    }
}
