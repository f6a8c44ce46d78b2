import FarmModel

/// The rollout's transitions. Each returns what happened, for the log.
extension BootState {
    /// Starts `rollout` (built by `RolloutRequest`) and its first wave.
    /// Refused while another rollout is running or paused.
    public mutating func start(_ rollout: Rollout, now: Double) throws(RolloutError) -> [RolloutEvent] {
        if let current = self.rollout, current.status.isActive {
            throw .alreadyRunning(service: current.service, status: current.status)
        }
        self.rollout = rollout
        return advance(now: now)
    }

    /// Moves the rollout on at time `now`: installing nodes past the timeout
    /// time out; when no node is installing, the next wave starts (unless
    /// paused); when every node has settled, the rollout is finished.
    public mutating func advance(now: Double) -> [RolloutEvent] {
        guard var rollout, rollout.status.isActive else { return [] }
        var events: [RolloutEvent] = []
        for index in rollout.nodes.indices where rollout.nodes[index].stage == .installing {
            if let since = rollout.nodes[index].since, now - since >= rollout.timeout {
                rollout.nodes[index].stage = .timedOut
                rollout.nodes[index].since = now
                events.append(.timedOut(node: rollout.nodes[index].name))
            }
        }
        if rollout.currentWave == nil {
            if let next = rollout.nodes.filter({ $0.stage == .waiting }).map(\.wave).min() {
                if rollout.status == .running {
                    var started: [String] = []
                    for index in rollout.nodes.indices where rollout.nodes[index].wave == next && rollout.nodes[index].stage == .waiting {
                        rollout.nodes[index].stage = .installing
                        rollout.nodes[index].since = now
                        installed[rollout.nodes[index].name] = nil
                        started.append(rollout.nodes[index].name)
                    }
                    events.append(.waveStarted(wave: next, nodes: started))
                }
            } else {
                rollout.status = .finished
                events.append(.finished(counts: rollout.counts))
            }
        }
        self.rollout = rollout
        return events
    }

    /// A node's kickstart reported done (its token already checked). It
    /// boots locally from now on. A node that timed out and reports late is
    /// done too: the report proves the install finished. `installService`
    /// says whether the node boots an install service outside any rollout
    /// (the farm file puts it there), which may report done as well.
    public mutating func reportDone(node: String, now: Double, outsideRollout installService: Bool = false) throws(RolloutError) -> [RolloutEvent] {
        if var rollout, let index = rollout.index(of: node) {
            let stage = rollout.nodes[index].stage
            switch stage {
            case .installing, .timedOut:
                rollout.nodes[index].stage = .done
                rollout.nodes[index].since = now
                installed[node] = now
                self.rollout = rollout
                return [.done(node: node, late: stage == .timedOut)] + advance(now: now)
            case .done:
                return [.alreadyDone(node: node)]
            case .waiting, .aborted:
                if !installService { throw .notInstalling(node: node, stage: stage) }
            }
        }
        guard installService else { throw .notInRollout(node: node) }
        if installed[node] != nil { return [.alreadyDone(node: node)] }
        installed[node] = now
        return [.done(node: node, late: false)]
    }

    /// No new wave starts until `resume`.
    public mutating func pause() throws(RolloutError) -> [RolloutEvent] {
        guard var rollout, rollout.status.isActive else { throw .noActiveRollout(status: self.rollout?.status) }
        guard rollout.status == .running else { return [] }
        rollout.status = .paused
        self.rollout = rollout
        return [.paused]
    }

    public mutating func resume(now: Double) throws(RolloutError) -> [RolloutEvent] {
        guard var rollout, rollout.status.isActive else { throw .noActiveRollout(status: self.rollout?.status) }
        guard rollout.status == .paused else { return [] }
        rollout.status = .running
        self.rollout = rollout
        return [.resumed] + advance(now: now)
    }

    /// Stops the rollout: nodes waiting or installing go back to their farm
    /// service; nodes already done stay on local boot.
    public mutating func abort(now: Double) throws(RolloutError) -> [RolloutEvent] {
        guard var rollout, rollout.status.isActive else { throw .noActiveRollout(status: self.rollout?.status) }
        var stopped: [String] = []
        for index in rollout.nodes.indices where !rollout.nodes[index].stage.isSettled {
            rollout.nodes[index].stage = .aborted
            rollout.nodes[index].since = now
            stopped.append(rollout.nodes[index].name)
        }
        rollout.status = .aborted
        self.rollout = rollout
        return [.aborted(nodes: stopped)]
    }

    /// Installing nodes the daemon has not yet power-cycled (when the rollout has a command for it).
    public var nodesToPowerCycle: [String] {
        guard let rollout, rollout.status.isActive, rollout.powerCycle != nil else { return [] }
        return rollout.nodes.filter { $0.stage == .installing && $0.powerCycled == nil }.map(\.name)
    }

    public mutating func markPowerCycled(_ node: String, now: Double) {
        guard let index = rollout?.index(of: node) else { return }
        rollout?.nodes[index].powerCycled = now
    }
}
