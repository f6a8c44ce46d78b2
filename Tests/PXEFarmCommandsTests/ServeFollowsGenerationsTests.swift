import Foundation
import Testing
import TestSupport

/// `pxefarm serve` keeps serving what the output folder holds now: every
/// build, `kernel install` and `rollback` while it runs is seen by the next
/// request, a transfer under way when a build publishes (and prunes the
/// generation it came from) finishes on the bytes it started with, and the
/// next fetch gets the new ones. Real processes: the pxefarm binary for
/// build and serve, curl as the TFTP client, and a lockstep client of the
/// test's own where the test must hold a transfer open.
@Suite(.serialized, .needsDemoImage, .needs(.curl))
struct ServeFollowsGenerationsTests {
    static let image = DemoImage.path

    static let configName = "X86PC/UNDI/linux-boot/pxelinux.cfg/01-52-54-00-00-00-01"

    /// A one-node farm on the demo image, in a folder of its own, whose
    /// initrd carries `big.bin` uncompressed (a large linux.2 on demand).
    struct Lab {
        let path: String
        var out: String { path + "/out" }

        init(bigFile megabytes: Int = 0) throws {
            path = NSTemporaryDirectory() + "pxefarm-follow-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try writeBig(megabytes: megabytes)
            try writeFarm(kernelArgs: "gen=0")
        }

        func remove() { try? FileManager.default.removeItem(atPath: path) }

        func writeFarm(kernelArgs: String) throws {
            try """
            farm: {name: lab, domain: lab.test, server: 10.0.0.1, subnet: 10.0.0.0/24, nfs-root: /nfs}
            images:
              base: {root: \(image)/root, kernel: \(image)/vmlinuz, nbp: pxelinux,
                     initrd: {compression: none, files: {/big.bin: big.bin}}}
            services:
              - {type: 0,  name: local,      menu: "Local Boot"}
              - {type: 14, name: linux-boot, menu: "Remote Boot Linux", image: base, root: nfs}
            nodes:
              - {name: n1, mac: "52:54:00:00:00:01", ip: 10.0.0.21, service: linux-boot, kernel-args: "\(kernelArgs)"}

            """.write(toFile: path + "/farm.yaml", atomically: true, encoding: .utf8)
        }

        /// Random bytes, so the initrd cannot be told apart from another by its size alone.
        func writeBig(megabytes: Int) throws {
            let random = try #require(FileHandle(forReadingAtPath: "/dev/urandom"))
            defer { try? random.close() }
            try random.readData(ofLength: max(1, megabytes << 20)).write(to: URL(fileURLWithPath: path + "/big.bin"))
        }

        @discardableResult
        func pxefarm(_ arguments: [String]) throws -> String {
            let output = try CommandRunner.run(arguments, in: path)
            guard output.status == 0 else { throw Failure("pxefarm \(arguments.joined(separator: " ")) exited \(output.status): \(output.stderr)") }
            return output.stdout
        }

        func build() throws { try pxefarm(["build", "--quiet", "farm.yaml", "--out", "out", "--keep", "1"]) }

