import Foundation
import Testing
import TestSupport

/// The kickstart rollout end to end with 64 simulated nodes: `pxefarm serve`
/// in one network namespace; in another, one macvlan interface per node with
/// the node's MAC, each booted by the rollout's power-cycle command, which
/// runs Fixtures/rollout/node.sh there (busybox udhcpc, curl over TFTP and
/// HTTP — real clients). Four waves of 16: wave 1 runs while the rollout is
/// paused, the daemon is restarted between waves and the rollout resumed;
/// every node installs exactly once, in wave order, and boots locally after.
/// Then a one-shot boot: `pxefarm boot --once --args single` reaches the
/// node's pxelinux file until it has fetched its kernel.
@Suite(.serialized) struct RolloutSimulationTests {
    static let server = "10.77.0.1"
    static let nodes = 64
    static let key = String(repeating: "5", count: 64)

    struct Farm {
        let path: String
        var farmFile: String { path + "/farm.yaml" }
        var out: String { path + "/out" }
        var results: String { path + "/results" }

        static func mac(_ index: Int) -> String { String(format: "52:54:00:77:%02X:%02X", index / 256, index % 256) }
        static func name(_ index: Int) -> String { String(format: "n%03d", index) }

        init() throws {
            path = NSTemporaryDirectory() + "pxefarm-rollout-\(UUID().uuidString)"
            let files = FileManager.default
            for folder in ["image/etc", "sim", "out/tftpboot/X86PC/UNDI/linux-boot", "out/tftpboot/X86PC/UNDI/linux-install"] {
                try files.createDirectory(atPath: path + "/" + folder, withIntermediateDirectories: true)
            }
            try Data("kernel".utf8).write(to: URL(fileURLWithPath: path + "/vmlinuz"))
            try Data(repeating: 0x4B, count: 100_000).write(to: URL(fileURLWithPath: path + "/out/tftpboot/X86PC/UNDI/linux-boot/linux.1"))
            // n001's file as a build would leave it: the daemon's one-shot file hides it, then gives way.
            try files.createDirectory(atPath: path + "/out/tftpboot/X86PC/UNDI/linux-boot/pxelinux.cfg", withIntermediateDirectories: true)
            try "# as built\n".write(toFile: path + "/out/tftpboot/X86PC/UNDI/linux-boot/pxelinux.cfg/01-52-54-00-77-00-01", atomically: true, encoding: .utf8)
            try (1...RolloutSimulationTests.nodes).map { Self.mac($0) }.joined(separator: "\n").appending("\n")
                .write(toFile: path + "/macs.csv", atomically: true, encoding: .utf8)
            try """
            # Kickstart for {{node.name}} ({{node.ip}}), service {{node.service}}
            rootpw --iscrypted {{secrets.root_password_hash}}
            %post
            curl -fsS "{{callback.url}}"
            %end

            """.write(toFile: path + "/ks.cfg.mustache", atomically: true, encoding: .utf8)
            try "root-password-hash: \"\(KickstartConfigTests.hash)\"\ncallback-key: \"\(RolloutSimulationTests.key)\"\n"
                .write(toFile: path + "/secrets.yaml", atomically: true, encoding: .utf8)
            try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path + "/secrets.yaml")
            try """
            farm: {name: sim, domain: sim.test, server: \(RolloutSimulationTests.server), subnet: 10.77.0.0/24,
                   nfs-root: /nfsroot, secrets: secrets.yaml, http-port: 8067}
            images:
              base: {root: image, kernel: vmlinuz, nbp: pxelinux}
            services:
              - {type: 0,  name: local,         menu: "Local Boot"}
              - {type: 13, name: linux-install, menu: "Remote Install Linux", image: base, root: ram, kickstart: ks.cfg.mustache}
              - {type: 14, name: linux-boot,    menu: "Remote Boot Linux",    image: base, root: nfs}
            nodes:
              - {range: "n[001-\(String(format: "%03d", RolloutSimulationTests.nodes))]", ip: 10.77.0.101, macs: macs.csv, service: linux-boot}

            """.write(toFile: farmFile, atomically: true, encoding: .utf8)
            for script in ["node.sh", "udhcpc.sh"] {
                try files.copyItem(atPath: repository + "/Tests/PXEFarmCommandsTests/Fixtures/rollout/" + script, toPath: path + "/" + script)
            }
        }

        func remove() { try? FileManager.default.removeItem(atPath: path) }

        /// `pxefarm ARGS` in the farm folder; fails the test on a non-zero exit.
        @discardableResult
        func pxefarm(_ arguments: [String]) throws -> String {
            let output = try CommandRunner.run(arguments, in: path)
            guard output.status == 0 else {
                throw NamespacePair.Failure(description: "pxefarm \(arguments.joined(separator: " ")) exited \(output.status): \(output.stderr)")
            }
            return output.stdout
        }

