import Testing
import Foundation
import TestSupport
@testable import FarmBuild

/// A build without root completes, and says which device nodes it could not make.
/// Run as root, the build is made as nobody; without root every other build
/// test already takes the unprivileged path.
@Suite(.needsRoot("the build runs as nobody; without root every build test is already unprivileged")) struct UnprivilegedBuildTests {
    @Test func aBuildAsNobodyCompletesAndListsWhatItCouldNotMake() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let output = try Self.buildAsNobody(scratch, root: "image")
        #expect(output.status == 0, "\(output.stderr)")
        let devices = FarmOutputs.deviceTable.filter { if case .node = $0.content { true } else { false } }.count
        #expect(devices > 100)
        #expect(output.stdout.contains("not made without root: \(devices) device nodes (the initrd carries them), e.g. shared/base/dev/"), "\(output.stdout)")
        #expect(FileSystem.status(scratch.out + "/nfsroot/n1/etc/hostname")?.uid == 65534)
        // The image's files are root's: their owner is listed as not kept.
        // Once each: every entry of the shared image, and of n1's etc/ and var/.
        func entries(_ path: String) -> Int { 1 + (FileManager.default.subpaths(atPath: scratch.image + path)?.count ?? 0) }
        let notKept = entries("") + entries("/etc") + entries("/var")
        #expect(output.stdout.contains("not kept without root: owners or extended attributes of \(notKept) files, e.g. "), "\(output.stdout)")
        #expect(output.stdout.contains(": owner 0:0"), "\(output.stdout)")
        #expect(FileSystem.status(scratch.out + "/nfsroot/.shared/base/dev/null") == nil)
    }

    /// A tarball root extracted by an unprivileged build: owners are not
    /// changed, its device node and FIFO are listed as not made.
    @Test func aTarballRootBuildsAsNobody() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let program = """
            import sys, tarfile
            with tarfile.open(sys.argv[1], 'w:gz') as t:
                t.add(sys.argv[2], arcname='.')
                info = tarfile.TarInfo('lib/udev/null'); info.type = tarfile.CHRTYPE; info.devmajor = 1; info.devminor = 3; info.mode = 0o666
                t.addfile(info)
                info = tarfile.TarInfo('var/pipe'); info.type = tarfile.FIFOTYPE; info.mode = 0o600
                t.addfile(info)
            """
        let made = try CommandRunner.run(["/usr/bin/python3", "-c", program, scratch.directory + "/image.tar.gz", scratch.image], executable: "/usr/bin/python3")
        try #require(made.status == 0, "python3: \(made.stderr)")
        let output = try Self.buildAsNobody(scratch, root: "image.tar.gz")
        #expect(output.status == 0, "\(output.stderr)")
        let devices = FarmOutputs.deviceTable.filter { if case .node = $0.content { true } else { false } }.count
        // The node and FIFO in the shared image, and the FIFO again in n1's var/ seed.
        #expect(output.stdout.contains("not made without root: \(devices + 3) device nodes"), "\(output.stdout)")
        #expect(FileSystem.status(scratch.out + "/nfsroot/.shared/base/lib/udev/null") == nil)
        #expect(FileSystem.status(scratch.out + "/nfsroot/.shared/base/lib/udev")?.kind == .directory)
        #expect(try scratch.read("out/nfsroot/.shared/base/etc/passwd") == "root:x:0:0:root:/root:/bin/sh\n")
        #expect(FileSystem.readLink(scratch.out + "/nfsroot/.shared/base/sbin/init") == "/bin/busybox")
        let roots = scratch.out + "/.pxefarm/roots"
        let extracted = try FileSystem.list(roots)
        #expect(extracted.count == 1)
        #expect(FileSystem.status(roots + "/" + extracted[0] + "/tree/etc/passwd")?.uid == 65534)
    }

    /// `pxefarm build` as nobody (setpriv) of a one-node farm whose image root is `root`.
    static func buildAsNobody(_ scratch: Scratch, root: String) throws -> CommandRunner.Output {
        let farm = """
            farm: {name: lab, domain: lab.example, server: 10.0.0.1, subnet: 10.0.0.0/16}
            images:
              base: {root: \(root), kernel: vmlinuz, nbp: {file: pxelinux.0}}
            services:
              - {type: 14, name: boot, image: base, layers: [0, 1]}
            nodes:
              - {name: n1, mac: "52:54:00:00:00:01", ip: 10.0.1.1}

            """
        try farm.write(toFile: scratch.directory + "/farm.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: scratch.out, withIntermediateDirectories: true)
        chown(scratch.out, 65534, 65534)
        chmod(scratch.directory, 0o755)
        return try CommandRunner.run(
            ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", CommandRunner.executable,
             "build", "--quiet", scratch.directory + "/farm.yaml", "--out", scratch.out, "--templates", GoldenFile.repository() + "/templates"],
            executable: "/usr/bin/setpriv")
    }
}
