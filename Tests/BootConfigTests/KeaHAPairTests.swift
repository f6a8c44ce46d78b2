import Foundation
import Testing
import FarmLoading
import FarmModel
import TestSupport
@testable import BootConfig

/// The emitted Kea HA pairs, run for real: two kea-dhcp4 in network
/// namespaces of their own on one bridge, perfdhcp in a third. Hot standby:
/// the primary answers; when it is gone, the standby takes over and answers.
/// Load balancing: both answer; when the first is gone, the second answers
/// for every client.
@Suite(.serialized) struct KeaHAPairTests {
    static let farmText = """
        farm: {name: ha, domain: ha.example, server: 10.77.0.2, subnet: 10.77.0.0/24, nfs-root: /nfsroot}
        servers:
          - {name: kea1, address: 10.77.0.2, roles: [dhcp, tftp]}
          - {name: kea2, address: 10.77.0.3, roles: [dhcp, tftp]}
          - {name: nfs1, address: 10.77.0.4, roles: [nfs]}
        images:
          base: {root: image, kernel: vmlinuz}
        services:
          - {type: 14, name: linux-boot, menu: "Remote Boot Linux", image: base}
        nodes:
          - {range: "n[01-16]", ip: 10.77.0.101, mac: "52:54:00:77:00:01", service: linux-boot}

        """

