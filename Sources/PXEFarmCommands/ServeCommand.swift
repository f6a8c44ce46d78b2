import ArgumentParser
import FarmModel
import FarmServer
import Logging
import NetbootWire

/// `pxefarm serve farm.yaml --out DIR`: the serving daemon. Today it serves
/// TFTP (read-only) from the built tree; DHCP, ProxyDHCP and MTFTP follow.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a built farm over TFTP until interrupted.",
        discussion: """
            Serves DIR/tftpboot (or --tftp-root) read-only over TFTP with blksize, tsize, \
            timeout and windowsize, on the farm's server address unless --address says \
            otherwise. Logs one line per transfer to standard error. Stops on SIGINT or SIGTERM.
            """)

    @OptionGroup var farm: FarmFileOptions

    @Option(help: ArgumentHelp("The build output folder (from pxefarm build).", valueName: "DIR"))
    var out: String

    @Option(help: ArgumentHelp("The address to listen on (default: the farm's server address).", valueName: "IP"))
    var address: String?

    @Option(help: ArgumentHelp("Serve this folder instead of DIR/tftpboot.", valueName: "DIR"))
    var tftpRoot: String?

    @Option(help: ArgumentHelp("The TFTP port (0 picks a free one and logs it).", valueName: "N"))
    var tftpPort: Int = 69

    @Option(help: ArgumentHelp("Transfers served at once; further requests are dropped and logged until one ends (clients retry).", valueName: "N"))
    var maxTransfers: Int = 1024

    func validate() throws {
        if let address, IPv4Address(address) == nil {
            throw ValidationError("--address \(address) is not an IPv4 address such as 192.168.197.11")
        }
        guard (0...65535).contains(tftpPort) else { throw ValidationError("--tftp-port \(tftpPort) is outside 0-65535") }
        guard maxTransfers > 0 else { throw ValidationError("--max-transfers must be at least 1") }
    }

    func run() throws {
        let loaded = try farm.load()
        let host = address ?? loaded.settings.server.description
        let root = tftpRoot ?? (out.hasSuffix("/") ? out : out + "/") + "tftpboot"
        let logger = Logger(label: "pxefarm.serve") { StreamLogHandler.standardError(label: $0) }
        let tftp = TFTPServer.Configuration(root: root, host: host, port: tftpPort, maximumTransfers: maxTransfers)
        do {
            try FarmDaemon(configuration: FarmDaemon.Configuration(tftp: tftp), logger: logger).run()
        } catch let error as TFTPPathError {
            Console.error("pxefarm serve: \(error)\(tftpRoot == nil ? " (build the farm first, or give --tftp-root)" : "")")
            throw ExitCode.failure
        } catch {
            Console.error("pxefarm serve: \(error)")
            throw ExitCode.failure
        }
    }
}
