import FarmModel

/// /etc/exports: each image's shared root read-only to the subnet, and each
/// NFS-root node's private tree read-write, without root squashing, to that
/// node's address only (reference digest §5).
public enum ExportsRenderer: ConfigRenderer {
    public static let outputPath = "etc/exports"
    public static let templatePaths = ["etc/exports.mustache"]

    struct View {
        let header: String
        let shared: [Export]
        let nodes: [Export]
    }

    struct Export {
        let path: String
        let client: String
    }

    public static func render(_ farm: Farm, with templates: Templates) throws(BootConfigError) -> [RenderedFile] {
        let settings = farm.settings
        let roots = farm.nodeBoots.compactMap { boot in
            boot.rootDirectory.flatMap { path in boot.image.map { (node: boot.node, path: path, image: $0.name) } }
        }
        var images: [String] = []
        for root in roots where !images.contains(root.image) { images.append(root.image) }
        let subnet = "\(settings.subnet.network)/\(settings.subnet.mask)"
        let view = View(
            header: GeneratedHeader.text(farm),
            shared: images.map { Export(path: settings.sharedRootPath(of: $0), client: subnet) },
            nodes: roots.map { Export(path: $0.path, client: "\($0.node.ip)") })
        return [RenderedFile(path: outputPath, text: try templates.render(templatePaths[0], view))]
    }
}
