import Foundation
import Testing
import TestSupport
@testable import Initrd

/// pxefarm's archives against GNU cpio and bsdtar, both directions.
@Suite struct InteropTests {
    /// A tree with every kind of entry plus the MAKEDEV set, packed without mknod.
    static func packSample(in temporary: ScratchDirectory, compression: Compression) throws -> String {
        try temporary.write("tree/bin/tool", String(repeating: "tool ", count: 20_000), permissions: 0o755)
        try temporary.write("tree/etc/hosts", "127.0.0.1 localhost\n")
        try temporary.write("tree/etc/sudoers", "root ALL=(ALL) ALL\n", permissions: 0o440)
        try temporary.mkdir("tree/var/empty")
        symlink("tool", temporary.path + "/tree/bin/sh")
        link(temporary.path + "/tree/bin/tool", temporary.path + "/tree/bin/tool2")
        mkfifo(temporary.path + "/tree/var/fifo", 0o600)
        let spec = InitrdSpec(sources: [.directory(path: temporary.path + "/tree"),
                                        .entries(MakedevGeneric.entries(), origin: "MAKEDEV generic")])
        let output = temporary.path + "/sample.img"
        try InitrdPacker.pack(spec, to: output, compression: CompressionSetting(compression))
        return output
    }

    @Test(.needs(.cpio, .bsdtar, .gzip)) func gnuCpioAndBsdtarListTheSameNamesAsPxefarm() throws {
        let cpio = try #require(Peer.cpio.path), bsdtar = try #require(Peer.bsdtar.path), gzip = try #require(Peer.gzip.path)
        let temporary = try ScratchDirectory("interop")
        defer { temporary.remove() }
        let archive = try Self.packSample(in: temporary, compression: .gzip)
        let stream = try ProgramRun.capture(gzip, ["-dc", archive]).output
        let cpioNames = try ProgramRun.capture(cpio, ["-it", "--quiet"], input: stream)
        let bsdtarNames = try ProgramRun.capture(bsdtar, ["-tf", archive])
        #expect(cpioNames.status == 0, "\(cpioNames.error)")
        #expect(bsdtarNames.status == 0, "\(bsdtarNames.error)")
        let ours = try InitrdListing.read(archive).map(\.path)
        #expect(cpioNames.text.split(separator: "\n").map(String.init) == ours)
        #expect(bsdtarNames.text.split(separator: "\n").map(String.init) == ours)
        #expect(ours.contains("dev/sda1") && ours.contains("var/fifo") && ours.contains("bin/tool2"))
    }

    /// `cpio -itv` and `bsdtar -tv` agree on type, mode, owner, size and device numbers.
    @Test(.needs(.cpio, .bsdtar)) func verboseListingsAgreeFieldByField() throws {
        let cpio = try #require(Peer.cpio.path), bsdtar = try #require(Peer.bsdtar.path)
        let temporary = try ScratchDirectory("interop-v")
        defer { temporary.remove() }
        let archive = try Self.packSample(in: temporary, compression: .none)
        let data = try #require(FileManager.default.contents(atPath: archive))
        let cpioLines = try ProgramRun.capture(cpio, ["-itv", "--quiet", "--numeric-uid-gid"], input: data).text.split(separator: "\n")
        let bsdtarLines = try ProgramRun.capture(bsdtar, ["-tvf", archive]).text.split(separator: "\n")
        try #require(cpioLines.count == bsdtarLines.count)
        for (cpioLine, bsdtarLine) in zip(cpioLines, bsdtarLines) {
            let c = cpioLine.split(separator: " ", omittingEmptySubsequences: true)
            // bsdtar names the earlier link of a hard-linked file; cpio does not.
            let bsdtarText = bsdtarLine.components(separatedBy: " link to ").first ?? String(bsdtarLine)
            let b = bsdtarText.split(separator: " ", omittingEmptySubsequences: true)
            // mode, links, uid, gid are the first four fields of both.
            #expect(Array(c.prefix(4)) == Array(b.prefix(4)), "\(cpioLine) | \(bsdtarLine)")
            if c[0].hasPrefix("c") || c[0].hasPrefix("b") {
                // cpio prints "5,   1", bsdtar "5,1".
                #expect(c[4] + c[5] == b[4], "\(cpioLine) | \(bsdtarLine)")
            } else {
                #expect(c[4] == b[4], "size: \(cpioLine) | \(bsdtarLine)")
            }
            #expect(c.last == b.last)
        }
        let console = try #require(cpioLines.first { $0.hasSuffix(" dev/console") })
        #expect(console.hasPrefix("crw-------"))
        #expect(console.contains("5,   1"))
    }

