import NetbootWire

/// One read transfer as a pure state machine: fed events (a packet from the
/// client's TID, a timeout), it answers with actions (send, arm the timer,
/// finish). No sockets, no clocks: the handler does those.
///
/// Blocks are counted as 64-bit absolute numbers internally; the wire block
/// number is the low 16 bits, so numbers roll over from 65535 to 0 (what
/// tftp-hpa, atftp and curl expect). With a window (RFC 7440) the server
/// sends `windowSize` blocks, then waits for the ACK of the last; an ACK for
/// an earlier block of the window restarts the window after it. Duplicate and
/// stale ACKs are ignored: only the timer retransmits (no Sorcerer's
/// Apprentice, RFC 1123 §4.2.3.1).
public struct TFTPTransfer: Sendable {
    public enum Event: Equatable, Sendable {
        case start
        case packet(TFTPPacket)
        case timeout
    }

    public enum Outgoing: Equatable, Sendable {
        case optionAck([TFTPOption])
        /// Absolute block number (1-based); the handler cuts the bytes.
        case data(block: UInt64)
        case error(TFTPErrorCode, String)
    }

    public enum Outcome: Equatable, Sendable {
        case completed
        case clientError(TFTPErrorCode, String)
        case timedOut
        case protocolError(String)
    }

    public enum Action: Equatable, Sendable {
        case send(Outgoing)
        case armTimer(seconds: Int)
        case finish(Outcome)
    }

    public let fileSize: Int
    public let negotiation: TFTPNegotiation
    public let maximumRetries: Int
    /// Blocks in the file: the last one is short, possibly empty.
    public let totalBlocks: UInt64
    /// Highest block the client has acknowledged (0: none, or the OACK).
    public private(set) var acknowledged: UInt64 = 0
    /// Highest block sent so far.
    public private(set) var sent: UInt64 = 0
    public private(set) var retries = 0
    public private(set) var finished = false
    private var awaitingOptionAck = false

    public init(fileSize: Int, negotiation: TFTPNegotiation, maximumRetries: Int = 5) {
        self.fileSize = fileSize
        self.negotiation = negotiation
        self.maximumRetries = maximumRetries
        totalBlocks = UInt64(fileSize / negotiation.blockSize) + 1
    }

    /// The byte range of absolute block `block` in the file.
    public func range(ofBlock block: UInt64) -> Range<Int> {
        let start = Int(block - 1) * negotiation.blockSize
        return start..<min(start + negotiation.blockSize, fileSize)
    }

    public mutating func handle(_ event: Event) -> [Action] {
        var actions: [Action] = []
        handle(event, into: &actions)
        return actions
    }

    /// The same, appending to `actions` (which it empties first): a transfer's
    /// handler keeps one array for all its packets, so a lockstep ACK costs no
    /// allocation.
    public mutating func handle(_ event: Event, into actions: inout [Action]) {
        actions.removeAll(keepingCapacity: true)
        guard !finished else { return }
        switch event {
        case .start:
            if negotiation.sendsOptionAck {
                awaitingOptionAck = true
                actions.append(.send(.optionAck(negotiation.acknowledged)))
                actions.append(timer)
                return
            }
            sendWindow(after: 0, into: &actions)
        case .timeout:
            retries += 1
            guard retries <= maximumRetries else { return finish(.timedOut, into: &actions) }
            if awaitingOptionAck {
                actions.append(.send(.optionAck(negotiation.acknowledged)))
                actions.append(timer)
                return
            }
            sendWindow(after: acknowledged, into: &actions)
        case .packet(.ack(let block)):
            acknowledge(block, into: &actions)
        case .packet(.error(let code, let message)):
            finish(.clientError(code, message), into: &actions)
        case .packet(let other):
            let reason = "unexpected \(other.dump) during a read transfer"
            actions.append(.send(.error(.illegalOperation, "Illegal TFTP operation")))
            finish(.protocolError(reason), into: &actions)
        }
    }

    private mutating func acknowledge(_ block: UInt16, into actions: inout [Action]) {
        if awaitingOptionAck {
            guard block == 0 else { return }
            awaitingOptionAck = false
            retries = 0
            return sendWindow(after: 0, into: &actions)
        }
        // The absolute block this ACK names: the one in (acknowledged, sent] with these low 16 bits.
        let distance = UInt64(block &- UInt16(truncatingIfNeeded: acknowledged))
        guard distance > 0, acknowledged + distance <= sent else { return }
        acknowledged += distance
        retries = 0
        if acknowledged == totalBlocks { return finish(.completed, into: &actions) }
        sendWindow(after: acknowledged, into: &actions)
    }

    private mutating func sendWindow(after block: UInt64, into actions: inout [Action]) {
        let last = min(block + UInt64(negotiation.windowSize), totalBlocks)
        for next in (block + 1)...last { actions.append(.send(.data(block: next))) }
        sent = max(sent, last)
        actions.append(timer)
    }

    private var timer: Action { .armTimer(seconds: negotiation.timeout) }

    private mutating func finish(_ outcome: Outcome, into actions: inout [Action]) {
        finished = true
        actions.append(.finish(outcome))
    }
}
