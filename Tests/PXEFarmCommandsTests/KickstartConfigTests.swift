import Foundation
import Testing
import FarmModel
import TestSupport

/// `pxefarm config` on a farm with a node on the install service: its
/// kickstart file beside the other configuration, from the secrets file.
@Suite struct KickstartConfigTests {
    static let hash = "$6$pxefarmtest$SoPSJkxtT97Gs0Y8V0aBrsONlDCKU9gsBYi9cyGuDQQtadFon4i7yQDbLnUe0N523W2AXgT.s9dCijKxS16Fx1"
    static let key = "test-callback-key-0123456789abcdef-not-for-production"

    /// A small farm in a fresh folder: one node installing, one booting locally.
    static func farm(secretsLine: String = ", secrets: secrets.yaml", secretsMode: Int? = 0o600) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ks-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/root", withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: folder + "/vmlinuz"))
        try FileManager.default.copyItem(atPath: repository + "/examples/dc2/ks.cfg.mustache", toPath: folder + "/ks.cfg.mustache")
        let farm = """
            farm: {name: lab, domain: lab.example, server: 10.0.0.1, subnet: 10.0.0.0/24, routers: [10.0.0.254], dns: [10.0.0.1], http-port: 9000\(secretsLine)}
            images:
              base: {root: root, kernel: vmlinuz}
            services:
              - {type: 0, name: local, menu: "Local Boot"}
              - {type: 13, name: linux-install, menu: "Install", image: base, root: ram, kickstart: ks.cfg.mustache}
            nodes:
              - {name: a1, mac: "52:54:00:00:00:01", ip: 10.0.0.11, service: linux-install}
              - {name: a2, mac: "52:54:00:00:00:02", ip: 10.0.0.12, service: local}

            """
        try Data(farm.utf8).write(to: URL(fileURLWithPath: folder + "/farm.yaml"))
        if let secretsMode {
            try Data("root-password-hash: \"\(hash)\"\ncallback-key: \(key)\n".utf8).write(to: URL(fileURLWithPath: folder + "/secrets.yaml"))
            try FileManager.default.setAttributes([.posixPermissions: secretsMode], ofItemAtPath: folder + "/secrets.yaml")
        }
        return folder
    }

    @Test func writesTheInstallNodesKickstartFile() throws {
        let folder = try Self.farm()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = try CommandRunner.run(["config", folder + "/farm.yaml", "--out", folder + "/out"], in: repository)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr == "")
        let ks = try String(contentsOfFile: folder + "/out/ks/a1.cfg", encoding: .utf8)
        let token = CallbackToken.token(for: "a1", key: Self.key)
        #expect(ks.contains("curl -fsS \"http://10.0.0.1:9000/done/a1?token=\(token)\"\n"))
        #expect(ks.contains("--ip=10.0.0.11 --netmask=255.255.255.0 --gateway=10.0.0.254 --nameserver=10.0.0.1 --hostname=a1.lab.example\n"))
        #expect(ks.contains("rootpw --iscrypted \(Self.hash)\n"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/out/ks/a2.cfg"))
    }

    @Test func withoutSecretsNothingIsWritten() throws {
        let folder = try Self.farm(secretsLine: "", secretsMode: nil)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = try CommandRunner.run(["config", folder + "/farm.yaml", "--out", folder + "/out"], in: repository)
        #expect(output.status == 1)
        #expect(output.stderr.contains("\(folder)/farm.yaml:6:89: warning: services[1].kickstart: a1 boots linux-install, but farm.secrets is not set"))
        #expect(output.stderr.hasSuffix("\(folder)/farm.yaml: node a1 boots linux-install, which has a kickstart template; set farm.secrets to the secrets file with its root password hash and callback key; nothing written\n"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
    }

    @Test func aSecretsFileOthersCanReadIsRefused() throws {
        let folder = try Self.farm(secretsMode: 0o644)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = try CommandRunner.run(["config", folder + "/farm.yaml", "--out", folder + "/out"], in: repository)
        #expect(output.status == 1)
        #expect(output.stderr.contains("secrets.yaml:1:1: error: the secrets file is readable by others (mode 644)"))
        #expect(output.stderr.hasSuffix("kickstart files need the secrets file; nothing written\n"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
    }
}

