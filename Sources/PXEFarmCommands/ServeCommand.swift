import ArgumentParser
import FarmServer
import Logging
import NetbootWire

/// `pxefarm serve farm.yaml --out DIR`: the serving daemon: TFTP and MTFTP
/// (read-only) from the built tree, DHCP or ProxyDHCP and boot-server discovery.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a built farm over DHCP, TFTP and MTFTP until interrupted.",
        discussion: """
            Serves DIR/tftpboot (or --tftp-root) read-only over TFTP with blksize, tsize, \
            timeout and windowsize, and over PXE MTFTP for the files given a multicast group, \
            on the farm's server address unless --address says otherwise. Answers DHCP for the \
            farm's nodes (static reservations only), or with --proxy only PXE clients, without \
            addresses; boot-server discovery on the PXE port and the farm's multicast group. \
            Logs one line per transfer and per DHCP decision to standard error, records each \
            node's boot stages for `pxefarm status`. Applies rollouts and one-shot boots \
            (`pxefarm rollout`, `pxefarm boot`) from DIR/.pxefarm/boot-state.json within a \
            second, rendering the affected nodes' pxelinux and GRUB files from the templates, and \
            answers installers over HTTP (their kickstart file, their done callback) and UEFI \
            HTTP Boot clients (the TFTP tree's EFI/, X86PC/ and grub/). SIGHUP \
            reloads the farm file and templates; SIGINT or SIGTERM stops.
            """)

    @OptionGroup var farm: FarmFileOptions
    @OptionGroup var templates: TemplateOptions

    @Option(help: ArgumentHelp("The build output folder (from pxefarm build).", valueName: "DIR"))
    var out: String

    @Option(help: ArgumentHelp("The address to listen on (default: the farm's server address).", valueName: "IP"))
    var address: String?

    @Option(help: ArgumentHelp("Answer as this server of the farm's servers: list (its address in option 54 and siaddr, and the default listening address).", valueName: "NAME"))
    var server: String?

    @OptionGroup var tftp: TFTPServeOptions
    @OptionGroup var dhcp: DHCPServeOptions
    @OptionGroup var http: HTTPServeOptions

    func validate() throws {
        if let address, IPv4Address(address) == nil {
            throw ValidationError("--address \(address) is not an IPv4 address such as 192.168.197.11")
        }
        guard (0...65535).contains(tftp.tftpPort) else { throw ValidationError("--tftp-port \(tftp.tftpPort) is outside 0-65535") }
        guard (0...65535).contains(tftp.mtftp.mtftpPort) else { throw ValidationError("--mtftp-port \(tftp.mtftp.mtftpPort) is outside 0-65535") }
        guard tftp.maxTransfers > 0 else { throw ValidationError("--max-transfers must be at least 1") }
        guard (0...65534).contains(dhcp.dhcpPort) else { throw ValidationError("--dhcp-port \(dhcp.dhcpPort) is outside 0-65534 (replies go to port + 1)") }
        guard (0...65535).contains(dhcp.pxePort) else { throw ValidationError("--pxe-port \(dhcp.pxePort) is outside 0-65535") }
        if let httpPort = http.httpPort, !(0...65535).contains(httpPort) { throw ValidationError("--http-port \(httpPort) is outside 0-65535") }
        if http.noHTTP, http.httpPort != nil { throw ValidationError("--http-port and --no-http contradict each other") }
        if dhcp.noDHCP, dhcp.proxy { throw ValidationError("--proxy and --no-dhcp contradict each other") }
        _ = try tftp.mtftp.mtftpGroups()
    }

    /// The options as ServeSetup's settings.
    func settings() throws -> ServeSetup.Settings {
        ServeSetup.Settings(
            address: address, tftpRoot: tftp.tftpRoot, tftpPort: tftp.tftpPort, mtftpPort: tftp.mtftp.mtftpPort,
            mtftpGroups: try tftp.mtftp.mtftpGroups(), segmentationOffload: !tftp.noSegmentationOffload, maxTransfers: tftp.maxTransfers,
            proxy: dhcp.proxy, dhcp: !dhcp.noDHCP, interface: dhcp.interface, dhcpPort: dhcp.dhcpPort, pxePort: dhcp.pxePort,
            httpPort: http.httpPort, http: !http.noHTTP, templates: templates.templates, server: server)
    }

    func run() throws {
        let setup = ServeSetup(farmFile: farm.farmFile, out: out, settings: try settings())
        let result = setup.loadFarm()
        Console.report(result.diagnostics)
        guard let loaded = result.cleanFarm else {
            Console.error("\(farm.farmFile): \(Console.summary(result.diagnostics)); nothing done")
            throw ExitCode.failure
        }
        if let server, loaded.server(named: server) == nil {
            Console.error("pxefarm serve: --server \(server): \(farm.farmFile) has no such server; its servers are \(loaded.effectiveServers.map(\.name).joined(separator: ", "))")
            throw ExitCode.failure
        }
        let logger = Logger(label: "pxefarm.serve") { BufferedLogHandler(label: $0) }
        // Every line logged is on standard error before serve exits, whichever way it leaves.
        defer { LogLineWriter.standardError.flush() }
        do {
            try FarmDaemon(configuration: try setup.daemon(farm: loaded, logger: logger), logger: logger).run()
        } catch let error as FarmServerError {
            Console.error("pxefarm serve: \(error)\(Self.hint(for: error, tftpRootGiven: tftp.tftpRoot != nil))")
            throw ExitCode.failure
        } catch {
            Console.error("pxefarm serve: \(error)")
            throw ExitCode.failure
        }
    }

    /// What the administrator can do about a failure to start, after the message.
    static func hint(for error: FarmServerError, tftpRootGiven: Bool) -> String {
        switch error {
        case .tftpRootMissing where !tftpRootGiven: " (build the farm first, or give --tftp-root)"
        case .cannotListen(.http, _, _, _): " (--http-port moves it, --no-http turns it off)"
        case .cannotListen(.dhcp, _, _, _):
            " (ports below 1024 need root or CAP_NET_BIND_SERVICE; --dhcp-port and --pxe-port move them, --no-dhcp serves TFTP only)"
        default: ""
        }
    }
}
