/// Why a rollout command or callback was refused, one sentence each.
public enum RolloutError: Error, Hashable, Sendable, CustomStringConvertible {
    case alreadyRunning(service: String, status: Rollout.Status)
    case noActiveRollout(status: Rollout.Status?)
    case notInstalling(node: String, stage: RolloutStage)
    case notInRollout(node: String)
    case unknownService(String, known: [String])
    case noKickstart(service: String)
    case noLocalBootService
    case badNodes(String, reason: String)
    case unknownNode(String)
    case noNodes
    case badWaveSize(Int)
    case badTimeout(String)

    public var description: String {
        switch self {
        case .alreadyRunning(let service, let status):
            "a rollout to \(service) is \(status.rawValue); abort it first (pxefarm rollout abort)"
        case .noActiveRollout(let status):
            status.map { "the rollout is \($0.rawValue), not running or paused" } ?? "no rollout has been started"
        case .notInstalling(let node, let stage):
            "\(node) is not installing (its rollout stage is \(stage.rawValue))"
        case .notInRollout(let node):
            "\(node) is not being installed: it is in no rollout and its service is not an install service"
        case .unknownService(let name, let known):
            "the farm has no service \(name) (it has \(known.joined(separator: ", ")))"
        case .noKickstart(let service):
            "service \(service) has no kickstart template, so it cannot install nodes; give it `kickstart:` in the farm file"
        case .noLocalBootService:
            "the farm has no local-boot service (type 0) for installed nodes to flip to; add {type: 0, name: local, menu: \"Local Boot\"} to services"
        case .badNodes(let text, let reason):
            "--nodes \(text): \(reason)"
        case .unknownNode(let name):
            "the farm has no node \(name)"
        case .noNodes:
            "--nodes names no node"
        case .badWaveSize(let size):
            "--wave \(size): a wave has at least one node"
        case .badTimeout(let text):
            "--timeout \(text) is not a duration such as 90s, 45m or 2h"
        }
    }
}
