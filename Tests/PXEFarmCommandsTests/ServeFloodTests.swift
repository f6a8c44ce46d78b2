import Foundation
import NetbootWire
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `pxefarm serve` under a flood, on loopback: 100,000 random and mutated
/// TFTP datagrams (requests for names outside the root, bad modes and
/// options, WRQs, stray DATA/ACK/ERROR/OACK, DHCP packets, random bytes)
/// from 64 source ports at the TFTP port, while curl downloads a 4 MiB
/// linux.1. The download must arrive intact, the daemon's RSS must not grow
/// across the second half of the flood, and every flood packet the socket
/// took in must be counted, by reason, in the refused-packets line the
/// daemon logs at shutdown. Only TFTP (`--no-dhcp`): the DHCP listener does
/// not count its refusals by reason yet.
/// The sender waits whenever the daemon's receive queue holds over 1 MiB,
/// so the kernel drops little; what it drops is read from /proc/net/udp.
@Suite struct ServeFloodTests {
    static let packets = 100_000
    static let kernelPath = "X86PC/UNDI/boot/linux.1"

    @Test func floodIsRefusedCountedAndDoesNotStopADownload() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") else {
            print("skipped: curl is not installed"); return
        }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("pxefarm-flood-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let boot = out.appendingPathComponent("tftpboot/X86PC/UNDI/boot")
        try FileManager.default.createDirectory(at: boot, withIntermediateDirectories: true)
        var generator = FloodGenerator(seed: 0xF100D)
        let kernel = Data((0..<(4 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator.random) })
        try kernel.write(to: boot.appendingPathComponent("linux.1"))

        let logPath = out.appendingPathComponent("serve.log").path
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: CommandRunner.executable)
        daemon.arguments = ["serve", "Tests/PXEFarmCommandsTests/Fixtures/small.yaml", "--out", out.path,
                            "--address", "127.0.0.1", "--tftp-port", "0", "--mtftp-port", "0", "--no-dhcp"]
        daemon.currentDirectoryURL = URL(fileURLWithPath: repository)
        daemon.standardError = log
        try daemon.run()
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) } }
        let pid = daemon.processIdentifier

        // The log is a file (100,000 refusals would fill a pipe); poll it for the port.
        var port: UInt16?
        while port == nil, daemon.isRunning {
            let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            port = text.firstMatch(of: /port=(\d+).*tftp serving/).flatMap { UInt16($0.1) }
            if port == nil { usleep(20_000) }
        }
        let tftpPort = try #require(port, "pxefarm serve did not start: \((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")")

        let fetched = out.appendingPathComponent("fetched")
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-sS", "-o", fetched.path, "tftp://127.0.0.1:\(tftpPort)/\(Self.kernelPath)"]
        try curl.run()

        try #require(SocketTable.listener(port: tftpPort) != nil, "no 127.0.0.1:\(tftpPort) in /proc/net/udp")
        let senders = try (0..<64).map { _ in try UDPSender() }
        var sent = 0
        var rss: [Int] = []
        for index in 0..<Self.packets {
            let bytes = generator.next(refusedBy: Self.kernelPath)
            try senders[index % senders.count].send(bytes, toPort: tftpPort)
            sent += 1
            if index % 500 == 499 {
                while let queued = SocketTable.listener(port: tftpPort)?.receiveQueue, queued > 1 << 20 { usleep(1000) }
            }
            if index % 10_000 == 9_999 {
                // Sampled once the daemon has read what was sent so far.
                while let queued = SocketTable.listener(port: tftpPort)?.receiveQueue, queued > 0 { usleep(1000) }
                rss.append(try Self.residentKiB(pid: pid))
            }
        }
        curl.waitUntilExit()
        #expect(curl.terminationStatus == 0)
        #expect(try Data(contentsOf: fetched) == kernel, "the download during the flood is not linux.1")

        while let queued = SocketTable.listener(port: tftpPort)?.receiveQueue, queued > 0 { usleep(1000) }
        let drops = try #require(SocketTable.listener(port: tftpPort), "the listener is gone; daemon running: \(daemon.isRunning)").drops
        kill(pid, SIGTERM)
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
        try log.close()

        let text = try String(contentsOfFile: logPath, encoding: .utf8)
        let report = try #require(text.split(separator: "\n").last { $0.contains("refused packets") }, "no refused-packets line")
        var counts: [String: Int] = [:]
        for match in report.matches(of: /([a-z0-9-]+)=(\d+)/) { counts[String(match.1)] = Int(match.2) }
        let reported = counts.removeValue(forKey: "total")
        let total = try #require(reported, "no total in \(report)")
        #expect(total == counts.values.reduce(0, +))
        // curl may repeat its request while the daemon is busy: that one is a duplicate, not the flood.
        let fromFlood = total - (counts["duplicate"] ?? 0)
        #expect(fromFlood == sent - drops, "refused \(fromFlood), sent \(sent), dropped by the kernel \(drops): \(report)")
        #expect(counts["malformed"] ?? 0 > 0 && counts["path-dot-component"] ?? 0 > 0 && counts["write-request"] ?? 0 > 0)

        // Memory settles: nothing retained per refused packet over the second half.
        let half = rss[rss.count / 2 - 1]
        let grown = rss[(rss.count / 2)...].max()! - half
        #expect(grown <= 4096, "RSS grew \(grown) KiB over the second half of the flood: \(rss)")

        print("bench: flood-packets \(sent) packets vs refused \(fromFlood) packets ratio \(String(format: "%.4f", Double(fromFlood) / Double(sent)))")
        print("bench: flood-kernel-drops \(drops) packets")
        print("bench: flood-rss-half \(half) KiB vs flood-rss-end \(rss.last!) KiB ratio \(String(format: "%.3f", Double(rss.last!) / Double(half)))")
        print("bench: flood-refusals \(counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
    }

    static func residentKiB(pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let match = status.firstMatch(of: /VmRSS:\s+(\d+) kB/), let kib = Int(match.1) else {
            throw SocketTable.Unreadable(what: "VmRSS of \(pid)")
        }
        return kib
    }
}

