import Foundation
import Logging
import NetbootWire
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing
import TestSupport
@testable import FarmServer

/// Boot files over HTTP for real on 127.0.0.1, driven by curl: the TFTP tree
/// under its TFTP names and path policy, the overlay's per-node files first,
/// whole, by range and by HEAD, several on one kept connection, each GET
/// reported as a fetch, PE programs as application/efi; names the policy
/// refuses are refused the same way here.
@Suite(.timeLimit(.minutes(2)), .needs(.curl))
struct HTTPBootFileTests {
    final class Rig {
        let tree: TemporaryTree
        let outside: TemporaryTree
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let server: HTTPServer
        let log: CapturingLogHandler
        let fetches = NIOLockedValueBox<[TFTPFetchReport]>([])
        let overlay = TFTPOverlay()
        var port: Int { server.localPort }

        init() async throws {
            tree = try TemporaryTree(files: ["X86PC/UNDI/boot/linux.1": 300_000, "X86PC/UNDI/boot/linux.2": 5000])
            try tree.write("EFI/X64/boot/linux.0", [0x4D, 0x5A] + TemporaryTree.pattern(size: 4000, seed: "shim"))
            outside = try TemporaryTree(files: ["secret": 10])
            try FileManager.default.createSymbolicLink(atPath: tree.path("X86PC/escape"), withDestinationPath: outside.path("secret"))
            overlay.replace(with: ["grub/grub.cfg-01-00-d0-b7-1b-12-ed": Array("one-shot\n".utf8)])
            let (logger, log) = CapturingLogHandler.logger()
            self.log = log
            var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
            let fetches = fetches
            configuration.files = HTTPBootFiles(policy: try TFTPPathPolicy(root: tree.root), cache: FileCache(threadPool: .singleton),
                                                overlay: overlay, onFetch: { report in fetches.withLockedValue { $0.append(report) } })
            server = try await HTTPServer.start(configuration, responder: { _ in .text(404, "not here", logReason: "not-here") },
                                                group: group, logger: logger)
        }

        func shutdown() async throws {
            try await server.stop()
            try await group.shutdownGracefully()
            tree.remove()
            outside.remove()
        }

        func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

        /// curl's body to a file, then its verbose trace; the status codes on stdout.
        func curl(_ arguments: [String], into file: String) throws -> (codes: String, trace: String) {
            let result = try ProgramRun.run("/usr/bin/curl", ["-sS", "-v", "-o", file, "-w", "%{http_code} "] + arguments)
            let codes = result.output.split(separator: "\n").last { $0.allSatisfy { $0.isNumber || $0 == " " } }.map(String.init) ?? ""
            return (codes.trimmingCharacters(in: .whitespaces), result.output)
        }
    }

