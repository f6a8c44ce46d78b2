/// A kickstart rollout: nodes moved to an install service wave by wave. The
/// next wave starts when every node of the current one has reported done or
/// timed out; a node that reports done boots locally from then on, so it
/// never installs twice. A value: the transitions are pure functions of the
/// state and the time, kept in `BootState`.
public struct Rollout: Codable, Hashable, Sendable {
    public enum Status: String, Codable, Hashable, Sendable {
        /// Waves start as the previous ones settle.
        case running
        /// No new wave starts; nodes already installing go on and may still report.
        case paused
        /// Stopped: nodes not yet done went back to their farm service.
        case aborted
        /// Every node settled.
        case finished

        /// Running or paused: its installing nodes boot the install service.
        public var isActive: Bool { self == .running || self == .paused }
    }

    /// The install service (it has a kickstart template).
    public var service: String
    public var waveSize: Int
    /// Seconds a node may install before it counts as timed out.
    public var timeout: Double
    /// Run for each node as its wave starts (`{node}`, `{mac}`, `{ip}`
    /// replaced), such as an `ipmitool ... chassis power cycle`; nil when
    /// the administrator reboots the nodes.
    public var powerCycle: String?
    public var status: Status
    /// When it was started (seconds since 1970, UTC).
    public var started: Double
    /// In wave order: the first `waveSize` are wave 1, and so on.
    public var nodes: [RolloutNode]

    public init(service: String, waveSize: Int, timeout: Double, powerCycle: String? = nil, status: Status = .running,
                started: Double, nodes: [RolloutNode]) {
        self.service = service
        self.waveSize = waveSize
        self.timeout = timeout
        self.powerCycle = powerCycle
        self.status = status
        self.started = started
        self.nodes = nodes
    }

    /// Nodes `names` in `waveSize` waves, all waiting.
    public init(service: String, nodes names: [String], waveSize: Int, timeout: Double, powerCycle: String? = nil, started: Double) {
        self.init(service: service, waveSize: waveSize, timeout: timeout, powerCycle: powerCycle, started: started,
                  nodes: names.enumerated().map { RolloutNode(name: $1, wave: $0 / max(1, waveSize) + 1) })
    }

    public var waveCount: Int { nodes.map(\.wave).max() ?? 0 }

    /// The wave whose nodes are installing, if one is.
    public var currentWave: Int? { nodes.first { $0.stage == .installing }?.wave }

    public func index(of node: String) -> Int? { nodes.firstIndex { $0.name == node } }

    public func node(named name: String) -> RolloutNode? { index(of: name).map { nodes[$0] } }

    /// How many nodes are at each stage.
    public var counts: [RolloutStage: Int] { nodes.reduce(into: [:]) { $0[$1.stage, default: 0] += 1 } }
}
