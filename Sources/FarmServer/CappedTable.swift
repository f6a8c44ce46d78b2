import Logging
import NIOConcurrencyHelpers

/// The things a listener has open now (HTTP connections, TFTP transfers),
/// by key, at most `limit` at once, under one lock. Reaching the cap is
/// logged once, at the first one turned away, and leaving it again with how
/// many were turned away meanwhile.
final class CappedTable<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    enum Admission: Equatable { case admitted, duplicate, full }

    /// What the table logs: at the cap, below it again, and the metadata key
    /// of how many were turned away in between.
    struct LogLines: Sendable {
        var reached: Logger.Message
        var resumed: Logger.Message
        var turnedAwayKey: String
    }

    private struct State: Sendable {
        var open: [Key: Value] = [:]
        var cap = CapLatch()
    }

    let limit: Int
    private let logger: Logger
    private let lines: LogLines
    private let state = NIOLockedValueBox(State())

    init(limit: Int, logger: Logger, lines: LogLines) {
        self.limit = limit
        self.logger = logger
        self.lines = lines
    }

    var count: Int { state.withLockedValue { $0.open.count } }
    var values: [Value] { state.withLockedValue { Array($0.open.values) } }

    /// Records `value` under `key`, unless that key is open already or the
    /// table is full; `metadata` says who was turned away, in the line at the cap.
    func admit(_ key: Key, _ value: Value, metadata: @autoclosure () -> Logger.Metadata) -> Admission {
        let (admission, firstTurnedAway) = state.withLockedValue { state -> (Admission, Bool) in
            if state.open[key] != nil { return (.duplicate, false) }
            if state.open.count >= limit {
                return (.full, state.cap.turnAway())
            }
            state.open[key] = value
            return (.admitted, false)
        }
        if firstTurnedAway {
            logger.warning(lines.reached, metadata: metadata().merging(["limit": "\(limit)"]) { $1 })
        }
        return admission
    }

    func remove(_ key: Key) {
        let resumedAfter = state.withLockedValue { state -> Int? in
            state.open[key] = nil
            return state.cap.freed()
        }
        if let turnedAway = resumedAfter {
            logger.notice(lines.resumed, metadata: ["limit": "\(limit)", lines.turnedAwayKey: "\(turnedAway)"])
        }
    }
}
