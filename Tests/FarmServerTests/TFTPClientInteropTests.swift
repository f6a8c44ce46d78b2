import Foundation
import Testing
import TestSupport
@testable import FarmServer

/// The real clients against the real server on 127.0.0.1: tftp-hpa (no
/// options), atftp (options, windowsize) and curl (options and none). Each
/// download is compared byte for byte; tftp-hpa exits 0 even on "File not
/// found" (FIELD-NOTES), so exit codes alone prove nothing.
@Suite(.serialized) struct TFTPClientInteropTests {
    static let files: [String: Int] = [
        "empty": 0, "f511": 511, "f512": 512, "f513": 513,
        "window1468x16": 1468 * 16, "window512x8": 512 * 8,
        "X86PC/UNDI/linux-boot/linux.1": 3_000_000,
        "big": 33 * 1024 * 1024 + 77,
    ]
    static let small = ["empty", "f511", "f512", "f513", "window1468x16", "window512x8", "X86PC/UNDI/linux-boot/linux.1"]

    /// Runs the client and compares what it wrote with the served file;
    /// nil when equal, else a short description (never the bytes themselves).
    func mismatch(_ tool: String, _ arguments: [String], expected: [UInt8], in directory: String) throws -> String? {
        let local = directory + "/out"
        try? FileManager.default.removeItem(atPath: local)
        let result = try ProgramRun.run(tool, arguments, directory: directory)
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: local)) else {
            return "\(tool) \(arguments) wrote no file (status \(result.status)): \(result.output.prefix(500))"
        }
        let got = Array(data)
        if got == expected { return nil }
        let first = (0..<min(got.count, expected.count)).first { got[$0] != expected[$0] } ?? min(got.count, expected.count)
        return "\(tool) \(arguments): \(got.count) bytes, expected \(expected.count), first difference at \(first); output: \(result.output.prefix(500))"
    }

    @Test(.needs(.tftp)) func tftpHPAWithoutOptions() async throws {
        let tftp = try #require(Peer.tftp.path)
        let server = try await LoopbackServer(files: Self.files)
        let dirScratch = try ScratchDirectory("dl")
        defer { dirScratch.remove() }
        let dir = dirScratch.path
        for name in Self.small + ["big"] {
            let problem = try mismatch(tftp, ["-m", "binary", "127.0.0.1", "\(server.port)", "-c", "get", name, "out"], expected: server.expected(name), in: dir)
            #expect(problem == nil)
        }
        // netascii (tftp-hpa's default mode): served as CR LF and CR NUL, read back as the original.
        try server.tree.write("notes.txt", Array("line one\nline two\r bare CR\n\nlast".utf8))
        let text = try mismatch(tftp, ["-m", "netascii", "127.0.0.1", "\(server.port)", "-c", "get", "notes.txt", "out"],
                                expected: server.expected("notes.txt"), in: dir)
        #expect(text == nil)
        // Not found: exit status 0, but no content and an ERROR 1 logged by the client.
        let missing = try ProgramRun.run(tftp, ["-m", "binary", "127.0.0.1", "\(server.port)", "-c", "get", "nothere", "out"], directory: dir)
        #expect(missing.output.contains("File not found"))
        #expect(((try? Data(contentsOf: URL(fileURLWithPath: dir + "/out"))) ?? Data()).isEmpty)
        try await server.shutdown()
    }

    @Test(.needs(.atftp)) func atftpWithAndWithoutOptions() async throws {
        let atftp = try #require(Peer.atftp.path)
        let server = try await LoopbackServer(files: Self.files)
        let dirScratch = try ScratchDirectory("dl")
        defer { dirScratch.remove() }
        let dir = dirScratch.path
        let variants: [[String]] = [
            [],
            ["--option", "blksize 1468", "--option", "tsize 0"],
            ["--option", "tsize enable"],
            ["--option", "blksize 1468", "--option", "windowsize 16"],
            ["--option", "blksize 512", "--option", "windowsize 8", "--option", "timeout 3"],
        ]
        for options in variants {
            for name in Self.small {
                let problem = try mismatch(atftp, options + ["-g", "-r", name, "-l", "out", "127.0.0.1", "\(server.port)"], expected: server.expected(name), in: dir)
                #expect(problem == nil)
            }
        }
        // Over 32 MiB at 512-byte blocks: block numbers roll over.
        let problem = try mismatch(atftp, ["--option", "blksize 512", "--option", "windowsize 16", "-g", "-r", "big", "-l", "out", "127.0.0.1", "\(server.port)"], expected: server.expected("big"), in: dir)
        #expect(problem == nil)
        // atftp 0.8 speaks RFC 7440: the windows were really used, and the block size granted.
        #expect(server.log.messages.contains { $0.contains("tftp transfer done") && $0.contains("file=big") && $0.contains("windowsize=16") && $0.contains("blksize=512") })
        #expect(server.log.messages.contains { $0.contains("tftp transfer done") && $0.contains("file=window1468x16") && $0.contains("windowsize=16") && $0.contains("blksize=1468") })
        try await server.shutdown()
    }

    @Test(.needs(.curl)) func curlWithAndWithoutOptions() async throws {
        let curl = try #require(Peer.curl.path)
        let server = try await LoopbackServer(files: Self.files)
        let dirScratch = try ScratchDirectory("dl")
        defer { dirScratch.remove() }
        let dir = dirScratch.path
        for options in [["--tftp-no-options"], [], ["--tftp-blksize", "1468"], ["--tftp-blksize", "8"]] {
            for name in Self.small where !(options.last == "8" && name.hasPrefix("X86PC")) {
                if name == "empty" && options != ["--tftp-no-options"] {
                    // curl 7.88 fails an empty download whenever it sends options, against
                    // tftpd-hpa as well ("getpeername() failed with errno 107"): that pair is left out.
                    continue
                }
                let problem = try mismatch(curl, ["-sS", "-o", "out"] + options + ["tftp://127.0.0.1:\(server.port)/\(name)"], expected: server.expected(name), in: dir)
                #expect(problem == nil)
            }
        }
        let problem = try mismatch(curl, ["-sS", "-o", "out", "--tftp-blksize", "512", "tftp://127.0.0.1:\(server.port)/big"], expected: server.expected("big"), in: dir)
        #expect(problem == nil)
        let missing = try ProgramRun.run(curl, ["-sS", "-o", "out2", "tftp://127.0.0.1:\(server.port)/nothere"], directory: dir)
        #expect(missing.status != 0)
        #expect(server.log.messages.contains { $0.contains("tftp transfer done") && $0.contains("file=big") })
        try await server.shutdown()
    }

    /// Over IPv6 too: each transfer's own socket is made with the family of
    /// the address the request came to, and its packets leave by sendto.
    @Test(.needs(.curl)) func curlOverIPv6Loopback() async throws {
        let curl = try #require(Peer.curl.path)
        let server = try await LoopbackServer(files: Self.files) { $0.host = "::1" }
        let dirScratch = try ScratchDirectory("dl")
        defer { dirScratch.remove() }
        for options in [["--tftp-no-options"], ["--tftp-blksize", "1468"]] {
            for name in ["f512", "f513", "X86PC/UNDI/linux-boot/linux.1"] {
                let problem = try mismatch(curl, ["-sS", "-o", "out"] + options + ["tftp://[::1]:\(server.port)/\(name)"],
                                           expected: server.expected(name), in: dirScratch.path)
                #expect(problem == nil)
            }
        }
        #expect(server.log.messages.contains { $0.contains("tftp transfer done") && $0.contains("::1") })
        try await server.shutdown()
    }
}
