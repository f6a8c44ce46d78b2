import NetbootWire

extension Farm {
    /// The farm's servers: `servers:` as written, or, without it, the one
    /// server `farm.server` doing everything (the farm behaves as before).
    public var effectiveServers: [Server] {
        servers.isEmpty ? [Server(name: Server.soleName, address: settings.server, roles: Set(ServerRole.allCases))] : servers
    }

    public func server(named name: String) -> Server? { effectiveServers.first { $0.name == name } }

    /// The servers with `role`, in farm-file order.
    public func servers(with role: ServerRole) -> [Server] { effectiveServers.filter { $0.has(role) } }

    /// A node's home NFS server: the one its entry names (`nfs-server:`), or
    /// the rendezvous pick among the NFS servers by node name. Nil only for a
    /// farm with no NFS server, which validation refuses when a node needs one.
    public func homeNFSServer(of node: Node) -> Server? {
        let candidates = servers(with: .nfs)
        if let named = node.nfsServer, let server = candidates.first(where: { $0.name == named }) { return server }
        guard let name = Rendezvous.pick(key: node.name, servers: candidates.map(\.name)) else { return nil }
        return candidates.first { $0.name == name }
    }

    /// The servers a node boots from, in its own order: the TFTP servers
    /// ranked by rendezvous weight for the node's name, so each server is
    /// the first choice of about as many nodes as the others, and a node
    /// whose first does not answer falls back to the next.
    public func bootServers(of node: Node) -> [Server] {
        let candidates = servers(with: .tftp)
        let byName = Dictionary(candidates.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return Rendezvous.rank(key: node.name, servers: candidates.map(\.name)).compactMap { byName[$0] }
    }

    /// DHCP option 17 for a node: its root path, prefixed `SERVER:` with
    /// its home NFS server when the farm has `servers:`.
    public func rootPathOption(of node: Node) -> String {
        servers.isEmpty ? settings.rootPath(of: node.name) : "\(nfsServerAddress(of: node)):\(settings.rootPath(of: node.name))"
    }

    /// The address a node mounts its root from.
    public func nfsServerAddress(of node: Node) -> IPv4Address {
        homeNFSServer(of: node)?.address ?? settings.server
    }
}
