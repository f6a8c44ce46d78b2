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

    @Option(help: ArgumentHelp("Serve this folder instead of DIR/tftpboot.", valueName: "DIR"))
    var tftpRoot: String?

    @Option(help: ArgumentHelp("The TFTP port (0 picks a free one and logs it).", valueName: "N"))
    var tftpPort: Int = 69

    @Option(help: ArgumentHelp("The PXE MTFTP port.", valueName: "N"))
    var mtftpPort: Int = 1759

    @Option(help: ArgumentHelp("""
        Multicast one file over MTFTP: its name under the TFTP root, the group address and \
        the client port, e.g. X86PC/UNDI/linux-boot/linux.1=224.1.1.1:1758. Repeatable; \
        files without a group are refused over MTFTP so clients fall back to TFTP.
        """, valueName: "FILE=IP:PORT"))
    var mtftpGroup: [String] = []

    @Flag(help: "Send each TFTP block as its own datagram, even where Linux could send a window's blocks in one segmented write (UDP GSO).")
    var noSegmentationOffload = false

    @Option(help: ArgumentHelp("Transfers served at once; further requests are dropped and logged until one ends (clients retry).", valueName: "N"))
    var maxTransfers: Int = 1024

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

    @Option(help: ArgumentHelp("The HTTP port for kickstart files, install callbacks and UEFI HTTP Boot (default: the farm's http-port, 8067; 0 picks a free one).", valueName: "N"))
    var httpPort: Int?

    @Flag(name: .customLong("no-http"), help: "Answer no HTTP (kickstart files, install callbacks, UEFI HTTP Boot).")
    var noHTTP = false

    func validate() throws {
        if let address, IPv4Address(address) == nil {
            throw ValidationError("--address \(address) is not an IPv4 address such as 192.168.197.11")
        }
        guard (0...65535).contains(tftpPort) else { throw ValidationError("--tftp-port \(tftpPort) is outside 0-65535") }
        guard (0...65535).contains(mtftpPort) else { throw ValidationError("--mtftp-port \(mtftpPort) is outside 0-65535") }
        guard maxTransfers > 0 else { throw ValidationError("--max-transfers must be at least 1") }
        guard (0...65534).contains(dhcpPort) else { throw ValidationError("--dhcp-port \(dhcpPort) is outside 0-65534 (replies go to port + 1)") }
        guard (0...65535).contains(pxePort) else { throw ValidationError("--pxe-port \(pxePort) is outside 0-65535") }
        if let httpPort, !(0...65535).contains(httpPort) { throw ValidationError("--http-port \(httpPort) is outside 0-65535") }
        if noHTTP, httpPort != nil { throw ValidationError("--http-port and --no-http contradict each other") }
        if noDHCP, proxy { throw ValidationError("--proxy and --no-dhcp contradict each other") }
        _ = try mtftpGroups()
    }

    /// `FILE=IP:PORT` pairs, each checked: a multicast address and a port 1-65535.
    func mtftpGroups() throws -> [String: MTFTPGroup] {
        var groups: [String: MTFTPGroup] = [:]
        for text in mtftpGroup {
            let parts = text.split(separator: "=", maxSplits: 1)
            let target = parts.count == 2 ? parts[1].split(separator: ":") : []
            guard parts.count == 2, target.count == 2, let address = IPv4Address(target[0]), let port = Int(target[1]),
                  let group = MTFTPGroup(address: address, clientPort: port)
            else {
                throw ValidationError("--mtftp-group \(text) is not FILE=IP:PORT with a multicast IP (224.0.0.0-239.255.255.255) and a port 1-65535")
            }
            let file = String(parts[0].drop { $0 == "/" })
            guard groups[file] == nil else { throw ValidationError("--mtftp-group gives \(file) twice") }
            groups[file] = group
        }
        return groups
    }

    /// The options as ServeSetup's settings.
    func settings() throws -> ServeSetup.Settings {
        ServeSetup.Settings(
            address: address, tftpRoot: tftpRoot, tftpPort: tftpPort, mtftpPort: mtftpPort, mtftpGroups: try mtftpGroups(),
            segmentationOffload: !noSegmentationOffload, maxTransfers: maxTransfers, proxy: proxy, dhcp: !noDHCP,
            interface: interface, dhcpPort: dhcpPort, pxePort: pxePort, httpPort: httpPort, http: !noHTTP, templates: templates.templates,
            server: server)
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
            Console.error("pxefarm serve: \(error)\(Self.hint(for: error, tftpRootGiven: tftpRoot != nil))")
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
