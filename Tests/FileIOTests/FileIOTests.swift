import Glibc
import Testing
import TestSupport
@testable import FileIO

@Suite struct FileIOTests {
    @Test func aWholeFileReadsBackWhatWasWritten() throws {
        let scratch = try ScratchDirectory("fileio")
        let path = scratch.path + "/data"
        var generator = SeededGenerator(seed: 18)
        // Empty, small, and larger than the 1 MiB read buffer.
        for size in [0, 1, 4095, 4096, (1 << 20) + 3] {
            let bytes = (0..<size).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            try AtomicFile.write(bytes, to: path)
            #expect(try WholeFile.read(path) == bytes, "\(size) bytes")
        }
    }

    @Test func failuresNameTheCallThePathAndTheReason() throws {
        let scratch = try ScratchDirectory("fileio")
        #expect(throws: FileIOError(.open, path: scratch.path + "/missing", errno: ENOENT)) {
            try WholeFile.read(scratch.path + "/missing")
        }
        #expect(throws: FileIOError(.read, path: scratch.path, errno: EISDIR)) { try WholeFile.read(scratch.path) }
        #expect(FileIOError(.open, path: "/x", errno: ENOENT).description == "/x: open: No such file or directory")
        #expect(throws: FileIOError(.open, path: scratch.path + "/no/.f.tmp-\(getpid())", errno: ENOENT)) {
            try AtomicFile.write([1], to: scratch.path + "/no/f")
        }
    }

    /// A failed rename leaves the target as it was and no temporary behind.
    @Test func aFailedReplacementLeavesTheTargetAndNoTemporary() throws {
        let scratch = try ScratchDirectory("fileio")
        let target = scratch.path + "/target"
        #expect(mkdir(target, 0o755) == 0)
        #expect(mkdir(target + "/inside", 0o755) == 0)
        // rename(2) of a file over a non-empty directory fails with EISDIR.
        #expect(throws: FileIOError(.rename, path: target, errno: EISDIR)) {
            try AtomicFile.write(Array("new".utf8), to: target, durable: true)
        }
        #expect(FileSignature(path: target + "/inside") != nil)
        #expect(FileSignature(path: AtomicFile.temporaryPath(for: target)) == nil)
    }

    @Test func theTemporaryIsHiddenBesideTheTargetAndTheModeIsKept() throws {
        #expect(AtomicFile.temporaryPath(for: "/srv/out/etc/dhcpd.conf") == "/srv/out/etc/.dhcpd.conf.tmp-\(getpid())")
        #expect(AtomicFile.temporaryPath(for: "/farm.yaml") == "/.farm.yaml.tmp-\(getpid())")
        #expect(AtomicFile.temporaryPath(for: "farm.yaml") == "./.farm.yaml.tmp-\(getpid())")
        let scratch = try ScratchDirectory("fileio")
        let path = scratch.path + "/state.json"
        let temporary = path + ".tmp"
        try AtomicFile.write(Array("{}\n".utf8), to: path, temporary: temporary, mode: 0o600, durable: true)
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(FileSignature(path: temporary) == nil)
    }

    @Test func pathNamesReadAsDirnameAndBasename() {
        #expect(PathName.directoryName("a/b/c") == "a/b")
        #expect(PathName.directoryName("/c") == "/")
        #expect(PathName.directoryName("c") == ".")
        #expect(PathName.baseName("a/b/c") == "c")
        #expect(PathName.baseName("c") == "c")
    }

    /// A rewrite in place and a replacement by rename both change the signature.
    @Test func theSignatureTellsARewriteAndAReplacementApart() throws {
        let scratch = try ScratchDirectory("fileio")
        let path = scratch.path + "/f"
        try AtomicFile.write(Array("one".utf8), to: path)
        let first = try #require(FileSignature(path: path))
        #expect(first == FileSignature(path: path))
        #expect(first.size == 3)
        try AtomicFile.write(Array("two".utf8), to: path)
        let replaced = try #require(FileSignature(path: path))
        #expect(replaced.inode != first.inode, "a new file renamed into place")
        var times = [timespec(tv_sec: 1_000_000, tv_nsec: 5), timespec(tv_sec: 1_000_000, tv_nsec: 5)]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        let touched = try #require(FileSignature(path: path))
        #expect(touched.modified == 1_000_000 * 1_000_000_000 + 5)
        #expect(touched != replaced)
        #expect(FileSignature(path: scratch.path + "/none") == nil)
    }
}
