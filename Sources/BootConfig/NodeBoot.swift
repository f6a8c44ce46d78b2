import FarmModel

/// What one node boots, worked out once for every renderer: its service,
/// the service's image, the boot file and the NFS root path.
struct NodeBoot {
    let node: Node
    let service: Service
    let image: Image?
    let settings: FarmSettings

    /// `X86PC/UNDI/<service>/linux.0`, the network boot program; nil for local boot.
    var bootFile: String? { image == nil || service.isLocalBoot ? nil : service.bootFile(layer: service.layers.lowerBound) }

    /// DHCP option 17 and the NFS export: only for NFS roots.
    var rootPath: String? { service.root == .nfs && image != nil ? settings.rootPath(of: node.name) : nil }

    /// The kernel command line pxelinux passes for this node.
    var kernelArguments: String { KernelArguments.line(service: service, settings: settings, node: node) }
}

extension Farm {
    /// Every node whose service exists, in farm order (a validated farm has no others).
    var nodeBoots: [NodeBoot] {
        nodes.compactMap { node in
            boot(of: node).map { NodeBoot(node: node, service: $0.service, image: $0.image, settings: settings) }
        }
    }
}

/// The kernel command line of a service, and of one node of it.
enum KernelArguments {
    /// NFS root: `root=/dev/nfs nfsroot=SERVER:PATH ip=dhcp rw`, then the
    /// service's and the node's own arguments; a node of an install service
    /// (one with a kickstart template) also gets `inst.ks=` with the URL
    /// `pxefarm serve` answers its kickstart file on. Without a node (pxelinux's
    /// `default`) there is no path of its own: the kernel takes the root
    /// path from DHCP option 17. RAM root: `ip=dhcp` and the arguments.
    static func line(service: Service, settings: FarmSettings, node: Node?) -> String {
        var words: [String] = []
        switch service.root {
        case .nfs:
            words = ["root=/dev/nfs"]
            if let node { words.append("nfsroot=\(settings.server):\(settings.rootPath(of: node.name))") }
            words += ["ip=dhcp", "rw"]
        case .ram, .local:
            words = ["ip=dhcp"]
        }
        if service.kickstart != nil, let node { words.append("inst.ks=" + KickstartRenderer.url(of: node.name, settings: settings)) }
        words += [service.kernelArguments, node?.kernelArguments ?? ""].filter { !$0.isEmpty }
        return words.joined(separator: " ")
    }
}
