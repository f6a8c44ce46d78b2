import Logging
import NIOCore

/// The transfers in progress, keyed by client address and port (the client's
/// TID). Enforces the cap on concurrent transfers and says so in the log when
/// it is reached, and again when serving resumes, with how many requests were
/// dropped meanwhile (the clients retransmit their RRQ and get served then).
final class TransferRegistry: Sendable {
    typealias Admission = CappedTable<SocketAddress, Void>.Admission

    private let transfers: CappedTable<SocketAddress, Void>

    init(limit: Int, logger: Logger) {
        transfers = CappedTable(limit: limit, logger: logger, lines: .init(
            reached: "tftp transfer limit reached; new requests are dropped until a transfer ends",
            resumed: "tftp below the transfer limit again", turnedAwayKey: "dropped"))
    }

    var activeCount: Int { transfers.count }

    func admit(_ client: SocketAddress) -> Admission {
        transfers.admit(client, (), metadata: ["client": "\(client.logText)"])
    }

    func end(_ client: SocketAddress) {
        transfers.remove(client)
    }
}
