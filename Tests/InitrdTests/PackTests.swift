import Foundation
import Testing
import TestSupport
@testable import Initrd

@Suite struct PackTests {
    /// A small archive made only in memory: the golden newc bytes and their listing.
    static let spec = InitrdSpec(sources: [
        .entries([
            .file("etc/motd", text: "built by pxefarm\n"),
            .file("init", text: "#!/bin/sh\nexec sh\n", permissions: 0o755),
            .symlink("bin/sh", to: "busybox"),
            InitrdEntry(path: "dev/console", kind: .characterDevice(major: 5, minor: 1), permissions: 0o600),
            InitrdEntry(path: "dev/sda1", kind: .blockDevice(major: 8, minor: 1), permissions: 0o660, gid: 6),
            InitrdEntry(path: "run/initctl", kind: .fifo, permissions: 0o600),
            .directory("tmp", permissions: 0o1777),
        ], origin: "test"),
    ], modificationTime: 1_700_000_000)

    @Test func inMemorySpecMatchesGoldenBytes() throws {
        let bytes = try InitrdPacker.bytes(of: Self.spec, compression: CompressionSetting(.none))
        try GoldenFile.check(bytes, against: "small.newc")
        // newc: every header starts with the magic 070701, and the archive ends with the trailer.
        #expect(Array(bytes.prefix(6)) == Array("070701".utf8))
        #expect(String(decoding: bytes, as: UTF8.self).contains("TRAILER!!!"))
        #expect(bytes.count % 4 == 0)
    }

    @Test func listingMatchesGolden() throws {
        let directory = try ScratchDirectory("list")
        defer { directory.remove() }
        try InitrdPacker.pack(Self.spec, to: directory.path + "/small.zst", compression: CompressionSetting(.zstd))
        let listing = try InitrdListing.read(directory.path + "/small.zst").map(\.line).joined(separator: "\n") + "\n"
        try GoldenFile.check(listing, against: "small.list")
    }

    @Test func parentsAreAddedAndSortedFirst() throws {
        let entries = try Self.spec.resolve()
        #expect(entries.map(\.path) == ["bin", "bin/sh", "dev", "dev/console", "dev/sda1", "etc", "etc/motd", "init",
                                        "run", "run/initctl", "tmp"])
        #expect(entries[0] == .directory("bin"))
    }

    @Test func aFileCannotHoldChildren() {
        let spec = InitrdSpec(sources: [.entries([.file("etc", text: "x")], origin: "a"),
                                        .entries([.file("etc/passwd", text: "y")], origin: "b")])
        #expect(throws: InitrdError.invalidArgument("etc is not a directory (from a), but etc/passwd (from b) is inside it")) {
            try spec.resolve()
        }
    }

    @Test func laterSourcesReplaceEarlierEntries() throws {
        let spec = InitrdSpec(sources: [.entries([.file("etc/issue", text: "one")], origin: "a"),
                                        .entries([.file("etc/issue", text: "two")], origin: "b")])
        #expect(try spec.resolve().last == .file("etc/issue", text: "two"))
    }

    @Test(arguments: Compression.allCases)
    func twoPacksOfCopiesOfOneTreeAreIdentical(_ compression: Compression) throws {
        let temporary = try ScratchDirectory("repro")
        defer { temporary.remove() }
        for copy in ["one", "two"] {
            try temporary.write("\(copy)/bin/tool", String(repeating: "binary \(compression) ", count: 50_000), permissions: 0o755)
            try temporary.write("\(copy)/etc/hosts", "127.0.0.1 localhost\n")
            try temporary.mkdir("\(copy)/empty")
            symlink("tool", temporary.path + "/\(copy)/bin/link")
            link(temporary.path + "/\(copy)/bin/tool", temporary.path + "/\(copy)/bin/hard")
        }
        // Different times and inode numbers on disk must not show in the archive.
        var times = [timespec(tv_sec: 12345, tv_nsec: 0), timespec(tv_sec: 12345, tv_nsec: 0)]
        utimensat(AT_FDCWD, temporary.path + "/two/etc/hosts", &times, 0)
        let setting = try CompressionSetting(compression)
        let first = temporary.path + "/one.img", second = temporary.path + "/two.img"
        try InitrdPacker.pack(InitrdSpec(sources: [.directory(path: temporary.path + "/one")]), to: first, compression: setting)
        try InitrdPacker.pack(InitrdSpec(sources: [.directory(path: temporary.path + "/two")]), to: second, compression: setting)
        let one = try #require(FileManager.default.contents(atPath: first))
        let two = try #require(FileManager.default.contents(atPath: second))
        #expect(one == two)
        #expect(one.count > 0)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: temporary.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test func hardLinksAreStoredOnce() throws {
        let temporary = try ScratchDirectory("links")
        defer { temporary.remove() }
        let body = String(repeating: "x", count: 100_000)
        try temporary.write("tree/a", body)
        link(temporary.path + "/tree/a", temporary.path + "/tree/b")
        link(temporary.path + "/tree/a", temporary.path + "/tree/c")
        let spec = InitrdSpec(sources: [.directory(path: temporary.path + "/tree")])
        let bytes = try InitrdPacker.bytes(of: spec, compression: CompressionSetting(.none))
        #expect(bytes.count < 101_000, "the body must appear once, archive is \(bytes.count) bytes")
        try InitrdPacker.pack(spec, to: temporary.path + "/l.cpio", compression: CompressionSetting(.none))
        let listed = try InitrdListing.read(temporary.path + "/l.cpio")
        #expect(listed.map(\.links) == [3, 3, 3])
        #expect(listed.map(\.path) == ["a", "b", "c"])
    }

    @Test func sourceDateEpochIsReadAndChecked() throws {
        #expect(try InitrdSpec.sourceDateEpoch([:]) == 0)
        #expect(try InitrdSpec.sourceDateEpoch(["SOURCE_DATE_EPOCH": "1700000000"]) == 1_700_000_000)
        #expect(throws: InitrdError.invalidArgument("SOURCE_DATE_EPOCH='soon' is not a time in seconds (0-4294967295)")) {
            try InitrdSpec.sourceDateEpoch(["SOURCE_DATE_EPOCH": "soon"])
        }
    }

    @Test func compressionLevelsAreChecked() {
        #expect(throws: InitrdError.invalidLevel(compression: "gzip", level: 10, range: 1...9)) {
            try CompressionSetting(.gzip, level: 10)
        }
        #expect(throws: InitrdError.invalidLevel(compression: "zstd", level: 0, range: 1...19)) {
            try CompressionSetting(.zstd, level: 0)
        }
    }
}
