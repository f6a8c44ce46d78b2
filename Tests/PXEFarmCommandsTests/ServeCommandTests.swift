import Foundation
import Testing
import TestSupport

/// `pxefarm serve` as a process: it starts on a free loopback port, serves
/// the build's tftpboot to a real client, logs the transfer, and stops
/// cleanly on SIGTERM.
@Suite struct ServeCommandTests {
    @Test(.needs(.curl)) func servesTheBuiltTreeAndStopsOnSIGTERM() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("pxefarm-serve-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let boot = out.appendingPathComponent("tftpboot/X86PC/UNDI/boot")
        try FileManager.default.createDirectory(at: boot, withIntermediateDirectories: true)
        let kernel = Data((0..<70_001).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try kernel.write(to: boot.appendingPathComponent("linux.1"))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.executable)
        process.arguments = ["serve", "Tests/PXEFarmCommandsTests/Fixtures/small.yaml", "--out", out.path,
                             "--address", "127.0.0.1", "--tftp-port", "0", "--mtftp-port", "0", "--no-dhcp",
                             "--mtftp-group", "X86PC/UNDI/boot/linux.1=239.255.76.2:17580"]
        process.currentDirectoryURL = URL(fileURLWithPath: repository)
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        // Read the log until the server says where it listens.
        var log = ""
        while !log.contains("mtftp serving") {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            log += String(decoding: chunk, as: UTF8.self)
        }
        let tftpLine = log.split(separator: "\n").first { $0.hasSuffix(" tftp serving") }
        let port = try #require(tftpLine?.firstMatch(of: /port=(\d+)/).map { String($0.1) }, "no port in: \(log)")
        #expect(log.contains("files=1"))

        let fetched = out.appendingPathComponent("fetched")
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-sS", "-o", fetched.path, "--tftp-blksize", "1468", "tftp://127.0.0.1:\(port)/X86PC/UNDI/boot/linux.1"]
        try curl.run()
        curl.waitUntilExit()
        #expect(curl.terminationStatus == 0)
        #expect(try Data(contentsOf: fetched) == kernel)

        process.terminate()
        process.waitUntilExit()
        log += String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0)
        #expect(log.contains("tftp transfer done"))
        #expect(log.contains("file=X86PC/UNDI/boot/linux.1"))
        #expect(log.contains("bytes=70001"))
    }

    @Test func aMissingTreeIsNamed() throws {
        let output = try CommandRunner.run(["serve", "Tests/PXEFarmCommandsTests/Fixtures/small.yaml", "--out", "/nonexistent/out", "--no-dhcp"], in: repository)
        #expect(output.status == 1)
        #expect(output.stderr == "pxefarm serve: TFTP root /nonexistent/out/tftpboot does not exist (build the farm first, or give --tftp-root)\n")
    }

    @Test func aBadMTFTPGroupIsRefused() throws {
        let output = try CommandRunner.run(["serve", "Tests/PXEFarmCommandsTests/Fixtures/small.yaml", "--out", "/tmp",
                                            "--mtftp-group", "linux.1=10.0.0.1:1758"], in: repository)
        #expect(output.status != 0)
        #expect(output.stderr.contains("--mtftp-group linux.1=10.0.0.1:1758 is not FILE=IP:PORT with a multicast IP"))
    }

    @Test func badArgumentsAreRefusedBeforeAnyWork() throws {
        let output = try CommandRunner.run(["serve", "Tests/PXEFarmCommandsTests/Fixtures/small.yaml", "--out", "/tmp", "--address", "10.0.0.300"], in: repository)
        #expect(output.status != 0)
        #expect(output.stderr.contains("--address 10.0.0.300 is not an IPv4 address"))
    }
}
