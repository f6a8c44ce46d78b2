import NetbootWire
import NIOCore
import NIOPosix
import Testing
@testable import FarmServer

/// Bad input sent by a raw UDP socket to a real server on 127.0.0.1: each gets
/// an ERROR or silence, and the server keeps serving.
@Suite(.serialized) struct TFTPHostileInputTests {
    func rrq(_ name: String, _ options: [(String, String)] = []) -> [UInt8] {
        TFTPPacket.readRequest(TFTPRequest(filename: name, options: options.map { TFTPOption($0.0, $0.1) })).encoded()
    }

    @Test func everyBadRequestGetsAnErrorOrSilence() async throws {
        let server = try await LoopbackServer(files: ["linux.1": 70_000])
        let probe = try await UDPProbe(group: server.group)
        let cases: [(String, [UInt8], UInt16?)] = [
            ("blksize 0", rrq("linux.1", [("blksize", "0")]), 8),
            ("blksize 7", rrq("linux.1", [("blksize", "7")]), 8),
            ("blksize 65465", rrq("linux.1", [("blksize", "65465")]), 8),
            ("blksize abc", rrq("linux.1", [("blksize", "abc")]), 8),
            ("timeout 0", rrq("linux.1", [("timeout", "0")]), 8),
            ("timeout 256", rrq("linux.1", [("timeout", "256")]), 8),
            ("windowsize 0", rrq("linux.1", [("windowsize", "0")]), 8),
            ("windowsize 65536", rrq("linux.1", [("windowsize", "65536")]), 8),
            ("duplicate options", rrq("linux.1", [("blksize", "512"), ("BLKSIZE", "1024")]), 8),
            ("odd-length options", [0, 1] + Array("linux.1\0octet\0blksize\0".utf8), 8),
            ("unterminated value", [0, 1] + Array("linux.1\0octet\0blksize\0512".utf8), 4),
            ("truncated RRQ", [0, 1] + Array("linu".utf8), 4),
            ("opcode only", [0, 1], 4),
            ("one byte", [0], 4),
            ("empty datagram", [], 4),
            ("unknown opcode", [0, 42, 0, 0], 4),
            ("2-byte ERROR", [0, 5], nil),
            ("ERROR", TFTPPacket.error(code: .notDefined, message: "hi").encoded(), nil),
            ("ACK to the request port", TFTPPacket.ack(block: 1).encoded(), 4),
            ("WRQ", TFTPPacket.writeRequest(TFTPRequest(filename: "new")).encoded(), 2),
            ("traversal", rrq("../../etc/passwd"), 2),
            ("absolute outside", rrq("//etc/passwd"), 2),
            ("backslash", rrq("..\\..\\etc\\passwd"), 2),
            ("control character", rrq("linux\u{1b}.1"), 2),
            ("name over 512 bytes", rrq(String(repeating: "x", count: 600)), 2),
            ("missing file", rrq("nope"), 1),
            ("mode mail", TFTPPacket.readRequest(TFTPRequest(filename: "linux.1", mode: "mail")).encoded(), 4),
        ]
        for (label, bytes, expected) in cases {
            try await probe.send(bytes, port: server.port)
            let reply = try await probe.receive(seconds: expected == nil ? 0.5 : 3)
            if let expected {
                guard case .error(let code, _)? = reply?.packet else { Issue.record("\(label): expected ERROR \(expected), got \(String(describing: reply?.packet.dump))"); continue }
                #expect(code.rawValue == expected, "\(label)")
                #expect(reply?.port == server.port, "\(label): refusals come from the request port")
            } else {
                #expect(reply == nil, "\(label): expected silence")
            }
        }
        // Still serving.
        let bytes = try await TestTFTPClient.fetch("linux.1", port: server.port, group: server.group)
        #expect(bytes == server.expected("linux.1"))
        try await probe.close()
        try await server.shutdown()
    }

    @Test func aStrangerGetsError5AndTheTransferCompletes() async throws {
        let server = try await LoopbackServer(files: ["f": 1300])
        let client = try await UDPProbe(group: server.group)
        let stranger = try await UDPProbe(group: server.group)
        try await client.send(rrq("f"), port: server.port)
        let first = try #require(try await client.receive())
        #expect(first.packet == .data(block: 1, payload: Array(server.expected("f")[0..<512])))
        #expect(first.port != server.port, "each transfer has its own port")
        try await stranger.send(TFTPPacket.ack(block: 1).encoded(), port: first.port)
        #expect(try await stranger.receive()?.packet == .error(code: .unknownTransferID, message: "Unknown transfer ID"))
        var received: [UInt8] = first.packet == .data(block: 1, payload: []) ? [] : Array(server.expected("f")[0..<512])
        for block in UInt16(1)...3 {
            try await client.send(TFTPPacket.ack(block: block).encoded(), port: first.port)
            if block < 3, case .data(let number, let payload)? = try await client.receive()?.packet {
                #expect(number == block + 1)
                received += payload
            }
        }
        #expect(received == server.expected("f"))
        try await client.close()
        try await stranger.close()
        try await server.shutdown()
    }

    @Test func aThousandConcurrentClientsOfOneFile() async throws {
        let server = try await LoopbackServer(files: ["linux.1": 64 * 1024 + 5])
        let expected = server.expected("linux.1")
        let (port, loops) = (server.port, server.group)
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<1000 {
                group.addTask {
                    let bytes = try await TestTFTPClient.fetch("linux.1", options: [TFTPOption("blksize", "1432")], blockSize: 1432,
                                                               port: port, group: loops)
                    return bytes == expected
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 1000)
        #expect(results.allSatisfy { $0 })
        #expect(server.server.cache.diskReads == 1)
        try await server.shutdown()
    }

    @Test func theCapIsLoggedAndDroppedClientsAreServedOnRetry() async throws {
        let server = try await LoopbackServer(files: ["linux.1": 20_000]) { $0.maximumTransfers = 50 }
        let expected = server.expected("linux.1")
        let (port, loops) = (server.port, server.group)
        let ok = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<300 {
                group.addTask {
                    try await TestTFTPClient.fetch("linux.1", port: port, group: loops) == expected
                }
            }
            return try await group.reduce(true) { $0 && $1 }
        }
        #expect(ok)
        #expect(server.log.messages.contains { $0.contains("tftp transfer limit reached") && $0.contains("limit=50") })
        // The server sees each final ACK a moment after the client is done.
        for _ in 0..<1000 where server.server.activeTransfers > 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(server.server.activeTransfers == 0)
        try await server.shutdown()
    }
}
