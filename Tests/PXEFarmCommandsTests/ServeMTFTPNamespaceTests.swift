import Foundation
import Testing
import TestSupport

/// PXE MTFTP with a real client: atftp's `--mget` against `pxefarm serve`,
/// both inside a network namespace this test creates (a veth pair, a
/// multicast route), so the group traffic never leaves it. atftp joins the
/// group on the interface its route picks, which loopback cannot be, hence
/// the namespace. Reported as skipped without root, ip or atftp.
@Suite(.serialized) struct ServeMTFTPNamespaceTests {
    func sh(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try ProgramRun.run("/usr/bin/env", arguments)
    }

    @Test(.needsNetns, .needs(.atftp)) func atftpMgetFetchesOverMulticast() throws {
        let ns = "pxefarm-mtftp-\(getpid())"
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("pxefarm-mtftp-\(UUID().uuidString)")
        defer {
            _ = try? sh(["ip", "netns", "del", ns])
            try? FileManager.default.removeItem(at: out)
        }
        let boot = out.appendingPathComponent("tftpboot/X86PC/UNDI/boot")
        try FileManager.default.createDirectory(at: boot, withIntermediateDirectories: true)
        let kernel = Data((0..<(512 * 300 + 99)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) })
        try kernel.write(to: boot.appendingPathComponent("linux.1"))

        for command in [
            ["ip", "netns", "add", ns],
            ["ip", "-n", ns, "link", "set", "lo", "up"],
            ["ip", "-n", ns, "link", "add", "mt0", "type", "veth", "peer", "name", "mt1"],
            ["ip", "-n", ns, "addr", "add", "10.213.7.1/24", "dev", "mt0"],
            ["ip", "-n", ns, "addr", "add", "10.213.7.2/24", "dev", "mt1"],
            ["ip", "-n", ns, "link", "set", "mt0", "up"],
            ["ip", "-n", ns, "link", "set", "mt1", "up"],
            ["ip", "-n", ns, "route", "add", "224.0.0.0/4", "dev", "mt0"],
        ] {
            let result = try sh(command)
            try #require(result.status == 0, "\(command.joined(separator: " ")): \(result.output)")
        }

        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["ip", "netns", "exec", ns, CommandRunner.executable, "serve", "Tests/PXEFarmCommandsTests/Fixtures/small.yaml",
                            "--out", out.path, "--address", "10.213.7.1", "--tftp-port", "0", "--mtftp-port", "1759", "--no-dhcp",
                            "--mtftp-group", "X86PC/UNDI/boot/linux.1=239.255.76.9:1758"]
        server.currentDirectoryURL = URL(fileURLWithPath: repository)
        let errors = Pipe()
        server.standardError = errors
        try server.run()
        defer { if server.isRunning { server.terminate(); server.waitUntilExit() } }
        var log = ""
        while !log.contains("mtftp serving") {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            log += String(decoding: chunk, as: UTF8.self)
        }
        try #require(log.contains("mtftp serving"), "serve did not start: \(log)")

        let fetched = out.appendingPathComponent("fetched").path
        let client = try sh(["ip", "netns", "exec", ns, "atftp", "--mget", "-r", "X86PC/UNDI/boot/linux.1", "-l", fetched,
                             "--mtftp", "mcast-ip 239.255.76.9", "--mtftp", "client-port 1758",
                             "--mtftp", "listen-delay 1", "--mtftp", "timeout-delay 1", "10.213.7.1", "1759"])
        let got = try? Data(contentsOf: URL(fileURLWithPath: fetched))
        #expect(got == kernel, "atftp --mget: \(got?.count ?? -1) of \(kernel.count) bytes; client said: \(client.output.suffix(400))")

        server.terminate()
        server.waitUntilExit()
        log += String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("mtftp transfer done"), "\(log)")
    }
}
