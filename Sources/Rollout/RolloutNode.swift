/// One node of a rollout: its wave and its stage, with when it got there.
public struct RolloutNode: Codable, Hashable, Sendable {
    public var name: String
    /// 1 for the first wave.
    public var wave: Int
    public var stage: RolloutStage
    /// When the node entered `stage` (seconds since 1970, UTC); nil while waiting.
    public var since: Double?
    /// When the daemon ran the rollout's power-cycle command for it, so a
    /// restarted daemon does not run it twice.
    public var powerCycled: Double?

    public init(name: String, wave: Int, stage: RolloutStage = .waiting, since: Double? = nil, powerCycled: Double? = nil) {
        self.name = name
        self.wave = wave
        self.stage = stage
        self.since = since
        self.powerCycled = powerCycled
    }
}
