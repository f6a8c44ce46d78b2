import NetbootWire
import Testing
@testable import FarmServer

@Suite struct TFTPTransferTests {
    func make(size: Int, _ options: [(String, String)] = [], retries: Int = 3) throws -> TFTPTransfer {
        let negotiation = try TFTPNegotiation(options: options.map { TFTPOption($0.0, $0.1) }, fileSize: size,
                                              limits: .init(maximumBlockSize: 1468, maximumWindowSize: 64, defaultTimeout: 2))
        return TFTPTransfer(fileSize: size, negotiation: negotiation, maximumRetries: retries)
    }

    /// Drives a transfer with a perfect client that ACKs each window's last
    /// block; returns the absolute blocks sent, in order.
    func runToEnd(_ transfer: inout TFTPTransfer) -> [UInt64] {
        var sent: [UInt64] = []
        var actions = transfer.handle(.start)
        while true {
            var last: UInt16?
            for action in actions {
                switch action {
                case .send(.data(let block)):
                    sent.append(block)
                    last = UInt16(truncatingIfNeeded: block)
                case .send(.optionAck):
                    last = 0
                case .finish(let outcome):
                    #expect(outcome == .completed)
                    return sent
                default: break
                }
            }
            guard let ack = last else { Issue.record("nothing to acknowledge"); return sent }
            actions = transfer.handle(.packet(.ack(block: ack)))
        }
    }

    @Test(arguments: [(0, 1), (511, 1), (512, 2), (513, 2), (1024, 3)])
    func blockCountsAtTheEdges(_ size: Int, _ blocks: Int) throws {
        var transfer = try make(size: size)
        #expect(runToEnd(&transfer) == (1...UInt64(blocks)).map { $0 })
        #expect(transfer.range(ofBlock: UInt64(blocks)).count == size % 512)
    }

    @Test func withoutOptionsDataStartsAtOnce() throws {
        var transfer = try make(size: 10)
        #expect(transfer.handle(.start) == [.send(.data(block: 1)), .armTimer(seconds: 2)])
    }

    @Test func optionAckWaitsForAckZero() throws {
        var transfer = try make(size: 3000, [("blksize", "1024"), ("tsize", "0")])
        #expect(transfer.handle(.start) == [.send(.optionAck([TFTPOption("blksize", "1024"), TFTPOption("tsize", "3000")])), .armTimer(seconds: 2)])
        #expect(transfer.handle(.packet(.ack(block: 5))) == [])
        #expect(transfer.handle(.timeout) == [.send(.optionAck([TFTPOption("blksize", "1024"), TFTPOption("tsize", "3000")])), .armTimer(seconds: 2)])
        #expect(transfer.handle(.packet(.ack(block: 0))) == [.send(.data(block: 1)), .armTimer(seconds: 2)])
        #expect(transfer.range(ofBlock: 3) == 2048..<3000)
    }

    @Test func duplicateAcksAreIgnoredOnlyTheTimerRetransmits() throws {
        var transfer = try make(size: 2000)
        _ = transfer.handle(.start)
        #expect(transfer.handle(.packet(.ack(block: 1))) == [.send(.data(block: 2)), .armTimer(seconds: 2)])
        #expect(transfer.handle(.packet(.ack(block: 1))) == [])
        #expect(transfer.handle(.packet(.ack(block: 0))) == [])
        #expect(transfer.handle(.packet(.ack(block: 3))) == [])
        #expect(transfer.handle(.timeout) == [.send(.data(block: 2)), .armTimer(seconds: 2)])
    }

    @Test func givesUpAfterTheRetries() throws {
        var transfer = try make(size: 2000, retries: 2)
        _ = transfer.handle(.start)
        _ = transfer.handle(.timeout)
        _ = transfer.handle(.timeout)
        #expect(transfer.handle(.timeout) == [.finish(.timedOut)])
        #expect(transfer.handle(.packet(.ack(block: 1))) == [])
    }

    @Test func progressResetsTheRetries() throws {
        var transfer = try make(size: 5000, retries: 1)
        _ = transfer.handle(.start)
        _ = transfer.handle(.timeout)
        _ = transfer.handle(.packet(.ack(block: 1)))
        #expect(transfer.handle(.timeout) == [.send(.data(block: 2)), .armTimer(seconds: 2)])
    }

    @Test func windowsAndPartialAcks() throws {
        var transfer = try make(size: 512 * 10, [("windowsize", "4")])
        _ = transfer.handle(.start)
        #expect(transfer.handle(.packet(.ack(block: 0))) == [1, 2, 3, 4].map { .send(.data(block: $0)) } + [.armTimer(seconds: 2)])
        // The client lost block 3: it acknowledges 2, the window restarts after it.
        #expect(transfer.handle(.packet(.ack(block: 2))) == [3, 4, 5, 6].map { .send(.data(block: $0)) } + [.armTimer(seconds: 2)])
        #expect(transfer.handle(.timeout) == [3, 4, 5, 6].map { .send(.data(block: $0)) } + [.armTimer(seconds: 2)])
        #expect(transfer.handle(.packet(.ack(block: 6))) == [7, 8, 9, 10].map { .send(.data(block: $0)) } + [.armTimer(seconds: 2)])
        #expect(transfer.handle(.packet(.ack(block: 10))) == [.send(.data(block: 11)), .armTimer(seconds: 2)])
        #expect(transfer.handle(.packet(.ack(block: 11))) == [.finish(.completed)])
    }

    @Test func blockNumbersRollOverPast65535() throws {
        // blksize 8: 70000 blocks in 560 kB, the same arithmetic as 32 MiB at 512.
        var transfer = try make(size: 8 * 70_000 + 3, [("blksize", "8"), ("windowsize", "16")])
        let sent = runToEnd(&transfer)
        #expect(sent.count == 70_001)
        #expect(sent == (1...70_001).map { $0 })
        #expect(UInt16(truncatingIfNeeded: sent[65_535]) == 0)
        #expect(transfer.range(ofBlock: 70_001) == 560_000..<560_003)
    }

    @Test func ackAcrossTheRolloverIsMatchedToTheRightBlock() throws {
        var transfer = try make(size: 8 * 65_540, [("blksize", "8"), ("windowsize", "8")])
        _ = transfer.handle(.start)
        var actions = transfer.handle(.packet(.ack(block: 0)))
        while transfer.sent < 65_534 {
            actions = transfer.handle(.packet(.ack(block: UInt16(truncatingIfNeeded: transfer.sent))))
        }
        #expect(actions.contains(.send(.data(block: 65_536))))
        // Wire block 0 now means absolute 65536, not the OACK.
        #expect(transfer.handle(.packet(.ack(block: 0))).first == .send(.data(block: 65_537)))
    }

    @Test func clientErrorAndStrayPacketsEndTheTransfer() throws {
        var transfer = try make(size: 2000)
        _ = transfer.handle(.start)
        #expect(transfer.handle(.packet(.error(code: .notDefined, message: "bye"))) == [.finish(.clientError(.notDefined, "bye"))])
        var other = try make(size: 2000)
        _ = other.handle(.start)
        let actions = other.handle(.packet(.data(block: 1, payload: [1])))
        #expect(actions.first == .send(.error(.illegalOperation, "Illegal TFTP operation")))
        #expect(other.finished)
    }
}
