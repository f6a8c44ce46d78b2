import BootConfig
import Dispatch
import FarmModel
import FileIO
import Foundation
import Logging
import NetbootWire
import NIOConcurrencyHelpers
import NIOCore
import Rollout

/// Applies the boot state (`BootStateStore`: rollouts, installed nodes,
/// one-shot arguments) to what the daemon serves, and changes it on the
/// daemon's side: every second it picks up what the `rollout` and `boot`
/// commands wrote, times out silent installs, starts the next wave and
/// power-cycles its nodes; installers fetch their kickstart file and report
/// done through it; a node that fetched its kernel uses up its one-shot
/// arguments. Whatever changes, the DHCP answers (the farm as served) and
/// the per-node pxelinux and GRUB files (the TFTP overlay) follow at once.
/// When the served tree moves (a build published a new generation, `kernel
/// install`, `rollback`), the farm file and templates are read again as on
/// SIGHUP, so DHCP answers, boot programs and rendered files match what TFTP
/// now serves.
///
/// Everything happens under one lock, off the event loops (the ticks run on
/// a thread of their own, the HTTP responder on NIO's thread pool, TFTP reports
/// are handed to a queue).
public final class BootStateController: Sendable {
    struct State {
        var farm: Farm
        var sources: BootFileSources
        var boot = BootState()
        var signature: FileSignature?
        var served: Farm?
        var overridden: Set<String> = []
        var readProblem: String?
    }

    public let store: BootStateStore
    private let state: NIOLockedValueBox<State>
    private let dhcp: DHCPContextBox?
    private let makeContext: @Sendable (Farm) -> DHCPContext
    private let overlay: TFTPOverlay
    private let stages: BootStageRecorder?
    private let reloadFarm: @Sendable () throws -> (Farm, BootFileSources)
    private let clock: @Sendable () -> Double
    private let logger: Logger
    private let wake = DispatchSemaphore(value: 0)
    private var heartbeat: ServeHeartbeat { ServeHeartbeat(directory: store.directory) }
    private let powerCycles = PowerCycleRunner()
    private let servedTree: NIOLockedValueBox<ServedTree>?
    private let farmObservers = NIOLockedValueBox<[@Sendable (Farm) -> Void]>([])

    public init(store: BootStateStore, farm: Farm, sources: BootFileSources, dhcp: DHCPContextBox?,
                makeContext: @escaping @Sendable (Farm) -> DHCPContext, overlay: TFTPOverlay, stages: BootStageRecorder?,
                logger: Logger, clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
                tftpRoot: String? = nil,
                reloadFarm: @escaping @Sendable () throws -> (Farm, BootFileSources)) {
        self.store = store
        self.state = NIOLockedValueBox(State(farm: farm, sources: sources))
        self.dhcp = dhcp
        self.makeContext = makeContext
        self.overlay = overlay
        self.stages = stages
        self.reloadFarm = reloadFarm
        self.clock = clock
        self.logger = logger
        self.servedTree = tftpRoot.map { NIOLockedValueBox(ServedTree(root: $0)) }
    }

    /// Told the farm after every reload that loaded one (the DHCP listeners
    /// join the discovery group it names).
    public func onFarmChange(_ observer: @escaping @Sendable (Farm) -> Void) {
        farmObservers.withLockedValue { $0.append(observer) }
    }

    /// Reads the state, applies it, and checks it again every `interval`
    /// seconds on a thread of its own until `stop`.
    public func start(interval: Double = 1) {
        tick()
        let thread = Thread { [self] in
            while wake.wait(timeout: .now() + interval) == .timedOut {
                tick()
            }
        }
        thread.name = "pxefarm boot state"
        thread.start()
    }

    public func stop() {
        wake.signal()
        heartbeat.clear()
    }

    /// The farm as served now (for tests and the log).
    public var served: Farm { state.withLockedValue { $0.served ?? $0.farm } }

    /// What the store held when last read.
    public var current: BootState { state.withLockedValue { $0.boot } }

    // MARK: - The daemon's side

