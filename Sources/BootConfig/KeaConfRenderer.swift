import FarmModel

/// Kea's DHCPv4 configuration (JSON with comments, as Kea reads it): the
/// subnet with its options and one reservation per node with hw-address,
/// ip-address, hostname, boot-file-name, next-server, and option data 60
/// "PXEClient", 17 (root path) and, in `dhcp` discovery mode, 43.
public enum KeaConfRenderer: ConfigRenderer {
    public static let outputPath = "etc/kea-dhcp4.conf"
    public static let templatePaths = ["etc/kea-dhcp4.conf.mustache"]

    struct View {
        let header: String
        let defaultLeaseTime: Int
        let maxLeaseTime: Int
        let subnet: String
        let subnetOptions: [Option]
        let reservations: [Reservation]
    }

    /// One entry of an `option-data` list; `comma` separates it from the next.
    struct Option {
        let name: String
        let code: Int?
        let data: String
        let hex: Bool
        let alwaysSend: Bool
        let comma: String
    }

    struct Reservation {
        let mac: String
        let ip: String
        let hostname: String
        let nextServer: String
        let bootFile: String?
        let options: [Option]
        let comma: String
    }

    public static func render(_ farm: Farm, with templates: Templates) throws(BootConfigError) -> [RenderedFile] {
        let settings = farm.settings
        let vendorOptions = farm.discovery.mode == .dhcp ? try VendorOptionsHex.of(farm) : nil
        var subnetOptions: [(String, String)] = []
        if !settings.routers.isEmpty { subnetOptions.append(("routers", settings.routers.map(\.description).joined(separator: ", "))) }
        if !settings.dnsServers.isEmpty { subnetOptions.append(("domain-name-servers", settings.dnsServers.map(\.description).joined(separator: ", "))) }
        subnetOptions += [("domain-name", settings.domain), ("broadcast-address", "\(settings.subnet.broadcast)")]
        let boots = farm.nodeBoots
        let view = View(
            header: GeneratedHeader.text(farm),
            defaultLeaseTime: settings.leaseTime.defaultSeconds, maxLeaseTime: settings.leaseTime.maxSeconds,
            subnet: "\(settings.subnet)",
            subnetOptions: withCommas(subnetOptions.map { ($0.0, nil, $0.1, false, false) }),
            reservations: boots.enumerated().map { index, boot in
                var options: [(String, Int?, String, Bool, Bool)] = [("vendor-class-identifier", nil, "PXEClient", false, true)]
                if let vendorOptions { options.append(("vendor-encapsulated-options", 43, vendorOptions, true, true)) }
                if let rootPath = boot.rootPath { options.append(("root-path", nil, rootPath, false, false)) }
                return Reservation(
                    mac: boot.node.mac.description.lowercased(), ip: "\(boot.node.ip)", hostname: boot.node.name,
                    nextServer: "\(settings.server)", bootFile: boot.bootFile, options: withCommas(options),
                    comma: index == boots.count - 1 ? "" : ",")
            })
        return [RenderedFile(path: outputPath, text: try templates.render(templatePaths[0], view, escaping: .json))]
    }

    static func withCommas(_ options: [(String, Int?, String, Bool, Bool)]) -> [Option] {
        options.enumerated().map { index, option in
            Option(name: option.0, code: option.1, data: option.2, hex: option.3, alwaysSend: option.4, comma: index == options.count - 1 ? "" : ",")
        }
    }
}