    @Test func wholeFilesOnOneKeptConnectionAndReported() async throws {
        let rig = try await Rig()
        let out = rig.tree.path("fetched")
        let kernel = rig.url("/X86PC/UNDI/boot/linux.1")
        let initrd = rig.url("/X86PC/UNDI/boot/linux.2")
        let (codes, trace) = try rig.curl([kernel, "-o", out + ".2", initrd], into: out)
        #expect(codes == "200 200", "\(trace)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data(TemporaryTree.pattern(size: 300_000, seed: "X86PC/UNDI/boot/linux.1")))
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + ".2")) == Data(TemporaryTree.pattern(size: 5000, seed: "X86PC/UNDI/boot/linux.2")))
        #expect(trace.contains("Re-using existing connection"), "the second file should come over the first connection:\n\(trace)")
        #expect(trace.contains("< Accept-Ranges: bytes"))
        #expect(trace.contains("< Connection: keep-alive"))
        // One port for both answers: one connection.
        let peers = rig.log.messages.filter { $0.contains("http answered") }.compactMap { $0.firstMatch(of: /peer=(\S+)/).map { String($0.1) } }
        #expect(peers.count == 2 && Set(peers).count == 1, "\(peers)")
        let fetches = rig.fetches.withLockedValue { $0 }
        #expect(fetches.map(\.file) == ["X86PC/UNDI/boot/linux.1", "X86PC/UNDI/boot/linux.2"])
        #expect(fetches.allSatisfy { $0.completed && $0.client == "127.0.0.1" })
        #expect(fetches.map(\.bytes) == [300_000, 5000])
        try await rig.shutdown()
    }

    @Test func rangesAndHead() async throws {
        let rig = try await Rig()
        let out = rig.tree.path("part")
        let kernel = rig.url("/X86PC/UNDI/boot/linux.1")
        let whole = TemporaryTree.pattern(size: 300_000, seed: "X86PC/UNDI/boot/linux.1")
        let (partCodes, partTrace) = try rig.curl(["-r", "1000-1999", kernel], into: out)
        #expect(partCodes == "206")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data(whole[1000..<2000]))
        #expect(partTrace.contains("< Content-Range: bytes 1000-1999/300000"))
        let (tailCodes, _) = try rig.curl(["-r", "-100", kernel], into: out)
        #expect(tailCodes == "206")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data(whole[299_900...]))
        let (beyondCodes, beyondTrace) = try rig.curl(["-r", "400000-", kernel], into: out)
        #expect(beyondCodes == "416")
        #expect(beyondTrace.contains("< Content-Range: bytes */300000"))
        let (headCodes, headTrace) = try rig.curl(["-I", kernel], into: out)
        #expect(headCodes == "200")
        #expect(headTrace.contains("< Content-Length: 300000"))
        // A part, a refusal and a HEAD are no whole fetch: none is reported as one.
        #expect(rig.fetches.withLockedValue { $0.filter(\.completed) }.isEmpty)
        try await rig.shutdown()
    }

    @Test func namesThePathPolicyRefusesAreRefused() async throws {
        let rig = try await Rig()
        let out = rig.tree.path("refused")
        #expect(try rig.curl([rig.url("/X86PC/escape")], into: out).codes == "403")
        #expect(try rig.curl([rig.url("/X86PC/missing")], into: out).codes == "404")
        #expect(try rig.curl([rig.url("/X86PC/UNDI")], into: out).codes == "403")
        #expect(try rig.curl(["--path-as-is", rig.url("/X86PC/../escape")], into: out).codes == "400")
        #expect(try rig.curl(["-X", "POST", rig.url("/X86PC/UNDI/boot/linux.1")], into: out).codes == "405")
        #expect(rig.server.refusals.total == 5)
        try await rig.shutdown()
    }

    /// What UEFI HTTP Boot asks: shim's program by its TFTP name, as
    /// application/efi (EDK2 runs no other type whose name lacks .efi), a name
    /// with a doubled slash as shim writes it, and a per-node GRUB file from the overlay.
    @Test func uefiProgramsAndPerNodeFiles() async throws {
        let rig = try await Rig()
        let out = rig.tree.path("efi")
        let (codes, trace) = try rig.curl([rig.url("/EFI/X64//boot/linux.0")], into: out)
        #expect(codes == "200")
        #expect(trace.contains("< Content-Type: application/efi"))
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: out))) == [0x4D, 0x5A] + TemporaryTree.pattern(size: 4000, seed: "shim"))
        let (grubCodes, _) = try rig.curl([rig.url("/grub/grub.cfg-01-00-d0-b7-1b-12-ed")], into: out)
        #expect(grubCodes == "200")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "one-shot\n")
        let (kernelCodes, kernelTrace) = try rig.curl([rig.url("/X86PC/UNDI/boot/linux.2")], into: out)
        #expect(kernelCodes == "200")
        #expect(kernelTrace.contains("< Content-Type: application/octet-stream"))
        try await rig.shutdown()
    }

    /// A kept connection nobody uses again is closed without an answer once
    /// the request timeout passes.
    @Test func anIdleKeptConnectionIsClosedQuietly() async throws {
        let tree = try TemporaryTree(files: ["X86PC/linux.1": 10])
        defer { tree.remove() }
        let (logger, log) = CapturingLogHandler.logger()
        // Long enough for the first request on a loaded machine; the idle close comes as long after the answer.
        var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0, requestTimeout: .seconds(3))
        configuration.files = HTTPBootFiles(policy: try TFTPPathPolicy(root: tree.root), cache: FileCache())
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = try await HTTPServer.start(configuration, responder: { _ in .text(404, "x", logReason: "x") }, group: group, logger: logger)
        let client = try await RawTCPClient.connect(port: server.localPort, group: group, sending: "GET /X86PC/linux.1 HTTP/1.1\r\nHost: x\r\n\r\n")
        let reply = try await client.closedByServer()
        #expect(reply.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(reply)")
        #expect(reply.components(separatedBy: "HTTP/1.1").count == 2, "one answer, then the quiet close: \(reply)")
        #expect(!log.messages.contains { $0.contains("status=408") })
        try await server.stop()
        try await group.shutdownGracefully()
    }
}
