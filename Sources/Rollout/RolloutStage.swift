/// Where one node of a rollout is.
public enum RolloutStage: String, Codable, Hashable, Sendable, CaseIterable {
    /// Its wave has not started: it boots as the farm file says.
    case waiting
    /// Its wave started: it boots the install service until it reports done or times out.
    case installing
    /// Its kickstart called back with the node's token: it boots locally from now on.
    case done
    /// No callback within the rollout's timeout: it is back on its farm service.
    case timedOut = "timed-out"
    /// The rollout was aborted before this node finished: back on its farm service.
    case aborted

    /// Its wave can no longer hold the next one back.
    public var isSettled: Bool { self == .done || self == .timedOut || self == .aborted }
}