    /// Picks up changes from the commands, then moves the rollout on.
    public func tick() {
        let now = clock()
        heartbeat.beat()
        if let tree = servedTree?.withLockedValue({ $0.moved() }) {
            logger.notice("serving a new tree", metadata: ["tree": "\(tree)"])
            reload(because: "new tree")
        }
        // The commands are started once the lock is let go: a slow fork
        // must not hold up the DHCP and HTTP answers waiting on it.
        let cycles = state.withLockedValue { state -> [(command: String, node: String)] in
            refresh(&state)
            var probe = state.boot
            guard !probe.advance(now: now).isEmpty || !probe.nodesToPowerCycle.isEmpty else { return [] }
            do {
                let (moved, boot) = try store.update { boot -> (events: [RolloutEvent], cycle: [String]) in
                    let events = boot.advance(now: now)
                    let cycle = boot.nodesToPowerCycle
                    for node in cycle { boot.markPowerCycled(node, now: now) }
                    return (events, cycle)
                }
                for event in moved.events { logger.notice("rollout", metadata: ["event": "\(event)"]) }
                accept(boot, into: &state)
                guard let command = boot.rollout?.powerCycle else { return [] }
                return moved.cycle.compactMap { name in
                    state.farm.node(named: name).map { (PowerCycleCommand.expand(command, for: $0), name) }
                }
            } catch {
                logger.error("boot state not advanced", metadata: ["reason": "\(error)"])
                return []
            }
        }
        for cycle in cycles { powerCycle(cycle.command, node: cycle.node) }
    }

    /// Starts one node's power cycle and logs how it goes.
    private func powerCycle(_ command: String, node: String) {
        let logger = self.logger
        powerCycles.run(command) { outcome in
            switch outcome {
            case .started(let command):
                logger.notice("power cycle", metadata: ["node": "\(node)", "command": "\(command)"])
            case .notStarted(let reason):
                logger.error("power cycle not started", metadata: ["node": "\(node)", "reason": "\(reason)"])
            case .finished(let status, let output):
                let meta: Logger.Metadata = ["node": "\(node)", "status": "\(status)", "output": "\(output)"]
                if status == 0 {
                    logger.notice("power cycle done", metadata: meta)
                } else {
                    logger.error("power cycle failed; the node will time out unless rebooted by hand", metadata: meta)
                }
            }
        }
    }

    /// SIGHUP: the farm file and templates again, then the same boot state on them.
    /// Keeps the previous farm when the new one does not load.
    public func reload() {
        reload(because: "SIGHUP")
    }

    private func reload(because reason: String) {
        let farm: Farm, sources: BootFileSources
        do {
            (farm, sources) = try reloadFarm()
        } catch {
            logger.error("farm reload failed; still serving the previous farm", metadata: ["reason": "\(reason)", "error": "\(error)"])
            // The tree may have moved all the same: the boot programs it holds are looked up again.
            state.withLockedValue { state in
                state.served = nil
                apply(&state)
            }
            return
        }
        state.withLockedValue { state in
            state.farm = farm
            state.sources = sources
            state.served = nil
            apply(&state)
        }
        logger.notice("farm reloaded", metadata: ["reason": "\(reason)", "nodes": "\(farm.nodes.count)", "services": "\(farm.services.count)"])
        for observer in farmObservers.withLockedValue({ $0 }) { observer(farm) }
    }

    /// A TFTP transfer ended: a node that fetched its kernel whole has used
    /// its one-shot arguments. Called on an event loop, so the work is queued.
    public func transferEnded(_ report: TFTPFetchReport) {
        guard report.completed, IPv4Address(report.client) != nil else { return }
        DispatchQueue.global().async { [self] in consumeOneShot(after: report) }
    }

    /// The work of `transferEnded`, done on the caller's thread: the
    /// one-shot arguments of the node whose whole kernel `report` is are
    /// used up (store, then overlay); any other report changes nothing.
    func consumeOneShot(after report: TFTPFetchReport) {
        guard report.completed, let address = IPv4Address(report.client) else { return }
        state.withLockedValue { state in
            guard let node = state.farm.nodes.first(where: { $0.ip == address }), state.boot.oneShots[node.name] != nil,
                  let served = (state.served ?? state.farm).node(named: node.name),
                  let service = state.farm.service(named: served.service), !service.isLocalBoot,
                  Self.isKernel(report.file, of: service)
            else { return }
            do {
                let (used, boot) = try store.update { $0.kernelFetched(node: node.name) }
                if let used {
                    logger.notice("one-shot boot used", metadata: ["node": "\(node.name)", "arguments": "\(used.arguments)"])
                }
                accept(boot, into: &state)
            } catch {
                logger.error("one-shot arguments not cleared", metadata: ["node": "\(node.name)", "reason": "\(error)"])
            }
        }
    }

