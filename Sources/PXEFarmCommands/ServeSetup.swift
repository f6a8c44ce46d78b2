import BootConfig
import FarmBuild
import FarmLoading
import FarmModel
import FarmServer
import Logging
import NetbootWire
import Rollout

/// Everything `pxefarm serve` runs on, put together from the farm file, the
/// output folder and the settings the command parsed: the one farm loader
/// (at start and on SIGHUP), the paths (from `OutputLayout`), the templates,
/// kickstart templates and the secrets policy, the DHCP context, and the
/// daemon's wiring. The command only parses its options into `Settings`.
struct ServeSetup {
    /// What the command line chose; defaults are the command's.
    struct Settings {
        var address: String?
        var tftpRoot: String?
        var tftpPort = 69
        var mtftpPort = 1759
        var mtftpGroups: [String: MTFTPGroup] = [:]
        var segmentationOffload = true
        var maxTransfers = 1024
        var proxy = false
        var dhcp = true
        var interface: String?
        var dhcpPort = 67
        var pxePort = 4011
        /// nil: the farm's http-port.
        var httpPort: Int?
        var http = true
        /// --templates, nil for $PXEFARM_TEMPLATES or /etc/pxefarm/templates.
        var templates: String?
        /// --server: answer as this server of the farm's servers: list.
        var server: String?
    }

    let farmFile: String
    let layout: OutputLayout
    let settings: Settings

    init(farmFile: String, out: String, settings: Settings) {
        self.farmFile = farmFile
        self.layout = OutputLayout(root: out)
        self.settings = settings
    }

    /// The folder served over TFTP and MTFTP: --tftp-root, else the build's.
    var tftpRoot: String { settings.tftpRoot ?? layout.tftpRoot }

    /// Where `serve` keeps the nodes' boot stages and `status` reads them.
    static func stagesPath(out: String) -> String {
        OutputLayout(root: out).state + "/" + BootStages.fileName
    }

    var dhcpPorts: DHCPPorts { DHCPPorts(server: settings.dhcpPort, client: settings.dhcpPort == 0 ? 68 : nil, pxe: settings.pxePort) }

    /// The farm file loaded and checked, the same way at start and on SIGHUP.
    func loadFarm() -> LoadResult { FarmLoader().load(path: farmFile) }

    /// The farm for a reload: the daemon keeps the old one when this throws.
    func reloadFarm() throws -> Farm {
        let result = loadFarm()
        guard let farm = result.cleanFarm else {
            throw CommandError.reloadRefused(path: farmFile, problems: result.diagnostics.filter { $0.severity == .error }.map(\.description))
        }
        return farm
    }

    /// The templates, every install service's kickstart template and, when
    /// the farm has install services, its secrets (their absence is logged,
    /// and installers are answered 503, but serving goes on).
    func bootFileSources(for farm: Farm, logger: Logger) throws -> BootFileSources {
        var sources = BootFileSources(templates: try TemplateDirectory.resolve(explicit: settings.templates), kickstarts: try KickstartTemplates.load(farm, allServices: true))
        guard farm.services.contains(where: { $0.kickstart != nil }) else { return sources }
        guard let path = farm.settings.secrets else {
            sources.secretsProblem = "farm.secrets is not set"
            logger.warning("kickstart files and install callbacks refused", metadata: ["reason": "farm.secrets is not set"])
            return sources
        }
        let (secrets, diagnostics) = SecretsLoader().load(path: path)
        sources.secrets = secrets
        if secrets == nil {
            sources.secretsProblem = diagnostics.map(\.description).joined(separator: "; ")
            logger.warning("kickstart files and install callbacks refused", metadata: ["reason": "\(sources.secretsProblem ?? path)"])
        }
        return sources
    }

    /// How the DHCP policy's context is made from the farm as served.
    func contextMaker() -> @Sendable (Farm) -> DHCPContext {
        let ports = dhcpPorts
        let explicit = settings.address.flatMap { IPv4Address($0) }
        let (http, httpPort, tftpRoot, name) = (settings.http, settings.httpPort, tftpRoot, settings.server)
        return { farm in
            DHCPContext(farm: farm, serverAddress: explicit, serverName: name, ports: ports,
                        bootFiles: BootFileCatalog.scan(tftpRoot: tftpRoot, services: farm.services),
                        httpPort: http ? httpPort ?? farm.settings.httpPort : nil)
        }
    }

    /// The DHCP listeners and their first context (the boot-state controller replaces it).
    func dhcpService(farm: Farm) -> DHCPService {
        let configuration = DHCPServer.Configuration(mode: settings.proxy ? .proxy : .full, ports: dhcpPorts, interface: settings.interface)
        return DHCPService(configuration: configuration, context: DHCPContextBox(contextMaker()(farm)))
    }

    /// The daemon's listeners and the boot-state controller, wired to each other.
    func daemon(farm loaded: Farm, logger: Logger) throws -> FarmDaemon.Configuration {
        let host = settings.address ?? (settings.server.flatMap(loaded.server(named:))?.address ?? loaded.settings.server).description
        let root = tftpRoot
        var tftp = TFTPServer.Configuration(root: root, host: host, port: settings.tftpPort, maximumTransfers: settings.maxTransfers,
                                            segmentationOffload: settings.segmentationOffload)
        let mtftp = MTFTPServer.Configuration(root: root, host: host, port: settings.mtftpPort, groups: settings.mtftpGroups)
        let stages = BootStageRecorder(path: Self.stagesPath(out: layout.root), logger: logger)
        let dhcp = settings.dhcp ? dhcpService(farm: loaded) : nil
        let sources = try bootFileSources(for: loaded, logger: logger)
        let overlay = TFTPOverlay()
        tftp.overlay = overlay
        let controller = BootStateController(
            store: BootStateStore(directory: layout.state), farm: loaded, sources: sources,
            dhcp: dhcp?.context, makeContext: contextMaker(), overlay: overlay, stages: stages, logger: logger, tftpRoot: root
        ) { [self] in
            let farm = try reloadFarm()
            return (farm, try bootFileSources(for: farm, logger: logger))
        }
        let metrics = ServeMetrics()
        tftp.onTransferEnd = { report in
            if let dhcp { stages.record(report, context: dhcp.context) }
            controller.transferEnded(report)
            metrics.fetchEnded(report)
        }
        let http = settings.http ? HTTPServer.Configuration(host: host, port: settings.httpPort ?? loaded.settings.httpPort) : nil
        return FarmDaemon.Configuration(tftp: tftp, mtftp: mtftp, dhcp: dhcp, stages: stages, bootState: controller, http: http, metrics: metrics)
    }
}
