import Logging
import NIOConcurrencyHelpers
import NIOCore

/// The transfers in progress, keyed by client address and port (the client's
/// TID). Enforces the cap on concurrent transfers and says so in the log when
/// it is reached, and again when serving resumes, with how many requests were
/// dropped meanwhile (the clients retransmit their RRQ and get served then).
final class TransferRegistry: Sendable {
    enum Admission: Equatable { case admitted, duplicate, full }

    private struct State {
        var active: Set<SocketAddress> = []
        var cap = CapLatch()
        var completed = 0
    }

    let limit: Int
    private let logger: Logger
    private let state = NIOLockedValueBox(State())

    init(limit: Int, logger: Logger) {
        self.limit = limit
        self.logger = logger
    }

    var activeCount: Int { state.withLockedValue { $0.active.count } }
    var droppedCount: Int { state.withLockedValue { $0.cap.turnedAway } }

    func admit(_ client: SocketAddress) -> Admission {
        let (admission, firstDrop) = state.withLockedValue { state -> (Admission, Bool) in
            if state.active.contains(client) { return (.duplicate, false) }
            if state.active.count >= limit {
                return (.full, state.cap.turnAway())
            }
            state.active.insert(client)
            return (.admitted, false)
        }
        if firstDrop {
            logger.warning("tftp transfer limit reached; new requests are dropped until a transfer ends",
                           metadata: ["limit": "\(limit)", "client": "\(client.logText)"])
        }
        return admission
    }

    func end(_ client: SocketAddress) {
        let resumedAfter = state.withLockedValue { state -> Int? in
            state.active.remove(client)
            return state.cap.freed()
        }
        if let dropped = resumedAfter {
            logger.notice("tftp below the transfer limit again", metadata: ["limit": "\(limit)", "dropped": "\(dropped)"])
        }
    }
}
