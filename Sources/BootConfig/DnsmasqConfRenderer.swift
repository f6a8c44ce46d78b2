import FarmModel
import Mustache

/// dnsmasq as the farm's DHCP, PXE and TFTP server in one, for sites that
/// prefer it to dhcpd and a PXE daemon: static dhcp-host lines, a dhcp-boot
/// per service, the PXE menu as pxe-service lines, the prompt, and TFTP.
/// dnsmasq builds option 43 itself from these lines.
public enum DnsmasqConfRenderer: ConfigRenderer {
    public static let outputPath = "etc/dnsmasq.conf"
    public static let templatePaths = ["etc/dnsmasq.conf.mustache"]

    struct View {
        let header, domain, network, netmask: String
        let leaseTime: Int
        let routers, dnsServers: String?
        let hosts: [Host]
        let boots: [Boot]
        let menu: [MenuEntry]
        let promptText: String
        let promptTimeout: UInt8
        let tftpRoot: String
    }

    struct Host: MustacheParent {
        let mac, ip, name, serviceTag, nodeTag: String
        let rootPath: String?

        func child(named name: String) -> Any? {
            switch name {
            case "mac": mac
            case "ip": ip
            case "name": self.name
            case "serviceTag": serviceTag
            case "nodeTag": nodeTag
            case "rootPath": rootPath
            default: nil
            }
        }
    }

    struct Boot {
        let serviceTag, file, server: String
    }

    struct MenuEntry {
        let text: String
        /// `X86PC/UNDI/<service>/linux`: dnsmasq adds `.0`. Nil for local boot.
        let baseName: String?
    }

    public static func render(_ farm: Farm, with templates: Templates) throws(BootConfigError) -> [RenderedFile] {
        let settings = farm.settings
        let view = View(
            header: GeneratedHeader.text(farm), domain: settings.domain,
            network: "\(settings.subnet.network)", netmask: "\(settings.subnet.mask)", leaseTime: settings.leaseTime.defaultSeconds,
            routers: settings.routers.isEmpty ? nil : settings.routers.map(\.description).joined(separator: ","),
            dnsServers: settings.dnsServers.isEmpty ? nil : settings.dnsServers.map(\.description).joined(separator: ","),
            hosts: farm.nodeBoots.map { boot in
                Host(mac: "\(boot.node.mac)", ip: "\(boot.node.ip)", name: boot.node.name,
                     serviceTag: tag(service: boot.service.name), nodeTag: "node-\(boot.node.name)", rootPath: boot.rootPath)
            },
            boots: farm.services.filter { !$0.isLocalBoot && $0.image != nil }.map {
                Boot(serviceTag: tag(service: $0.name), file: $0.bootFile(layer: $0.layers.lowerBound), server: "\(settings.server)")
            },
            menu: farm.services.map { service in
                MenuEntry(text: service.menu, baseName: service.isLocalBoot || service.image == nil ? nil : "X86PC/UNDI/\(service.name)/linux")
            },
            promptText: farm.discovery.prompt.text, promptTimeout: farm.discovery.prompt.timeout,
            tftpRoot: settings.tftpRoot)
        return [RenderedFile(path: outputPath, text: try templates.render(templatePaths[0], view))]
    }

    static func tag(service: String) -> String { "service-\(service)" }
}
