import Foundation
import Testing
import TestSupport
import FarmModel
import NetbootWire
@testable import BootConfig

/// dhcpd running our dhcpd.conf in a network namespace, asked by a real DHCP
/// client (busybox udhcpc, in a second namespace, with the node's MAC and
/// PXE's class identifier): the answer carries the computed option 43 byte
/// for byte in `dhcp` mode, and only "PXEClient" in `proxy` mode.
@Suite(.needsNetns, .needs(.busybox, .dhcpd)) struct OnTheWireTests {
    /// The options udhcpc hands its script, as `name=value` lines; nil when dhcpd did not start (recorded as an issue).
    static func answer(for farm: Farm) throws -> [String: String]? {
        let busybox = try #require(Peer.busybox.path), dhcpdPath = try #require(Peer.dhcpd.path)
        let node = farm.nodes[0]
        let scratch = try ScratchDirectory()
        try ConfigWriter.write(BootConfiguration.render(farm, with: TemplateDirectory.load(RepositoryTemplates.directory)), into: scratch.path)
        let net = try NamespacePair(serverAddress: "\(farm.settings.server)/\(farm.settings.subnet.prefixLength)", clientMAC: "\(node.mac)")
        FileManager.default.createFile(atPath: scratch.path + "/leases", contents: nil)
        let log = scratch.path + "/dhcpd.log"
        let dhcpd = try net.start(in: net.server, [
            dhcpdPath, "-4", "-f", "-d", "-cf", scratch.path + "/etc/dhcpd.conf", "-lf", scratch.path + "/leases",
            "-pf", scratch.path + "/dhcpd.pid", net.serverLink,
        ], output: log)
        // dhcpd says "Sending on" once its socket is open; a DISCOVER sent before is lost.
        // It stops on its own when it cannot start, so this wait ends either way.
        func logText() -> String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
        while !logText().contains("Sending on   LPF") {
            guard dhcpd.isRunning else {
                Issue.record("dhcpd did not start:\n\(logText())")
                return nil
            }
            usleep(20_000)
        }
        let script = scratch.path + "/script.sh"
        try Data("#!/bin/sh\n[ \"$1\" = bound ] && env > \(scratch.path)/answer\nexit 0\n".utf8).write(to: URL(fileURLWithPath: script))
        chmod(script, 0o755)
        let client = try net.run(in: net.client, [
            busybox, "udhcpc", "-f", "-q", "-n", "-i", net.clientLink, "-t", "5", "-T", "1", "-s", script,
            "-O", "43", "-O", "60", "-O", "17", "-V", "PXEClient:Arch:00000:UNDI:002001",
        ])
        #expect(client.status == 0, "udhcpc got no lease:\n\(client.output)\n\(logText())")
        guard let text = try? String(contentsOfFile: scratch.path + "/answer", encoding: .utf8) else {
            Issue.record("udhcpc's script never saw a lease:\n\(client.output)")
            return nil
        }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
        }
        return values
    }

    @Test func dhcpModeSendsTheComputedOption43() throws {
        let farm = BootSampleFarm.farm(mode: .dhcp)
        guard let answer = try Self.answer(for: farm) else { return }
        let expected = try farm.pxeVendorOptions().encode()
        #expect(answer["opt43"] == expected.map { String(format: "%02x", $0) }.joined())
        #expect(answer["vendor"] == "PXEClient")
        #expect(answer["ip"] == "192.168.197.31")
        #expect(answer["hostname"] == "n011")
        #expect(answer["boot_file"] == "X86PC/UNDI/linux-boot/linux.0")
        #expect(answer["siaddr"] == "192.168.197.11")
        #expect(answer["rootpath"] == "/nfs/n011")
    }

    @Test func proxyModeSendsOnlyTheClassIdentifier() throws {
        guard let answer = try Self.answer(for: BootSampleFarm.farm(mode: .proxy)) else { return }
        #expect(answer["opt43"] == nil)
        #expect(answer["vendor"] == "PXEClient")
        #expect(answer["ip"] == "192.168.197.31")
    }
}
