/// The `images:` section: the files each image is made from must be there.
enum ImageRules {
    static func check(_ images: [Image], context: ValidationContext) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for image in images {
            let base = FieldPath("images") / image.name
            if !TextRules.isDirectoryName(image.name) {
                found.append(.error(base, "\"\(image.name)\" is not a usable image name (letters, digits, '-', '_', '.'; at most 64)"))
            }
            if context.has(base / "root") {
                found += expect(image.rootIsTarball ? .file : .directory, at: image.root, base / "root", what: image.rootIsTarball ? "root tarball" : "root directory", context)
            }
            if context.has(base / "kernel") {
                found += expect(.file, at: image.kernel, base / "kernel", what: "kernel", context)
            }
            if let map = image.systemMap, context.has(base / "system-map") {
                found += expect(.file, at: map, base / "system-map", what: "System.map", context)
            }
            if case .file(let path) = image.networkBootProgram, context.has(base / "nbp") {
                found += expect(.file, at: path, base / "nbp", what: "network boot program", context)
            }
            if case .file(let path) = image.efiBootProgram, context.has(base / "efi") {
                found += expect(.file, at: path, base / "efi", what: "EFI boot program", context)
            }
            let initrd = base / "initrd"
            if let level = image.initrd.level, context.has(initrd / "level") {
                if let levels = image.initrd.compression.levels {
                    if !levels.contains(level) {
                        found.append(.error(initrd / "level", "\(image.initrd.compression.rawValue) takes levels \(levels.lowerBound)-\(levels.upperBound), not \(level)"))
                    }
                } else {
                    found.append(.warning(initrd / "level", "compression none takes no level; \(level) is ignored"))
                }
            }
            for (index, module) in image.initrd.modules.enumerated() where !isModuleName(module) {
                found.append(.error((initrd / "modules")[index], "\"\(module)\" is not a kernel module name (letters, digits, '_' and '-', no path or .ko)"))
            }
            found += checkExtraFiles(image.initrd.files, at: initrd / "files", context)
        }
        return found
    }

    /// Extra files: absolute targets inside the tree, sources that exist.
    static func checkExtraFiles(_ files: [ExtraFile], at path: FieldPath, _ context: ValidationContext) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for (index, file) in files.enumerated() {
            let entry = path[index]
            let parts = file.target.split(separator: "/")
            if !file.target.hasPrefix("/") || parts.contains("..") || parts.contains(".") || parts.isEmpty {
                found.append(.error(entry / "target", "\"\(file.target)\" must be an absolute path inside the tree, without '.' or '..'"))
            }
            found += expect(.file, at: file.source, entry / "source", what: "file", context)
        }
        return found
    }

    static func expect(_ kind: FileProbe.Kind, at path: String, _ field: FieldPath, what: String, _ context: ValidationContext) -> [Diagnostic] {
        guard let files = context.files else { return [] }
        switch files.kind(of: path) {
        case nil: return [.error(field, "\(what) \(path) does not exist")]
        case kind: return []
        case .directory: return [.error(field, "\(what) \(path) is a directory, not a file")]
        case .file: return [.error(field, "\(what) \(path) is a file, not a directory")]
        }
    }

    static func isModuleName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && !name.hasSuffix(".ko") &&
            name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }
}
