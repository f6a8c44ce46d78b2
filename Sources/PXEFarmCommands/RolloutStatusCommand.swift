import ArgumentParser
import FarmServer
import Foundation
import Rollout

/// `pxefarm rollout status`: the rollout, every node's stage, installed nodes, one-shot boots.
struct RolloutStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the rollout and every node's stage.",
        discussion: """
            First whether `pxefarm serve` is running (its heartbeat in DIR/.pxefarm/serve.pid), \
            then one line per node of the rollout: its wave, its stage and since when, and the \
            last thing `pxefarm serve` saw it do (DHCP, TFTP, kickstart fetch). Then the \
            nodes that boot locally after their install and the one-shot boots waiting. \
            --json prints the stored state as it is.
            """)

    @OptionGroup var state: BootStateOptions

    @Flag(help: "Print the stored boot state as JSON.")
    var json = false

    func run() throws {
        let boot = try state.read("rollout status")
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(boot), as: UTF8.self))
            return
        }
        let stages = (try? BootStages.load(from: ServeSetup.stagesPath(out: state.out))) ?? BootStages()
        let serve = ServeHeartbeat(directory: state.store.directory).liveness(now: BootStateOptions.now)
        print(RolloutReport.text(boot, stages: stages, serve: serve, now: BootStateOptions.now), terminator: "")
    }
}

/// The status text. Times in UTC.
enum RolloutReport {
    static func text(_ boot: BootState, stages: BootStages, serve: ServeHeartbeat.Liveness, now: Double) -> String {
        var out = ""
        switch serve {
        case .running(let pid, let ago):
            out += "pxefarm serve: running (pid \(pid), seen \(Int(ago)) s ago)\n"
        case .stopped(let lastSeen):
            out += "pxefarm serve: not running since \(StatusReport.timestamp(lastSeen)); nothing moves until it runs again\n"
        case .notRunning:
            out += "pxefarm serve: not running; nothing moves until it runs\n"
        }
        if let rollout = boot.rollout {
            out += "rollout to \(rollout.service): \(rollout.status.rawValue), started \(StatusReport.timestamp(rollout.started)), "
            out += "\(rollout.waveCount) waves of up to \(rollout.waveSize), timeout \(Int(rollout.timeout / 60))m"
            if let command = rollout.powerCycle { out += ", power cycle: \(command)" }
            out += "\n"
            let counts = rollout.counts
            out += "  " + (rollout.currentWave.map { "wave \($0) installing; " } ?? "")
            out += RolloutStage.allCases.compactMap { stage in counts[stage].map { "\($0) \(stage.rawValue)" } }.joined(separator: ", ") + "\n"
            let width = rollout.nodes.map(\.name.count).max() ?? 4
            for node in rollout.nodes {
                var line = "  \(node.name.padding(toLength: width, withPad: " ", startingAt: 0))  wave \(node.wave)  "
                line += node.stage.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                if let since = node.since { line += "  since \(StatusReport.timestamp(since))" }
                if node.stage == .installing, let since = node.since {
                    line += "  (\(Int((now - since) / 60))m of \(Int(rollout.timeout / 60))m)"
                }
                if let seen = lastSeen(node.name, stages) { line += "  last: \(seen)" }
                out += String(line.reversed().drop { $0 == " " }.reversed()) + "\n"
            }
        } else {
            out += "no rollout\n"
        }
        if !boot.installed.isEmpty {
            out += "boot locally after their install: \(boot.installed.keys.sorted().joined(separator: " "))\n"
        }
        for (node, once) in boot.oneShots.sorted(by: { $0.key < $1.key }) {
            out += "one-shot boot waiting: \(node) \"\(once.arguments)\" (asked \(StatusReport.timestamp(once.requested)))\n"
        }
        return out
    }

    /// The node's latest boot stage, as "stage at time".
    static func lastSeen(_ node: String, _ stages: BootStages) -> String? {
        guard let latest = stages.nodes[node]?.max(by: { $0.value.at < $1.value.at }) else { return nil }
        return "\(latest.key.rawValue) \(StatusReport.timestamp(latest.value.at))"
    }
}