/// Flood datagrams: a seeded mix of TFTP packets the daemon must refuse,
/// their mutations, DHCP packets and random bytes. Never a valid request
/// for the file being downloaded (that one would start a transfer).
struct FloodGenerator {
    var random: FloodRandom
    let seeds: [[UInt8]]

    init(seed: UInt64) {
        random = FloodRandom(state: seed)
        let long = String(repeating: "a/", count: 300)
        let requests: [TFTPPacket] = [
            .readRequest(TFTPRequest(filename: "../../etc/passwd")),
            .readRequest(TFTPRequest(filename: "X86PC/UNDI/boot/../../../../etc/shadow", options: [TFTPOption("blksize", "1468")])),
            .readRequest(TFTPRequest(filename: "X86PC/UNDI/boot/linux.2", options: [TFTPOption("tsize", "0")])),
            .readRequest(TFTPRequest(filename: "X86PC/UNDI/boot/linux.1", mode: "mail")),
            .readRequest(TFTPRequest(filename: "X86PC/UNDI/boot/linux.1", options: [TFTPOption("blksize", "7")])),
            .readRequest(TFTPRequest(filename: "X86PC/UNDI/boot/linux.1", options: [TFTPOption("windowsize", "0")])),
            .readRequest(TFTPRequest(filename: "X86PC/UNDI/boot", options: [TFTPOption("timeout", "5")])),
            .readRequest(TFTPRequest(filename: long)),
            .readRequest(TFTPRequest(filename: "C:\\boot.ini")),
            .writeRequest(TFTPRequest(filename: "X86PC/UNDI/boot/linux.1")),
            .data(block: 1, payload: Array(repeating: 0x41, count: 512)),
            .ack(block: 0), .ack(block: 65535),
            .error(code: .unknownTransferID, message: "go away"),
            .optionAck([TFTPOption("blksize", "1468")]),
        ]
        var seeds = requests.map { $0.encoded() }
        var discover = DHCPPacket(op: .request, xid: 0x1234, chaddr: [0x52, 0x54, 0, 0, 0, 1])
        discover.options[53] = [1]
        discover.options[60] = Array("PXEClient:Arch:00000:UNDI:002001".utf8)
        seeds.append((try? discover.encoded()) ?? [])
        self.seeds = seeds
    }

    mutating func next(refusedBy kernelPath: String) -> [UInt8] {
        while true {
            let bytes = candidate()
            // A request that names the served file could start a transfer: not part of a flood of refusals.
            if case .readRequest(let request)? = try? TFTPPacket(decoding: bytes) {
                let name = request.filename.first == UInt8(ascii: "/") ? Array(request.filename.dropFirst()) : request.filename
                if name == Array(kernelPath.utf8) { continue }
            }
            return bytes
        }
    }

    private mutating func candidate() -> [UInt8] {
        switch Int.random(in: 0..<10, using: &random) {
        case 0:
            return (0..<Int.random(in: 0...600, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        case 1...3:
            return seeds.randomElement(using: &random)!
        default:
            var bytes = seeds.randomElement(using: &random)!
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0 where !bytes.isEmpty: bytes[position] = UInt8.random(in: 0...255, using: &random)
                case 1: bytes.insert(UInt8.random(in: 0...255, using: &random), at: position)
                case 2 where !bytes.isEmpty: bytes.remove(at: position)
                default: bytes = Array(bytes.prefix(position))
                }
            }
            return bytes
        }
    }
}

struct FloodRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One UDP socket on 127.0.0.1 with its own source port.
final class UDPSender {
    let fd: Int32

    init() throws {
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw SocketTable.Unreadable(what: "a UDP socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw SocketTable.Unreadable(what: "bind: errno \(errno)") }
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8], toPort port: UInt16) throws {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, buffer.baseAddress, buffer.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard result == bytes.count else { throw SocketTable.Unreadable(what: "sendto: errno \(errno)") }
    }
}

/// The kernel's view of a listening UDP socket (/proc/net/udp): bytes queued, datagrams dropped.
struct SocketTable {
    struct Unreadable: Error, CustomStringConvertible { var what: String; var description: String { "cannot read \(what)" } }

    var receiveQueue: Int
    var drops: Int

    static func listener(port: UInt16) -> SocketTable? {
        // procfs files have no size: read to the end (a busy machine lists thousands of sockets).
        guard let file = FileHandle(forReadingAtPath: "/proc/net/udp") else { return nil }
        defer { try? file.close() }
        let text = String(decoding: file.readDataToEndOfFile(), as: UTF8.self)
        let local = "0100007F:" + String(format: "%04X", port)
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count >= 13, fields[1] == local else { continue }
            let queues = fields[4].split(separator: ":")
            guard queues.count == 2, let rx = Int(queues[1], radix: 16), let drops = Int(fields[12]) else { continue }
            return SocketTable(receiveQueue: rx, drops: drops)
        }
        return nil
    }
}
