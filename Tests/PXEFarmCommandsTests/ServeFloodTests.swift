import FarmServer
import Foundation
import NetbootWire
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `pxefarm serve` under a flood: 100,000 random and mutated datagrams from
/// 64 source ports while curl downloads a 4 MiB linux.1 by TFTP. Half go to
/// the TFTP port (requests for names outside the root, bad modes and
/// options, WRQs, stray DATA/ACK/ERROR/OACK, DHCP packets, random bytes),
/// half to the DHCP and PXE ports (see `DHCPFloodGenerator`). The download
/// must arrive intact, the daemon's RSS must not grow across the second half
/// of the flood, and every flood packet each socket took in must be
/// accounted for: TFTP's in the "refused packets" line the daemon logs at
/// shutdown, DHCP's as refused by reason ("refused dhcp packets") plus
/// answered plus noted.
///
/// A mutated DHCP packet can carry any giaddr, ciaddr or broadcast flag, so
/// the daemon's replies go to addresses the flood chose: the daemon, curl and
/// the flood's sockets all live in a `LoopbackNamespace` (only lo, no route),
/// where nothing can leave 127.0.0.0/8 of that namespace. A reply the daemon
/// sends to its own DHCP port (giaddr 127.x) comes back as a BOOTREPLY and is
/// refused too: those echoes are told apart by their source port.
/// Where network namespaces cannot be made (no root or ip), there is no DHCP
/// half: all 100,000 go to TFTP on the host's loopback with `--no-dhcp`.
/// The sender waits whenever a receive queue holds over 1 MiB, so the kernel
/// drops little; what it drops is read from the daemon's /proc/PID/net/udp.
@Suite struct ServeFloodTests {
    static let packets = 100_000
    static let kernelPath = "X86PC/UNDI/boot/linux.1"
    static let dhcpPort: UInt16 = 67
    static let pxePort: UInt16 = 4011