    @Test(.needs(.cpio)) func gnuCpioExtractsTheSameFiles() throws {
        let cpio = try #require(Peer.cpio.path)
        let temporary = try ScratchDirectory("interop-x")
        defer { temporary.remove() }
        let archive = try Self.packSample(in: temporary, compression: .none)
        try temporary.mkdir("out")
        let data = try #require(FileManager.default.contents(atPath: archive))
        // Device nodes need root to extract; extract the rest (cpio skips what it cannot make).
        let run = try ProgramRun.capture(cpio, ["-idm", "--quiet", "--no-absolute-filenames"], input: data, directory: temporary.path + "/out")
        if Machine.isRoot { #expect(run.status == 0, "\(run.error)") }
        for file in ["bin/tool", "etc/hosts", "etc/sudoers"] {
            #expect(FileManager.default.contents(atPath: temporary.path + "/out/" + file)
                    == FileManager.default.contents(atPath: temporary.path + "/tree/" + file), "\(file)")
        }
        var one = stat(), two = stat()
        lstat(temporary.path + "/out/bin/tool", &one)
        lstat(temporary.path + "/out/bin/tool2", &two)
        #expect(one.st_ino == two.st_ino, "hard link restored as a link")
        #expect(one.st_mode & 0o7777 == 0o755)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: temporary.path + "/out/bin/sh") == "tool")
        lstat(temporary.path + "/out/etc/hosts", &one)
        #expect(one.st_mtim.tv_sec == 0, "time from SOURCE_DATE_EPOCH (0)")
    }

    @Test(.needs(.cpio, .bsdtar, .xz)) func readsArchivesMadeByGnuCpioAndBsdtar() throws {
        let cpio = try #require(Peer.cpio.path), bsdtar = try #require(Peer.bsdtar.path), xz = try #require(Peer.xz.path)
        let temporary = try ScratchDirectory("interop-r")
        defer { temporary.remove() }
        try temporary.write("tree/a/file", "contents\n")
        try temporary.mkdir("tree/b")
        symlink("../a/file", temporary.path + "/tree/b/link")
        let names = Data("a\na/file\nb\nb/link\n".utf8)
        let cpioArchive = try ProgramRun.capture(cpio, ["-o", "-H", "newc", "--quiet"], input: names, directory: temporary.path + "/tree")
        try #require(cpioArchive.status == 0)
        let compressed = try ProgramRun.capture(xz, ["-c", "--check=crc32"], input: cpioArchive.output)
        try compressed.output.write(to: URL(fileURLWithPath: temporary.path + "/gnu.cpio.xz"))
        let bsdtarRun = try ProgramRun.capture(bsdtar, ["--format", "newc", "--zstd", "-cf", temporary.path + "/bsd.cpio.zst", "a", "b"],
                                     directory: temporary.path + "/tree")
        try #require(bsdtarRun.status == 0, "\(bsdtarRun.error)")
        for archive in ["gnu.cpio.xz", "bsd.cpio.zst"] {
            let entries = try InitrdListing.read(temporary.path + "/" + archive)
            #expect(entries.map(\.path) == ["a", "a/file", "b", "b/link"], "\(archive)")
            #expect(entries[1].size == 9)
            #expect(entries[3].symlinkTarget == "../a/file")
        }
    }

    /// The packing needs no privilege: the CLI run as `nobody` still stores device nodes.
    @Test(.needs(.cpio, .setpriv), .needsBuiltBinary) func deviceNodesPackedByANonRootUserShowInCpio() throws {
        let cpio = try #require(Peer.cpio.path)
        let binary = CommandRunner.executable
        let temporary = try ScratchDirectory("nonroot")
        defer { temporary.remove() }
        chmod(temporary.path, 0o777)
        var arguments = [binary, "initrd", "pack", "--makedev", "--compression", "none", "-o", temporary.path + "/dev.cpio"]
        var executable = binary
        if Machine.isRoot {
            let setpriv = try #require(Peer.setpriv.path)
            executable = setpriv
            arguments = ["--reuid=65534", "--regid=65534", "--clear-groups"] + arguments
        } else {
            arguments.removeFirst()
        }
        let run = try ProgramRun.capture(executable, arguments)
        try #require(run.status == 0, "\(run.error)")
        var info = stat()
        stat(temporary.path + "/dev.cpio", &info)
        #expect(info.st_uid != 0, "packed by a non-root user")
        let data = try #require(FileManager.default.contents(atPath: temporary.path + "/dev.cpio"))
        let listing = try ProgramRun.capture(cpio, ["-itv", "--quiet"], input: data).text
        let null = listing.split(separator: "\n").first { $0.hasSuffix(" dev/null") }
        #expect(null?.hasPrefix("crw-rw-rw-") == true)
        #expect(null?.contains("1,   3") == true)
        let sda1 = listing.split(separator: "\n").first { $0.hasSuffix(" dev/sda1") }
        #expect(sda1?.hasPrefix("brw-rw----") == true)
        #expect(sda1?.contains("8,   1") == true)
    }
}
