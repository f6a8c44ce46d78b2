import FarmModel
import Mustache
import NetbootWire

/// ISC dhcpd's dhcpd.conf: the global part, the farm's subnet and one host
/// block per node (reference digest §1). In `dhcp` discovery mode each host
/// carries option 43 with the menus; in `proxy` mode only option 60
/// "PXEClient", so clients ask the ProxyDHCP on UDP 4011 (digest §2).
public enum DHCPDConfRenderer: ConfigRenderer {
    public static let outputPath = "etc/dhcpd.conf"
    public static let templatePaths = ["etc/dhcpd.conf.mustache"]

    struct View {
        let header, farm, domain: String
        let defaultLeaseTime, maxLeaseTime: Int
        let network, netmask, broadcast: String
        let routers, dnsServers: String?
        let proxyMode: Bool
        let hosts: [Host]
    }

    struct Host: MustacheParent {
        let name, mac, ip, nextServer: String
        let filename, rootPath: String?
        /// Option 43 as colon hex; nil in proxy mode.
        let vendorOptions: String?

        func child(named name: String) -> Any? {
            switch name {
            case "name": self.name
            case "mac": mac
            case "ip": ip
            case "nextServer": nextServer
            case "filename": filename
            case "rootPath": rootPath
            case "vendorOptions": vendorOptions
            default: nil
            }
        }
    }

    public static func render(_ farm: Farm, with templates: Templates) throws(BootConfigError) -> [RenderedFile] {
        let settings = farm.settings
        var vendorOptions = VendorOptionsHex(farm)
        let view = View(
            header: GeneratedHeader.text(farm), farm: settings.name, domain: settings.domain,
            defaultLeaseTime: settings.leaseTime.defaultSeconds, maxLeaseTime: settings.leaseTime.maxSeconds,
            network: "\(settings.subnet.network)", netmask: "\(settings.subnet.mask)", broadcast: "\(settings.subnet.broadcast)",
            routers: settings.routers.isEmpty ? nil : settings.routers.map(\.description).joined(separator: ", "),
            dnsServers: settings.dnsServers.isEmpty ? nil : settings.dnsServers.map(\.description).joined(separator: ", "),
            proxyMode: farm.discovery.mode == .proxy,
            hosts: try farm.nodeBoots.map { boot throws(BootConfigError) in
                Host(name: boot.node.name, mac: "\(boot.node.mac)", ip: "\(boot.node.ip)", nextServer: "\(boot.nextServer)",
                     filename: boot.bootFile, rootPath: boot.rootPath, vendorOptions: try vendorOptions.hex(for: boot.node))
            })
        return [RenderedFile(path: outputPath, text: try templates.render(templatePaths[0], view))]
    }
}

/// A node's option 43 as the colon hex dhcpd and Kea take, in `dhcp`
/// discovery mode only (nil in proxy mode). Nodes differ only in the order
/// of their boot servers (tag 8), so each order is encoded once.
struct VendorOptionsHex {
    let farm: Farm
    private var encoded: [[IPv4Address]: String] = [:]

    init(_ farm: Farm) { self.farm = farm }

    mutating func hex(for node: Node) throws(BootConfigError) -> String? {
        guard farm.discovery.mode == .dhcp else { return nil }
        let order = farm.servers.isEmpty ? [] : farm.bootServers(of: node).map(\.address)
        if let known = encoded[order] { return known }
        do {
            let text = HexBytes.colonSeparated(try farm.pxeVendorOptions(for: node).encode())
            encoded[order] = text
            return text
        } catch {
            throw .vendorOptions(error)
        }
    }
}
