import FarmModel
import Mustache

/// The files pxefarm keeps in each NFS-root node's private tree
/// (`nfsroot/<node>/`): host name, hosts, resolv.conf, fstab, network
/// settings, and `pxefarm-node.conf`, which tells the initrd to mount the
/// shared image read-only as / and bind this tree's etc/ and var/ over it.
public enum NodeRootRenderer {
    /// Template path -> path inside the node's tree.
    public static let files: [(template: String, path: String)] = [
        ("nfsroot/node/etc/hostname.mustache", "etc/hostname"),
        ("nfsroot/node/etc/hosts.mustache", "etc/hosts"),
        ("nfsroot/node/etc/resolv.conf.mustache", "etc/resolv.conf"),
        ("nfsroot/node/etc/fstab.mustache", "etc/fstab"),
        ("nfsroot/node/etc/network/interfaces.mustache", "etc/network/interfaces"),
        ("nfsroot/node/pxefarm-node.conf.mustache", "pxefarm-node.conf"),
    ]
    public static var templatePaths: [String] { files.map(\.template) }

    /// The directories of a node's tree that the initrd binds over the shared image.
    public static let privateDirectories = ["etc", "var"]

    struct View: MustacheParent {
        let header, name, fqdn, domain, ip, netmask: String
        let prefix: Int
        let routers: [String]
        let gateway: String?
        let dns: [String]
        let server, sharedRoot, privateRoot, privateDirectories, nfsOptions: String
        let privateDirectoryList: [String]

        /// Named look-ups instead of reflection: a thousand nodes render six files each.
        func child(named name: String) -> Any? {
            switch name {
            case "header": header
            case "name": self.name
            case "fqdn": fqdn
            case "domain": domain
            case "ip": ip
            case "netmask": netmask
            case "prefix": prefix
            case "routers": routers
            case "gateway": gateway
            case "dns": dns
            case "server": server
            case "sharedRoot": sharedRoot
            case "privateRoot": privateRoot
            case "privateDirectories": privateDirectories
            case "nfsOptions": nfsOptions
            case "privateDirectoryList": privateDirectoryList
            default: nil
            }
        }
    }

    /// Every managed file of every NFS-root node, paths relative to the output folder.
    public static func render(_ farm: Farm, with templates: Templates) throws(BootConfigError) -> [RenderedFile] {
        var rendered: [RenderedFile] = []
        let settings = farm.settings
        for boot in farm.nodeBoots {
            guard let privateRoot = boot.rootDirectory, let image = boot.image else { continue }
            let node = boot.node
            let view = View(
                header: GeneratedHeader.text(farm), name: node.name,
                fqdn: settings.domain.isEmpty ? node.name : "\(node.name).\(settings.domain)", domain: settings.domain,
                ip: "\(node.ip)", netmask: "\(settings.subnet.mask)", prefix: settings.subnet.prefixLength,
                routers: settings.routers.map(\.description), gateway: settings.routers.first?.description,
                dns: settings.dnsServers.map(\.description), server: "\(boot.nfsServer)",
                sharedRoot: settings.sharedRootPath(of: image.name), privateRoot: privateRoot,
                privateDirectories: privateDirectories.joined(separator: " "), nfsOptions: settings.nfs.mountOptionsText,
                privateDirectoryList: privateDirectories)
            for file in files {
                rendered.append(RenderedFile(path: "nfsroot/\(node.name)/\(file.path)", text: try templates.render(file.template, view)))
            }
        }
        return rendered
    }
}
