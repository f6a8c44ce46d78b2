/// Everything that goes wrong in Rollout, one sentence each: a rollout
/// command or callback the boot state refuses (`isRefusal`), or the boot
/// state's and the boot stages' files failing to be read or written.
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
    /// The boot state file exists but cannot be read.
    case stateUnreadable(path: String, reason: String)
    /// The boot state file is not JSON of a boot state.
    case stateMalformed(path: String, reason: String)
    /// The boot state file was written by a pxefarm of another format version.
    case stateUnknownVersion(path: String, version: Int)
    /// The boot state file, its lock or its folder cannot be written.
    case stateUnwritable(path: String, reason: String)
    /// The boot-stage file exists but cannot be read or decoded.
    case stagesUnreadable(path: String, reason: String)
    /// The boot-stage file cannot be written.
    case stagesUnwritable(path: String, reason: String)

    /// A request the boot state refuses, as against a file that failed.
    public var isRefusal: Bool {
        switch self {
        case .alreadyRunning, .noActiveRollout, .notInstalling, .notInRollout, .unknownService, .noKickstart,
             .noLocalBootService, .badNodes, .unknownNode, .noNodes, .badWaveSize, .badTimeout: true
        case .stateUnreadable, .stateMalformed, .stateUnknownVersion, .stateUnwritable, .stagesUnreadable, .stagesUnwritable: false
        }
    }

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
        case .stateUnreadable(let path, let reason):
            "\(path) cannot be read: \(reason)"
        case .stateMalformed(let path, let reason):
            "\(path) is not a pxefarm boot state (\(reason)); move it aside to start afresh"
        case .stateUnknownVersion(let path, let version):
            "\(path) has format version \(version), which this pxefarm does not know (it writes \(BootState.currentVersion))"
        case .stateUnwritable(let path, let reason):
            "\(path) cannot be written: \(reason)"
        case .stagesUnreadable(let path, let reason):
            "cannot read the boot-stage file \(path): \(reason)"
        case .stagesUnwritable(let path, let reason):
            "cannot write the boot-stage file \(path): \(reason)"
        }
    }
}
