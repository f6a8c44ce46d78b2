import Testing
import Foundation
import FarmModel
import TestSupport
@testable import FarmBuild

/// Image roots given as tarballs: built like the directory they were made
/// from, extracted once per content, hostile archives refused.
@Suite struct TarballRootTests {
    static let demo = DemoImage.path

    /// The demo root copied into the scratch folder with what it lacks: a hard
    /// link, a FIFO, a setuid file and a read-only directory.
    /// Tests that call it carry `.needsDemoImage`.
    static func demoRoot(_ scratch: Scratch) throws -> String {
        let root = scratch.directory + "/demo-root"
        // -H: the demo root may be a symlink to another checkout's (a worktree links it); copy what it points to.
        let copy = try CommandRunner.run(["/bin/cp", "-aH", demo + "/root", root], executable: "/bin/cp")
        #expect(copy.status == 0, "\(copy.stderr)")
        // New names only: the demo's applets are links to /bin/busybox, and
        // writing through one would write the build machine's busybox.
        for name in ["usr/sbin/pxefarm-suid", "usr/sbin/pxefarm-suid-too", "var/pxefarm-fifo", "usr/share/ro"] {
            try #require(FileSystem.status(root + "/" + name) == nil, "\(name) is new")
        }
        try FileSystem.create(root + "/usr/sbin/pxefarm-suid", bytes: Array("suid".utf8), mode: 0o755)
        #expect(chmod(root + "/usr/sbin/pxefarm-suid", 0o4755) == 0)
        #expect(link(root + "/usr/sbin/pxefarm-suid", root + "/usr/sbin/pxefarm-suid-too") == 0)
        #expect(mkfifo(root + "/var/pxefarm-fifo", 0o600) == 0)
        try FileManager.default.createDirectory(atPath: root + "/usr/share/ro", withIntermediateDirectories: true)
        try FileSystem.create(root + "/usr/share/ro/file", bytes: Array("x".utf8))
        chmod(root + "/usr/share/ro", 0o555)
        return root
    }

    static func tar(_ root: String, to archive: String, flags: [String]) throws {
        let bsdtar = try #require(Peer.bsdtar.path, "tests that make tarballs carry .needs(.bsdtar)")
        let made = try CommandRunner.run([bsdtar, "-c"] + flags + ["-f", archive, "-C", root, "."], executable: bsdtar)
        #expect(made.status == 0, "\(made.stderr)")
    }

    static func farm(_ scratch: Scratch, root: String) -> Farm {
        var farm = scratch.farm(nodes: 2)
        farm.images = [Image(name: "base", root: root, kernel: demo + "/vmlinuz", systemMap: demo + "/System.map",
                             initrd: InitrdSettings(modules: ["e1000"]))]
        farm.services[1].layers = 0...2
        return farm
    }

    /// Every path under `root` with its type, mode, links and content.
    static func describe(_ root: String) throws -> [String: String] {
        var found: [String: String] = [:]
        func walk(_ relative: String) throws {
            let path = relative.isEmpty ? root : root + "/" + relative
            guard let status = FileSystem.status(path) else { return }
            var text = "mode \(String(status.mode, radix: 8)) links \(status.kind == .directory ? 0 : status.links) "
            switch status.kind {
            case .directory:
                text += "directory"
                for name in try FileSystem.list(path) { try walk(relative.isEmpty ? name : relative + "/" + name) }
            case .file: text += "file " + Digest.of(try FileSystem.read(path))
            case .symlink: text += "symlink " + (FileSystem.readLink(path) ?? "?")
            case .other: text += "node \(status.rawType) \(status.rdev)"
            }
            found[relative] = text
        }
        try walk("")
        return found
    }

