import BootConfig
import FarmModel
import FileIO
import Initrd

/// Everything a farm's build makes, as outputs: the TFTP tree, the shared
/// image trees and each NFS-root node's private tree. Reads the images'
/// directories to list their files; writes nothing but the extraction of
/// root tarballs (see `TarballRoot`), which it then reads like directories.
public struct FarmOutputs {
    /// The farm as built: installed kernels applied, and once `outputs()` ran,
    /// each tarball root replaced by its extracted tree.
    public private(set) var farm: Farm
    public let templates: Templates
    public let programs: BootPrograms
    /// Kernels installed with `pxefarm kernel install`, and where their modules are.
    let kernels: KernelRecord
    let modules: [String: String]
    /// The output folder's .pxefarm state folder (kernels, extracted roots).
    let state: String
    /// Device nodes and FIFOs of tarball roots, recorded instead of made.
    private var tarballNodes: [String: [ImageTree.Entry]] = [:]

    public init(farm: Farm, templates: Templates, programs: BootPrograms = BootPrograms(), kernels: KernelRecord = KernelRecord(), state: String = "") {
        let applied = kernels.apply(to: farm, state: state)
        self.farm = applied.farm
        self.modules = applied.modules
        self.kernels = kernels
        self.state = state
        self.templates = templates
        self.programs = programs
    }

    /// Paths the image trees hold that cannot be built (sockets), for the report.
    public private(set) var skipped: [String] = []
    /// What was read from disk besides the outputs' sources: every entry of
    /// the image trees listed (a folder's signature changes when a name is
    /// added or removed) and the root tarballs extracted. The build cache
    /// keeps their signatures.
    public private(set) var watched: Set<String> = []

    public mutating func outputs() throws(BuildError) -> [BuildOutput] {
        try extractTarballRoots()
        var outputs: [BuildOutput] = []
        outputs += try tftpTree()
        outputs += try configuration()
        for image in farm.images where farm.services.contains(where: { $0.image == image.name }) {
            outputs += try sharedImage(image)
        }
        outputs += try nodeTrees()
        if !kernels.images.isEmpty {
            outputs.append(BuildOutput(KernelRecord.fileName, .text(try kernels.encoded()), group: .image, inputs: ["pxefarm kernel install"]))
        }
        return outputs
    }

    /// Extracts the root tarball of every image a service boots (once per
    /// content, under `.pxefarm/roots`) and points the image at the tree.
    /// Trees no image uses any more are removed.
    mutating func extractTarballRoots() throws(BuildError) {
        guard !state.isEmpty else { return }
        let cache = state + "/" + Self.extractedRoots
        var used = Set<String>()
        for index in farm.images.indices where farm.images[index].rootIsTarball {
            let image = farm.images[index]
            guard farm.services.contains(where: { $0.image == image.name }) else { continue }
            watched.insert(image.root)
            let extracted = try TarballRoot(tarball: image.root, image: image.name, cache: cache).extract()
            farm.images[index].root = extracted.tree
            tarballNodes[image.name] = extracted.nodes
            used.insert(PathName.baseName(PathName.directoryName(extracted.tree)))
        }
        try TarballRoot.prune(cache, keeping: used)
    }

    /// Where tarball roots are extracted, inside the state folder.
    public static let extractedRoots = "roots"

    /// The entries of an image's root under `subtree`: its tree on disk, and
    /// for a tarball root the nodes extraction recorded.
    mutating func imageEntries(_ image: Image, under subtree: String = "") throws(BuildError) -> [ImageTree.Entry] {
        var entries = try ImageTree(root: image.root).entries(under: subtree, skipped: &skipped)
        for entry in entries { watched.insert(entry.path.isEmpty ? image.root : image.root + "/" + entry.path) }
        if entries.isEmpty { watched.insert(subtree.isEmpty ? image.root : image.root + "/" + subtree) }
        entries += (tarballNodes[image.name] ?? []).filter { subtree.isEmpty || $0.path.hasPrefix(subtree + "/") }
        return entries
    }

