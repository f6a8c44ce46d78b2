import NetbootWire

/// The `servers:` section: unique names and addresses on the subnet, a role
/// for each, an NFS server for NFS-root nodes and a boot server for every
/// node that boots, and `nfs-server:` overrides that name an NFS server.
enum ServerRules {
    static func check(_ farm: Farm, context: ValidationContext) -> [Diagnostic] {
        guard !farm.servers.isEmpty else { return overrides(farm) }
        var found: [Diagnostic] = []
        var nameOwner: [String: Server] = [:]
        var addressOwner: [IPv4Address: Server] = [:]
        let subnet = farm.settings.subnet
        for server in farm.servers {
            let origin = server.origin
            if context.has(origin / "name") {
                if !TextRules.isHostLabel(server.name) {
                    found.append(.error(origin / "name", "\"\(server.name)\" is not a valid server name (1-63 letters, digits and '-', not starting or ending with '-')"))
                }
                if let first = nameOwner[server.name] {
                    found.append(.error(origin / "name", "duplicate server name \(server.name); it is already defined at \(first.origin)"))
                } else {
                    nameOwner[server.name] = server
                }
            }
            if context.has(origin / "address") {
                if let first = addressOwner[server.address] {
                    found.append(.error(origin / "address", "address \(server.address) is already used by server \(first.name)"))
                } else {
                    addressOwner[server.address] = server
                }
                if context.has("farm.subnet") {
                    if !subnet.contains(server.address) {
                        found.append(.error(origin / "address", "address \(server.address) is outside the subnet \(subnet): the nodes reach their boot and NFS servers on their own segment"))
                    } else {
                        found += SettingsRules.checkHostAddress(server.address, on: subnet, at: origin / "address", mustBeOnSubnet: true)
                    }
                }
            }
            if server.roles.isEmpty, context.has(origin / "roles") {
                found.append(.error(origin / "roles", "server \(server.name) has no role; give one or more of \(ServerRole.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
        }
        found += missingRoles(farm, context: context)
        found += overrides(farm)
        return found
    }

    /// An NFS server when any node has an NFS root, a TFTP server when any
    /// node boots an image.
    static func missingRoles(_ farm: Farm, context: ValidationContext) -> [Diagnostic] {
        guard context.has("servers") else { return [] }
        var found: [Diagnostic] = []
        let booting = farm.nodes.compactMap { farm.boot(of: $0) }.filter { $0.image != nil && !$0.service.isLocalBoot }
        if booting.contains(where: { $0.service.root == .nfs }), farm.servers(with: .nfs).isEmpty {
            found.append(.error("servers", "no server has the nfs role, but nodes have NFS roots; add nfs to the roles of at least one server"))
        }
        if !booting.isEmpty, farm.servers(with: .tftp).isEmpty {
            found.append(.error("servers", "no server has the tftp role, so no node has a boot server; add tftp to the roles of at least one server"))
        }
        return found
    }

    /// `nfs-server:` on a node or range names a server with the nfs role.
    static func overrides(_ farm: Farm) -> [Diagnostic] {
        var found: [Diagnostic] = []
        var reported: Set<FieldPath> = []
        let nfsNames = farm.servers(with: .nfs).map(\.name)
        for node in farm.nodes {
            guard let named = node.nfsServer, !nfsNames.contains(named), reported.insert(node.origin.nfsServer).inserted else { continue }
            if farm.server(named: named) != nil {
                found.append(.error(node.origin.nfsServer, "server \(named) does not have the nfs role; NFS servers are: \(nfsNames.joined(separator: ", "))"))
            } else {
                var known: [String] = []
                for server in farm.effectiveServers where !known.contains(server.name) { known.append(server.name) }
                found.append(.error(node.origin.nfsServer, "unknown server \"\(named)\"" + Suggestion.didYouMean(named, among: nfsNames, otherwise: "; servers are: \(known.joined(separator: ", "))")))
            }
        }
        return found
    }
}
