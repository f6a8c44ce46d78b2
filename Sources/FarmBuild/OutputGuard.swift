import FarmModel

/// Refuses output folders a build must never write into: `/`, an image's
/// own root (or a folder inside it), and a non-empty folder pxefarm did not make.
enum OutputGuard {
    static func check(_ root: String, farm: Farm) throws(BuildError) {
        guard !root.isEmpty else { throw .refusedOutput(path: root, reason: "the output folder is empty") }
        let resolved = FileSystem.realPath(root) ?? root
        if resolved == "/" { throw .refusedOutput(path: root, reason: "it is the root of the file system") }
        for image in farm.images {
            guard let imageRoot = FileSystem.realPath(image.root) else { continue }
            if resolved == imageRoot || resolved.hasPrefix(imageRoot + "/") {
                throw .refusedOutput(path: root, reason: "it is inside image \(image.name)'s root \(image.root)")
            }
            if imageRoot.hasPrefix(resolved + "/") {
                throw .refusedOutput(path: root, reason: "image \(image.name)'s root \(image.root) lies inside it")
            }
        }
        guard let status = FileSystem.status(root) else { return }
        guard status.kind == .directory else { throw .refusedOutput(path: root, reason: "it is not a directory") }
        let names = (try? FileSystem.list(root)) ?? []
        if !names.isEmpty, !names.contains(".pxefarm") {
            throw .refusedOutput(path: root, reason: "it is not empty and was not made by pxefarm (no .pxefarm inside)")
        }
    }
}