    // MARK: - Installers

    /// `GET /ks/<node>.cfg`: the node's kickstart file, rendered for the
    /// install service it boots now, and only to the node's own address
    /// (the file carries the node's callback token).
    public func kickstart(node name: String, from address: IPv4Address) -> HTTPAnswer {
        state.withLockedValue { state in
            refresh(&state)
            guard let node = state.farm.node(named: name) else { return .text(404, "the farm has no node \(name)", logReason: "unknown-node") }
            guard address == node.ip else {
                logger.warning("kickstart refused", metadata: ["node": "\(name)", "from": "\(address)", "reason": "not the node's address \(node.ip)"])
                return .text(403, "only \(name) (\(node.ip)) may fetch its kickstart file", logReason: "not-the-nodes-address")
            }
            let serviceName = (state.served ?? state.farm).node(named: name)?.service ?? node.service
            guard let service = state.farm.service(named: serviceName), let template = service.kickstart else {
                return .text(404, "\(name) is not installing: it boots \(serviceName)", logReason: "not-installing")
            }
            guard let secrets = state.sources.secrets else {
                return .text(503, "kickstart files need the farm's secrets: \(state.sources.secretsProblem ?? "farm.secrets is not set")", logReason: "no-secrets")
            }
            var installing = node
            installing.service = serviceName
            do {
                let file = try KickstartRenderer.render(node: installing, template: template, farm: state.farm,
                                                        with: state.sources.kickstarts, secrets: secrets)
                stages?.record(node: name, stage: .kickstart, detail: "\(KickstartRenderer.outputPath(of: name)) for \(serviceName)", address: "\(address)")
                return .ok(file.text, logReason: "kickstart")
            } catch {
                logger.error("kickstart not rendered", metadata: ["node": "\(name)", "reason": "\(error)"])
                return .text(500, "the kickstart file of \(name) cannot be rendered: \(error)", logReason: "kickstart-not-rendered")
            }
        }
    }

    /// `/done/<node>?token=…`: the install finished; with the node's token
    /// (and only then) the node boots locally from its next boot, and the
    /// rollout moves on.
    public func done(node name: String, token: String, from address: IPv4Address) -> HTTPAnswer {
        let now = clock()
        return state.withLockedValue { state in
            refresh(&state)
            guard let node = state.farm.node(named: name) else { return .text(404, "the farm has no node \(name)", logReason: "unknown-node") }
            guard let secrets = state.sources.secrets else {
                return .text(503, "callbacks need the farm's secrets: \(state.sources.secretsProblem ?? "farm.secrets is not set")", logReason: "no-secrets")
            }
            guard CallbackToken.matches(token, node: name, key: secrets.callbackKey) else {
                logger.warning("install callback refused", metadata: ["node": "\(name)", "from": "\(address)", "reason": "wrong token"])
                return .text(403, "wrong token for \(name)", logReason: "wrong-token")
            }
            let installService = state.farm.service(named: node.service)?.kickstart != nil
            do {
                let (events, boot) = try store.update { try $0.reportDone(node: name, now: now, outsideRollout: installService) }
                for event in events { logger.notice("rollout", metadata: ["event": "\(event)", "from": "\(address)"]) }
                accept(boot, into: &state)
                stages?.record(node: name, stage: .installDone, detail: events.first.map { "\($0)" } ?? "done", address: "\(address)")
                return .text(200, "\(name): install recorded; it boots locally from its next boot", logReason: "done")
            } catch let error as RolloutError {
                logger.warning("install callback refused", metadata: ["node": "\(name)", "from": "\(address)", "reason": "\(error)"])
                return .text(409, "\(error)", logReason: "not-installing")
            } catch {
                logger.error("install callback not recorded", metadata: ["node": "\(name)", "reason": "\(error)"])
                return .text(500, "\(name): not recorded: \(error)", logReason: "state-unwritable")
            }
        }
    }

    /// The HTTP listener's responder: kickstart files, callbacks and boot files.
    public func respond(_ request: HTTPRequestInfo) -> HTTPAnswer {
        switch request.route {
        case .kickstart(let node): kickstart(node: node, from: request.peer)
        case .done(let node, let token): done(node: node, token: token, from: request.peer)
        case .bootScript(let mac): bootScript(mac: mac, base: request.base, from: request.peer)
        case .bootFile: .text(404, "boot files are served by the listener itself", logReason: "no-boot-files")
        case .metrics: .text(404, "metrics are answered by the daemon, not the boot-state controller", logReason: "not-found")
        }
    }

