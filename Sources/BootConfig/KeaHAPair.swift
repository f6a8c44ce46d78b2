import FarmModel

/// A Kea high-availability pair from the farm's first two DHCP servers (in
/// `servers:` order): libdhcp_lease_cmds and libdhcp_ha, each peer's own
/// HTTP listener on `port` for the other's lease updates and heartbeats
/// (Kea 2.2's multi-threaded HA; no kea-ctrl-agent). Hot standby: the first
/// is primary and answers alone until it stops, then the standby takes over.
/// Load balancing: both answer, each for its half of the clients.
public enum KeaHAPair {
    public enum Mode: String, CaseIterable, Sendable {
        case hotStandby = "hot-standby"
        case loadBalancing = "load-balancing"

        var secondRole: String { self == .hotStandby ? "standby" : "secondary" }
    }

    /// The peers' HA listener port (Kea's documented example port).
    public static let port = 8000
    /// Debian 12's kea-dhcp4-server installs its hooks here.
    public static let hooksDirectory = "/usr/lib/x86_64-linux-gnu/kea/hooks"

    struct View {
        let mode, thisServer, hooksDirectory: String
        let heartbeatDelay, maxResponseDelay: Int
        let peers: [Peer]
    }

    struct Peer {
        let name, url, role, comma: String
    }

    /// The two servers of the pair, nil when the farm has fewer than two DHCP servers.
    public static func peers(of farm: Farm) -> (first: Server, second: Server)? {
        let dhcp = farm.servers.filter { $0.has(.dhcp) }
        return dhcp.count >= 2 ? (dhcp[0], dhcp[1]) : nil
    }

    /// `kea-dhcp4-<mode>.conf` for each of the pair, in its own folder.
    static func render(_ farm: Farm, with templates: Templates) throws(BootConfigError) -> [RenderedFile] {
        guard let (first, second) = peers(of: farm) else { return [] }
        var files: [RenderedFile] = []
        for mode in Mode.allCases {
            let peers = [
                Peer(name: first.name, url: url(first), role: "primary", comma: ","),
                Peer(name: second.name, url: url(second), role: mode.secondRole, comma: ""),
            ]
            for server in [first, second] {
                let view = View(mode: mode.rawValue, thisServer: server.name, hooksDirectory: hooksDirectory,
                                heartbeatDelay: 2000, maxResponseDelay: 6000, peers: peers)
                let text = try KeaConfRenderer.text(farm.answered(by: server), ha: view, with: templates)
                files.append(RenderedFile(path: "\(ServerFilesRenderer.directory)/\(server.name)/kea-dhcp4-\(mode.rawValue).conf", text: text))
            }
        }
        return files
    }

    static func url(_ server: Server) -> String { "http://\(server.address):\(port)/" }
}
