import FarmModel

/// Intel's PXE daemon configuration, pxe.conf, with every section of the
/// reference (digest §2): the boot server's address and TFTP root, whether
/// it shares UDP 67 with dhcpd, discovery (tags 6, 7, 8), the prompt (tag 10),
/// service types and menu (tag 9), and the boot file of each service.
public enum PXEConfRenderer: ConfigRenderer {
    public static let outputPath = "etc/pxe.conf"
    public static let templatePaths = ["etc/pxe.conf.mustache"]

    struct View {
        let header, bootServer, tftpRoot: String
        /// 1 when dhcpd runs on another machine, so the daemon may use UDP 67.
        let useDHCPPort: Int
        /// 1 in proxy mode: the daemon answers as ProxyDHCP on 4011.
        let startProxy: Int
        let broadcastDisabled, multicastDisabled: Int
        let multicastAddress: String?
        let promptTimeout: UInt8
        let promptText: String
        let serverListOnly: Int
        let discoveryList: [String]
        let broadcastAddress: String
        let services: [ServiceLine]
        let images: [ImageFile]
        let domain: String
    }

    struct ServiceLine {
        let type: UInt16
        let name, menu: String
    }

    struct ImageFile {
        let service: String
        let minLayer, maxLayer: Int
    }

    public static func render(_ farm: Farm, with templates: Templates) throws(BootConfigError) -> [RenderedFile] {
        let settings = farm.settings
        let discovery = farm.discovery
        let options = farm.pxeVendorOptions()
        let separateDHCP = settings.bootServer.map { $0 != settings.server } ?? false
        let view = View(
            header: GeneratedHeader.text(farm), bootServer: "\(settings.effectiveBootServer)", tftpRoot: settings.tftpRoot,
            useDHCPPort: separateDHCP ? 1 : 0, startProxy: discovery.mode == .proxy ? 1 : 0,
            broadcastDisabled: discovery.broadcast ? 0 : 1, multicastDisabled: discovery.multicast == nil ? 1 : 0,
            multicastAddress: discovery.multicast?.description,
            promptTimeout: discovery.prompt.timeout, promptText: discovery.prompt.text,
            serverListOnly: discovery.serverListOnly ? 1 : 0,
            discoveryList: (options.bootServers ?? []).map { list in
                (["\(list.type)", "\(list.servers.count)"] + list.servers.map(\.description)).joined(separator: ",")
            },
            broadcastAddress: "\(settings.subnet.broadcast)",
            services: farm.services.map { ServiceLine(type: $0.type, name: $0.name, menu: $0.menu) },
            images: farm.services.filter { !$0.isLocalBoot && $0.image != nil }.map {
                ImageFile(service: $0.name, minLayer: $0.layers.lowerBound, maxLayer: $0.layers.upperBound)
            },
            domain: settings.domain)
        return [RenderedFile(path: outputPath, text: try templates.render(templatePaths[0], view))]
    }
}
