#if canImport(Glibc)
import Glibc
#endif

import FarmModel

/// `pxefarm kernel install`: keeps a new kernel (with its System.map and
/// modules) in the output folder's kernel store, and works out the record the
/// next build uses. The build then touches exactly linux.1, the initrds and
/// the System.map copies of that image.
public struct KernelInstaller {
    public let layout: OutputLayout

    public init(layout: OutputLayout) { self.layout = layout }

    /// Copies the kernel into `.pxefarm/kernels/<image>/<version>/` and returns
    /// the record with it in place for `image`. Refuses a kernel whose modules
    /// the image's initrd needs and that cannot be found.
    public func install(kernel path: String, systemMap: String?, modules: String?, image: Image, current: KernelRecord) throws(BuildError) -> (record: KernelRecord, version: String) {
        let kernel = try KernelImage(path: path)
        let version = kernel.version
        let moduleSource = try modulesFolder(version: version, given: modules, image: image)
        let relative = "kernels/\(image.name)/\(version)"
        let target = layout.state + "/" + relative
        let staging = target + ".partial"
        try FileSystem.removeTree(staging)
        try FileSystem.makeDirectories(staging)
        try FileSystem.copyFile(from: path, to: staging + "/vmlinuz", mode: 0o644)
        if let systemMap { try FileSystem.copyFile(from: systemMap, to: staging + "/System.map", mode: 0o644) }
        if let moduleSource { try copyTree(moduleSource, to: staging + "/modules") }
        try FileSystem.removeTree(target)
        try FileSystem.rename(staging, target)
        var record = current
        record.images[image.name] = KernelRecord.Installed(
            version: version, kernel: relative + "/vmlinuz",
            systemMap: systemMap == nil ? nil : relative + "/System.map",
            modules: moduleSource == nil ? nil : relative + "/modules")
        return (record, version)
    }

    /// `--modules DIR` (a lib/modules/<version> tree, or a folder holding
    /// lib/modules/<version> or <version>), else the image's own
    /// lib/modules/<version>; nil when the initrd loads no modules.
    func modulesFolder(version: String, given: String?, image: Image) throws(BuildError) -> String? {
        var candidates: [String] = []
        if let given { candidates = [given, given + "/" + version, given + "/lib/modules/" + version] }
        var root = image.root
        if image.rootIsTarball, given == nil, !image.initrd.modules.isEmpty {
            root = try TarballRoot(tarball: image.root, image: image.name, cache: layout.state + "/" + FarmOutputs.extractedRoots).extract().tree
        }
        candidates.append(root + "/lib/modules/" + version)
        let found = candidates.first { FileSystem.exists($0 + "/modules.dep") }
        if found == nil, !image.initrd.modules.isEmpty {
            throw .kernelModulesMissing(version: version, image: image.name, modules: image.initrd.modules, looked: candidates)
        }
        return given == nil ? nil : found
    }

    private func copyTree(_ source: String, to target: String) throws(BuildError) {
        guard let status = FileSystem.status(source) else { return }
        switch status.kind {
        case .directory:
            try FileSystem.makeDirectories(target, mode: mode_t(status.mode))
            for name in try FileSystem.list(source) { try copyTree(source + "/" + name, to: target + "/" + name) }
        case .file:
            try FileSystem.copyFile(from: source, to: target, mode: mode_t(status.mode))
        case .symlink:
            if let link = FileSystem.readLink(source) { try FileSystem.symbolicLink(link, at: target) }
        case .other:
            return
        }
    }
}
