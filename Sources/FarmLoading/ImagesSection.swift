import FarmModel

/// Reads `images:`, a mapping from image name to its files and initrd settings.
enum ImagesSection {
    static let keys = ["root", "kernel", "system-map", "nbp", "efi", "initrd", "identity"]
    static let initrdKeys = ["compression", "level", "modules", "files"]

    static func read(_ node: YAMLNode?, context: LoadContext) -> [Image] {
        guard let node else { return [] }
        let path: FieldPath = "images"
        context.record(path, at: node)
        guard case .mapping(let mapping) = node else {
            context.unusable(path, "expected a mapping from image name to image, found \(YAMLMapping.describe(node))")
            return []
        }
        var images: [Image] = []
        for (key, value) in mapping {
            guard case .scalar(let name) = key else { continue }
            guard let map = YAMLMapping(value, at: path / name.string, keys: keys, context: context) else { continue }
            context.record(path / name.string, at: key)
            images.append(read(map, name: name.string, context: context))
        }
        return images
    }

    static func read(_ map: YAMLMapping, name: String, context: LoadContext) -> Image {
        let root = map.filePath("root", required: true) ?? ""
        let kernel = map.filePath("kernel", required: true) ?? ""
        var image = Image(name: name, root: root, kernel: kernel, systemMap: map.filePath("system-map"))
        image.networkBootProgram = readNBP(map, context: context)
        image.efiBootProgram = readEFI(map, context: context)
        image.identity = map.bool("identity") ?? true
        if let initrd = map.mapping("initrd", keys: initrdKeys) {
            image.initrd.compression = initrd.choice("compression", of: Compression.self) ?? .gzip
            image.initrd.level = initrd.int("level", in: 0...22)
            image.initrd.modules = initrd.list("modules").compactMap { initrd.scalar($0.node, at: $0.path) }
            image.initrd.files = ExtraFiles.read(initrd, key: "files", context: context)
        }
        return image
    }

    /// `nbp: pxelinux`, `nbp: ipxe`, or `nbp: {file: path}`.
    static func readNBP(_ map: YAMLMapping, context: LoadContext) -> NetworkBootProgram {
        guard let node = map.value("nbp") else { return .pxelinux }
        if case .mapping = node {
            guard let file = map.mapping("nbp", keys: ["file"]), let path = file.filePath("file", required: true) else { return .pxelinux }
            return .file(path)
        }
        switch map.string("nbp") {
        case "pxelinux": return .pxelinux
        case "lpxelinux": return .lpxelinux
        case "ipxe": return .ipxe
        case let other?:
            context.unusable(map.path / "nbp", "\"\(other)\" is not a network boot program; say pxelinux, lpxelinux, ipxe, or {file: PATH}" + Suggestion.didYouMean(other, among: ["pxelinux", "lpxelinux", "ipxe"]))
            return .pxelinux
        case nil: return .pxelinux
        }
    }
}

extension ImagesSection {
    /// `efi: shim-grub` (the default), `grub`, `ipxe`, `syslinux`, `none`, or `efi: {file: path}`.
    static func readEFI(_ map: YAMLMapping, context: LoadContext) -> EFIBootProgram {
        guard let node = map.value("efi") else { return .shimGrub }
        if case .mapping = node {
            guard let file = map.mapping("efi", keys: ["file"]), let path = file.filePath("file", required: true) else { return .shimGrub }
            return .file(path)
        }
        guard let name = map.string("efi") else { return .shimGrub }
        if let program = EFIBootProgram(name: name) { return program }
        let choices = EFIBootProgram.names.joined(separator: ", ")
        context.unusable(map.path / "efi", "\"\(name)\" is not a UEFI boot program; say \(choices), or {file: PATH}" + Suggestion.didYouMean(name, among: EFIBootProgram.names))
        return .shimGrub
    }
}

/// `files:` of an image's initrd or of a node: a mapping from the path in
/// the target tree to the file on the build machine.
enum ExtraFiles {
    static func read(_ map: YAMLMapping, key: String, context: LoadContext) -> [ExtraFile] {
        guard let node = map.value(key) else { return [] }
        let base = map.path / key
        guard case .mapping(let mapping) = node else {
            context.unusable(base, "expected a mapping from target path to source file, such as {/etc/motd: files/motd}")
            return []
        }
        var files: [ExtraFile] = []
        for (index, (target, source)) in mapping.enumerated() {
            context.record(base[index] / "target", at: target)
            context.record(base[index] / "source", at: source)
            guard let targetText = map.scalar(target, at: base[index] / "target"),
                  let sourceText = map.scalar(source, at: base[index] / "source") else { continue }
            files.append(ExtraFile(target: targetText, source: context.resolve(sourceText)))
        }
        return files
    }
}