        func state() throws -> [String: Any] {
            let data = try Data(contentsOf: URL(fileURLWithPath: out + "/.pxefarm/boot-state.json"))
            return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        }

        /// Node name -> stage, from the stored rollout.
        func stages() throws -> [String: String] {
            let rollout = try state()["rollout"] as? [String: Any] ?? [:]
            let nodes = rollout["nodes"] as? [[String: Any]] ?? []
            return Dictionary(uniqueKeysWithValues: nodes.map { ($0["name"] as? String ?? "", $0["stage"] as? String ?? "") })
        }

        func resultLines() -> [String] {
            ((try? String(contentsOfFile: results, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
    }

    /// Polls `condition` every 100 ms up to `seconds` (a deadline for failure, not a measurement).
    static func wait(_ seconds: Double, _ what: String, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return }
            usleep(100_000)
        }
        throw NamespacePair.Failure(description: "gave up waiting for \(what) after \(Int(seconds)) s")
    }

    func serve(_ pair: NamespacePair, _ farm: Farm, log: String) throws -> Process {
        let daemon = try pair.start(in: pair.server, [CommandRunner.executable, "serve", farm.farmFile, "--out", farm.out,
                                                      "--interface", pair.serverLink, "--mtftp-port", "0",
                                                      "--templates", repository + "/templates"],
                                    output: log, directory: farm.path)
        try Self.wait(30, "pxefarm serve to listen") {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if text.contains("pxefarm serve:") || !daemon.isRunning { throw NamespacePair.Failure(description: text) }
            return text.contains("dhcp serving") && text.contains("http serving")
        }
        return daemon
    }

    @Test(.needsNetns, .needs(.busybox, .curl)) func sixtyFourNodesInstallInFourWavesAcrossARestartThenBootLocally() throws {
        let farm = try Farm()
        defer { if ProcessInfo.processInfo.environment["PXEFARM_KEEP"] == nil { farm.remove() } else { print("kept \(farm.path)") } }
        let began = Date()
        let pair = try NamespacePair(serverAddress: Self.server + "/24", clientMAC: "52:54:00:77:ff:ff")
        // One interface per node with its MAC; each answers ARP only for its own address.
        for sysctl in ["net.ipv4.conf.all.arp_ignore=1", "net.ipv4.conf.all.arp_announce=2", "net.ipv4.conf.all.rp_filter=0",
                       "net.ipv4.conf.default.rp_filter=0", "net.ipv4.conf.default.arp_ignore=1", "net.ipv4.conf.default.arp_announce=2"] {
            _ = try pair.run(in: pair.client, ["sysctl", "-qw", sysctl])
        }
        for index in 1...Self.nodes {
            try pair.ip(in: pair.client, ["link", "add", "link", pair.clientLink, "name", Farm.name(index), "address", Farm.mac(index),
                                          "type", "macvlan", "mode", "bridge"])
            try pair.ip(in: pair.client, ["link", "set", Farm.name(index), "up"])
        }
        var daemon = try serve(pair, farm, log: farm.path + "/serve-1.log")

        let boot = "ip netns exec \(pair.client) sh \(farm.path)/node.sh {node} {mac} \(Self.server) \(farm.path) \(farm.results) >>\(farm.path)/sim/{node}.log 2>&1 &"
        let started = try farm.pxefarm(["rollout", "start", "farm.yaml", "--service", "linux-install", "--nodes", "n[001-064]",
                                         "--wave", "16", "--timeout", "10m", "--power-cycle", boot])
        #expect(started.contains("rollout to linux-install: 64 nodes in 4 waves of up to 16, timeout 10m"))
        #expect(started.contains("wave 1 started: 16 nodes boot the install service (n001 n002"))
        try farm.pxefarm(["rollout", "pause"])

        // Wave 1 installs while paused; wave 2 waits.
        try Self.wait(180, "wave 1 to report done") {
            try (1...16).allSatisfy { try farm.stages()[Farm.name($0)] == "done" }
        }
        usleep(1_500_000)
        #expect(try (17...64).allSatisfy { try farm.stages()[Farm.name($0)] == "waiting" }, "paused: wave 2 must not start")

        // Nobody without a node's token flips it.
        let forged = try pair.run(in: pair.client, ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--interface", Farm.name(17),
                                                    "http://\(Self.server):8067/done/n017?token=" + String(repeating: "0", count: 64)])
        #expect(forged.output == "403")

        // A restart between waves loses nothing.
        kill(daemon.processIdentifier, SIGTERM)
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
        daemon = try serve(pair, farm, log: farm.path + "/serve-2.log")
        let resumed = try farm.pxefarm(["rollout", "resume"])
        #expect(resumed.contains("rollout resumed"))
        try Self.wait(420, "the rollout to finish") {
            (try farm.state()["rollout"] as? [String: Any])?["status"] as? String == "finished"
        }
        try Self.wait(60, "every node's second boot") { farm.resultLines().count >= 2 * Self.nodes }

        let lines = farm.resultLines()
        var installs: [String] = []
        for index in 1...Self.nodes {
            let node = Farm.name(index)
            let mine = lines.filter { $0.hasPrefix(node + " ") }
            #expect(mine == ["\(node) installed", "\(node) local"], "\(node): \(mine); its log: \((try? String(contentsOfFile: farm.path + "/sim/\(node).log", encoding: .utf8)) ?? "")")
        }
        installs = lines.filter { $0.hasSuffix(" installed") }.map { String($0.prefix(4)) }
        let waves = installs.map { (Int($0.dropFirst())! - 1) / 16 }
        #expect(waves == waves.sorted(), "installs out of wave order: \(installs)")
        #expect(try farm.stages().values.allSatisfy { $0 == "done" })
        let firstLog = try String(contentsOfFile: farm.path + "/serve-1.log", encoding: .utf8)
        #expect(firstLog.contains("install callback refused") && firstLog.contains("node=n017") && firstLog.contains("wrong token"))
        let status = try farm.pxefarm(["rollout", "status"])
        print("rollout: \(Self.nodes) simulated nodes installed in 4 waves of 16 with a pause, a restart and a resume in \(String(format: "%.1f", Date().timeIntervalSince(began))) s")
        #expect(status.hasPrefix("pxefarm serve: running (pid \(daemon.processIdentifier), seen "), "\(status)")
        #expect(status.contains("\nrollout to linux-install: finished"))
        #expect(status.contains("4 waves of up to 16"))
        #expect(status.contains("64 done"))
        var n064 = ""
        try Self.wait(10, "n064's install in the boot stages (written once a second)") {
            // The node's block: its line and the indented ones after it.
            let lines = try farm.pxefarm(["status", "farm.yaml", "--out", "out"]).split(separator: "\n")
            n064 = lines.drop { !$0.hasPrefix("n064 ") }.prefix { $0.hasPrefix("n064 ") || $0.hasPrefix(" ") }.joined(separator: "\n")
            return n064.contains("  install-done ")
        }
        #expect(n064.contains("  kickstart ") && n064.contains("ks/n064.cfg for linux-install"), "\(n064)")
        #expect(n064.contains("  install-done ") && n064.contains("n064 reported done"), "\(n064)")

        // One-shot: single-user mode for n001's next boot, then its own line again.
        try farm.pxefarm(["boot", "farm.yaml", "n001", "--reset"])
        let once = try farm.pxefarm(["boot", "farm.yaml", "n001", "--once", "--args", "single"])
        #expect(once.contains("n001: next boot adds \"single\""))
        let config = "tftp://\(Self.server)/X86PC/UNDI/linux-boot/pxelinux.cfg/01-" + Farm.mac(1).lowercased().replacingOccurrences(of: ":", with: "-")
        var fetched = ""
        try Self.wait(10, "the one-shot pxelinux file") {
            fetched = try pair.run(in: pair.client, ["curl", "-sS", "--interface", "n001", config]).output
            return fetched.contains(" single\n")
        }
        #expect(fetched.contains("APPEND root=/dev/nfs nfsroot=\(Self.server):/nfsroot/n001 ip=dhcp rw single\n"))
        let kernel = try pair.run(in: pair.client, ["curl", "-sS", "--interface", "n001", "-o", farm.path + "/sim/kernel",
                                                    "tftp://\(Self.server)/X86PC/UNDI/linux-boot/linux.1"])
        #expect(kernel.status == 0, "\(kernel.output)")
        try Self.wait(10, "the one-shot arguments to be used up") { (try farm.state()["oneShots"] as? [String: Any])?.isEmpty == true }
        let after = try pair.run(in: pair.client, ["curl", "-sS", "--interface", "n001", config]).output
        #expect(after == "# as built\n")
        #expect(try String(contentsOfFile: farm.path + "/serve-2.log", encoding: .utf8).contains("one-shot boot used"))

        kill(daemon.processIdentifier, SIGTERM)
        daemon.waitUntilExit()
        #expect(try farm.pxefarm(["rollout", "status"]).hasPrefix("pxefarm serve: not running; nothing moves until it runs\n"))
    }
}
