import FarmModel
import NetbootWire

/// Reads `discovery:`; every key has a default.
enum DiscoverySection {
    static let keys = ["mode", "multicast", "broadcast", "unicast", "server-list-only", "prompt", "menu"]

    static func read(_ map: YAMLMapping?, context: LoadContext) -> Discovery {
        var discovery = Discovery()
        guard let map else { return discovery }
        discovery.mode = map.choice("mode", of: DiscoveryMode.self) ?? .dhcp
        discovery.multicast = readMulticast(map)
        discovery.broadcast = map.bool("broadcast") ?? true
        discovery.unicast = map.ipList("unicast")
        discovery.serverListOnly = map.bool("server-list-only") ?? false
        discovery.menu = map.bool("menu") ?? true
        if let prompt = map.mapping("prompt", keys: ["timeout", "text"]) {
            discovery.prompt.timeout = UInt8(prompt.int("timeout", in: 0...255) ?? Int(discovery.prompt.timeout))
            discovery.prompt.text = prompt.string("text") ?? discovery.prompt.text
        }
        return discovery
    }

    /// `multicast: 224.0.1.2`, `multicast: true` (the PXE default address)
    /// or `multicast: false`.
    static func readMulticast(_ map: YAMLMapping) -> IPv4Address? {
        guard let text = map.string("multicast") else { return nil }
        if let flag = YAMLMapping.parseBool(text) { return flag ? Discovery.defaultMulticast : nil }
        return map.ip("multicast")
    }
}
