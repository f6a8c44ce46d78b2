/// A change the daemon makes to the stored boot state. A value, so the
/// engine can ask for it and the store's adapter can run it under the
/// store's lock on the state as the file holds it then (a command may have
/// written since the engine last read it).
public enum BootChange: Hashable, Sendable {
    /// The clock moved: installs time out, the next wave starts, and the
    /// installing nodes not yet power-cycled are marked as power-cycled.
    case advance(now: Double)
    /// `node` fetched its whole kernel: its one-shot arguments are used up.
    case kernelFetched(node: String)
    /// `node`'s installer called back with its token (already checked), from `address`.
    case reportDone(node: String, now: Double, outsideRollout: Bool, from: String)

    /// What running a change did.
    public struct Outcome: Hashable, Sendable {
        public var events: [RolloutEvent] = []
        /// Nodes to run the rollout's power-cycle command for, and that command.
        public var powerCycle: [String] = []
        public var powerCycleCommand: String?
        /// The one-shot arguments a fetched kernel used up.
        public var usedOneShot: OneShotBoot?

        public init(events: [RolloutEvent] = [], powerCycle: [String] = [], powerCycleCommand: String? = nil, usedOneShot: OneShotBoot? = nil) {
            self.events = events
            self.powerCycle = powerCycle
            self.powerCycleCommand = powerCycleCommand
            self.usedOneShot = usedOneShot
        }
    }

    /// Runs the change on `state` (a pure function of the state and the change).
    public func apply(to state: inout BootState) throws(RolloutError) -> Outcome {
        switch self {
        case .advance(let now):
            let events = state.advance(now: now)
            let cycle = state.nodesToPowerCycle
            for node in cycle { state.markPowerCycled(node, now: now) }
            return Outcome(events: events, powerCycle: cycle, powerCycleCommand: state.rollout?.powerCycle)
        case .kernelFetched(let node):
            return Outcome(usedOneShot: state.kernelFetched(node: node))
        case .reportDone(let node, let now, let outsideRollout, _):
            return Outcome(events: try state.reportDone(node: node, now: now, outsideRollout: outsideRollout))
        }
    }
}
