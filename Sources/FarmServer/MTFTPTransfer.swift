import NetbootWire

/// One PXE MTFTP transfer (PXE 2.1 §2.4.3 as clients implement it) as a pure
/// state machine. The client that opened it (the master) gets block 1 by
/// unicast; every later block goes to the file's multicast group, where other
/// clients listen without acknowledging. Only the master ACKs. It may ACK
/// ahead (blocks it already caught while listening), so an ACK for any block
/// above the last acknowledged one moves the transfer on; duplicates are
/// ignored and only the timer retransmits. No options: 512-byte blocks, so at
/// most 65535 blocks (a larger file is refused and the client falls back to TFTP).
public struct MTFTPTransfer: Sendable {
    public static let blockSize = 512
    public static let maximumBlocks: UInt64 = 65535

    public enum Destination: Equatable, Sendable { case master, group }

    public enum Action: Equatable, Sendable {
        case sendData(block: UInt16, to: Destination)
        case sendError(TFTPErrorCode, String)
        case armTimer(seconds: Int)
        case finish(TFTPTransfer.Outcome)
    }

    public let fileSize: Int
    public let timeout: Int
    public let maximumRetries: Int
    public let totalBlocks: UInt64
    public private(set) var acknowledged: UInt64 = 0
    public private(set) var lastSent: UInt64 = 0
    public private(set) var retries = 0
    public private(set) var finished = false

    /// nil when the file needs more than 65535 blocks.
    public init?(fileSize: Int, timeout: Int = 1, maximumRetries: Int = 5) {
        let blocks = UInt64(fileSize / Self.blockSize) + 1
        guard blocks <= Self.maximumBlocks else { return nil }
        self.fileSize = fileSize
        self.timeout = timeout
        self.maximumRetries = maximumRetries
        totalBlocks = blocks
    }

    public func range(ofBlock block: UInt16) -> Range<Int> {
        let start = (Int(block) - 1) * Self.blockSize
        return start..<min(start + Self.blockSize, fileSize)
    }

    public mutating func handle(_ event: TFTPTransfer.Event) -> [Action] {
        guard !finished else { return [] }
        switch event {
        case .start:
            return send(1)
        case .timeout:
            retries += 1
            guard retries <= maximumRetries else { return finish(.timedOut) }
            return send(lastSent)
        case .packet(.ack(let block)):
            let number = UInt64(block)
            guard number > acknowledged, number <= totalBlocks else { return [] }
            acknowledged = number
            retries = 0
            if number == totalBlocks { return finish(.completed) }
            return send(number + 1)
        case .packet(.error(let code, let message)):
            return finish(.clientError(code, message))
        case .packet(let other):
            return [.sendError(.illegalOperation, "Illegal TFTP operation")] + finish(.protocolError("unexpected \(other.dump) during an MTFTP transfer"))
        }
    }

    private mutating func send(_ block: UInt64) -> [Action] {
        lastSent = block
        return [.sendData(block: UInt16(block), to: block == 1 ? .master : .group), .armTimer(seconds: timeout)]
    }

    private mutating func finish(_ outcome: TFTPTransfer.Outcome) -> [Action] {
        finished = true
        return [.finish(outcome)]
    }
}
