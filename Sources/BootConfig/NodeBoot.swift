import FarmModel
import NetbootWire

/// What one node boots, worked out once for every renderer: its service,
/// the service's image, the boot file, the NFS root and the servers it uses.
struct NodeBoot {
    let node: Node
    let service: Service
    let image: Image?
    let settings: FarmSettings
    /// Its home NFS server (farm.server without `servers:`).
    let nfsServer: IPv4Address
    /// dhcpd's `next-server`: the answering server (farm.server) when it
    /// serves TFTP, else the node's first boot server.
    let nextServer: IPv4Address
    /// With `servers:`, option 17 names the home NFS server as `SERVER:PATH`.
    let namesServer: Bool

    /// `X86PC/UNDI/<service>/linux.0`, the network boot program; nil for local boot.
    var bootFile: String? { image == nil || service.isLocalBoot ? nil : service.bootFile(layer: service.layers.lowerBound) }

    /// The node's private tree on its NFS server (the export): only for NFS roots.
    var rootDirectory: String? { service.root == .nfs && image != nil ? settings.rootPath(of: node.name) : nil }

    /// DHCP option 17: the tree, prefixed by its server when the farm has several.
    var rootPath: String? { rootDirectory.map { namesServer ? "\(nfsServer):\($0)" : $0 } }

    /// The kernel command line pxelinux passes for this node.
    var kernelArguments: String { KernelArguments.line(service: service, settings: settings, node: node, nfsServer: nfsServer) }
}

extension Farm {
    /// Every node whose service exists, in farm order (a validated farm has no others).
    var nodeBoots: [NodeBoot] {
        let answersTFTP = effectiveServers.contains { $0.address == settings.server && $0.has(.tftp) }
        return nodes.compactMap { node in
            boot(of: node).map {
                NodeBoot(node: node, service: $0.service, image: $0.image, settings: settings,
                         nfsServer: nfsServerAddress(of: node),
                         nextServer: answersTFTP ? settings.server : bootServers(of: node).first?.address ?? settings.server,
                         namesServer: !servers.isEmpty)
            }
        }
    }
}

/// The kernel command line of a service, and of one node of it.
enum KernelArguments {
    /// NFS root: `root=/dev/nfs nfsroot=SERVER:PATH ip=dhcp rw` (SERVER the
    /// node's home NFS server), then the service's and the node's own
    /// arguments; a node of an install service
    /// (one with a kickstart template) also gets `inst.ks=` with the URL
    /// `pxefarm serve` answers its kickstart file on. Without a node (pxelinux's
    /// `default`) there is no path of its own: the kernel takes the root
    /// path from DHCP option 17. RAM root: `ip=dhcp` and the arguments.
    static func line(service: Service, settings: FarmSettings, node: Node?, nfsServer: IPv4Address? = nil) -> String {
        var words: [String] = []
        switch service.root {
        case .nfs:
            words = ["root=/dev/nfs"]
            if let node { words.append("nfsroot=\(nfsServer ?? settings.server):\(settings.rootPath(of: node.name))") }
            words += ["ip=dhcp", "rw"]
        case .ram, .local:
            words = ["ip=dhcp"]
        }
        if service.kickstart != nil, let node { words.append("inst.ks=" + KickstartRenderer.url(of: node.name, settings: settings)) }
        words += [service.kernelArguments, node?.kernelArguments ?? ""].filter { !$0.isEmpty }
        return words.joined(separator: " ")
    }

    static func line(service: Service, farm: Farm, node: Node?) -> String {
        line(service: service, settings: farm.settings, node: node, nfsServer: node.map(farm.nfsServerAddress(of:)))
    }
}
