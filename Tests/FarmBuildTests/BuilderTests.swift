import Testing
import Foundation
import FarmModel
@testable import FarmBuild

@Suite struct BuilderTests {
    @Test func buildsTheTreeAndANoOpRebuildWritesNothing() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let farm = scratch.farm()
        let (_, first) = try scratch.builder().build(farm)
        #expect(first.generation == 1)
        #expect(first.nodesCreated == 3)
        #expect(try scratch.read("out/tftpboot/X86PC/UNDI/boot/linux.0") == "pxelinux")
        #expect(try scratch.read("out/tftpboot/X86PC/UNDI/boot/ldlinux.c32") == "ldlinux")
        #expect(try scratch.read("out/tftpboot/X86PC/UNDI/boot/linux.1") == "kernel one")
        #expect(!FileManager.default.fileExists(atPath: scratch.out + "/tftpboot/X86PC/UNDI/boot/linux.2"))
        #expect(try scratch.read("out/nfsroot/.shared/base/bin/busybox") == "busybox binary")
        #expect(try scratch.read("out/nfsroot/.shared/base/System.map") == "ffffffff81000000 T _text\n")
        #expect(FileSystem.readLink(scratch.out + "/nfsroot/.shared/base/bin/sh") == "busybox")
        #expect(try scratch.read("out/nfsroot/n2/etc/passwd") == "root:x:0:0:root:/root:/bin/sh\n")
        #expect(FileManager.default.fileExists(atPath: scratch.out + "/nfsroot/n2/var/log"))
        if FileSystem.isRoot {
            let null = FileSystem.status(scratch.out + "/nfsroot/.shared/base/dev/null")
            #expect(null?.rawType == .characterDevice)
            #expect(null?.rdev == FarmOutputs.deviceNumber(1, 3))
        }
        let manifest = try Manifest.decode(Array(try scratch.read("out/manifest.json").utf8))
        #expect(manifest.generation == 1)
        #expect(manifest.outputs["tftpboot/X86PC/UNDI/boot/linux.1"]?.key == Digest.of(text: "kernel one") + " mode 0644")

