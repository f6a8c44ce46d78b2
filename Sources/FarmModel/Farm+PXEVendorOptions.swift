import NetbootWire

extension Farm {
    /// What a PXE client is told in option 43 (reference digest §4), from the
    /// `discovery:` section and the services in menu order:
    /// tag 6 from broadcast, multicast, server-list-only and menu; tag 7 the
    /// multicast address when multicast discovery is on; tag 8 every service
    /// that is not local boot, each with the unicast servers, when any are
    /// listed; tag 9 the menu; tag 10 the prompt. With `servers:` and a
    /// node, tag 8 lists that node's boot servers in its own order instead,
    /// so a client whose first boot server is silent asks the next.
    public func pxeVendorOptions(for node: Node? = nil) -> PXEVendorOptions {
        pxeVendorOptions(bootServers: node.flatMap { servers.isEmpty ? nil : bootServers(of: $0).map(\.address) })
    }

    /// Option 43 with `bootServers` (a node's order) in tag 8, or, when nil,
    /// the farm's `discovery.unicast`.
    public func pxeVendorOptions(bootServers order: [IPv4Address]?) -> PXEVendorOptions {
        var control: PXEDiscoveryControl = []
        if !discovery.broadcast { control.insert(.noBroadcast) }
        if discovery.multicast == nil { control.insert(.noMulticast) }
        if discovery.serverListOnly { control.insert(.serverListOnly) }
        if !discovery.menu { control.insert(.bootFileOnly) }
        let unicast = order ?? discovery.unicast
        let bootLists = unicast.isEmpty ? nil : services.filter { !$0.isLocalBoot }.map {
            PXEBootServerList(type: $0.type, servers: unicast)
        }
        return PXEVendorOptions(
            discoveryControl: control,
            multicastDiscoveryAddress: discovery.multicast,
            bootServers: bootLists,
            bootMenu: services.map { PXEMenuItem(type: $0.type, text: $0.menu) },
            prompt: PXEPrompt(timeout: discovery.prompt.timeout, text: discovery.prompt.text))
    }
}