    @Test(.needsNetns, .needs(.kea, .perfdhcp), arguments: KeaHAPair.Mode.allCases)
    func theOtherPeerAnswersWhenTheFirstIsGone(mode: KeaHAPair.Mode) throws {
        let scratch = try ScratchDirectory()
        let result = FarmLoader().load(text: Self.farmText, file: "farm.yaml", baseDirectory: scratch.path, checkFiles: false)
        let farm = try #require(result.cleanFarm, "\(result.diagnostics)")
        let files = try BootConfiguration.render(farm, with: TemplateDirectory.load(RepositoryTemplates.directory))
        let segment = try Segment(members: [("kea1", "10.77.0.2"), ("kea2", "10.77.0.3"), ("client", "10.77.0.50")])
        var logs: [String: String] = [:]
        var keas: [String: Process] = [:]
        for member in ["kea1", "kea2"] {
            let emitted = try #require(files.first { $0.path == "etc/servers/\(member)/kea-dhcp4-\(mode.rawValue).conf" })
            // What a site adds by hand: the interface, and a lease file of its own.
            let text = emitted.text
                .replacing("\"interfaces\": [ ]", with: "\"interfaces\": [ \"\(segment.link(member))\" ]")
                .replacing("\"type\": \"memfile\",", with: "\"type\": \"memfile\", \"name\": \"\(scratch.path)/\(member)-leases.csv\",")
            #expect(text != emitted.text, "the emitted config no longer has the empty interfaces list and memfile type this test fills in")
            let config = scratch.path + "/\(member).conf"
            try Data(text.utf8).write(to: URL(fileURLWithPath: config))
            let state = scratch.path + "/\(member)-run"
            try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
            logs[member] = scratch.path + "/\(member).log"
            keas[member] = try segment.start(member, ["/usr/bin/env", "KEA_PIDFILE_DIR=\(state)", "KEA_LOCKFILE_DIR=\(state)",
                                                      try #require(Peer.kea.path), "-c", config], output: logs[member]!)
        }
        let macs = scratch.path + "/macs.txt"
        try Data(farm.nodes.map { $0.mac.description.lowercased() + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: macs))
        func log(_ member: String) -> String { (try? String(contentsOfFile: logs[member]!, encoding: .utf8)) ?? "" }

        let serving = mode == .hotStandby ? "to HOT-STANDBY state" : "to LOAD-BALANCING state"
        #expect(Self.wait(seconds: 40) { log("kea1").contains(serving) }, "the first peer never reached \(mode.rawValue):\n\(log("kea1"))")
        #expect(try segment.exchanges(macs: macs) > 0, "nobody answered while both ran")
        // Hot standby: the primary alone answers. Load balancing: each its half
        // of the clients, by a hash of the MAC, so eight exchanges may all be one's.
        let answering = mode == .hotStandby ? log("kea1") : log("kea1") + log("kea2")
        #expect(answering.contains("DHCP4_LEASE_ALLOC"), "the pair allocated nothing:\n\(log("kea1"))")

        // The primary's box dies: no goodbye to its partner.
        try #require(keas["kea1"]).kill()
        #expect(Self.wait(seconds: 40) { log("kea2").contains("to PARTNER-DOWN state") }, "the second peer never took over:\n\(log("kea2"))")
        let before = log("kea2").components(separatedBy: "DHCP4_LEASE_ALLOC").count
        #expect(try segment.exchanges(macs: macs) > 0, "nobody answered after the primary was gone")
        #expect(log("kea2").components(separatedBy: "DHCP4_LEASE_ALLOC").count > before, "the second peer allocated nothing:\n\(log("kea2"))")
    }

    static func wait(seconds: Int, until condition: () -> Bool) -> Bool {
        for _ in 0..<(seconds * 10) {
            if condition() { return true }
            usleep(100_000)
        }
        return condition()
    }
}

/// Namespaces made for the test: a hub with a bridge, and one namespace per
/// member on a veth into it. No link leads out; removed when it goes away.
private final class Segment {
    let tag = "\(getpid() % 10_000)\(String(UInt16.random(in: 0...UInt16.max), radix: 16))"
    let members: [(name: String, address: String)]
    private var started: [Process] = []
    var hub: String { "pxkha-hub-\(tag)" }
    func namespace(_ member: String) -> String { "pxkha-\(member)-\(tag)" }
    func link(_ member: String) -> String { "eth-\(member)" }

    init(members: [(String, String)]) throws {
        self.members = members.map { (name: $0.0, address: $0.1) }
        do {
            try Self.ip(["netns", "add", hub])
            try Self.ip(["-n", hub, "link", "add", "br0", "type", "bridge"])
            try Self.ip(["-n", hub, "link", "set", "br0", "up"])
            for (member, address) in self.members {
                try Self.ip(["netns", "add", namespace(member)])
                try Self.ip(["-n", hub, "link", "add", "p-\(member)", "type", "veth", "peer", "name", link(member), "netns", namespace(member)])
                try Self.ip(["-n", hub, "link", "set", "p-\(member)", "master", "br0", "up"])
                try Self.ip(["-n", namespace(member), "addr", "add", address + "/24", "dev", link(member)])
                try Self.ip(["-n", namespace(member), "link", "set", link(member), "up"])
                try Self.ip(["-n", namespace(member), "link", "set", "lo", "up"])
            }
        } catch {
            removeNamespaces()
            throw error
        }
    }

    func start(_ member: String, _ arguments: [String], output: String) throws -> Process {
        let process = try NamespacePair.launch(in: namespace(member), arguments, output: output, directory: nil)
        started.append(process)
        return process
    }

    /// DORA exchanges perfdhcp completed against whoever answers on the segment.
    func exchanges(macs: String) throws -> Int {
        let perfdhcp = try #require(Peer.perfdhcp.path)
        let output = try ProgramRun.run("/usr/sbin/ip", ["netns", "exec", namespace("client"), perfdhcp, "-4", "-l", link("client"),
                                                          "-r", "4", "-n", "8", "-p", "4", "-R", "16", "-M", macs]).output
        let received = output.components(separatedBy: "\n").compactMap { line -> Int? in
            guard let range = line.range(of: "received packets: ") else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }
        return received.last ?? 0
    }

    deinit {
        for process in started { process.stop() }
        removeNamespaces()
    }

    private func removeNamespaces() {
        for member in members { _ = try? ProgramRun.run("/usr/sbin/ip", ["netns", "del", namespace(member.name)]) }
        _ = try? ProgramRun.run("/usr/sbin/ip", ["netns", "del", hub])
    }

    private static func ip(_ arguments: [String]) throws {
        let result = try ProgramRun.run("/usr/sbin/ip", arguments)
        guard result.status == 0 else { throw NamespacePair.Failure(description: "ip \(arguments.joined(separator: " ")): \(result.output)") }
    }
}

private extension Process {
    /// SIGKILL and reap: a crash, not a shutdown.
    func kill() {
        Glibc.kill(processIdentifier, SIGKILL)
        waitUntilExit()
    }
}
