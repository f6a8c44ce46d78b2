import Testing
import Foundation
import TestSupport
@testable import FarmBuild

/// Builds killed with SIGKILL at many moments: the current generation must
/// stay whole every time, and the next build must converge.
@Suite struct CrashTests {
    func farmFile(_ scratch: Scratch, nodes: Int) -> String {
        """
        farm: {name: lab, domain: lab.example, server: 10.0.0.1, subnet: 10.0.0.0/16, nfs-root: /n}
        images:
          base: {root: image, kernel: vmlinuz, system-map: System.map, nbp: {file: pxelinux.0}}
        services:
          - {type: 14, name: boot, image: base, layers: [0, 1]}
        nodes:
          - {range: "n[1-\(nodes)]", ip: 10.0.1.1, mac: "52:54:00:00:10:00"}

        """
    }

    /// The generation `current` names is complete: every output of its
    /// manifest is there, and the kernel matches its recorded hash.
    func checkCurrentIsWhole(_ scratch: Scratch) throws {
        let store = GenerationStore(layout: OutputLayout(root: scratch.out))
        guard let current = store.current else { return }
        let manifest = try #require(store.manifest(of: current), "generation \(current) has no manifest")
        for path in manifest.outputs.keys {
            #expect(FileSystem.status(scratch.out + "/.pxefarm/generations/\(current)/" + path) != nil, "generation \(current) lacks \(path)")
        }
        let kernel = scratch.out + "/tftpboot/X86PC/UNDI/boot/linux.1"
        #expect(try Digest.ofFile(kernel) + " mode 0644" == manifest.outputs["tftpboot/X86PC/UNDI/boot/linux.1"]?.key)
        for name in try FileSystem.list(scratch.out + "/nfsroot") where name.hasPrefix("n") {
            #expect(FileSystem.exists(scratch.out + "/nfsroot/\(name)/etc/passwd"), "node tree \(name) is not whole")
        }
    }

    @Test func killedBuildsLeaveTheCurrentGenerationWholeAndTheNextBuildConverges() throws {
        let scratch = try Scratch(imageFiles: 1500)
        defer { scratch.remove() }
        let farm = scratch.directory + "/farm.yaml"
        try farmFile(scratch, nodes: 50).write(toFile: farm, atomically: true, encoding: .utf8)
        let first = try CommandRunner.run(["build", "--quiet", farm, "--out", scratch.out])
        #expect(first.status == 0, "\(first.stderr)")
        var generator = SystemRandomNumberGenerator()
        for round in 1...12 {
            try scratch.write("vmlinuz", "kernel \(round) " + String(repeating: "k", count: 1 << 20))
            try farmFile(scratch, nodes: 50 + 15 * round).write(toFile: farm, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandRunner.executable)
            process.arguments = ["build", "--quiet", farm, "--out", scratch.out]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 2_000...120_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try checkCurrentIsWhole(scratch)
        }
        let converged = try CommandRunner.run(["build", "--quiet", farm, "--out", scratch.out])
        #expect(converged.status == 0, "\(converged.stderr)")
        try checkCurrentIsWhole(scratch)
        #expect(try scratch.read("out/tftpboot/X86PC/UNDI/boot/linux.1").hasPrefix("kernel 12 "))
        let again = try CommandRunner.run(["build", "--quiet", farm, "--out", scratch.out])
        #expect(again.stdout.hasSuffix("; 0 changed\n"), "\(again.stdout)")
        let leftovers = try FileSystem.list(scratch.out + "/.pxefarm/generations").filter { $0.hasSuffix(".partial") }
        #expect(leftovers == [])
        #expect(try FileSystem.list(scratch.out + "/nfsroot").filter { $0.hasSuffix(".partial") } == [])
    }
}
