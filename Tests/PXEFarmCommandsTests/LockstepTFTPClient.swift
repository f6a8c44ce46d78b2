import Foundation

/// A TFTP client that reads one file in lockstep (windowsize 1) and can
/// stop acknowledging in the middle, so a test holds a transfer open while
/// something else happens on the server. Talks to 127.0.0.1 only.
final class LockstepTFTPClient {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let socket: TestUDPSocket
    private let blockSize: Int
    private var transferPort: UInt16?
    private var expected: UInt16 = 1
    private(set) var received = Data()
    private var finished = false

    /// Sends the RRQ (octet, blksize, timeout) and acknowledges the OACK.
    init(port: UInt16, file: String, blockSize: Int, timeout: Int) throws {
        socket = try TestUDPSocket(port: 0, device: "lo")
        self.blockSize = blockSize
        var request: [UInt8] = [0, 1]
        for field in [file, "octet", "blksize", "\(blockSize)", "timeout", "\(timeout)"] { request += Array(field.utf8) + [0] }
        socket.send(request, to: "127.0.0.1", port: port)
        guard let (answer, from) = socket.receive() else { throw Failure(description: "no answer to the RRQ for \(file)") }
        guard answer.count >= 2, answer[1] == 6 else { throw Failure(description: "expected an OACK, got \(answer.prefix(40))") }
        transferPort = from
        acknowledge(0)
    }

    /// Receives and acknowledges `count` more blocks (fewer if the file ends first).
    func receive(blocks count: Int) throws {
        var taken = 0
        while taken < count, !finished {
            guard let (packet, from) = socket.receive() else { throw Failure(description: "no DATA \(expected) after \(received.count) bytes") }
            guard from == transferPort, packet.count >= 4 else { continue }
            guard packet[1] == 3 else { throw Failure(description: "expected DATA \(expected), got opcode \(packet[1]): \(String(decoding: packet.dropFirst(4), as: UTF8.self))") }
            let block = UInt16(packet[2]) << 8 | UInt16(packet[3])
            if block == expected {
                received.append(contentsOf: packet[4...])
                acknowledge(block)
                expected &+= 1
                taken += 1
                finished = packet.count - 4 < blockSize
            } else {
                acknowledge(block)  // a retransmission of a block already taken
            }
        }
    }

    /// The rest of the file; returns everything received.
    func receiveToEnd() throws -> Data {
        while !finished { try receive(blocks: 1024) }
        return received
    }

    func close() { socket.close() }

    private func acknowledge(_ block: UInt16) {
        guard let transferPort else { return }
        socket.send([0, 4, UInt8(block >> 8), UInt8(block & 0xFF)], to: "127.0.0.1", port: transferPort)
    }
}
