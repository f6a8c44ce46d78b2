import Foundation
import Testing
import TestSupport
@testable import Initrd

/// The tarball reader against archives made by bsdtar, GNU tar and Python's
/// tarfile, and its path policy on its own.
@Suite struct TarballReaderTests {
    // MARK: the policy, pure

    private func admit(_ entries: [TarballEntry]) -> Result<[TarballEntry], TarballPathPolicy.Refusal> {
        var policy = TarballPathPolicy()
        var admitted: [TarballEntry] = []
        for entry in entries {
            do { admitted.append(try policy.admit(entry)) } catch { return .failure(error) }
        }
        return .success(admitted)
    }

    private func file(_ path: String) -> TarballEntry { TarballEntry(path: path, kind: .file(size: 0), permissions: 0o644) }
    private func directory(_ path: String) -> TarballEntry { TarballEntry(path: path, kind: .directory, permissions: 0o755) }
    private func link(_ path: String, _ target: String) -> TarballEntry { TarballEntry(path: path, kind: .symlink(target: target), permissions: 0o777) }

    @Test func pathsAreNormalised() throws {
        let admitted = try admit([directory("./"), directory("./usr/"), file("./usr//bin/./x"), file("etc/passwd")]).get()
        #expect(admitted.map(\.path) == ["", "usr", "usr/bin/x", "etc/passwd"])
    }

    @Test(arguments: [
        ("/etc/passwd", "is an absolute path"),
        ("../x", "has a '..' component"),
        ("usr/../../x", "has a '..' component"),
    ])
    func escapingPathsAreRefused(path: String, reason: String) {
        guard case .failure(let refusal) = admit([file(path)]) else { Issue.record("\(path) admitted"); return }
        #expect(refusal.reason.hasPrefix(reason))
    }

    @Test func anEntryUnderASymlinkIsRefused() {
        guard case .failure(let refusal) = admit([link("evil", "/etc"), file("evil/passwd")]) else { Issue.record("admitted"); return }
        #expect(refusal.reason == "lies under evil, a symlink in the archive (extraction never follows links)")
        guard case .failure = admit([link("lib", "usr/lib"), directory("lib/x")]) else { Issue.record("admitted"); return }
    }

    @Test func duplicatesAreRefusedExceptRepeatedDirectories() throws {
        #expect(try admit([directory("a"), file("a/x"), directory("a/")]).get().count == 3)
        for entries in [[file("a"), file("a")], [directory("a"), link("a", "/etc")], [file("a/x"), file("a")], [file("a"), directory("a")]] {
            guard case .failure(let refusal) = admit(entries) else { Issue.record("\(entries.map(\.path)) admitted"); continue }
            #expect(refusal.reason.contains("appears twice") || refusal.reason.contains("made a file"))
        }
    }

    @Test func hardLinksMustNameAnEarlierFile() throws {
        let ok = try admit([file("./bin/a"), TarballEntry(path: "bin/b", kind: .hardLink(target: "./bin/a"), permissions: 0o755)]).get()
        #expect(ok[1].kind == .hardLink(target: "bin/a"))
        for target in ["/etc/shadow", "../x", "bin/none", "bin"] {
            let entries = [directory("bin"), TarballEntry(path: "bin/b", kind: .hardLink(target: target), permissions: 0o644)]
            guard case .failure(let refusal) = admit(entries) else { Issue.record("link to \(target) admitted"); continue }
            #expect(refusal.reason.hasPrefix("is a hard link to \(target)"))
        }
    }

    @Test func theRootMustBeADirectory() {
        guard case .failure = admit([file("./")]) else { Issue.record("admitted"); return }
    }

    // MARK: real archives

    /// A small tree: a directory, files (one setuid, one empty), a symlink, a hard link.
    private func makeTree(_ temporary: ScratchDirectory) throws -> String {
        let tree = temporary.path + "/tree"
        try temporary.write("tree/bin/busybox", String(repeating: "busybox", count: 40_000), permissions: 0o4755)
        try temporary.write("tree/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")
        try temporary.write("tree/etc/empty", "")
        try FileManager.default.createSymbolicLink(atPath: tree + "/bin/sh", withDestinationPath: "busybox")
        #expect(Glibc.link(tree + "/bin/busybox", tree + "/bin/su") == 0)
        #expect(mkfifo(tree + "/etc/fifo", 0o600) == 0)
        return tree
    }

    private func readAll(_ path: String) throws -> [String: (TarballEntry, [UInt8])] {
        var found: [String: (TarballEntry, [UInt8])] = [:]
        try TarballReader(path: path).read { entry, data in
            var bytes: [UInt8] = []
            if case .file = entry.kind {
                try data.blocks { block, offset in
                    if bytes.count < Int(offset) { bytes += [UInt8](repeating: 0, count: Int(offset) - bytes.count) }
                    bytes += block
                }
            }
            found[entry.path] = (entry, bytes)
        }
        return found
    }