    @Test(.needsDemoImage, .needs(.bsdtar)) func aTarballInEachCompressionBuildsWhatItsDirectoryBuilds() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let root = try Self.demoRoot(scratch)
        var directoryBuilder = scratch.builder()
        directoryBuilder = Builder(outputDirectory: scratch.directory + "/from-directory", templates: Scratch.templates)
        directoryBuilder.programs = scratch.programs
        _ = try directoryBuilder.build(Self.farm(scratch, root: root))
        let expected = try Self.describe(scratch.directory + "/from-directory/nfsroot/.shared/base")
        // Each node's machine id is its own, random: not part of the comparison.
        var expectedNode = try Self.describe(scratch.directory + "/from-directory/nfsroot/n0")
        #expect(expectedNode.removeValue(forKey: "etc/machine-id")?.hasPrefix("mode 444 links 1 file") == true)
        let expectedInitrd = try FileSystem.read(scratch.directory + "/from-directory/tftpboot/X86PC/UNDI/boot/linux.2")
        // The hard link is kept: one inode with two names in the shared image.
        #expect(expected["usr/sbin/pxefarm-suid"]?.hasPrefix("mode 4755 links 2 file") == true)
        #expect(expected["usr/share/ro"]?.hasPrefix("mode 555") == true)

        for (suffix, flags) in [("tar", [String]()), ("tar.gz", ["-z"]), ("tar.xz", ["-J"]), ("tar.zst", ["--zstd"]), ("tgz", ["-z"])] {
            let archive = scratch.directory + "/root." + suffix
            try Self.tar(root, to: archive, flags: flags)
            let out = scratch.directory + "/from-" + suffix
            var builder = Builder(outputDirectory: out, templates: Scratch.templates)
            builder.programs = scratch.programs
            let (_, summary) = try builder.build(Self.farm(scratch, root: archive))
            #expect(summary.generation == 1)
            let built = try Self.describe(out + "/nfsroot/.shared/base")
            #expect(built.count == expected.count, "\(suffix)")
            for (path, text) in expected where built[path] != text {
                Issue.record("\(suffix): \(path) is \(built[path] ?? "missing"), from the directory \(text)")
            }
            var node = try Self.describe(out + "/nfsroot/n0")
            #expect(node.removeValue(forKey: "etc/machine-id") != nil, "\(suffix)")
            #expect(node == expectedNode, "\(suffix)")
            #expect(try FileSystem.read(out + "/tftpboot/X86PC/UNDI/boot/linux.2") == expectedInitrd, "\(suffix): the initrd differs")
            // The extracted tree keeps the archive's hard link.
            let roots = try FileSystem.list(out + "/.pxefarm/roots")
            #expect(roots.count == 1)
            #expect(FileSystem.status(out + "/.pxefarm/roots/\(roots[0])/tree/usr/sbin/pxefarm-suid-too")?.links == 2)
        }
    }

    @Test(.needsDemoImage, .needs(.bsdtar)) func anUnchangedTarballIsNotExtractedAgainAndAChangedOneMakesANewGeneration() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let root = try Self.demoRoot(scratch)
        let archive = scratch.directory + "/root.tar.gz"
        try Self.tar(root, to: archive, flags: ["-z"])
        let yaml = """
            farm: {name: lab, domain: lab.example, server: 10.0.0.1, subnet: 10.0.0.0/16}
            images:
              base: {root: root.tar.gz, kernel: \(Self.demo)/vmlinuz, nbp: {file: pxelinux.0}, initrd: {modules: [e1000]}}
            services:
              - {type: 14, name: boot, image: base, layers: [0, 2]}
            nodes:
              - {name: n1, mac: "52:54:00:00:00:01", ip: 10.0.1.1}

            """
        try yaml.write(toFile: scratch.directory + "/farm.yaml", atomically: true, encoding: .utf8)
        let command = ["build", scratch.directory + "/farm.yaml", "--out", scratch.out, "--templates", Scratch.repository + "/templates"]
        let first = try CommandRunner.run(command)
        #expect(first.status == 0, "\(first.stderr)")
        let roots = scratch.out + "/.pxefarm/roots"
        let extracted = try FileSystem.list(roots)
        #expect(extracted.count == 1)
        let tree = FileSystem.status(roots + "/" + extracted[0] + "/tree/bin/busybox")

        let again = try CommandRunner.run(command)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.hasSuffix("; 0 changed\n"), "\(again.stdout)")
        #expect(try FileSystem.list(roots) == extracted)
        #expect(FileSystem.status(roots + "/" + extracted[0] + "/tree/bin/busybox") == tree, "extracted again")

        try FileSystem.create(root + "/etc/motd", bytes: Array("welcome\n".utf8))
        try FileManager.default.removeItem(atPath: archive)
        try Self.tar(root, to: archive, flags: ["-z"])
        let changed = try CommandRunner.run(command)
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(!changed.stdout.hasSuffix("; 0 changed\n"), "\(changed.stdout)")
        let store = GenerationStore(layout: OutputLayout(root: scratch.out))
        #expect(store.current == 2)
        let manifest = try #require(store.manifest(of: 2))
        #expect(manifest.outputs["shared/base/etc/motd"] != nil)
        #expect(store.manifest(of: 1)?.outputs["shared/base/etc/motd"] == nil)
        #expect(try scratch.read("out/nfsroot/.shared/base/etc/motd") == "welcome\n")
        let now = try FileSystem.list(roots)
        #expect(now.count == 1 && now != extracted, "the old extraction is removed: \(now)")
    }

    @Test(.needs(.bsdtar)) func aTarballWithoutInitIsRefusedLikeADirectory() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try FileManager.default.removeItem(atPath: scratch.image + "/sbin/init")
        try Self.tar(scratch.image, to: scratch.directory + "/image.tar", flags: [])
        var farm = scratch.farm()
        let fromDirectory = #expect(throws: BuildError.self) { try scratch.builder().plan(farm) }
        farm.images[0].root = scratch.directory + "/image.tar"
        let fromTarball = #expect(throws: BuildError.self) { try scratch.builder().plan(farm) }
        #expect(fromTarball == fromDirectory)
        #expect(fromTarball?.description.hasPrefix("image base lacks an init program") == true)
    }

    /// Each hostile archive is refused naming the tarball and the entry, and
    /// leaves nothing in the output folder nor outside it.
    @Test(arguments: [
        ("absolute", "t.add(f(OUTSIDE + '/pwned'))", "/outside/pwned"),
        ("dotdot", "t.add(d('etc')); t.add(f('etc/../../pwned'))", "etc/../../pwned"),
        ("under-symlinked-directory", "t.add(l('etc', OUTSIDE)); t.add(f('etc/pwned'))", "etc/pwned"),
        ("symlink-then-file", "t.add(f('bin/busybox')); t.add(l('bin/x', OUTSIDE + '/pwned')); t.add(f('bin/x/'))", "bin/x/"),
        ("hardlink-out", "t.add(h('etc/shadow', OUTSIDE + '/pwned'))", "etc/shadow"),
    ])
    func hostileTarballsAreRefused(name: String, script: String, entry: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let outside = scratch.directory + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        let archive = scratch.directory + "/\(name).tar.xz"
        let program = """
            import io, sys, tarfile
            OUTSIDE = sys.argv[2]
            def entry(name, kind, target=''):
                info = tarfile.TarInfo(name); info.type = kind; info.linkname = target; info.mode = 0o755
                return info
            def f(name): info = entry(name, tarfile.REGTYPE); info.size = 4; return (info, io.BytesIO(b'evil'))
            def d(name): return (entry(name, tarfile.DIRTYPE), None)
            def l(name, target): return (entry(name, tarfile.SYMTYPE, target), None)
            def h(name, target): return (entry(name, tarfile.LNKTYPE, target), None)
            class T:
                def __init__(self, t): self.t = t
                def add(self, pair): self.t.addfile(pair[0], pair[1])
            with tarfile.open(sys.argv[1], 'w:xz', format=tarfile.PAX_FORMAT) as raw:
                t = T(raw)
                t.add(d('sbin')); t.add(f('sbin/init'))
                \(script)
            """
        let made = try CommandRunner.run(["/usr/bin/python3", "-c", program, archive, outside], executable: "/usr/bin/python3")
        try #require(made.status == 0, "python3: \(made.stderr)")
        var farm = scratch.farm()
        farm.images[0].root = archive
        let error = #expect(throws: BuildError.self) { try scratch.builder().build(farm) }
        let stored = entry.replacingOccurrences(of: "/outside", with: outside)
        #expect(error?.description.hasPrefix("image base: \(archive): refusing entry '\(stored)': it ") == true, "\(String(describing: error))")
        #expect(try FileSystem.list(outside).isEmpty)
        #expect(try FileSystem.list(scratch.out + "/.pxefarm/roots").isEmpty)
        #expect(GenerationStore(layout: OutputLayout(root: scratch.out)).all().isEmpty)
        #expect(!FileSystem.exists(scratch.out + "/nfsroot"))
    }

    /// Device nodes in a tarball are recorded at extraction and made in the
    /// shared image only by root, like the MAKEDEV set.
    @Test func deviceNodesAreMadeOnlyAsRoot() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let archive = scratch.directory + "/image.tar"
        let program = """
            import io, os, sys, tarfile
            with tarfile.open(sys.argv[1], 'w', format=tarfile.GNU_FORMAT) as t:
                t.add(sys.argv[2], arcname='.')
                info = tarfile.TarInfo('lib/udev/null'); info.type = tarfile.CHRTYPE; info.devmajor = 1; info.devminor = 3; info.mode = 0o666
                t.addfile(info)
                info = tarfile.TarInfo('lib/udev/pipe'); info.type = tarfile.FIFOTYPE; info.mode = 0o600
                t.addfile(info)
            """
        let made = try CommandRunner.run(["/usr/bin/python3", "-c", program, archive, scratch.image], executable: "/usr/bin/python3")
        try #require(made.status == 0, "python3: \(made.stderr)")
        var farm = scratch.farm()
        farm.images[0].root = archive
        let (_, summary) = try scratch.builder().build(farm)
        let null = FileSystem.status(scratch.out + "/nfsroot/.shared/base/lib/udev/null")
        let pipe = FileSystem.status(scratch.out + "/nfsroot/.shared/base/lib/udev/pipe")
        if FileSystem.isRoot {
            #expect(null?.rawType == .characterDevice && null?.rdev == FarmOutputs.deviceNumber(1, 3))
            #expect(pipe?.rawType == .fifo)
        } else {
            #expect(null == nil && pipe == nil)
            #expect(summary.notMade.contains("shared/base/lib/udev/null"))
        }
        // Extraction never makes them, root or not.
        let roots = scratch.out + "/.pxefarm/roots"
        let tree = roots + "/" + (try FileSystem.list(roots)[0]) + "/tree"
        #expect(!FileSystem.exists(tree + "/lib/udev/null"))
        #expect(FileSystem.status(tree + "/lib/udev")?.kind == .directory)
    }

    /// A farm that no longer uses a tarball drops its extraction; a build
    /// killed while extracting leaves a staging folder the next one removes.
    @Test(.needs(.bsdtar)) func extractionsNoImageUsesAreRemoved() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try Self.tar(scratch.image, to: scratch.directory + "/image.tar.zst", flags: ["--zstd"])
        var farm = scratch.farm()
        farm.images[0].root = scratch.directory + "/image.tar.zst"
        _ = try scratch.builder().build(farm)
        let roots = scratch.out + "/.pxefarm/roots"
        #expect(try FileSystem.list(roots).count == 1)
        try FileSystem.makeDirectories(roots + "/.deadbeef.partial/tree")
        try scratch.write("image/etc/motd", "hello\n")
        try FileManager.default.removeItem(atPath: scratch.directory + "/image.tar.zst")
        try Self.tar(scratch.image, to: scratch.directory + "/image.tar.zst", flags: ["--zstd"])
        let (plan, _) = try scratch.builder().build(farm)
        #expect(plan.items.filter { $0.change != .keep }.map(\.path) == ["shared/base/etc/motd"])
        #expect(try FileSystem.list(roots).count == 1)
        farm.images[0].root = scratch.image
        let (back, _) = try scratch.builder().build(farm)
        #expect(back.changedCount == 0)
        #expect(try FileSystem.list(roots).isEmpty)
    }

    /// `pxefarm kernel install` finds the modules inside a tarball root.
    @Test(.needsDemoImage, .needs(.bsdtar)) func aKernelInstallFindsModulesInATarballRoot() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let root = try Self.demoRoot(scratch)
        let archive = scratch.directory + "/root.txz"
        try Self.tar(root, to: archive, flags: ["-J"])
        let image = Self.farm(scratch, root: archive).images[0]
        let installer = KernelInstaller(layout: OutputLayout(root: scratch.out))
        let (record, version) = try installer.install(kernel: Self.demo + "/vmlinuz", systemMap: nil, modules: nil, image: image, current: KernelRecord())
        #expect(record.images["base"]?.version == version)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/lib/modules") == [version])
    }
}