/// `pxefarm build` puts the same kickstart files into the generation, under ks/.
@Suite struct KickstartBuildTests {
    @Test func theBuildWritesKickstartFilesReadableOnlyByTheServer() throws {
        let folder = try KickstartConfigTests.farm()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The demo image (make image): a real busybox for the initrd and an init for the image check.
        var farm = try String(contentsOfFile: folder + "/farm.yaml", encoding: .utf8)
        farm = farm.replacingOccurrences(of: "{root: root, kernel: vmlinuz}", with: "{root: \(repository)/images/busybox/root, kernel: \(repository)/images/busybox/vmlinuz}")
        try Data(farm.utf8).write(to: URL(fileURLWithPath: folder + "/farm.yaml"))
        let output = try CommandRunner.run(["build", "--quiet", folder + "/farm.yaml", "--out", folder + "/out"], in: repository)
        #expect(output.status == 0, "\(output.stderr)")
        let ks = try String(contentsOfFile: folder + "/out/ks/a1.cfg", encoding: .utf8)
        #expect(ks.contains("/done/a1?token=\(CallbackToken.token(for: "a1", key: KickstartConfigTests.key))"))
        let mode = try FileManager.default.attributesOfItem(atPath: folder + "/out/ks/a1.cfg")[.posixPermissions] as? Int
        #expect(mode == 0o640)
        let again = try CommandRunner.run(["build", "--quiet", folder + "/farm.yaml", "--out", folder + "/out"], in: repository)
        #expect(again.stdout.hasSuffix("; 0 changed\n"), "\(again.stdout)")
    }

    /// The demo image (make image) in place of the empty test root.
    static func farmWithDemoImage() throws -> String {
        let folder = try KickstartConfigTests.farm()
        var farm = try String(contentsOfFile: folder + "/farm.yaml", encoding: .utf8)
        farm = farm.replacingOccurrences(of: "{root: root, kernel: vmlinuz}", with: "{root: \(repository)/images/busybox/root, kernel: \(repository)/images/busybox/vmlinuz}")
        try Data(farm.utf8).write(to: URL(fileURLWithPath: folder + "/farm.yaml"))
        return folder
    }

    /// A build of the same command over unchanged files does not load the
    /// farm again (the record holds the command's digest); every file
    /// loading read still counts: an edited secrets file, kickstart template
    /// or farm file is built.
    @Test func aBuildThatNeedNotLoadStillSeesEveryEdit() throws {
        let folder = try Self.farmWithDemoImage()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let build = ["build", "--quiet", folder + "/farm.yaml", "--out", folder + "/out"]
        func run() throws -> String {
            let output = try CommandRunner.run(build, in: repository)
            #expect(output.status == 0, "\(output.stderr)")
            return output.stdout
        }
        func recordedInvocation() throws -> Substring {
            let record = try String(contentsOfFile: folder + "/out/.pxefarm/build-cache", encoding: .utf8)
            return record.prefix { $0 != "\n" }.split(separator: "\t")[3]
        }
        _ = try run()
        // A farm file written just before the first build may have changed
        // while it was read: then the second build loads it and records it.
        _ = try run()
        #expect(try recordedInvocation().hasPrefix("sha256:"))
        #expect(try run().contains(": 2 nodes (0 new), 0 files written"))

        try Data("root-password-hash: \"\(KickstartConfigTests.hash)\"\ncallback-key: another-key-0123456789abcdef-not-for-production\n".utf8)
            .write(to: URL(fileURLWithPath: folder + "/secrets.yaml"))
        #expect(try !run().hasSuffix("; 0 changed\n"))
        let ks = try String(contentsOfFile: folder + "/out/ks/a1.cfg", encoding: .utf8)
        #expect(ks.contains("token=\(CallbackToken.token(for: "a1", key: "another-key-0123456789abcdef-not-for-production"))"))
        #expect(try run().hasSuffix("; 0 changed\n"))

        let template = try String(contentsOfFile: folder + "/ks.cfg.mustache", encoding: .utf8)
        try Data((template + "# site addition\n").utf8).write(to: URL(fileURLWithPath: folder + "/ks.cfg.mustache"))
        #expect(try !run().hasSuffix("; 0 changed\n"))
        #expect(try String(contentsOfFile: folder + "/out/ks/a1.cfg", encoding: .utf8).hasSuffix("# site addition\n"))

        let farm = try String(contentsOfFile: folder + "/farm.yaml", encoding: .utf8)
        try Data((farm + "  - {name: a3, mac: \"52:54:00:00:00:03\", ip: 10.0.0.13, service: local}\n").utf8)
            .write(to: URL(fileURLWithPath: folder + "/farm.yaml"))
        let added = try run()
        #expect(added.contains(": 3 nodes (") && !added.hasSuffix("; 0 changed\n"), "\(added)")
        #expect(try run().contains(": 3 nodes (0 new), 0 files written"))
    }
}