    /// `tftpboot/X86PC/UNDI/<service>/linux.<layer>` for each layer of each
    /// service that boots an image: 0 the boot program, 1 the kernel, 2 the
    /// initrd; and the UEFI folder beside it (`efiTree`).
    func tftpTree() throws(BuildError) -> [BuildOutput] {
        var outputs: [BuildOutput] = []
        for service in farm.services where !service.isLocalBoot {
            guard let name = service.image, let image = farm.image(named: name) else { continue }
            let directory = "tftpboot/X86PC/UNDI/\(service.name)"
            for layer in service.layers {
                let path = "tftpboot/" + service.bootFile(layer: layer)
                switch layer {
                case 0:
                    outputs.append(BuildOutput(path, .copy(source: bootProgram(image), mode: 0o644), group: .tftp, inputs: ["images.\(image.name).nbp: \(bootProgram(image))"]))
                    if image.bootsWithSyslinux {
                        outputs.append(BuildOutput(directory + "/ldlinux.c32", .copy(source: programs.ldlinux, mode: 0o644), group: .tftp, inputs: [programs.ldlinux]))
                    }
                case 1:
                    outputs.append(BuildOutput(path, .copy(source: image.kernel, mode: 0o644), group: .tftp, inputs: ["images.\(image.name).kernel: \(image.kernel)"]))
                case 2:
                    let recipe = InitrdRecipe(image: image, templates: templates.siteDirectory, modulesDirectory: modules[image.name], nfsOptions: farm.settings.nfs.mountOptionsText)
                    outputs.append(BuildOutput(path, .produced(recipe), group: .tftp, inputs: ["static busybox (the build host's, else the image's)", "images.\(image.name).root: lib/modules", "images.\(image.name).initrd", "farm.nfs", "initrd templates in \(templates.origin)"]))
                default:
                    continue
                }
            }
            outputs += try efiTree(service, image: image)
        }
        return outputs
    }

    /// `tftpboot/EFI/X64/<service>/` beside the BIOS folder, for x86-64 UEFI
    /// clients: the image's UEFI boot program as linux.<first layer> (with
    /// grubx64.efi or ldlinux.e64 beside it), and the service's other layers
    /// as links to the BIOS folder's files, so the kernel and initrd are on
    /// disk once. Nothing for `efi: none`.
    func efiTree(_ service: Service, image: Image) throws(BuildError) -> [BuildOutput] {
        let first = service.layers.lowerBound
        let parts = programs.parts(of: image.efiBootProgram, bootFile: "linux.\(first)")
        guard !parts.isEmpty else { return [] }
        let directory = "tftpboot/" + PathName.directoryName(service.efiBootFile(layer: first))
        var outputs: [BuildOutput] = []
        for part in parts {
            guard FileSystem.status(part.source) != nil else {
                throw .bootProgramMissing(image: image.name, program: "\(image.efiBootProgram)", path: part.source, package: part.package)
            }
            outputs.append(BuildOutput(directory + "/" + part.name, .copy(source: part.source, mode: 0o644), group: .tftp,
                                       inputs: ["images.\(image.name).efi: \(part.source)"]))
        }
        let up = String(repeating: "../", count: directory.split(separator: "/").count - 1)
        for layer in service.layers where layer != first {
            outputs.append(BuildOutput(directory + "/linux.\(layer)", .symlink(target: up + service.bootFile(layer: layer)), group: .tftp,
                                       inputs: ["services.\(service.name): layer \(layer), once on disk"]))
        }
        return outputs
    }

    /// etc/ (dhcpd.conf, pxe.conf, Kea, dnsmasq, exports, services) and the
    /// pxelinux.cfg files, rendered from the templates; and each NFS-root
    /// node's managed files (hostname, hosts, fstab, ...).
    func configuration() throws(BuildError) -> [BuildOutput] {
        do {
            let shared = try BootConfiguration.render(farm, with: templates).map { file in
                BuildOutput(file.path, .text(file.text), group: file.path.hasPrefix("etc/") ? .config : .tftp, inputs: ["farm file", "templates in \(templates.origin)"])
            }
            let nodes = try NodeRootRenderer.render(farm, with: templates).map { file in
                BuildOutput(file.path, .text(file.text), group: .nodeRoots, inputs: ["farm file", "templates in \(templates.origin)"], placement: .nodeManaged)
            }
            return shared + nodes
        } catch {
            throw .configuration(error)
        }
    }

    func bootProgram(_ image: Image) -> String {
        switch image.biosBootProgram(httpBoot: farm.settings.httpBoot) {
        case .pxelinux: programs.pxelinux
        case .lpxelinux: programs.lpxelinux
        case .ipxe: programs.ipxe
        case .file(let path): path
        }
    }

