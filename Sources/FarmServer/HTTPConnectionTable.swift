import Logging
import NIOConcurrencyHelpers
import NIOCore

/// The HTTP connections open now, at most `limit`: a connection beyond it is
/// closed at once (and counted by the caller). Reaching the cap is logged
/// once, and leaving it again with how many connections were turned away;
/// `stop` closes whatever is still open.
final class HTTPConnectionTable: Sendable {
    private struct State {
        var open: [ObjectIdentifier: Channel] = [:]
        var cap = CapLatch()
    }

    let limit: Int
    private let logger: Logger
    private let state = NIOLockedValueBox(State())

    init(limit: Int, logger: Logger) {
        self.limit = limit
        self.logger = logger
    }

    var openCount: Int { state.withLockedValue { $0.open.count } }

    /// Records the connection and arranges its removal when it closes; false
    /// when the table is full (the caller closes the connection).
    func admit(_ channel: Channel) -> Bool {
        let (admitted, firstTurnedAway) = state.withLockedValue { state -> (Bool, Bool) in
            guard state.open.count < limit else {
                return (false, state.cap.turnAway())
            }
            state.open[ObjectIdentifier(channel)] = channel
            return (true, false)
        }
        if firstTurnedAway {
            logger.warning("http connection limit reached; new connections are closed until one ends",
                           metadata: ["limit": "\(limit)", "peer": "\(channel.remoteAddress?.logText ?? "-")"])
        }
        if admitted {
            channel.closeFuture.whenComplete { [self] _ in remove(channel) }
        }
        return admitted
    }

    private func remove(_ channel: Channel) {
        let resumedAfter = state.withLockedValue { state -> Int? in
            state.open[ObjectIdentifier(channel)] = nil
            return state.cap.freed()
        }
        if let turnedAway = resumedAfter {
            logger.notice("http below the connection limit again", metadata: ["limit": "\(limit)", "turned-away": "\(turnedAway)"])
        }
    }

    /// Closes every open connection; done when all are closed.
    func closeAll(on eventLoop: EventLoop) -> EventLoopFuture<Void> {
        let channels = state.withLockedValue { Array($0.open.values) }
        let closes = channels.map { channel in channel.close().recover { _ in } }
        return EventLoopFuture.andAllComplete(closes, on: eventLoop)
    }
}
