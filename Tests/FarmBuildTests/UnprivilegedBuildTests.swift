import Testing
import Foundation
import TestSupport
@testable import FarmBuild

/// A build without root completes, and says which device nodes it could not make.
@Suite struct UnprivilegedBuildTests {
    @Test func aBuildAsNobodyCompletesAndListsWhatItCouldNotMake() throws {
        guard geteuid() == 0 else {
            // Already unprivileged: the same path runs in every other build test.
            print("skipped: the tests run without root, so every build here is already unprivileged")
            return
        }
        let scratch = try Scratch()
        defer { scratch.remove() }
        let farm = """
            farm: {name: lab, domain: lab.example, server: 10.0.0.1, subnet: 10.0.0.0/16}
            images:
              base: {root: image, kernel: vmlinuz, nbp: {file: pxelinux.0}}
            services:
              - {type: 14, name: boot, image: base, layers: [0, 1]}
            nodes:
              - {name: n1, mac: "52:54:00:00:00:01", ip: 10.0.1.1}

            """
        try farm.write(toFile: scratch.directory + "/farm.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: scratch.out, withIntermediateDirectories: true)
        chown(scratch.out, 65534, 65534)
        chmod(scratch.directory, 0o755)
        let output = try CommandRunner.run(
            ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", CommandRunner.executable,
             "build", "--quiet", scratch.directory + "/farm.yaml", "--out", scratch.out, "--templates", GoldenFile.repository() + "/templates"],
            executable: "/usr/bin/setpriv")
        #expect(output.status == 0, "\(output.stderr)")
        let devices = FarmOutputs.deviceTable.filter { if case .node = $0.content { true } else { false } }.count
        #expect(devices > 100)
        #expect(output.stdout.contains("not made without root: \(devices) device nodes (the initrd carries them), e.g. shared/base/dev/"), "\(output.stdout)")
        #expect(FileSystem.status(scratch.out + "/nfsroot/n1/etc/hostname")?.uid == 65534)
        #expect(FileSystem.status(scratch.out + "/nfsroot/.shared/base/dev/null") == nil)
    }
}
