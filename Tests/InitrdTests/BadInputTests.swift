import Foundation
import Testing
import TestSupport
@testable import Initrd

/// Bad input: a clear error naming the file, and no output left behind.
@Suite struct BadInputTests {
    static func leftovers(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".img") || $0.contains(".tmp-") }
    }

    @Test func aSocketIsRefusedByName() throws {
        let temporary = try ScratchDirectory("socket")
        defer { temporary.remove() }
        try temporary.write("tree/ok", "fine\n")
        let socketPath = temporary.path + "/tree/control.sock"
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in socketPath.utf8.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0)
        #expect(throws: InitrdError.unsupportedFileType(path: socketPath, type: "socket")) {
            try InitrdPacker.pack(InitrdSpec(sources: [.directory(path: temporary.path + "/tree")]),
                                  to: temporary.path + "/out.img", compression: CompressionSetting(.gzip))
        }
        #expect(Self.leftovers(in: temporary.path).isEmpty)
    }

    @Test func anOverlongPathIsRefused() throws {
        let temporary = try ScratchDirectory("long")
        defer { temporary.remove() }
        let name = String(repeating: "n", count: 200)
        try temporary.write("tree/\(name)/\(name)", "deep\n")
        let prefix = Array(repeating: String(repeating: "p", count: 250), count: 15).joined(separator: "/")
        let expectedPath = "\(temporary.path)/tree/\(name)/\(name)"
        let spec = InitrdSpec(sources: [.directory(path: temporary.path + "/tree", under: prefix)])
        #expect(throws: InitrdError.pathTooLong(path: expectedPath, length: prefix.utf8.count + 402, limit: 4095)) {
            try InitrdPacker.pack(spec, to: temporary.path + "/out.img", compression: CompressionSetting(.none))
        }
        let long = prefix + "/" + String(repeating: "x", count: 400)
        #expect(throws: InitrdError.pathTooLong(path: long, length: long.utf8.count, limit: 4095)) {
            _ = try InitrdSpec(sources: [.entries([.file(long, text: "")], origin: "mem")]).resolve()
        }
        #expect(Self.leftovers(in: temporary.path).isEmpty)
    }

    @Test func aFileThatChangesAfterTheScanIsRefused() throws {
        let temporary = try ScratchDirectory("change")
        defer { temporary.remove() }
        try temporary.write("tree/grows", "before\n")
        let spec = InitrdSpec(sources: [.directory(path: temporary.path + "/tree")])
        let entries = try spec.resolve()
        // The tree changes between the scan and the copy.
        let handle = try #require(FileHandle(forWritingAtPath: temporary.path + "/tree/grows"))
        handle.seekToEndOfFile()
        handle.write(Data("after\n".utf8))
        try handle.close()
        #expect(throws: InitrdError.changedWhilePacking(path: temporary.path + "/tree/grows", detail: "size 7 became 13 before reading")) {
            try InitrdPacker.write(entries, modificationTime: 0, compression: CompressionSetting(.gzip), to: temporary.path + "/out.img")
        }
        try FileManager.default.removeItem(atPath: temporary.path + "/tree/grows")
        #expect(throws: InitrdError.io(path: temporary.path + "/tree/grows", doing: "open", errno: ENOENT)) {
            try InitrdPacker.write(entries, modificationTime: 0, compression: CompressionSetting(.zstd), to: temporary.path + "/out.img")
        }
        #expect(Self.leftovers(in: temporary.path).isEmpty)
    }

    @Test(.enabled(if: !Machine.isRoot || (Peer.setpriv.isInstalled && Machine.hasBuiltBinary),
                   "as root, needs setpriv (package util-linux) and the built pxefarm binary to read as nobody"))
    func anUnreadableFileIsNamed() throws {
        let temporary = try ScratchDirectory("unreadable")
        defer { temporary.remove() }
        try temporary.write("tree/secret", "x\n", permissions: 0)
        if !Machine.isRoot {
            #expect(throws: InitrdError.io(path: temporary.path + "/tree/secret", doing: "read", errno: EACCES)) {
                try InitrdSpec(sources: [.directory(path: temporary.path + "/tree")]).resolve()
            }
            return
        }
        // Root reads everything: run the CLI as nobody to see the refusal.
        let binary = CommandRunner.executable, setpriv = try #require(Peer.setpriv.path)
        chmod(temporary.path, 0o777)
        let run = try ProgramRun.capture(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", binary, "initrd", "pack",
                                         temporary.path + "/tree", "-o", temporary.path + "/out.img"])
        #expect(run.status != 0)
        #expect(run.error.contains("\(temporary.path)/tree/secret: cannot read: Permission denied"), "\(run.error)")
        #expect(Self.leftovers(in: temporary.path).isEmpty)
    }

    @Test func aFullDeviceSurfacesAsAnError() throws {
        // /dev/full fails every write with ENOSPC, as a full disk does.
        let fd = open("/dev/full", O_WRONLY)
        try #require(fd >= 0)
        let sink = FileSink(path: "/dev/full", fd: fd)
        let entries = try PackTests.spec.resolve()
        for compression in [Compression.gzip, .none] {
            #expect(throws: InitrdError.io(path: "/dev/full", doing: "write", errno: ENOSPC)) {
                try NewcWriter(modificationTime: 0).write(entries, compression: CompressionSetting(compression), to: sink)
            }
        }
    }

    /// A real full file system (a 256 KiB tmpfs): the error names the output, and neither
    /// the output nor its temporary file is left.
    @Test(.needsRoot("mounting a small tmpfs"), .needs(.mount, .umount)) func aFullFileSystemLeavesNothingBehind() throws {
        let mount = try #require(Peer.mount.path), umount = try #require(Peer.umount.path)
        let temporary = try ScratchDirectory("full")
        defer { temporary.remove() }
        try temporary.mkdir("small")
        let small = temporary.path + "/small"
        let mounted = try ProgramRun.capture(mount, ["-t", "tmpfs", "-o", "size=256k", "tmpfs", small])
        try #require(mounted.status == 0, "cannot mount a tmpfs as root: \(mounted.error)")
        defer { _ = try? ProgramRun.capture(umount, [small]) }
        var generator = SeededGenerator(seed: 7)
        let noise = (0..<(1 << 20)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let spec = InitrdSpec(sources: [.entries([InitrdEntry(path: "noise", kind: .file(.bytes(noise)), permissions: 0o644)],
                                                 origin: "mem")])
        #expect(throws: InitrdError.io(path: small + "/out.img", doing: "write", errno: ENOSPC)) {
            try InitrdPacker.pack(spec, to: small + "/out.img", compression: CompressionSetting(.gzip, level: 1))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: small).isEmpty)
    }
}
