import ArgumentParser

/// Serve's DHCP listeners: DHCP or ProxyDHCP, or none, where they listen,
/// and the PXE port of ProxyDHCP and boot-server discovery.
struct DHCPServeOptions: ParsableArguments {
    @Flag(help: "ProxyDHCP: another server hands out addresses; answer PXE clients with boot servers and menus only.")
    var proxy = false

    @Flag(name: .customLong("no-dhcp"), help: "Serve TFTP only (no DHCP, ProxyDHCP or boot-server discovery).")
    var noDHCP = false

    @Option(help: ArgumentHelp("Answer DHCP on this interface only, and join the multicast discovery group there.", valueName: "IF"))
    var interface: String?

    @Option(help: ArgumentHelp("The DHCP server port; replies to clients go to this port + 1 (67 and 68 by default; 0 picks a free one).", valueName: "N"))
    var dhcpPort: Int = 67

    @Option(help: ArgumentHelp("The PXE port for ProxyDHCP requests and boot-server discovery (0 picks a free one).", valueName: "N"))
    var pxePort: Int = 4011
}
