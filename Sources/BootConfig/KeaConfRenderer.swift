import FarmModel
import Mustache

/// Kea's DHCPv4 configuration (JSON with comments, as Kea reads it): the
/// subnet with its options and one reservation per node with hw-address,
/// ip-address, hostname, boot-file-name, next-server, and option data 60
/// "PXEClient", 17 (root path) and, in `dhcp` discovery mode, 43.
public enum KeaConfRenderer: ConfigRenderer {
    public static let outputPath = "etc/kea-dhcp4.conf"
    public static let templatePaths = ["etc/kea-dhcp4.conf.mustache"]

    struct View {
        let header: String
        let defaultLeaseTime, maxLeaseTime: Int
        let subnet: String
        let subnetOptions: [Option]
        let reservations: [Reservation]
        /// Set for one server of a Kea HA pair (`KeaHAPair`).
        var ha: KeaHAPair.View? = nil
    }

    /// One entry of an `option-data` list; `comma` separates it from the next.
    struct Option: MustacheParent {
        let name: String
        var code: Int? = nil
        let data: String
        /// Raw bytes in hex (`"csv-format": false`) rather than Kea's text form.
        var hex = false
        /// Sent even when the client's parameter list does not ask for it.
        var alwaysSend = false
        var comma = ""

        func child(named name: String) -> Any? {
            switch name {
            case "name": self.name
            case "code": code
            case "data": data
            case "hex": hex
            case "alwaysSend": alwaysSend
            case "comma": comma
            default: nil
            }
        }
    }

    /// One node's `reservations` entry, its fields found by name (reflection).
    struct Reservation {
        let mac, ip, hostname, nextServer: String
        let bootFile: String?
        let options: [Option]
        let comma: String
    }

    public static func render(_ farm: Farm, with templates: Templates) throws(BootConfigError) -> [RenderedFile] {
        [RenderedFile(path: outputPath, text: try text(farm, ha: nil, with: templates))]
    }

    /// The configuration's text; `ha` makes it one server of an HA pair.
    static func text(_ farm: Farm, ha: KeaHAPair.View?, with templates: Templates) throws(BootConfigError) -> String {
        let settings = farm.settings
        var vendorOptions = VendorOptionsHex(farm)
        var subnetOptions: [Option] = []
        if !settings.routers.isEmpty { subnetOptions.append(Option(name: "routers", data: settings.routers.map(\.description).joined(separator: ", "))) }
        if !settings.dnsServers.isEmpty { subnetOptions.append(Option(name: "domain-name-servers", data: settings.dnsServers.map(\.description).joined(separator: ", "))) }
        subnetOptions += [Option(name: "domain-name", data: settings.domain), Option(name: "broadcast-address", data: "\(settings.subnet.broadcast)")]
        let boots = farm.nodeBoots
        let view = View(
            header: GeneratedHeader.text(farm),
            defaultLeaseTime: settings.leaseTime.defaultSeconds, maxLeaseTime: settings.leaseTime.maxSeconds,
            subnet: "\(settings.subnet)",
            subnetOptions: withCommas(subnetOptions),
            reservations: try boots.enumerated().map { index, boot throws(BootConfigError) in
                var options = [Option(name: "vendor-class-identifier", data: "PXEClient", alwaysSend: true)]
                if let vendorOptions = try vendorOptions.hex(for: boot.node) { options.append(Option(name: "vendor-encapsulated-options", code: 43, data: vendorOptions, hex: true, alwaysSend: true)) }
                if let rootPath = boot.rootPath { options.append(Option(name: "root-path", data: rootPath)) }
                return Reservation(
                    mac: boot.node.mac.description.lowercased(), ip: "\(boot.node.ip)", hostname: boot.node.name,
                    nextServer: "\(boot.nextServer)", bootFile: boot.bootFile, options: withCommas(options),
                    comma: index == boots.count - 1 ? "" : ",")
            },
            ha: ha)
        return try templates.render(templatePaths[0], view, escaping: .json)
    }

    static func withCommas(_ options: [Option]) -> [Option] {
        options.enumerated().map { index, option in
            var option = option
            option.comma = index == options.count - 1 ? "" : ","
            return option
        }
    }
}
