import FarmModel

/// With `servers:`, each server's own files under `etc/servers/<name>/`:
/// a DHCP server gets dhcpd.conf, kea-dhcp4.conf and dnsmasq.conf that
/// answer as it (its address as `next-server` when it serves TFTP, option 43
/// tag 8 in each node's order); an NFS server gets the exports of its own
/// nodes' trees and of the images they share, and nothing of other nodes.
/// The first two DHCP servers also get a Kea HA pair (`KeaHAPair`).
/// A farm without `servers:` has none: `etc/` is farm.server's.
public enum ServerFilesRenderer: ConfigRenderer {
    public static let directory = "etc/servers"

    static let dhcpRenderers: [any ConfigRenderer.Type] = [DHCPDConfRenderer.self, KeaConfRenderer.self, DnsmasqConfRenderer.self]

    public static var templatePaths: [String] { (dhcpRenderers + [ExportsRenderer.self]).flatMap { $0.templatePaths } }

    public static func render(_ farm: Farm, with templates: Templates) throws(BootConfigError) -> [RenderedFile] {
        var files: [RenderedFile] = []
        for server in farm.servers {
            let folder = "\(directory)/\(server.name)/"
            if server.has(.dhcp) {
                let answering = farm.answered(by: server)
                for renderer in dhcpRenderers {
                    files += try renderer.render(answering, with: templates).map { $0.moved(into: folder) }
                }
            }
            if server.has(.nfs) {
                files += try ExportsRenderer.render(farm.exported(by: server), with: templates).map { $0.moved(into: folder) }
            }
        }
        return files + (try KeaHAPair.render(farm, with: templates))
    }
}

extension Farm {
    /// The farm as one DHCP server of it answers: that server in `farm.server`.
    public func answered(by server: Server) -> Farm {
        var farm = self
        farm.settings.server = server.address
        return farm
    }

    /// The farm with only the nodes whose home NFS server is `server`.
    public func exported(by server: Server) -> Farm {
        var farm = self
        farm.nodes = nodes.filter { homeNFSServer(of: $0)?.name == server.name }
        return farm
    }
}

extension RenderedFile {
    /// The same file under `folder`, its `etc/` dropped: `etc/dhcpd.conf` ->
    /// `etc/servers/boot1/dhcpd.conf`.
    func moved(into folder: String) -> RenderedFile {
        let name = path.hasPrefix("etc/") ? String(path.dropFirst(4)) : path
        return RenderedFile(path: folder + name, text: text)
    }
}
