import NetbootWire

extension Farm {
    /// What a PXE client is told in option 43 (reference digest §4), from the
    /// `discovery:` section and the services in menu order:
    /// tag 6 from broadcast, multicast, server-list-only and menu; tag 7 the
    /// multicast address when multicast discovery is on; tag 8 every service
    /// that is not local boot, each with the unicast servers, when any are
    /// listed; tag 9 the menu; tag 10 the prompt.
    public func pxeVendorOptions() -> PXEVendorOptions {
        var control: PXEDiscoveryControl = []
        if !discovery.broadcast { control.insert(.noBroadcast) }
        if discovery.multicast == nil { control.insert(.noMulticast) }
        if discovery.serverListOnly { control.insert(.serverListOnly) }
        if !discovery.menu { control.insert(.bootFileOnly) }
        let servers = discovery.unicast.isEmpty ? nil : services.filter { !$0.isLocalBoot }.map {
            PXEBootServerList(type: $0.type, servers: discovery.unicast)
        }
        return PXEVendorOptions(
            discoveryControl: control,
            multicastDiscoveryAddress: discovery.multicast,
            bootServers: servers,
            bootMenu: services.map { PXEMenuItem(type: $0.type, text: $0.menu) },
            prompt: PXEPrompt(timeout: discovery.prompt.timeout, text: discovery.prompt.text))
    }
}