    /// `shared/<image>/...`: the image once, plus its System.map.
    mutating func sharedImage(_ image: Image) throws(BuildError) -> [BuildOutput] {
        guard !image.rootIsTarball else { throw .unsupportedRoot(image: image.name, path: image.root) }  // no state folder to extract it into
        if farm.services.contains(where: { $0.image == image.name && $0.root != .local }) {
            try ImageCheck.check(root: image.root, image: image.name)
        }
        let base = OutputLayout.sharedImages + "/" + image.name
        var outputs = try imageEntries(image).map { entry in
            var content = entry.content
            if case .hardLink(let first, let source, let mode) = content { content = .hardLink(to: base + "/" + first, source: source, mode: mode) }
            return BuildOutput(entry.path.isEmpty ? base : base + "/" + entry.path, content, group: .image, inputs: ["images.\(image.name).root"], attributes: entry.attributes)
        }
        // One MAKEDEV-style /dev for every node of the image, read-only like the
        // rest of it (a device node works on a read-only mount); devtmpfs, which
        // the initrd mounts over it, takes over when the kernel has it.
        let devices = Set(Self.deviceTable.map { base + "/" + $0.path })
        outputs.removeAll { devices.contains($0.path) }
        outputs += Self.deviceTable.map { BuildOutput(base + "/" + $0.path, $0.content, group: .image, inputs: ["MAKEDEV generic"]) }
        if let map = image.systemMap {
            outputs.removeAll { $0.path == base + "/System.map" }
            outputs.append(BuildOutput(base + "/System.map", .copy(source: map, mode: 0o644), group: .image, inputs: ["images.\(image.name).system-map: \(map)"]))
        }
        return outputs
    }

    /// A MAKEDEV-style /dev (`MAKEDEV generic`) for each shared image: made
    /// with mknod when the build runs as root, otherwise listed as not made
    /// (the initrd carries the nodes the kernel needs, and devtmpfs the rest).
    static let deviceTable: [ImageTree.Entry] = MakedevGeneric.entries(under: "dev").compactMap { entry in
        let content: OutputContent
        switch entry.kind {
        case .directory: content = .directory(mode: entry.permissions)
        case .characterDevice(let major, let minor): content = .node(mode: 0o020000 | entry.permissions, device: deviceNumber(major, minor))
        case .blockDevice(let major, let minor): content = .node(mode: 0o060000 | entry.permissions, device: deviceNumber(major, minor))
        case .fifo: content = .node(mode: 0o010000 | entry.permissions, device: 0)
        case .symlink(let target): content = .symlink(target: target)
        case .file: return nil
        }
        return ImageTree.Entry(path: entry.path, content: content)
    }

    /// Linux's dev_t encoding (glibc's makedev).
    static func deviceNumber(_ major: UInt32, _ minor: UInt32) -> UInt64 {
        let major = UInt64(major), minor = UInt64(minor)
        return (minor & 0xFF) | ((major & 0xFFF) << 8) | ((minor & ~0xFF) << 12) | ((major & ~0xFFF) << 32)
    }

    /// `nfsroot/<node>/`: for every NFS-root node, one tree made when the node
    /// is new (its private etc/ and var/ copied from its image), its own
    /// identity (machine id, SSH host keys; see `NodeIdentity`), and the
    /// node's own files, which pxefarm keeps up to date.
    mutating func nodeTrees() throws(BuildError) -> [BuildOutput] {
        var seeds: [String: [ImageTree.Entry]] = [:]
        var outputs: [BuildOutput] = []
        for node in farm.nodes {
            guard let (service, image) = farm.boot(of: node), service.root == .nfs, let image else { continue }
            if seeds[image.name] == nil {
                seeds[image.name] = try (imageEntries(image, under: "etc") + imageEntries(image, under: "var"))
                    .filter { !(image.identity && NodeIdentity.notSeeded.contains($0.path)) }
            }
            let base = OutputLayout.nodeRoots + "/" + node.name
            outputs.append(BuildOutput(base, .tree(seeds[image.name] ?? []), group: .nodeRoots,
                                       inputs: ["images.\(image.name).root: etc, var"], placement: .nodeSeed))
            if image.identity {
                for piece in NodeIdentity.pieces(node: node.name, imageRoot: image.root) {
                    outputs.append(BuildOutput(base + "/" + piece.path, .produced(piece), group: .nodeRoots,
                                               inputs: ["the node's own identity (images.\(image.name).identity)"], placement: .nodeIdentity))
                }
            }
            for file in node.files {
                let target = String(file.target.drop { $0 == "/" })
                let mode = FileSystem.status(file.source)?.mode ?? 0o644
                outputs.append(BuildOutput(base + "/" + target, .copy(source: file.source, mode: mode), group: .nodeRoots, inputs: ["nodes: \(node.name).files: \(file.source)"], placement: .nodeManaged))
            }
        }
        return outputs
    }
}
