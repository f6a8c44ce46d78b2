import FarmModel
import NetbootWire

/// The daemon's side of the boot state as a pure value: it takes an event
/// (the state file read, a tick, a kernel fetched, a change written, the farm
/// reloaded) and returns the effects that follow (persist a change, serve a
/// new farm, power-cycle nodes, log lines). `BootStateController` in
/// FarmServer feeds it and carries the effects out; everything here is a
/// function of the state, the event and the time the event carries.
public struct BootEngine: Hashable, Sendable {
    /// The farm file's farm.
    public private(set) var farm: Farm
    /// The boot state as last read or written.
    public private(set) var boot = BootState()
    /// The farm as served now (nil until served, and after a reload, so the
    /// next event serves again).
    public private(set) var served: Farm?
    /// The nodes whose boot differs from the farm file's, as served.
    public private(set) var overridden: Set<String> = []
    /// Why the state file could not be read the last time (logged once).
    public private(set) var readProblem: String?
    /// The generation of the last written state taken; an older write that
    /// comes back later is not taken, so what is served never goes backwards.
    public private(set) var generation = 0

    public init(farm: Farm) { self.farm = farm }

    /// The farm as served, or the farm file's before the first event.
    public var serving: Farm { served ?? farm }

    public enum Event: Hashable, Sendable {
        /// The state file was read (it changed since the last read, or nothing is served yet).
        case read(BootState)
        /// The state file could not be read, for `reason`.
        case unreadable(reason: String)
        /// The farm file was loaded again.
        case farmLoaded(Farm)
        /// The farm file did not load; the previous farm is served again
        /// (the boot programs of a moved tree are looked up afresh).
        case farmKept
        /// A second passed.
        case tick(now: Double)
        /// A transfer to `client` of `file` ended, whole.
        case fetched(client: IPv4Address, file: String)
        /// A `.persist`ed change ran: what it did, and the state it wrote at
        /// `generation` (nil when the file has moved on since: it is read again).
        case changed(BootChange, BootChange.Outcome, state: BootState?, generation: Int)
        /// A `.persist`ed change failed; `refused` when the change itself
        /// refused (a RolloutError that `isRefusal`), not the store.
        case changeFailed(BootChange, reason: String, refused: Bool)
    }

    public mutating func handle(_ event: Event) -> [BootEffect] {
        switch event {
        case .read(let state):
            readProblem = nil
            guard state != boot || served == nil else { return [] }
            boot = state
            return serve()
        case .unreadable(let reason):
            var effects: [BootEffect] = []
            if reason != readProblem { effects.append(.log(BootLogLine(.error, "boot state unreadable; serving the last one read", ["reason": reason]))) }
            readProblem = reason
            if served == nil { effects += serve() }
            return effects
        case .farmLoaded(let farm):
            self.farm = farm
            served = nil
            return serve()
        case .farmKept:
            served = nil
            return serve()
        case .tick(let now):
            // The change itself, run on a copy: written only when it would do something.
            let change = BootChange.advance(now: now)
            var probe = boot
            guard let outcome = try? change.apply(to: &probe), !outcome.events.isEmpty || !outcome.powerCycle.isEmpty else { return [] }
            return [.persist(change)]
        case .fetched(let client, let file):
            return fetched(file, by: client).map { [.persist(.kernelFetched(node: $0))] } ?? []
        case .changed(let change, let outcome, let state, let generation):
            var effects = logs(of: change, outcome)
            if let state, generation > self.generation {
                self.generation = generation
                if state != boot {
                    boot = state
                    effects += serve()
                }
            }
            if let command = outcome.powerCycleCommand {
                effects += outcome.powerCycle.compactMap { name in
                    farm.node(named: name).map { .powerCycle(node: name, command: PowerCycleCommand.expand(command, for: $0)) }
                }
            }
            return effects
        case .changeFailed(let change, let reason, let refused):
            return [.log(Self.failure(of: change, reason: reason, refused: refused))]
        }
    }

    /// The change a node's install callback makes (its token already checked):
    /// a node whose farm service installs may report done outside a rollout.
    public func done(node: Node, now: Double, from address: String) -> BootChange {
        .reportDone(node: node.name, now: now, outsideRollout: farm.service(named: node.service)?.kickstart != nil, from: address)
    }

    /// Whether a fetched file is the service's kernel: linux.1 of its BIOS
    /// folder, or of its UEFI folder (GRUB fetches `/EFI/X64/<service>/linux.1`).
    public static func isKernel(_ file: String, of service: Service) -> Bool {
        let name = file.drop(while: { $0 == "/" })
        let layer = service.layers.lowerBound + 1
        return name == service.bootFile(layer: layer) || name == service.efiBootFile(layer: layer)
    }

    /// The node whose one-shot arguments `file` uses up: the whole kernel of
    /// the (network-booting) service it is served now, fetched from its address.
    private func fetched(_ file: String, by client: IPv4Address) -> String? {
        guard let node = farm.nodes.first(where: { $0.ip == client }), boot.oneShots[node.name] != nil,
              let served = serving.node(named: node.name),
              let service = farm.service(named: served.service), !service.isLocalBoot,
              Self.isKernel(file, of: service)
        else { return nil }
        return node.name
    }

    /// The boot state on the farm: a new farm to serve when it differs from the one served.
    private mutating func serve() -> [BootEffect] {
        let farm = boot.applied(to: self.farm)
        let overridden = Set(boot.overriddenNodes(in: self.farm).map(\.name))
        guard farm != served || overridden != self.overridden else { return [] }
        served = farm
        self.overridden = overridden
        return [
            .serve(farm: farm, overridden: overridden),
            .log(BootLogLine(.info, "boot state applied", [
                "differing-nodes": "\(overridden.count)",
                "rollout": boot.rollout.map { "\($0.service) \($0.status.rawValue)" } ?? "none",
            ])),
        ]
    }

    private func logs(of change: BootChange, _ outcome: BootChange.Outcome) -> [BootEffect] {
        switch change {
        case .advance:
            return outcome.events.map { .log(BootLogLine(.notice, "rollout", ["event": "\($0)"])) }
        case .reportDone(_, _, _, let address):
            return outcome.events.map { .log(BootLogLine(.notice, "rollout", ["event": "\($0)", "from": address])) }
        case .kernelFetched(let node):
            return outcome.usedOneShot.map { [.log(BootLogLine(.notice, "one-shot boot used", ["node": node, "arguments": $0.arguments]))] } ?? []
        }
    }

    private static func failure(of change: BootChange, reason: String, refused: Bool) -> BootLogLine {
        switch change {
        case .advance:
            BootLogLine(.error, "boot state not advanced", ["reason": reason])
        case .kernelFetched(let node):
            BootLogLine(.error, "one-shot arguments not cleared", ["node": node, "reason": reason])
        case .reportDone(let node, _, _, let address):
            refused ? BootLogLine(.warning, "install callback refused", ["node": node, "from": address, "reason": reason])
                : BootLogLine(.error, "install callback not recorded", ["node": node, "reason": reason])
        }
    }
}