    @Test(.needs(.curl)) func floodIsRefusedCountedAndDoesNotStopADownload() throws {
        let namespace: LoopbackNamespace?
        if Machine.canMakeNetns {
            namespace = try LoopbackNamespace()
        } else {
            print("no network namespaces here (needs root and ip): the whole flood goes to TFTP on the host's loopback")
            namespace = nil
        }
        let withDHCP = namespace != nil
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("pxefarm-flood-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let boot = out.appendingPathComponent("tftpboot/X86PC/UNDI/boot")
        try FileManager.default.createDirectory(at: boot, withIntermediateDirectories: true)
        var generator = FloodGenerator(seed: 0xF100D)
        var dhcpGenerator = DHCPFloodGenerator(seed: 0xD4C9F100D, macs: ["52:54:00:00:01:01", "52:54:00:00:00:01"].map { MACAddress($0)! },
                                               server: IPv4Address(127, 0, 0, 1), bootType: 20)
        let kernel = Data((0..<(4 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator.random) })
        try kernel.write(to: boot.appendingPathComponent("linux.1"))

        let logPath = out.appendingPathComponent("serve.log").path
        let serve = [CommandRunner.executable, "serve", "Tests/PXEFarmCommandsTests/Fixtures/small.yaml", "--out", out.path,
                     "--address", "127.0.0.1", "--tftp-port", "0", "--mtftp-port", "0"]
            + (withDHCP ? ["--dhcp-port", "\(Self.dhcpPort)", "--pxe-port", "\(Self.pxePort)"] : ["--no-dhcp"])
        let daemon: Process
        if let namespace {
            daemon = try namespace.start(serve, output: logPath, directory: repository)
        } else {
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
            daemon = Process()
            daemon.executableURL = URL(fileURLWithPath: serve[0])
            daemon.arguments = Array(serve.dropFirst())
            daemon.currentDirectoryURL = URL(fileURLWithPath: repository)
            daemon.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
            try daemon.run()
        }
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL); daemon.waitUntilExit() } }
        let pid = daemon.processIdentifier

        // The log is a file (100,000 refusals would fill a pipe); poll it for the ports.
        var port: UInt16?
        while port == nil, daemon.isRunning {
            let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            port = text.firstMatch(of: /port=(\d+).*tftp serving/).flatMap { UInt16($0.1) }
            if withDHCP, !text.contains("dhcp serving") { port = nil }
            if port == nil { usleep(20_000) }
        }
        let tftpPort = try #require(port, "pxefarm serve did not start: \((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")")
        let tftpSocket = SocketTable.Local(address: "0100007F", port: tftpPort)
        let dhcpSockets = withDHCP ? [SocketTable.Local(address: "00000000", port: Self.dhcpPort), SocketTable.Local(address: "00000000", port: Self.pxePort)] : []

        let fetched = out.appendingPathComponent("fetched")
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: namespace == nil ? "/usr/bin/curl" : "/usr/sbin/ip")
        curl.arguments = (namespace.map { ["netns", "exec", $0.name, "/usr/bin/curl"] } ?? [])
            + ["-sS", "-o", fetched.path, "tftp://127.0.0.1:\(tftpPort)/\(Self.kernelPath)"]
        try curl.run()
        defer { if curl.isRunning { kill(curl.processIdentifier, SIGKILL); curl.waitUntilExit() } }

        let before = SocketTable.read(pid: pid)
        try #require(before[tftpSocket] != nil, "no 127.0.0.1:\(tftpPort) in /proc/\(pid)/net/udp")
        for socket in dhcpSockets { try #require(before[socket] != nil, "no 0.0.0.0:\(socket.port) in /proc/\(pid)/net/udp") }
        let senders = try namespace.map { namespace in try namespace.inside { try (0..<64).map { _ in try UDPSender() } } }
            ?? (0..<64).map { _ in try UDPSender() }
        let listeners = [tftpSocket] + dhcpSockets
        func queued() -> Int { SocketTable.read(pid: pid).filter { listeners.contains($0.key) }.values.map(\.receiveQueue).max() ?? 0 }
        var sentTFTP = 0
        var sentDHCP: [UInt16: Int] = [:]
        var rss: [Int] = []
        for index in 0..<Self.packets {
            let sender = senders[index % senders.count]
            if withDHCP, index % 2 == 1 {
                let to = Int.random(in: 0..<3, using: &dhcpGenerator.random) == 0 ? Self.pxePort : Self.dhcpPort
                try sender.send(dhcpGenerator.next(), toPort: to)
                sentDHCP[to, default: 0] += 1
            } else {
                try sender.send(generator.next(refusedBy: Self.kernelPath), toPort: tftpPort)
                sentTFTP += 1
            }
            if index % 500 == 499 {
                while queued() > 1 << 20 { usleep(1000) }
            }
            if index % 5_000 == 4_999 {
                let tables = SocketTable.read(pid: pid)
                for socket in listeners { try #require(tables[socket] != nil, "the listener on port \(socket.port) is gone after \(index + 1) packets") }
            }
            if index % 10_000 == 9_999 {
                // Sampled once the daemon has read what was sent so far.
                while queued() > 0 { usleep(1000) }
                rss.append(try Self.residentKiB(pid: pid))
            }
        }
        curl.waitUntilExit()
        #expect(curl.terminationStatus == 0)
        #expect(try Data(contentsOf: fetched) == kernel, "the download during the flood is not linux.1")

        while queued() > 0 { usleep(1000) }
        var tables = SocketTable.read(pid: pid)
        let tftpDrops = try #require(tables[tftpSocket], "the TFTP listener is gone; daemon running: \(daemon.isRunning)").drops
        var dhcp: DHCPLog?
        if withDHCP {
            // Every DHCP packet taken in has its log line once the daemon is done with it; wait for that
            // (and for its echoes) before stopping it, so the refusal report covers them all.
            let sent = sentDHCP.values.reduce(0, +)
            var log = DHCPLog(text: "", ownPorts: [Self.dhcpPort, Self.pxePort])
            var drops = 0
            for _ in 0..<600 {
                while queued() > 0 { usleep(1000) }
                tables = SocketTable.read(pid: pid)
                for socket in dhcpSockets { try #require(tables[socket] != nil, "the DHCP listener on \(socket.port) is gone") }
                drops = dhcpSockets.compactMap { tables[$0]?.drops }.reduce(0, +)
                log = DHCPLog(text: (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "", ownPorts: [Self.dhcpPort, Self.pxePort])
                if log.handled == sent + log.echoesSent - drops { break }
                usleep(50_000)
            }
            #expect(log.handled == sent + log.echoesSent - drops,
                    "DHCP log lines \(log.handled) (echoes \(log.echoes)), sent \(sent) plus \(log.echoesSent) echoes, dropped by the kernel \(drops)")
            log.sent = sent
            log.drops = drops
            dhcp = log
        }
        kill(pid, SIGTERM)
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)

        let text = try String(contentsOfFile: logPath, encoding: .utf8)
        let (counts, total) = try Self.report(named: "refused packets", in: text)
        // curl may repeat its request while the daemon is busy: that one is a duplicate, not the flood.
        let fromFlood = total - (counts["duplicate"] ?? 0)
        #expect(fromFlood == sentTFTP - tftpDrops, "refused \(fromFlood), sent \(sentTFTP), dropped by the kernel \(tftpDrops)")
        #expect(counts["malformed"] ?? 0 > 0 && counts["path-dot-component"] ?? 0 > 0 && counts["write-request"] ?? 0 > 0)

        // Memory settles: nothing retained per refused packet over the second half.
        let half = rss[rss.count / 2 - 1]
        let grown = rss[(rss.count / 2)...].max()! - half
        #expect(grown <= 4096, "RSS grew \(grown) KiB over the second half of the flood: \(rss)")

        print("bench: flood-packets \(sentTFTP) packets vs refused \(fromFlood) packets ratio \(String(format: "%.4f", Double(fromFlood) / Double(sentTFTP)))")
        print("bench: flood-kernel-drops \(tftpDrops) packets")
        print("bench: flood-rss-half \(half) KiB vs flood-rss-end \(rss.last!) KiB ratio \(String(format: "%.3f", Double(rss.last!) / Double(half)))")
        print("bench: flood-refusals \(counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")

        guard let dhcp else { return }
        let (refusals, refused) = try Self.report(named: "refused dhcp packets", in: text)
        let received = dhcp.sent - dhcp.drops + dhcp.echoesSent
        // Each refusal has its "dhcp ignored" line, and every packet taken in was refused, answered or noted.
        #expect(refused == dhcp.ignored, "report total \(refused), ignored lines \(dhcp.ignored)")
        #expect(refused + dhcp.answered + dhcp.noted == received,
                "refused \(refused) + answered \(dhcp.answered) + noted \(dhcp.noted) != received \(received) (sent \(dhcp.sent), echoes \(dhcp.echoesSent), drops \(dhcp.drops))")
        #expect(dhcp.echoes == dhcp.echoesSent && dhcp.echoRefusals == dhcp.echoes, "echoes: \(dhcp.echoes) lines, \(dhcp.echoesSent) sent, \(dhcp.echoRefusals) refused as not-bootrequest")
        for reason in ["undecodable", "unknown-mac", "malformed-option", "not-bootrequest", "server-message", "option43-unreadable",
                       "wrong-type-on-pxe-port", "not-pxe", "credentials", "layer-outside", "boot-item-without-request", "unknown-architecture"] {
            #expect(refusals[reason] ?? 0 > 0, "no \(reason) among the DHCP refusals: \(refusals)")
        }
        for reason in refusals.keys { #expect(DHCPRefusal(rawValue: reason) != nil, "\(reason) is not a DHCPRefusal") }
        #expect(dhcp.answered > 0 && dhcp.noted > 0)
        let fromFloodDHCP = refused - dhcp.echoes + dhcp.answered + dhcp.noted
        print("bench: dhcp-flood-packets \(dhcp.sent) packets vs refused+answered+noted \(fromFloodDHCP) packets ratio \(String(format: "%.4f", Double(fromFloodDHCP) / Double(dhcp.sent)))")
        print("bench: dhcp-flood-answered \(dhcp.answered) packets vs refused \(refused - dhcp.echoes) packets ratio \(String(format: "%.4f", Double(dhcp.answered) / Double(max(1, refused - dhcp.echoes))))")
        print("bench: dhcp-flood-noted \(dhcp.noted) packets")
        print("bench: dhcp-flood-kernel-drops \(dhcp.drops) packets")
        print("bench: dhcp-flood-echoes \(dhcp.echoes) packets")
        print("bench: dhcp-flood-rss-half \(half) KiB vs dhcp-flood-rss-end \(rss.last!) KiB ratio \(String(format: "%.3f", Double(rss.last!) / Double(half)))")
        print("bench: dhcp-flood-refusals \(refusals.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
    }

    /// The last line logged as `message`: its reason=count pairs and its total (which must be their sum).
    static func report(named message: String, in text: String) throws -> (counts: [String: Int], total: Int) {
        let line = try #require(text.split(separator: "\n").last { $0.hasSuffix(" \(message)") }, "no \(message) line")
        var counts: [String: Int] = [:]
        for match in line.matches(of: /([a-z0-9-]+)=(\d+)/) { counts[String(match.1)] = Int(match.2) }
        let reported = counts.removeValue(forKey: "total")
        let total = try #require(reported, "no total in \(line)")
        #expect(total == counts.values.reduce(0, +), "\(line)")
        return (counts, total)
    }

    static func residentKiB(pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let match = status.firstMatch(of: /VmRSS:\s+(\d+) kB/), let kib = Int(match.1) else {
            throw SocketTable.Unreadable(what: "VmRSS of \(pid)")
        }
        return kib
    }
}

/// The DHCP listener's per-packet log lines ("dhcp ignored", "dhcp answered",
/// "dhcp noted"), split into the flood's and the echoes: packets the daemon
/// sent to its own DHCP port (a reply to giaddr 127.x), which come from its
/// own ports.
struct DHCPLog {
    var ignored = 0, answered = 0, noted = 0
    /// Lines for packets from the daemon's own ports, and how many of those were refused as not-bootrequest.
    var echoes = 0, echoRefusals = 0
    /// Replies sent to 127.0.0.0/8 on the DHCP port: each comes back as an echo.
    var echoesSent = 0
    var sent = 0, drops = 0
    var handled: Int { ignored + answered + noted }

    init(text: String, ownPorts: [UInt16]) {
        let own = Set(ownPorts.map { ":\($0) " })
        for line in text.split(separator: "\n") {
            let kind: Int
            if line.hasSuffix(" dhcp ignored") { kind = 0; ignored += 1 }
            else if line.hasSuffix(" dhcp answered") { kind = 1; answered += 1 }
            else if line.hasSuffix(" dhcp noted") { kind = 2; noted += 1 }
            else { continue }
            if let from = line.firstMatch(of: /from=\S+(:\d+ )/), own.contains(String(from.1)) {
                echoes += 1
                if kind == 0, line.contains("refusal=not-bootrequest ") { echoRefusals += 1 }
            }
            if kind == 1, let to = line.firstMatch(of: #/to=127\.\d+\.\d+\.\d+:(\d+) /#), let port = UInt16(to.1), port == ownPorts[0] {
                echoesSent += 1
            }
        }
    }
}

/// Flood datagrams: a seeded mix of TFTP packets the daemon must refuse,
/// their mutations, DHCP packets and random bytes. Never a valid request
/// for the file being downloaded (that one would start a transfer).
struct FloodGenerator {
    var random: SeededGenerator
    let seeds: [[UInt8]]

    init(seed: UInt64) {
        random = SeededGenerator(seed: seed)
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

/// One UDP socket on 127.0.0.1 with its own source port.
final class UDPSender: Sendable {
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

/// The kernel's view of listening UDP sockets (/proc/PID/net/udp, so the
/// namespace of process PID): bytes queued, datagrams dropped.
struct SocketTable {
    struct Unreadable: Error, CustomStringConvertible { var what: String; var description: String { "cannot read \(what)" } }
    /// A local address as /proc lists it (hex, 0100007F for 127.0.0.1) and a port.
    struct Local: Hashable { var address: String; var port: UInt16 }

    var receiveQueue: Int
    var drops: Int

    static func read(pid: Int32) -> [Local: SocketTable] {
        // procfs files have no size: read to the end (a busy machine lists thousands of sockets).
        guard let file = FileHandle(forReadingAtPath: "/proc/\(pid)/net/udp") else { return [:] }
        defer { try? file.close() }
        let text = String(decoding: file.readDataToEndOfFile(), as: UTF8.self)
        var sockets: [Local: SocketTable] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count >= 13 else { continue }
            let local = fields[1].split(separator: ":")
            let queues = fields[4].split(separator: ":")
            guard local.count == 2, let port = UInt16(local[1], radix: 16), queues.count == 2,
                  let rx = Int(queues[1], radix: 16), let drops = Int(fields[12]) else { continue }
            sockets[Local(address: String(local[0]), port: port)] = SocketTable(receiveQueue: rx, drops: drops)
        }
        return sockets
    }
}
