/// The `discovery:` section: a client must be left some way to find a boot server.
enum DiscoveryRules {
    static func check(_ farm: Farm, context: ValidationContext) -> [Diagnostic] {
        var found: [Diagnostic] = []
        let discovery = farm.discovery
        let base: FieldPath = "discovery"
        if let multicast = discovery.multicast, context.has(base / "multicast"), !multicast.isMulticast {
            found.append(.error(base / "multicast", "\(multicast) is not a multicast address (224.0.0.0-239.255.255.255)"))
        }
        if discovery.menu, !discovery.broadcast, discovery.multicast == nil, discovery.unicast.isEmpty {
            found.append(.error(base, "broadcast and multicast discovery are both off and no unicast servers are listed: clients could find no boot server"))
        }
        if discovery.serverListOnly, discovery.unicast.isEmpty {
            found.append(.error(base / "server-list-only", "accepting only listed servers needs a 'unicast' server list"))
        }
        if discovery.prompt.text.utf8.count > 254 {
            found.append(.error(base / "prompt" / "text", "prompt text is \(discovery.prompt.text.utf8.count) bytes; option 43 tag 10 holds at most 254"))
        }
        if let problem = TextRules.injection(in: discovery.prompt.text, at: base / "prompt" / "text") { found.append(problem) }
        found += optionFits(farm)
        return found
    }

    /// Option 43, as the farm's discovery settings and menu make it, must fit
    /// the 255 bytes of one DHCP option. Menu texts and the prompt over
    /// their own limits are reported by their own rules, not again here.
    static func optionFits(_ farm: Farm) -> [Diagnostic] {
        let options = farm.pxeVendorOptions()
        guard farm.services.allSatisfy({ $0.menu.utf8.count <= 255 }), farm.discovery.prompt.text.utf8.count <= 254 else { return [] }
        do {
            _ = try options.encode()
            return []
        } catch {
            let path: FieldPath = error.tagToShorten == 9 ? "services" : "discovery"
            return [.error(path, "the PXE options (DHCP option 43) do not fit: \(error)")]
        }
    }
}
