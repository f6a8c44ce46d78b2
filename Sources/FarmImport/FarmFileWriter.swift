import FarmModel
import NetbootWire

/// Writes a farm as a farm file (the format `FarmLoader` reads and README.md
/// documents): one section per block, short entries on one line, node runs
/// collapsed into ranges, and the image paths an import cannot know marked
/// `# TODO: point at your image`. Pure: text out.
public enum FarmFileWriter {
    public static let todoMarker = "# TODO: point at your image"

    /// `sources` name what the farm was made from, for the header comment.
    public static func text(_ imported: ImportedFarm, sources: [String]) -> String {
        let farm = imported.farm
        var lines: [String] = []
        lines.append("# Imported by `pxefarm import` from \(sources.joined(separator: " and ")).")
        lines.append("# Check it with `pxefarm check`; README.md documents every key.")
        lines.append("")
        lines += settings(farm.settings)
        if !farm.images.isEmpty {
            lines.append("")
            lines += images(farm.images, placeholders: imported.placeholderImages)
        }
        lines.append("")
        lines += services(farm.services)
        lines.append("")
        lines += discovery(farm.discovery)
        let defaultService = mostCommonService(farm.nodes)
        if let defaultService {
            lines.append("")
            lines.append("defaults:")
            lines.append("  service: \(YAMLText.scalar(defaultService))")
        }
        lines.append("")
        lines += nodes(farm.nodes, defaultService: defaultService)
        return lines.joined(separator: "\n") + "\n"
    }

    static func settings(_ settings: FarmSettings) -> [String] {
        var lines = ["farm:"]
        lines.append("  name: \(YAMLText.scalar(settings.name))")
        lines.append("  domain: \(YAMLText.scalar(settings.domain))")
        lines.append("  server: \(settings.server)")
        if let bootServer = settings.bootServer { lines.append("  boot-server: \(bootServer)") }
        lines.append("  subnet: \(settings.subnet)")
        if !settings.routers.isEmpty { lines.append("  routers: \(YAMLText.flowList(settings.routers.map(\.description)))") }
        if !settings.dnsServers.isEmpty { lines.append("  dns: \(YAMLText.flowList(settings.dnsServers.map(\.description)))") }
        lines.append("  lease: {default: \(settings.leaseTime.defaultSeconds), max: \(settings.leaseTime.maxSeconds)}")
        if settings.nfsRoot != FarmSettings.defaultNFSRoot { lines.append("  nfs-root: \(YAMLText.scalar(settings.nfsRoot))") }
        if settings.tftpRoot != FarmSettings.defaultTFTPRoot { lines.append("  tftp-root: \(YAMLText.scalar(settings.tftpRoot))") }
        return lines
    }

    static func images(_ images: [Image], placeholders: Set<String>) -> [String] {
        var lines = ["images:"]
        for image in images {
            let todo = placeholders.contains(image.name)
            if todo { lines.append("  \(todoMarker): dhcpd.conf does not say where the root and kernel are.") }
            lines.append("  \(YAMLText.scalar(image.name)):")
            lines.append("    root: \(YAMLText.scalar(image.root))" + (todo ? "    \(todoMarker)" : ""))
            lines.append("    kernel: \(YAMLText.scalar(image.kernel))" + (todo ? "    \(todoMarker)" : ""))
            if let map = image.systemMap { lines.append("    system-map: \(YAMLText.scalar(map))") }
        }
        return lines
    }

    static func services(_ services: [Service]) -> [String] {
        var lines = ["services:                         # PXE server types, in menu order"]
        for service in services {
            var pairs: [(String, String)] = [("type", "\(service.type)"), ("name", YAMLText.scalar(service.name)), ("menu", YAMLText.quoted(service.menu))]
            if let image = service.image { pairs.append(("image", YAMLText.scalar(image))) }
            if !service.isLocalBoot || service.root != .local { pairs.append(("root", service.root.rawValue)) }
            if service.layers != 0...2 { pairs.append(("layers", "[\(service.layers.lowerBound), \(service.layers.upperBound)]")) }
            if !service.kernelArguments.isEmpty { pairs.append(("kernel-args", YAMLText.quoted(service.kernelArguments))) }
            if let kickstart = service.kickstart { pairs.append(("kickstart", YAMLText.scalar(kickstart))) }
            if service.allowReservedType { pairs.append(("reserved-type", "true")) }
            lines.append("  - " + YAMLText.flowMap(pairs))
        }
        return lines
    }

    static func discovery(_ discovery: Discovery) -> [String] {
        var lines = ["discovery:"]
        lines.append("  mode: \(discovery.mode.rawValue)")
        lines.append("  multicast: \(discovery.multicast.map(\.description) ?? "false")")
        lines.append("  broadcast: \(discovery.broadcast)")
        if !discovery.unicast.isEmpty { lines.append("  unicast: \(YAMLText.flowList(discovery.unicast.map(\.description)))") }
        if discovery.serverListOnly { lines.append("  server-list-only: true") }
        lines.append("  prompt: {timeout: \(discovery.prompt.timeout), text: \(YAMLText.quoted(discovery.prompt.text))}")
        if !discovery.menu { lines.append("  menu: false") }
        return lines
    }

    static func nodes(_ nodes: [Node], defaultService: String?) -> [String] {
        var lines = ["nodes:"]
        for run in NodeRangeCollapser.runs(nodes) {
            let first = run.nodes[0]
            var pairs: [(String, String)]
            if let pattern = run.pattern {
                pairs = [("range", YAMLText.quoted(pattern)), ("ip", "\(first.ip)"),
                         ("macs", YAMLText.flowList(run.nodes.map { YAMLText.quoted("\($0.mac)") }))]
            } else {
                pairs = [("name", YAMLText.scalar(first.name)), ("mac", YAMLText.quoted("\(first.mac)")), ("ip", "\(first.ip)")]
            }
            if first.service != defaultService { pairs.append(("service", YAMLText.scalar(first.service))) }
            if !first.kernelArguments.isEmpty { pairs.append(("kernel-args", YAMLText.quoted(first.kernelArguments))) }
            lines.append("  - " + YAMLText.flowMap(pairs))
        }
        return lines
    }

    /// The service most nodes boot, written once under `defaults:`.
    static func mostCommonService(_ nodes: [Node]) -> String? {
        var counts: [String: Int] = [:]
        for node in nodes { counts[node.service, default: 0] += 1 }
        guard let highest = counts.values.max() else { return nil }
        return nodes.first { counts[$0.service] == highest }?.service
    }
}
