/// What a transition did, one log line each.
public enum RolloutEvent: Hashable, Sendable, CustomStringConvertible {
    case waveStarted(wave: Int, nodes: [String])
    case done(node: String, late: Bool)
    case alreadyDone(node: String)
    case timedOut(node: String)
    case paused
    case resumed
    case aborted(nodes: [String])
    case finished(counts: [RolloutStage: Int])

    public var description: String {
        switch self {
        case .waveStarted(let wave, let nodes):
            "wave \(wave) started: \(nodes.count) nodes boot the install service (\(nodes.joined(separator: " ")))"
        case .done(let node, let late):
            "\(node) reported done\(late ? " after it had timed out" : ""); it boots locally from now on"
        case .alreadyDone(let node):
            "\(node) reported done again; nothing changes"
        case .timedOut(let node):
            "\(node) timed out without reporting done; it is back on its farm service"
        case .paused:
            "rollout paused: no new wave starts"
        case .resumed:
            "rollout resumed"
        case .aborted(let nodes):
            "rollout aborted: \(nodes.count) nodes back on their farm service"
        case .finished(let counts):
            "rollout finished: " + RolloutStage.allCases.compactMap { stage in counts[stage].map { "\($0) \(stage.rawValue)" } }.joined(separator: ", ")
        }
    }
}
