import Dispatch
import FarmModel
import FileIO
import Foundation
import Logging
import NetbootWire
import NIOConcurrencyHelpers
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
/// What to do is decided by `BootEngine` (Rollout), a pure value fed events;
/// this class is its adapter: it feeds the engine under one lock and carries
/// out the effects it returns. Serving a farm and logging happen under the
/// lock, in order; the fsync'd writes of the state file (`.persist`) and the
/// power-cycle commands happen once the lock is let go, so a slow disk or
/// fork holds up no DHCP or HTTP answer. A write is taken back under the
/// lock only while the file still holds it (see `persist`), so what is
/// served never goes back behind the file. All of it runs off the event
/// loops (ticks on a thread of their own, the HTTP responder on NIO's
/// thread pool, TFTP reports on a queue).
public final class BootStateController: Sendable {
    struct State {
        var engine: BootEngine
        var sources: BootFileSources
        /// The state file's signature when last read or written by this controller.
        var signature: FileSignature?
    }

    public let store: BootStateStore
    let state: NIOLockedValueBox<State>
    let dhcp: DHCPContextBox?
    let makeContext: @Sendable (Farm) -> DHCPContext
    let overlay: TFTPOverlay
    let stages: BootStageRecorder?
    private let reloadFarm: @Sendable () throws -> (Farm, BootFileSources)
    let clock: @Sendable () -> Double
    let logger: Logger
    private let wake = DispatchSemaphore(value: 0)
    private var heartbeat: ServeHeartbeat { ServeHeartbeat(directory: store.directory) }
    let powerCycles = PowerCycleRunner()
    /// Numbers this controller's writes in the order the store's lock let them write.
    let generations = NIOLockedValueBox(0)
    private let servedTree: NIOLockedValueBox<ServedTree>?
    private let farmObservers = NIOLockedValueBox<[@Sendable (Farm) -> Void]>([])

    public init(store: BootStateStore, farm: Farm, sources: BootFileSources, dhcp: DHCPContextBox?,
                makeContext: @escaping @Sendable (Farm) -> DHCPContext, overlay: TFTPOverlay, stages: BootStageRecorder?,
                logger: Logger, clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
                tftpRoot: String? = nil,
                reloadFarm: @escaping @Sendable () throws -> (Farm, BootFileSources)) {
        self.store = store
        self.state = NIOLockedValueBox(State(engine: BootEngine(farm: farm), sources: sources))
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
    public var served: Farm { state.withLockedValue { $0.engine.serving } }

    /// What the store held when last read.
    public var current: BootState { state.withLockedValue { $0.engine.boot } }

    // MARK: - The daemon's side

    /// Picks up changes from the commands, then moves the rollout on.
    public func tick() {
        let now = clock()
        heartbeat.beat()
        if let tree = servedTree?.withLockedValue({ $0.moved() }) {
            logger.notice("serving a new tree", metadata: ["tree": "\(tree)"])
            reload(because: "new tree")
        }
        carryOut(state.withLockedValue { state in
            refresh(&state) + inMemory(state.engine.handle(.tick(now: now)), of: state)
        })
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
            carryOut(state.withLockedValue { inMemory($0.engine.handle(.farmKept), of: $0) })
            return
        }
        carryOut(state.withLockedValue { state in
            state.sources = sources
            return inMemory(state.engine.handle(.farmLoaded(farm)), of: state)
        })
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
        carryOut(state.withLockedValue { inMemory($0.engine.handle(.fetched(client: address, file: report.file)), of: $0) })
    }
}
