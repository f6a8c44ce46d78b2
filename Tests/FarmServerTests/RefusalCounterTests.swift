import Logging
import NetbootWire
import NIOCore
import NIOEmbedded
import Testing
@testable import FarmServer

/// Every request the listener refuses is counted under its reason, and the
/// report logs one line with the totals.
@Suite struct RefusalCounterTests {
    let client = try! SocketAddress(ipAddress: "127.0.0.1", port: 40000)

    @Test func eachRefusalIsCountedByReason() throws {
        let tree = try TemporaryTree(files: ["linux.1": 100])
        defer { tree.remove() }
        let (logger, log) = CapturingLogHandler.logger()
        let refusals = RefusalCounter()
        let handler = TFTPRequestHandler(
            policy: try TFTPPathPolicy(root: tree.root), cache: FileCache(), registry: TransferRegistry(limit: 4, logger: logger),
            settings: .init(limits: .init(maximumBlockSize: 1468), maximumRetries: 3, clampToInterfaceMTU: false),
            logger: logger, refusals: refusals, startTransfer: { _ in })
        let channel = EmbeddedChannel(handler: handler)
        let packets: [[UInt8]] = [
            [0, 9],                                                               // malformed: unknown opcode
            [0],                                                                  // malformed: truncated
            TFTPPacket.writeRequest(TFTPRequest(filename: "x")).encoded(),
            TFTPPacket.error(code: .notDefined, message: "stray").encoded(),
            TFTPPacket.ack(block: 1).encoded(),
            TFTPPacket.readRequest(TFTPRequest(filename: "linux.1", mode: "mail")).encoded(),
            TFTPPacket.readRequest(TFTPRequest(filename: "../etc/passwd")).encoded(),
            TFTPPacket.readRequest(TFTPRequest(filename: "absent")).encoded(),
            TFTPPacket.readRequest(TFTPRequest(filename: "linux.1", options: [TFTPOption("blksize", "x")])).encoded(),
            TFTPPacket.readRequest(TFTPRequest(filename: "linux.1")).encoded(),   // accepted: not counted
            TFTPPacket.readRequest(TFTPRequest(filename: "linux.1")).encoded(),   // the same client again
        ]
        for bytes in packets {
            try channel.writeInbound(AddressedEnvelope(remoteAddress: client, data: ByteBuffer(bytes: bytes)))
        }
        #expect(refusals.counts == [
            "malformed": 2, "write-request": 1, "stray-error": 1, "not-a-request": 1, "mode": 1,
            "path-dot-component": 1, "path-not-found": 1, "options": 1, "duplicate": 1,
        ])
        refusals.report(to: logger)
        refusals.report(to: logger)  // nothing new: no second line
        let lines = log.messages.filter { $0.contains("refused packets") }
        #expect(lines.count == 1)
        #expect(lines.first?.contains("total=10") == true)
        #expect(lines.first?.contains("malformed=2") == true)
        refusals.report(to: logger, always: true)
        #expect(log.messages.filter { $0.contains("refused packets") }.count == 2)
    }

    @Test func dhcpHasItsOwnReportLine() {
        let (logger, log) = CapturingLogHandler.logger()
        let refusals = RefusalCounter(message: "refused dhcp packets")
        refusals.report(to: logger)
        #expect(log.messages.isEmpty)
        refusals.count(DHCPRefusal.unknownMAC.rawValue)
        refusals.count(DHCPRefusal.unknownMAC.rawValue)
        refusals.count(DHCPRefusal.undecodable.rawValue)
        refusals.report(to: logger)
        #expect(log.messages == ["notice refused dhcp packets total=3 undecodable=1 unknown-mac=2"])
    }

    @Test func dhcpRefusalNamesAreShortKebabCaseAndDistinct() {
        let names = DHCPRefusal.allCases.map(\.rawValue)
        #expect(Set(names).count == names.count)
        for name in names { #expect(name.wholeMatch(of: /[a-z0-9]+(-[a-z0-9]+)*/) != nil && name.count <= 30, "\(name)") }
    }
}
