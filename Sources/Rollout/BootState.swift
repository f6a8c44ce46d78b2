import FarmModel

/// How nodes boot beyond what the farm file says, as `pxefarm serve` applies
/// it: the rollout under way (or the last one), the nodes a rollout
/// installed (they boot locally), and one-shot kernel arguments. Shared by
/// the daemon and the `rollout` and `boot` commands through
/// `BootStateStore`; every change is a pure function of the state and the time.
public struct BootState: Codable, Hashable, Sendable {
    /// The format of the file; a newer pxefarm refuses to guess at an unknown one.
    public var version: Int
    public var rollout: Rollout?
    /// Nodes whose install reported done, and when: they boot the farm's
    /// local-boot (type 0) service until installed again or reset.
    public var installed: [String: Double]
    public var oneShots: [String: OneShotBoot]

    public static let currentVersion = 1

    public init(rollout: Rollout? = nil, installed: [String: Double] = [:], oneShots: [String: OneShotBoot] = [:]) {
        version = Self.currentVersion
        self.rollout = rollout
        self.installed = installed
        self.oneShots = oneShots
    }

    /// The service `node` boots now: its rollout's install service while
    /// installing, local boot once installed, else the farm file's service.
    public func service(of node: Node, in farm: Farm) -> String {
        if let rollout, rollout.status.isActive, rollout.node(named: node.name)?.stage == .installing {
            return rollout.service
        }
        if installed[node.name] != nil, let local = farm.service(type: 0) {
            return local.name
        }
        return node.service
    }

    /// The farm as the daemon serves it: each node on the service it boots
    /// now, with its one-shot arguments after its own. The farm file's
    /// values everywhere else.
    public func applied(to farm: Farm) -> Farm {
        guard rollout?.status.isActive == true || !installed.isEmpty || !oneShots.isEmpty else { return farm }
        var result = farm
        for index in result.nodes.indices {
            let node = result.nodes[index]
            result.nodes[index].service = service(of: node, in: farm)
            if let once = oneShots[node.name] {
                result.nodes[index].kernelArguments = [node.kernelArguments, once.arguments].filter { !$0.isEmpty }.joined(separator: " ")
            }
        }
        return result
    }

    /// The nodes whose boot differs from the farm file's (for the daemon's
    /// per-node boot files).
    public func overriddenNodes(in farm: Farm) -> [Node] {
        applied(to: farm).nodes.filter { node in
            oneShots[node.name] != nil || farm.node(named: node.name)?.service != node.service
        }
    }
}
