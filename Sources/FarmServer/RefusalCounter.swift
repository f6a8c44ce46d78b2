import Logging
import NIOConcurrencyHelpers

/// Packets the daemon refused or dropped, counted by reason ("malformed",
/// "path-outside-root", "write-request", ...). Each refusal still has its own
/// log line (at info or debug); these totals are what an operator reads when a
/// flood or a broken client makes those lines too many: `report` logs one
/// line with a count per reason, periodically and at shutdown. Each listener
/// family has its own counter and line: TFTP's "refused packets", DHCP's
/// "refused dhcp packets" (reasons are `DHCPRefusal` names).
public final class RefusalCounter: Sendable {
    private struct State {
        var counts: [String: Int] = [:]
        var reportedTotal = 0
    }

    private let state = NIOLockedValueBox(State())
    /// The report line's message.
    public let message: Logger.Message

    public init(message: Logger.Message = "refused packets") {
        self.message = message
    }

    func count(_ reason: String) {
        state.withLockedValue { $0.counts[reason, default: 0] += 1 }
    }

    /// The totals since the daemon started.
    public var counts: [String: Int] { state.withLockedValue { $0.counts } }

    public var total: Int { counts.values.reduce(0, +) }

    /// Logs `message` ("refused packets") with `total` and one `reason=count` per reason;
    /// unless `always`, only when something was refused since the last report.
    public func report(to logger: Logger, always: Bool = false) {
        let counts: [String: Int]? = state.withLockedValue { state in
            let total = state.counts.values.reduce(0, +)
            guard always || total != state.reportedTotal else { return nil }
            state.reportedTotal = total
            return state.counts
        }
        guard let counts else { return }
        var metadata: Logger.Metadata = ["total": "\(counts.values.reduce(0, +))"]
        for (reason, count) in counts { metadata[reason] = "\(count)" }
        logger.notice(message, metadata: metadata)
    }
}

extension TFTPPathRefusal {
    /// The counter's reason for a refused name.
    var reason: String {
        switch self {
        case .tooLong: "path-too-long"
        case .empty: "path-empty"
        case .controlCharacter: "path-control-character"
        case .backslash: "path-backslash"
        case .notUTF8: "path-not-utf8"
        case .emptyComponent: "path-empty-component"
        case .dotComponent: "path-dot-component"
        case .outsideRoot: "path-outside-root"
        case .notFound: "path-not-found"
        case .notARegularFile: "path-not-a-regular-file"
        }
    }
}