    /// `GET /boot/01-<mac>.ipxe`: the node's iPXE script for the service it
    /// boots now, its boot files at `base` (where the request came in).
    public func bootScript(mac: MACAddress, base: String, from address: IPv4Address) -> HTTPAnswer {
        state.withLockedValue { state in
            refresh(&state)
            let farm = state.served ?? state.farm
            guard let node = farm.nodes.first(where: { $0.mac == mac }) else {
                return .text(404, "the farm has no node with MAC \(mac)", logReason: "unknown-mac")
            }
            do {
                guard let script = try IPXEScriptRenderer.script(for: node, in: farm, base: base, with: state.sources.templates) else {
                    return .text(404, "\(node.name) boots \(node.service), which the farm does not have", logReason: "unknown-service")
                }
                stages?.record(node: node.name, stage: .config, detail: "\(IPXEScriptRenderer.path(of: mac)) over HTTP for \(node.service)", address: "\(address)")
                return HTTPAnswer(status: 200, contentType: "text/plain; charset=utf-8", body: ByteBuffer(string: script), logReason: "boot-script")
            } catch {
                logger.error("boot script not rendered", metadata: ["node": "\(node.name)", "reason": "\(error)"])
                return .text(500, "the boot script of \(node.name) cannot be rendered: \(error)", logReason: "boot-script-not-rendered")
            }
        }
    }

    // MARK: - Applying

    /// Reads the store when its file changed since the last read.
    private func refresh(_ state: inout State) {
        let signature = FileSignature(path: store.path)
        guard signature != state.signature || state.served == nil else { return }
        do {
            let boot = try store.read()
            state.readProblem = nil
            state.signature = signature
            if boot != state.boot || state.served == nil {
                state.boot = boot
                apply(&state)
            }
        } catch {
            let problem = "\(error)"
            if problem != state.readProblem { logger.error("boot state unreadable; serving the last one read", metadata: ["reason": "\(problem)"]) }
            state.readProblem = problem
            state.signature = signature
            if state.served == nil { apply(&state) }
        }
    }

    /// Takes a state this controller just wrote.
    private func accept(_ boot: BootState, into state: inout State) {
        state.signature = FileSignature(path: store.path)
        guard boot != state.boot else { return }
        state.boot = boot
        apply(&state)
    }

    private func apply(_ state: inout State) {
        let served = state.boot.applied(to: state.farm)
        let overridden = Set(state.boot.overriddenNodes(in: state.farm).map(\.name))
        guard served != state.served || overridden != state.overridden else { return }
        state.served = served
        state.overridden = overridden
        dhcp?.replace(with: makeContext(served))
        do {
            overlay.replace(with: try Self.nodeFiles(served, nodes: overridden, with: state.sources.templates))
        } catch {
            overlay.replace(with: [:])
            logger.error("per-node boot files not rendered; nodes get the built ones", metadata: ["reason": "\(error)"])
        }
        logger.info("boot state applied", metadata: [
            "differing-nodes": "\(overridden.count)",
            "rollout": "\(state.boot.rollout.map { "\($0.service) \($0.status.rawValue)" } ?? "none")",
        ])
    }
}

extension BootStateController {
    /// The per-node boot files of `nodes` as the farm is served now, keyed by
    /// their name under the TFTP root: pxelinux files for BIOS (and
    /// syslinux.efi) nodes, GRUB files for UEFI nodes booting through GRUB.
    static func nodeFiles(_ farm: Farm, nodes: Set<String>, with templates: Templates) throws(BootConfigError) -> [String: [UInt8]] {
        var files = try PXELinuxRenderer.nodeFiles(farm, nodes: nodes, with: templates)
        for (name, bytes) in try GRUBRenderer.nodeFiles(farm, nodes: nodes, with: templates) { files[name] = bytes }
        return files
    }

    /// Whether a fetched file is the service's kernel: linux.1 of its BIOS
    /// folder, or of its UEFI folder (GRUB fetches `/EFI/X64/<service>/linux.1`).
    static func isKernel(_ file: String, of service: Service) -> Bool {
        let name = file.drop(while: { $0 == "/" })
        let layer = service.layers.lowerBound + 1
        return name == service.bootFile(layer: layer) || name == service.efiBootFile(layer: layer)
    }
}
