import NetbootWire

/// The `nodes:` section: host names, unique identities, addresses that fit.
enum NodeRules {
    /// Old PXE clients were seen to ignore a root path this long or longer
    /// and mount /tftpboot/<hostname> instead (reference digest §5).
    static let rootPathWarningLength = 16

    static func check(_ farm: Farm, context: ValidationContext) -> [Diagnostic] {
        var found: [Diagnostic] = []
        var nameOwner: [String: Node] = [:]
        var macOwner: [MACAddress: Node] = [:]
        var ipOwner: [IPv4Address: Node] = [:]
        let settings = farm.settings
        var reserved = reservedAddresses(settings, context: context)
        for server in farm.servers where reserved[server.address] == nil && context.has(server.origin / "address") {
            reserved[server.address] = "address of server \(server.name) (\(server.origin))"
        }
        let subnetKnown = context.has("farm.subnet")
        for node in farm.nodes {
            let origin = node.origin
            let who = label(node)
            if !TextRules.isHostLabel(node.name) {
                found.append(.error(origin.name, "\(who)is not a valid host name (1-63 letters, digits and '-', not starting or ending with '-')"))
            }
            if let first = nameOwner[node.name] {
                found.append(.error(origin.name, "\(who)duplicate node name; \(first.name) is already defined at \(first.origin.entry)"))
            } else {
                nameOwner[node.name] = node
            }
            if let first = macOwner[node.mac] {
                found.append(.error(origin.mac, "\(who)MAC \(node.mac) is already used by \(first.name)"))
            } else {
                macOwner[node.mac] = node
            }
            if let first = ipOwner[node.ip] {
                found.append(.error(origin.ip, "\(who)address \(node.ip) is already used by \(first.name)"))
            } else {
                ipOwner[node.ip] = node
            }
            if subnetKnown {
                if !settings.subnet.contains(node.ip) {
                    found.append(.error(origin.ip, "\(who)address \(node.ip) is outside the subnet \(settings.subnet)"))
                } else if let role = reserved[node.ip] {
                    found.append(.error(origin.ip, "\(who)address \(node.ip) is the \(role)"))
                }
            }
            if farm.service(named: node.service) == nil {
                let known = farm.services.map(\.name)
                found.append(.error(origin.service, "\(who)unknown service \"\(node.service)\"" + Suggestion.didYouMean(node.service, among: known, otherwise: "; services are: \(known.joined(separator: ", "))")))
            }
            if let problem = TextRules.injection(in: node.kernelArguments, at: origin.entry / "kernel-args") {
                found.append(problem)
            }
            found += ImageRules.checkExtraFiles(node.files, at: origin.entry / "files", context)
        }
        found += rootPathLength(farm, context: context)
        return found
    }

    /// "node n045 (from n[040-103]): " for range members, "" for single entries
    /// (their field path already says which node).
    static func label(_ node: Node) -> String {
        node.origin.range.map { "node \(node.name) (from \($0)): " } ?? ""
    }

    /// Addresses on the subnet that no node may take, with what they are.
    static func reservedAddresses(_ settings: FarmSettings, context: ValidationContext) -> [IPv4Address: String] {
        var reserved: [IPv4Address: String] = [:]
        guard context.has("farm.subnet") else { return reserved }
        reserved[settings.subnet.network] = "network address of \(settings.subnet)"
        if settings.subnet.prefixLength < 31 { reserved[settings.subnet.broadcast] = "broadcast address of \(settings.subnet)" }
        for (index, router) in settings.routers.enumerated() where context.has((FieldPath("farm") / "routers")[index]) {
            reserved[router] = reserved[router] ?? "router (farm.routers[\(index)])"
        }
        if context.has("farm.server") { reserved[settings.server] = reserved[settings.server] ?? "server (farm.server)" }
        if let boot = settings.bootServer, context.has("farm.boot-server") {
            reserved[boot] = reserved[boot] ?? "boot server (farm.boot-server)"
        }
        return reserved
    }

    /// One warning for the whole farm, not one per node.
    static func rootPathLength(_ farm: Farm, context: ValidationContext) -> [Diagnostic] {
        guard context.has("farm.nfs-root") else { return [] }
        let long = farm.nodes.filter { node in
            farm.service(named: node.service)?.root == .nfs &&
                farm.settings.rootPath(of: node.name).utf8.count >= rootPathWarningLength
        }
        guard let longest = long.max(by: { $0.name.utf8.count < $1.name.utf8.count }) else { return [] }
        let example = farm.settings.rootPath(of: longest.name)
        return [.warning("farm.nfs-root", "root paths of \(long.count) NFS-root node(s) are \(rootPathWarningLength) characters or longer (\(example) has \(example.utf8.count)); some old PXE clients ignore such a root path, so consider a shorter nfs-root")]
    }
}
