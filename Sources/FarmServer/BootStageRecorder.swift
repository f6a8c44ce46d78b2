import Foundation
import Logging
import Rollout
import NIOConcurrencyHelpers

/// Collects boot stages from the DHCP handlers and the TFTP server and
/// writes them to the state file at most once per `flush()` call — the daemon
/// calls it every second and at exit — so a burst of packets costs one write.
public final class BootStageRecorder: Sendable {
    public let path: String
    private let state: NIOLockedValueBox<(stages: BootStages, dirty: Bool)>
    private let clock: @Sendable () -> Double
    private let logger: Logger

    /// Starts from what `path` already holds, so a restart keeps history.
    public init(path: String, logger: Logger, clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.path = path
        self.clock = clock
        self.logger = logger
        let existing: BootStages
        do {
            existing = try BootStages.load(from: path)
        } catch {
            logger.warning("boot stages start empty", metadata: ["reason": "\(error)"])
            existing = BootStages()
        }
        state = NIOLockedValueBox((existing, false))
    }

    public func record(node: String, stage: BootStages.Stage, detail: String, address: String? = nil) {
        let entry = BootStages.Entry(at: clock(), detail: detail, address: address)
        state.withLockedValue {
            $0.stages.nodes[node, default: [:]][stage] = entry
            $0.dirty = true
        }
    }

    public var snapshot: BootStages { state.withLockedValue { $0.stages } }

    /// Writes the file when something changed since the last write.
    public func flush() {
        let pending: BootStages? = state.withLockedValue {
            guard $0.dirty else { return nil }
            $0.dirty = false
            return $0.stages
        }
        guard let pending else { return }
        do {
            try pending.write(to: path)
        } catch {
            state.withLockedValue { $0.dirty = true }
            logger.warning("boot stages not saved", metadata: ["reason": "\(error)"])
        }
    }
}
