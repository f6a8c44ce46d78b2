import FarmModel
import NetbootWire

/// Reads `servers:`, the boot and NFS servers of a farm with more than one:
/// `- {name: boot1, address: 10.0.0.2, roles: [dhcp, tftp, http, nfs]}`.
enum ServersSection {
    static let keys = ["name", "address", "roles"]

    static func read(_ node: YAMLNode?, context: LoadContext) -> [Server] {
        guard let node else { return [] }
        let path: FieldPath = "servers"
        context.record(path, at: node)
        guard case .sequence(let sequence) = node else {
            context.unusable(path, "expected a list of servers, found \(YAMLMapping.describe(node))")
            return []
        }
        if sequence.isEmpty { context.unusable(path, "the list of servers is empty; list at least one, or leave 'servers' out to use farm.server alone") }
        return sequence.enumerated().compactMap { index, item in
            YAMLMapping(item, at: path[index], keys: keys, context: context).flatMap { read($0, context: context) }
        }
    }

    static func read(_ map: YAMLMapping, context: LoadContext) -> Server? {
        let name = map.string("name", required: true)
        let address = map.ip("address", required: true)
        if !map.has("roles") { context.unusable(map.path / "roles", "missing required key 'roles' (some of \(allRoles))") }
        guard let name, let address else { return nil }
        return Server(name: name, address: address, roles: readRoles(map, context: context), origin: map.path)
    }

    static var allRoles: String { ServerRole.allCases.map(\.rawValue).joined(separator: ", ") }

    /// `roles: [dhcp, tftp]` or `roles: nfs`; an unknown word is an error at its place.
    static func readRoles(_ map: YAMLMapping, context: LoadContext) -> Set<ServerRole> {
        var roles: Set<ServerRole> = []
        for item in map.list("roles") {
            guard let text = map.scalar(item.node, at: item.path) else { continue }
            guard let role = ServerRole(rawValue: text) else {
                let words = ServerRole.allCases.map(\.rawValue)
                context.unusable(item.path, "unknown role \"\(text)\"" + Suggestion.didYouMean(text, among: words, otherwise: "; roles are \(allRoles)"))
                continue
            }
            if !roles.insert(role).inserted { context.warning(item.path, "role \(text) is listed twice") }
        }
        return roles
    }
}
