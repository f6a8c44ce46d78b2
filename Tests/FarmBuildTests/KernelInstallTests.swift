import Testing
import Foundation
import FarmModel
import TestSupport
@testable import FarmBuild

/// A kernel rebuild: exactly linux.1, the initrd, System.map (and the record) change.
@Suite struct KernelInstallTests {
    func modulesTree(_ scratch: Scratch, at root: String, version: String) throws {
        let directory = root + "/lib/modules/" + version
        try FileManager.default.createDirectory(atPath: directory + "/kernel/drivers/net", withIntermediateDirectories: true)
        try Data("e1000 for \(version)".utf8).write(to: URL(fileURLWithPath: directory + "/kernel/drivers/net/e1000.ko"))
        try Data("kernel/drivers/net/e1000.ko:\n".utf8).write(to: URL(fileURLWithPath: directory + "/modules.dep"))
    }

    func setUp() throws -> (Scratch, Farm) {
        let scratch = try Scratch()
        try FileManager.default.removeItem(atPath: scratch.image + "/bin/busybox")
        try FileManager.default.copyItem(atPath: "/bin/busybox", toPath: scratch.image + "/bin/busybox")
        try Data(FakeKernel.bzImage("6.1.0-1-test", filler: 1)).write(to: URL(fileURLWithPath: scratch.directory + "/vmlinuz"))
        try modulesTree(scratch, at: scratch.image, version: "6.1.0-1-test")
        var farm = scratch.farm(nodes: 2)
        farm.services[1].layers = 0...2
        farm.images[0].initrd.modules = ["e1000"]
        return (scratch, farm)
    }

    @Test func aNewKernelChangesExactlyItsFilesAndRollbackReturns() throws {
        let (scratch, farm) = try setUp()
        defer { scratch.remove() }
        _ = try scratch.builder().build(farm)
        let firstInitrd = try Data(contentsOf: URL(fileURLWithPath: scratch.out + "/tftpboot/X86PC/UNDI/boot/linux.2"))

        try Data(FakeKernel.bzImage("6.1.0-2-test", filler: 2)).write(to: URL(fileURLWithPath: scratch.directory + "/bzImage.new"))
        try scratch.write("System.map.new", "ffffffff81000000 T _text (new)\n")
        try modulesTree(scratch, at: scratch.directory + "/build", version: "6.1.0-2-test")
        var builder = scratch.builder()
        let installed = try KernelInstaller(layout: builder.layout).install(
            kernel: scratch.directory + "/bzImage.new", systemMap: scratch.directory + "/System.map.new",
            modules: scratch.directory + "/build", image: farm.images[0], current: builder.currentKernels)
        #expect(installed.version == "6.1.0-2-test")
        builder.kernels = installed.record
        let (plan, summary) = try builder.build(farm)
        #expect(plan.items.filter { $0.change != .keep }.map { "\($0.change) \($0.path)" } == [
            "create kernels.json", "update shared/base/System.map",
            "update tftpboot/X86PC/UNDI/boot/linux.1", "update tftpboot/X86PC/UNDI/boot/linux.2",
        ])
        #expect(summary.generation == 2)
        #expect(try scratch.read("out/nfsroot/.shared/base/System.map") == "ffffffff81000000 T _text (new)\n")
        let newInitrd = try Data(contentsOf: URL(fileURLWithPath: scratch.out + "/tftpboot/X86PC/UNDI/boot/linux.2"))
        #expect(newInitrd != firstInitrd)

        // The next plain build keeps the installed kernel.
        let (again, _) = try scratch.builder().build(farm)
        #expect(again.changedCount == 0)

        _ = try GenerationStore(layout: builder.layout).rollback()
        #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.out + "/tftpboot/X86PC/UNDI/boot/linux.2")) == firstInitrd)
        #expect(scratch.builder().currentKernels == KernelRecord())
    }

    @Test func aKernelWithoutTheModulesTheInitrdNeedsIsRefused() throws {
        let (scratch, farm) = try setUp()
        defer { scratch.remove() }
        try Data(FakeKernel.bzImage("6.9.9-new", filler: 3)).write(to: URL(fileURLWithPath: scratch.directory + "/bzImage.new"))
        let installer = KernelInstaller(layout: OutputLayout(root: scratch.out))
        #expect(throws: BuildError.kernelModulesMissing(version: "6.9.9-new", image: "base", modules: ["e1000"], looked: [scratch.image + "/lib/modules/6.9.9-new"])) {
            try installer.install(kernel: scratch.directory + "/bzImage.new", systemMap: nil, modules: nil, image: farm.images[0], current: KernelRecord())
        }
        #expect(throws: BuildError.notAKernel(path: scratch.directory + "/System.map", reason: "it has no Linux boot header (HdrS at 0x202); give a bzImage such as arch/x86/boot/bzImage or /boot/vmlinuz-VERSION")) {
            try installer.install(kernel: scratch.directory + "/System.map", systemMap: nil, modules: nil, image: farm.images[0], current: KernelRecord())
        }
    }

    @Test func readsTheVersionOfARealKernel() throws {
        let kernel = Scratch.repository + "/images/busybox/vmlinuz"
        guard FileManager.default.fileExists(atPath: kernel) else {
            Issue.record("the demo image is not built: run make image (make test does)")
            return
        }
        let modules = try FileManager.default.contentsOfDirectory(atPath: Scratch.repository + "/images/busybox/root/lib/modules")
        #expect(try KernelImage(path: kernel).version == modules.first)
    }
}