        let (plan, again) = try scratch.builder().build(farm)
        #expect(plan.changedCount == 0)
        #expect(again.filesWritten == 0)
        #expect(again.generation == 1)
        #expect(GenerationStore(layout: OutputLayout(root: scratch.out)).all() == [1])
    }

    @Test func aNewKernelTouchesOnlyLinux1AndRollbackReturns() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let farm = scratch.farm()
        _ = try scratch.builder().build(farm)
        let busybox = scratch.inode("out/nfsroot/.shared/base/bin/busybox")
        try scratch.write("vmlinuz", "kernel two")
        let (plan, summary) = try scratch.builder().build(farm)
        #expect(plan.items.filter { $0.change != .keep }.map(\.path) == ["tftpboot/X86PC/UNDI/boot/linux.1"])
        #expect(summary.generation == 2)
        #expect(summary.filesWritten == 1)
        #expect(try scratch.read("out/tftpboot/X86PC/UNDI/boot/linux.1") == "kernel two")
        // Unchanged files of the new generation are the old ones, hard-linked.
        #expect(scratch.inode("out/nfsroot/.shared/base/bin/busybox") == busybox)

        let (from, to) = try GenerationStore(layout: OutputLayout(root: scratch.out)).rollback()
        #expect((from, to) == (2, 1))
        #expect(try scratch.read("out/tftpboot/X86PC/UNDI/boot/linux.1") == "kernel one")
        // Building again after a rollback makes a new generation from the current one.
        let (_, rebuilt) = try scratch.builder().build(farm)
        #expect(rebuilt.generation == 3)
        #expect(try scratch.read("out/tftpboot/X86PC/UNDI/boot/linux.1") == "kernel two")
    }

    @Test func oneNodesKernelArgumentsRewriteOnlyThatNodesBootFile() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var farm = scratch.farm()
        _ = try scratch.builder().build(farm)
        #expect(try scratch.read("out/nfsroot/n1/etc/hostname") == "n1\n")
        farm.nodes[1].kernelArguments = "single"
        let (plan, _) = try scratch.builder().build(farm)
        #expect(plan.items.filter { $0.change != .keep }.map(\.path) == [
            "tftpboot/X86PC/UNDI/boot/pxelinux.cfg/01-52-54-00-00-00-01", "tftpboot/grub/grub.cfg-01-52-54-00-00-00-01",
        ])
        #expect(try scratch.read("out/tftpboot/X86PC/UNDI/boot/pxelinux.cfg/01-52-54-00-00-00-01").contains(" single"))
        #expect(try scratch.read("out/tftpboot/grub/grub.cfg-01-52-54-00-00-00-01").contains(" single\n"))
    }

    @Test func aChangedTemplateRewritesOnlyItsOutputsAndManagedNodeFilesFollow() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let farm = scratch.farm()
        _ = try scratch.builder().build(farm)
        var templates = Scratch.templates
        templates.texts["etc/exports.mustache", default: ""] += "# site note\n"
        templates.texts["nfsroot/node/etc/hostname.mustache"] = "{{fqdn}}\n"
        var builder = Builder(outputDirectory: scratch.out, templates: templates)
        builder.programs = scratch.programs
        let (plan, summary) = try builder.build(farm)
        #expect(plan.items.filter { $0.change != .keep }.map(\.path) == [
            "etc/exports", "nfsroot/n0/etc/hostname", "nfsroot/n1/etc/hostname", "nfsroot/n2/etc/hostname",
        ])
        #expect(summary.filesWritten == 4)
        #expect(try scratch.read("out/etc/exports").hasSuffix("# site note\n"))
        #expect(try scratch.read("out/nfsroot/n2/etc/hostname") == "n2.lab.example\n")
    }

    @Test func managedFilesReplaceTheImagesCopyAndNodeFilesArePlaced() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("image/etc/hostname", "image-host\n")
        try scratch.write("inittab.e2e", "::sysinit:/bin/echo marker\n")
        var farm = scratch.farm(nodes: 2)
        farm.nodes[1].files = [ExtraFile(target: "/etc/inittab", source: scratch.directory + "/inittab.e2e")]
        _ = try scratch.builder().build(farm)
        #expect(try scratch.read("out/nfsroot/n0/etc/hostname") == "n0\n")
        #expect(try scratch.read("out/nfsroot/n0/etc/inittab") == "::respawn:-/bin/sh\n")
        #expect(try scratch.read("out/nfsroot/n1/etc/inittab") == "::sysinit:/bin/echo marker\n")
        try scratch.write("inittab.e2e", "::sysinit:/bin/echo changed\n")
        let (plan, _) = try scratch.builder().build(farm)
        #expect(plan.items.filter { $0.change != .keep }.map(\.path) == ["nfsroot/n1/etc/inittab"])
        #expect(try scratch.read("out/nfsroot/n1/etc/inittab") == "::sysinit:/bin/echo changed\n")
    }

    @Test func oldGenerationsArePruned() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var builder = scratch.builder()
        builder.keepGenerations = 2
        for round in 1...4 {
            try scratch.write("vmlinuz", "kernel \(round)")
            _ = try builder.build(scratch.farm())
        }
        #expect(GenerationStore(layout: OutputLayout(root: scratch.out)).all() == [3, 4])
    }

    @Test func removedNodesKeepTheirTreesAndNewNodesAppear() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        _ = try scratch.builder().build(scratch.farm(nodes: 2))
        try "edited by the node\n".write(toFile: scratch.out + "/nfsroot/n0/etc/passwd", atomically: false, encoding: .utf8)
        let (plan, summary) = try scratch.builder().build(scratch.farm(nodes: 3))
        #expect(summary.nodesCreated == 1)
        let changed = plan.items.filter { $0.change != .keep && !$0.path.hasPrefix("nfsroot/") }.map { "\($0.change) \($0.path)" }
        #expect(changed == [
            "update etc/dhcpd.conf", "update etc/dnsmasq.conf", "update etc/exports", "update etc/kea-dhcp4.conf",
            "create tftpboot/X86PC/UNDI/boot/pxelinux.cfg/01-52-54-00-00-00-02", "create tftpboot/grub/grub.cfg-01-52-54-00-00-00-02",
        ])
        // A node's tree is its own once made: the build does not overwrite it.
        #expect(try scratch.read("out/nfsroot/n0/etc/passwd") == "edited by the node\n")
        _ = try scratch.builder().build(scratch.farm(nodes: 1))
        #expect(FileManager.default.fileExists(atPath: scratch.out + "/nfsroot/n2/etc/passwd"))
    }

    /// No node may change what another node or the shared image holds: the
    /// private trees share no inode with each other or with the image.
    @Test func nodeTreesShareNoFileWithEachOtherOrTheImage() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        _ = try scratch.builder().build(scratch.farm(nodes: 3))
        var owners: [UInt64: String] = [:]
        let shared = try FileSystem.realPath(scratch.out + "/nfsroot/.shared").map { $0 } ?? ""
        for root in [shared, scratch.out + "/nfsroot/n0", scratch.out + "/nfsroot/n1", scratch.out + "/nfsroot/n2", scratch.image] {
            let files = FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []
            for file in files {
                guard let status = FileSystem.status(root + "/" + file), status.kind == .file else { continue }
                let key = status.inode
                if let owner = owners[key], !owner.hasPrefix(shared), !(root.hasPrefix(shared) && owner.hasPrefix(shared)) {
                    Issue.record("\(root)/\(file) shares inode with \(owner)")
                }
                owners[key] = root + "/" + file
            }
        }
        #expect(owners.count > 10)
    }

    @Test func refusesDangerousOutputFolders() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let farm = scratch.farm()
        #expect(throws: BuildError.refusedOutput(path: "/", reason: "it is the root of the file system")) { try Builder(outputDirectory: "/", templates: Scratch.templates).plan(farm) }
        #expect(throws: BuildError.refusedOutput(path: scratch.image + "/out", reason: "it is inside image base's root \(scratch.image)")) {
            try Builder(outputDirectory: scratch.image + "/out", templates: Scratch.templates).plan(farm)
        }
        #expect(throws: BuildError.refusedOutput(path: scratch.directory, reason: "image base's root \(scratch.image) lies inside it")) {
            try Builder(outputDirectory: scratch.directory, templates: Scratch.templates).plan(farm)
        }
        try FileManager.default.createDirectory(atPath: scratch.directory + "/other", withIntermediateDirectories: true)
        try scratch.write("other/notes.txt", "mine")
        #expect(throws: BuildError.refusedOutput(path: scratch.directory + "/other", reason: "it is not empty and was not made by pxefarm (no .pxefarm inside)")) {
            try Builder(outputDirectory: scratch.directory + "/other", templates: Scratch.templates).plan(farm)
        }
    }
}
