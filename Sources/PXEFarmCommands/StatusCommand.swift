import ArgumentParser
import FarmModel
import FarmBuild
import FarmServer
import Foundation
import Rollout

/// `pxefarm status farm.yaml --out DIR`: each node's boot stages as
/// `pxefarm serve` recorded them (last DHCP decision, boot-server ACK, TFTP fetch).
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each node's last DHCP answer, boot-server answer and TFTP fetch.",
        discussion: """
            Reads the boot stages `pxefarm serve` keeps in DIR/.pxefarm/boot-stages.json \\
            (written about once a second while it runs) and prints one block per node in \\
            farm order; nodes never seen say so. --html FILE and --svg FILE draw the same \
            stages as a timeline, one row per node (DHCP, boot server, NBP, config, kernel, \
            initrd, kickstart, callback), failed and slow nodes marked, rollout waves as bands.
            """)

    @OptionGroup var farm: FarmFileOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var timelineFiles: TimelineFileOptions

    @Flag(help: "With servers:, try a TCP connection to port 2049 of each NFS server (1 s each) and mark the nodes of one that does not answer.")
    var probeNFS = false

    func run() throws {
        let loaded = try farm.load()
        let path = ServeSetup.stagesPath(out: output.out)
        let stages: BootStages
        do {
            stages = try BootStages.load(from: path)
        } catch {
            Console.error("pxefarm status: \(error)")
            throw ExitCode.failure
        }
        let down = probeNFS ? Set(loaded.servers(with: .nfs).filter { !TCPProbe.answers($0.address.description, port: 2049) }.map(\.name)) : []
        print(StatusReport.text(farm: loaded, stages: stages, nfsDown: down), terminator: "")
        guard timelineFiles.html != nil || timelineFiles.svg != nil else { return }
        let rollout = try? BootStateStore(directory: OutputLayout(root: output.out).state).read().rollout
        let timeline = BootTimeline(title: "pxefarm: boot timeline of farm \(loaded.settings.name)",
                                    nodes: loaded.nodes.map { BootTimeline.Node(name: $0.name, service: $0.service) },
                                    stages: stages, rollout: rollout ?? nil)
        for (path, text) in [(timelineFiles.html, timeline.html()), (timelineFiles.svg, timeline.svg())] {
            guard let path else { continue }
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                Console.error("pxefarm status: cannot write \(path): \(error.localizedDescription)")
                throw ExitCode.failure
            }
        }
    }
}

/// The status text: per node, one line per stage seen, times in UTC.
enum StatusReport {
    /// With `servers:`, each node's home NFS server and boot servers in its
    /// order; a node whose NFS server is in `nfsDown` is said not to boot.
    static func text(farm: Farm, stages: BootStages, nfsDown: Set<String> = []) -> String {
        var out = ""
        for node in farm.nodes {
            out += "\(node.name) \(node.mac) \(node.ip) \(node.service)\n"
            if !farm.servers.isEmpty {
                let boot = farm.bootServers(of: node).map(\.name).joined(separator: ", ")
                if let home = farm.homeNFSServer(of: node), farm.service(named: node.service)?.root == .nfs {
                    out += "  servers NFS \(home.name) (\(home.address)), boot \(boot)\n"
                    if nfsDown.contains(home.name) { out += "  NFS server \(home.name) does not answer: this node cannot boot\n" }
                } else {
                    out += "  servers boot \(boot)\n"
                }
            }
            guard let seen = stages.nodes[node.name], !seen.isEmpty else {
                out += "  never seen\n"
                continue
            }
            for stage in BootStages.Stage.allCases {
                guard let entry = seen[stage] else { continue }
                out += "  \(stage.rawValue) \(timestamp(entry.at)) \(entry.detail)\n"
            }
        }
        return out
    }

    static func timestamp(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }
}
