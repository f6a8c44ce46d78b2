import BootConfig
import FarmModel
import FileIO
import Logging
import Rollout

/// Carrying out the boot engine's effects: serving a farm and log lines
/// under the controller's lock, persisting changes and power cycles after it.
extension BootStateController {
    /// The effects that write or spawn, left for after the lock.
    enum Later {
        case persist(BootChange)
        case powerCycle(node: String, command: String)
    }

    /// Under the lock: carries out the effects on memory (serve, log) at once,
    /// in order, and returns those that write or spawn, for `carryOut`.
    func inMemory(_ effects: [BootEffect], of state: State) -> [Later] {
        var later: [Later] = []
        for effect in effects {
            switch effect {
            case .serve(let farm, let overridden): serve(farm, overridden: overridden, with: state.sources.templates)
            case .log(let line): log(line)
            case .persist(let change): later.append(.persist(change))
            case .powerCycle(let node, let command): later.append(.powerCycle(node: node, command: command))
            }
        }
        return later
    }

    /// Once the lock is let go: the writes and spawns `inMemory` left, in order.
    func carryOut(_ effects: [Later]) {
        for effect in effects {
            switch effect {
            case .persist(let change): persist(change)
            case .powerCycle(let node, let command): powerCycle(command, node: node)
            }
        }
    }

    /// Runs `change` on the state file under the store's lock (read, change,
    /// write through fsync; the controller's lock is not held), then hands
    /// the engine what it did. The written state is taken only while the
    /// file still has the signature it had when written: a command (or
    /// another of this controller's writes) that came since is read instead.
    @discardableResult
    func persist(_ change: BootChange) -> Result<BootChange.Outcome, any Error> {
        let outcome: Result<BootChange.Outcome, any Error>
        let later: [Later]
        do {
            let written = try store.signedUpdate { boot in
                let outcome = try change.apply(to: &boot)
                return (outcome: outcome, generation: generations.withLockedValue { $0 += 1; return $0 })
            }
            later = state.withLockedValue { state in
                let latest = written.signature != nil && FileSignature(path: store.path) == written.signature
                if latest { state.signature = written.signature }
                let changed = BootEngine.Event.changed(change, written.result.outcome, state: latest ? written.state : nil,
                                                       generation: written.result.generation)
                return inMemory(state.engine.handle(changed), of: state) + (latest ? [] : refresh(&state))
            }
            outcome = .success(written.result.outcome)
        } catch {
            later = state.withLockedValue { state in
                inMemory(state.engine.handle(.changeFailed(change, reason: "\(error)", refused: (error as? RolloutError)?.isRefusal ?? false)), of: state)
            }
            outcome = .failure(error)
        }
        carryOut(later)
        return outcome
    }

    /// Under the lock: reads the store when its file changed since the last
    /// read (or nothing is served yet) and gives it to the engine.
    func refresh(_ state: inout State) -> [Later] {
        let signature = FileSignature(path: store.path)
        guard signature != state.signature || state.engine.served == nil else { return [] }
        state.signature = signature
        let event: BootEngine.Event
        do {
            event = .read(try store.read())
        } catch {
            event = .unreadable(reason: "\(error)")
        }
        return inMemory(state.engine.handle(event), of: state)
    }

    /// Serves `farm`: its DHCP context, and the overlay of the nodes' own boot files.
    private func serve(_ farm: Farm, overridden: Set<String>, with templates: Templates) {
        dhcp?.replace(with: makeContext(farm))
        do {
            overlay.replace(with: try Self.nodeFiles(farm, nodes: overridden, with: templates))
        } catch {
            overlay.replace(with: [:])
            logger.error("per-node boot files not rendered; nodes get the built ones", metadata: ["reason": "\(error)"])
        }
    }

    private func log(_ line: BootLogLine) {
        let message = Logger.Message(stringLiteral: line.message)
        let metadata = line.metadata.mapValues { Logger.MetadataValue.string($0) }
        switch line.level {
        case .info: logger.info(message, metadata: metadata)
        case .notice: logger.notice(message, metadata: metadata)
        case .warning: logger.warning(message, metadata: metadata)
        case .error: logger.error(message, metadata: metadata)
        }
    }

    /// Starts one node's power cycle and logs how it goes.
    private func powerCycle(_ command: String, node: String) {
        let logger = self.logger
        powerCycles.run(command) { outcome in
            switch outcome {
            case .started(let command):
                logger.notice("power cycle", metadata: ["node": "\(node)", "command": "\(command)"])
            case .notStarted(let reason):
                logger.error("power cycle not started", metadata: ["node": "\(node)", "reason": "\(reason)"])
            case .finished(let status, let output):
                let meta: Logger.Metadata = ["node": "\(node)", "status": "\(status)", "output": "\(output)"]
                if status == 0 {
                    logger.notice("power cycle done", metadata: meta)
                } else {
                    logger.error("power cycle failed; the node will time out unless rebooted by hand", metadata: meta)
                }
            }
        }
    }

    /// The per-node boot files of `nodes` as the farm is served now, keyed by
    /// their name under the TFTP root: pxelinux files for BIOS (and
    /// syslinux.efi) nodes, GRUB files for UEFI nodes booting through GRUB.
    static func nodeFiles(_ farm: Farm, nodes: Set<String>, with templates: Templates) throws(BootConfigError) -> [String: [UInt8]] {
        var files = try PXELinuxRenderer.nodeFiles(farm, nodes: nodes, with: templates)
        for (name, bytes) in try GRUBRenderer.nodeFiles(farm, nodes: nodes, with: templates) { files[name] = bytes }
        return files
    }
}
