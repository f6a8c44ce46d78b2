import Testing
import Foundation
@testable import FarmBuild

/// The initrd's busybox comes from the build host when it can run the
/// image's programs, else from the image; a dynamic or foreign one is named.
@Suite struct InitrdBusyboxTests {
    static let hostBusybox = "/bin/busybox"
    static var hostIsStatic: Bool { (try? ELFFile.read(hostBusybox))??.isStatic ?? false }

    /// An image whose init is this machine's dynamically linked /bin/ls (a
    /// distribution root) and whose bin/busybox is `busybox` (or absent).
    static func image(_ scratch: Scratch, busybox: String?) throws {
        try FileManager.default.removeItem(atPath: scratch.image + "/sbin/init")
        try FileManager.default.copyItem(atPath: "/bin/ls", toPath: scratch.image + "/sbin/init")
        try FileManager.default.removeItem(atPath: scratch.image + "/bin/busybox")
        if let busybox { try FileManager.default.copyItem(atPath: busybox, toPath: scratch.image + "/bin/busybox") }
    }

    /// The ELF header of a static AArch64 program, nothing after it.
    static func foreignProgram(at path: String) throws {
        var header = [UInt8](repeating: 0, count: 64)
        header[0...6] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1]
        header[18] = 183
        try Data(header).write(to: URL(fileURLWithPath: path))
    }

    @Test(.enabled(if: hostIsStatic, "needs Debian's busybox-static at /bin/busybox"))
    func theHostsStaticBusyboxServesAnImageWithoutOne() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try Self.image(scratch, busybox: nil)
        #expect(try InitrdBusybox(image: "deb12", root: scratch.image).choose() == Self.hostBusybox)
    }

    @Test func aDynamicBusyboxInTheImageIsRefusedWithWhatToInstall() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // Debian's `busybox` package: dynamically linked (stood in for by /bin/ls).
        try Self.image(scratch, busybox: "/bin/ls")
        let loader = try #require(try ImageCheck.interpreter(of: "/bin/ls"))
        let choice = InitrdBusybox(image: "deb12", root: scratch.image, host: [scratch.directory + "/no-busybox"])
        #expect(throws: BuildError.noStaticBusybox(
            image: "deb12",
            reasons: ["the build host has no \(scratch.directory)/no-busybox",
                      "the image's /bin/busybox is dynamically linked (it needs \(loader), which the initrd does not carry)"],
            remedy: "install busybox-static on the build host (apt-get install busybox-static), or put a static busybox for x86-64 at /bin/busybox in the image")) {
            try choice.choose()
        }
        let message = BuildError.noStaticBusybox(image: "deb12", reasons: ["a", "b"], remedy: "install it").description
        #expect(message == "image deb12: no static busybox for its NFS-root initrd (a; b): install it")
    }

    @Test(.enabled(if: hostIsStatic, "needs Debian's busybox-static at /bin/busybox"))
    func aHostBusyboxForAnotherMachineIsNamedAndTheImagesOwnTaken() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let foreign = scratch.directory + "/busybox-arm64"
        try Self.foreignProgram(at: foreign)
        try Self.image(scratch, busybox: nil)
        #expect(throws: BuildError.noStaticBusybox(
            image: "deb12", reasons: ["the build host's \(foreign) is for AArch64 but the image's init is for x86-64"],
            remedy: "install busybox-static on the build host (apt-get install busybox-static), or put a static busybox for x86-64 at /bin/busybox in the image")) {
            try InitrdBusybox(image: "deb12", root: scratch.image, host: [foreign]).choose()
        }
        // A static busybox of the image's own machine inside it is the fallback.
        try FileManager.default.copyItem(atPath: Self.hostBusybox, toPath: scratch.image + "/bin/busybox")
        #expect(try InitrdBusybox(image: "deb12", root: scratch.image, host: [foreign]).choose() == scratch.image + "/bin/busybox")
    }

    @Test func elfHeadersOfBothClassesAndByteOrdersAreRead() throws {
        var big32 = [UInt8](repeating: 0, count: 52)
        big32[0...5] = [0x7F, 0x45, 0x4C, 0x46, 1, 2]
        big32[18...19] = [0, 20]  // PowerPC, big-endian
        let parsed = try #require(ELFFile.parse(big32))
        #expect(parsed == ELFFile(is64Bit: false, isLittleEndian: false, machine: 20, interpreter: nil))
        #expect(parsed.machineName == "PowerPC 32-bit")
        #expect(ELFFile.parse(Array("#!/bin/sh\n".utf8) + [UInt8](repeating: 0, count: 60)) == nil)
        let ls = try #require(try ELFFile.read("/bin/ls"))
        #expect(ls.machine == 62 && ls.is64Bit && ls.isLittleEndian && ls.interpreter?.hasPrefix("/lib") == true)
        #expect(!ls.runsBeside(parsed))
    }
}
