/// What an NFS-root or RAM-root image must hold for a node to start from it:
/// an init program, and the dynamic loader that program names (an image
/// copied without its ld.so boots to "No such file or directory" on init).
enum ImageCheck {
    static let initPrograms = ["sbin/init", "bin/init", "init"]

    static func check(root: String, image: String) throws(BuildError) {
        guard let program = initPrograms.first(where: { FileSystem.exists(root + "/" + $0) }) else {
            throw .imageIncomplete(image: image, missing: "an init program (\(initPrograms.map { "/" + $0 }.joined(separator: ", "))), which a node runs after switch_root")
        }
        guard let binary = resolve(program, in: root) else {
            throw .imageIncomplete(image: image, missing: "the target of /\(program), a link that leads nowhere inside the image")
        }
        if let loader = try interpreter(of: binary), resolve(String(loader.drop { $0 == "/" }), in: root) == nil {
            throw .imageIncomplete(image: image, missing: "\(loader), the dynamic loader its /\(program) needs")
        }
    }

    /// Follows symlinks inside the image (absolute targets are taken from its
    /// root, not the build machine's); nil when the chain breaks or loops.
    static func resolve(_ path: String, in root: String) -> String? {
        var current = path
        for _ in 0..<32 {
            let absolute = root + "/" + current
            guard let status = FileSystem.status(absolute) else { return nil }
            guard status.kind == .symlink else { return status.kind == .file ? absolute : nil }
            guard let target = FileSystem.readLink(absolute) else { return nil }
            let base = current.split(separator: "/").dropLast().joined(separator: "/")
            current = target.hasPrefix("/") ? String(target.dropFirst()) : (base.isEmpty ? target : base + "/" + target)
            current = normalize(current)
        }
        return nil
    }

    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }

    /// The PT_INTERP path of an ELF program; nil for static binaries,
    /// scripts and anything that is not an ELF file.
    static func interpreter(of path: String) throws(BuildError) -> String? {
        try ELFFile.read(path)?.interpreter
    }

    /// The program a node runs after switch_root, resolved inside the image
    /// (its ELF header tells the image's machine); nil when there is none.
    static func initProgram(in root: String) -> String? {
        for program in initPrograms {
            if let binary = resolve(program, in: root) { return binary }
        }
        return nil
    }
}