        func onDisk(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: out + "/tftpboot/" + name)) }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// `pxefarm serve --no-dhcp` on 127.0.0.1 with free ports; stopped by PID.
    final class Server {
        let process = Process()
        let errors = Pipe()
        let port: String

        init(_ lab: Lab) throws {
            process.executableURL = URL(fileURLWithPath: CommandRunner.executable)
            process.arguments = ["serve", "farm.yaml", "--out", "out", "--address", "127.0.0.1", "--tftp-port", "0", "--mtftp-port", "0",
                                 "--no-dhcp", "--no-http"]
            process.currentDirectoryURL = URL(fileURLWithPath: lab.path)
            process.standardError = errors
            try process.run()
            var log = ""
            while !log.contains("mtftp serving") {
                let chunk = errors.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                log += String(decoding: chunk, as: UTF8.self)
            }
            guard let line = log.split(separator: "\n").first(where: { $0.contains(" tftp serving") }),
                  let port = line.firstMatch(of: /port=(\d+)/).map({ String($0.1) })
            else {
                process.terminate()
                throw Failure("serve did not say where it listens: \(log)")
            }
            self.port = port
        }

        /// SIGTERM, then the rest of the log; the exit status must be 0.
        func stop() -> (status: Int32, log: String) {
            process.terminate()
            let rest = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: rest, as: UTF8.self))
        }

        deinit { if process.isRunning { process.terminate() } }

        /// `name` fetched by curl over TFTP.
        func fetch(_ name: String, into folder: String) throws -> Data {
            let target = folder + "/fetched-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: target) }
            let output = try CommandRunner.run(["/usr/bin/curl", "-sS", "-o", target, "--tftp-blksize", "1468", "tftp://127.0.0.1:\(port)/\(name)"],
                                               executable: "/usr/bin/curl")
            guard output.status == 0 else { throw Failure("curl tftp \(name) exited \(output.status): \(output.stderr)") }
            return try Data(contentsOf: URL(fileURLWithPath: target))
        }
    }

    @Test func everyRebuildIsServedAtTheNextRequest() throws {
        let lab = try Lab()
        defer { lab.remove() }
        try lab.build()
        let server = try Server(lab)
        #expect(String(decoding: try server.fetch(Self.configName, into: lab.path), as: UTF8.self).contains("gen=0"))
        for generation in 1...4 {
            try lab.writeFarm(kernelArgs: "gen=\(generation)")
            try lab.build()
            // No waiting: the next request already resolves through the new `current`.
            let config = String(decoding: try server.fetch(Self.configName, into: lab.path), as: UTF8.self)
            #expect(config.contains("gen=\(generation)"), "after build \(generation): \(config)")
            #expect(try server.fetch("X86PC/UNDI/linux-boot/linux.1", into: lab.path) == lab.onDisk("X86PC/UNDI/linux-boot/linux.1"),
                    "after build \(generation), with the generation before pruned")
        }
        let (status, log) = server.stop()
        #expect(status == 0)
        #expect(log.contains("serving a new tree"))
        #expect(!log.contains("tftp request refused"), "\(log)")
    }

    /// A 64 MiB linux.2 held open by a lockstep client while a build with a
    /// new initrd publishes and prunes its generation: the transfer ends with
    /// the bytes it started with, and the next fetch gets the new initrd.
    @Test func aTransferUnderWayFinishesOnTheFileItOpened() throws {
        let lab = try Lab(bigFile: 64)
        defer { lab.remove() }
        try lab.build()
        let initrd = "X86PC/UNDI/linux-boot/linux.2"
        let old = try lab.onDisk(initrd)
        #expect(old.count > 64 << 20)
        let server = try Server(lab)
        let client = try LockstepTFTPClient(port: UInt16(server.port)!, file: initrd, blockSize: 1468, timeout: 30)
        defer { client.close() }
        try client.receive(blocks: 200)

        try lab.writeBig(megabytes: 64)
        try lab.build()
        let new = try lab.onDisk(initrd)
        #expect(new != old)
        #expect(!FileManager.default.fileExists(atPath: lab.out + "/.pxefarm/generations/1"), "--keep 1 prunes the generation being read")

        let received = try client.receiveToEnd()
        #expect(received.count == old.count)
        #expect(received == old)
        #expect(try server.fetch(initrd, into: lab.path) == new)
        #expect(server.stop().status == 0)
    }

    /// `kernel install`, then `rollback`, while serve runs: each is the kernel of the next fetch.
    @Test func kernelInstallAndRollbackReachTheNextFetch() throws {
        let lab = try Lab()
        defer { lab.remove() }
        try lab.build()
        let kernel = "X86PC/UNDI/linux-boot/linux.1"
        let built = try lab.onDisk(kernel)
        let server = try Server(lab)
        #expect(try server.fetch(kernel, into: lab.path) == built)

        let version = "6.1.0-99-follow"
        try Data(FakeKernel.bzImage(version, filler: 7)).write(to: URL(fileURLWithPath: lab.path + "/vmlinuz-new"))
        let modules = lab.path + "/modules/lib/modules/" + version
        try FileManager.default.createDirectory(atPath: modules, withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: modules + "/modules.dep"))
        try lab.pxefarm(["kernel", "install", "vmlinuz-new", "--farm", "farm.yaml", "--out", "out", "--modules", modules])
        #expect(try server.fetch(kernel, into: lab.path) == Data(FakeKernel.bzImage(version, filler: 7)))

        try lab.pxefarm(["rollback", "--out", "out"])
        #expect(try server.fetch(kernel, into: lab.path) == built)
        #expect(server.stop().status == 0)
    }
}
