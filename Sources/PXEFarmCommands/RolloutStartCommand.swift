import ArgumentParser
import FarmLoading
import FarmModel
import Rollout

/// `pxefarm rollout start farm.yaml --service S --nodes 'n[040-103]' --wave 16`.
struct RolloutStartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start installing nodes in waves.",
        discussion: """
            Refused while another rollout is running or paused, for a service without a \
            kickstart template, for a farm without a local-boot (type 0) service, and \
            without a readable secrets file (kickstart files carry the callback tokens). \
            Without --power-cycle, reboot each wave's nodes yourself when it starts \
            (`pxefarm rollout status` shows which).
            """)

    @OptionGroup var farm: FarmFileOptions
    @OptionGroup var state: BootStateOptions

    @Option(help: ArgumentHelp("The install service.", valueName: "name"))
    var service: String

    @Option(help: ArgumentHelp("Nodes: names and ranges, comma separated, such as n011,n[040-103].", valueName: "nodes"))
    var nodes: String

    @Option(help: ArgumentHelp("Nodes per wave.", valueName: "N"))
    var wave: Int

    @Option(help: ArgumentHelp("How long a node may install before it times out (90s, 45m, 2h).", valueName: "duration"))
    var timeout: String = RolloutRequest.defaultTimeout

    @Option(help: ArgumentHelp("""
        A command `pxefarm serve` runs for each node as its wave starts, with {node}, {mac} and \
        {ip} replaced (quoted for sh), such as 'ipmitool -I lanplus -H {node}-ipmi -U admin -f /etc/pxefarm/ipmi.pw chassis power cycle'.
        """, valueName: "command"))
    var powerCycle: String?

    func run() throws {
        let loaded = try farm.load()
        let request = RolloutRequest(service: service, nodes: nodes, waveSize: wave, timeout: timeout, powerCycle: powerCycle)
        let rollout: Rollout
        do {
            rollout = try request.rollout(for: loaded, now: BootStateOptions.now)
        } catch {
            Console.error("pxefarm rollout start: \(error)")
            throw ExitCode.failure
        }
        try checkSecrets(loaded)
        let (events, _) = try state.update("rollout start") { try $0.start(rollout, now: BootStateOptions.now) }
        print("rollout to \(service): \(rollout.nodes.count) nodes in \(rollout.waveCount) waves of up to \(wave), timeout \(timeout)")
        for event in events { print(event) }
        if powerCycle == nil {
            print("pxefarm serve applies it within a second; reboot the nodes of wave 1 now (no --power-cycle given)")
        }
    }

    /// The installers will need their kickstart files, which need the secrets.
    func checkSecrets(_ farm: Farm) throws {
        guard let path = farm.settings.secrets else {
            Console.error("pxefarm rollout start: \(self.farm.farmFile): farm.secrets is not set; kickstart files need its root password hash and callback key")
            throw ExitCode.failure
        }
        let (secrets, diagnostics) = SecretsLoader().load(path: path)
        guard secrets != nil else {
            Console.report(diagnostics)
            Console.error("pxefarm rollout start: kickstart files need the secrets file \(path); nothing started")
            throw ExitCode.failure
        }
    }
}