    @Test(.needs(.bsdtar), arguments: [("tar", [String]()), ("tar.gz", ["-z"]), ("tar.xz", ["-J"]), ("tar.zst", ["--zstd"])])
    func readsWhatBsdtarWrites(suffix: String, flags: [String]) throws {
        let bsdtar = try #require(Peer.bsdtar.path)
        let temporary = try ScratchDirectory("tarball")
        defer { temporary.remove() }
        let tree = try makeTree(temporary)
        let archive = temporary.path + "/root." + suffix
        let made = try ProgramRun.capture(bsdtar, ["-c"] + flags + ["-f", archive, "-C", tree, "."])
        #expect(made.status == 0, "\(made.error)")
        let found = try readAll(archive)
        #expect(Set(found.keys) == ["", "bin", "bin/busybox", "bin/sh", "bin/su", "etc", "etc/passwd", "etc/empty", "etc/fifo"])
        #expect(found["bin/busybox"]?.1 == Array(String(repeating: "busybox", count: 40_000).utf8))
        #expect(found["bin/busybox"]?.0.permissions == 0o4755)
        #expect(found["etc/passwd"]?.1 == Array("root:x:0:0:root:/root:/bin/sh\n".utf8))
        #expect(found["bin/sh"]?.0.kind == .symlink(target: "busybox"))
        #expect(found["bin/su"]?.0.kind == .hardLink(target: "bin/busybox") || found["bin/busybox"]?.0.kind == .hardLink(target: "bin/su"))
        #expect(found["etc/fifo"]?.0.kind == .fifo)
        #expect(found["etc/fifo"]?.0.permissions == 0o600)
    }

    @Test(.needs(.tar)) func readsWhatGnuTarWrites() throws {
        let tar = try #require(Peer.tar.path)
        let temporary = try ScratchDirectory("tarball")
        defer { temporary.remove() }
        let tree = try makeTree(temporary)
        let archive = temporary.path + "/root.tgz"
        for format in ["gnu", "posix", "ustar"] {
            let made = try ProgramRun.capture(tar, ["--format=\(format)", "-czf", archive, "-C", tree, "."])
            #expect(made.status == 0, "\(made.error)")
            let found = try readAll(archive)
            #expect(found.count == 9, "\(format): \(found.keys.sorted())")
            #expect(found["bin/sh"]?.0.kind == .symlink(target: "busybox"), "\(format)")
        }
    }

    /// Hostile archives written with Python's tarfile: each is refused with
    /// the tarball and the entry named.
    @Test(.needs(.python3), arguments: [
        ("absolute", "t.add(f('/tmp/pxefarm-evil'))", "/tmp/pxefarm-evil", "is an absolute path"),
        ("dotdot", "t.add(f('../x'))", "../x", "has a '..' component"),
        ("under-symlink", "t.add(l('etc', '/etc')); t.add(f('etc/passwd'))", "etc/passwd", "lies under etc, a symlink"),
        ("link-then-file", "t.add(l('a', '../../..')); t.add(d('a/b'))", "a/b/", "lies under a, a symlink"),
        ("hardlink-out", "t.add(h('x', '/etc/shadow'))", "x", "is a hard link to /etc/shadow"),
        ("duplicate", "t.add(f('x')); t.add(l('x', '/etc/passwd'))", "x", "appears twice"),
    ])
    func hostileArchivesAreRefused(name: String, script: String, entry: String, reason: String) throws {
        let python = try #require(Peer.python3.path)
        let temporary = try ScratchDirectory("tarball")
        defer { temporary.remove() }
        let archive = temporary.path + "/\(name).tar.gz"
        try HostileTarball.make(archive, script: script, python: python)
        #expect {
            try readAll(archive)
        } throws: { error in
            guard case .refusedTarballEntry(let tarball, let stored, let said) = error as? InitrdError else { return false }
            return tarball == archive && stored == entry && said.hasPrefix(reason)
                && (error as! InitrdError).description.contains("\(archive): refusing entry '\(entry)': it \(reason)")
        }
    }

    @Test func aCpioArchiveIsNotATarball() throws {
        let temporary = try ScratchDirectory("tarball")
        defer { temporary.remove() }
        let archive = temporary.path + "/root.tar"
        let spec = InitrdSpec(sources: [.entries([.file("etc/x", text: "x")], origin: "test")])
        try Data(try InitrdPacker.bytes(of: spec, compression: CompressionSetting(.none))).write(to: URL(fileURLWithPath: archive))
        #expect(throws: InitrdError.self) { try readAll(archive) }
    }
}

/// Writes a tarball with Python's tarfile: `f(path)` a small file, `d(path)` a
/// directory, `l(path, target)` a symlink, `h(path, target)` a hard link.
enum HostileTarball {
    static func make(_ archive: String, script: String, python: String) throws {
        let program = """
            import io, sys, tarfile
            def entry(name, kind, target=''):
                info = tarfile.TarInfo(name); info.type = kind; info.linkname = target; info.mode = 0o755
                return info
            class T:
                def __init__(self, t): self.t = t
                def add(self, pair): self.t.addfile(pair[0], pair[1])
            def f(name): info = entry(name, tarfile.REGTYPE); info.size = 4; return (info, io.BytesIO(b'evil'))
            def d(name): return (entry(name, tarfile.DIRTYPE), None)
            def l(name, target): return (entry(name, tarfile.SYMTYPE, target), None)
            def h(name, target): return (entry(name, tarfile.LNKTYPE, target), None)
            with tarfile.open(sys.argv[1], 'w:gz', format=tarfile.PAX_FORMAT) as raw:
                t = T(raw)
                \(script)
            """
        let run = try ProgramRun.capture(python, ["-c", program, archive])
        guard run.status == 0 else { throw InitrdError.invalidArgument("python3 failed: \(run.error)") }
    }
}
