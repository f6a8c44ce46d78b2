import Foundation
import Testing
import TestSupport
@testable import Initrd

@Suite struct NFSRootInitrdTests {
    @Test(.needs(.busybox)) func initScriptsPassBusyboxSyntaxCheck() throws {
        let busybox = try #require(Peer.busybox.path)
        for script in ["initrd/init", "initrd/udhcpc.script"] {
            let run = try ProgramRun.capture(busybox, ["sh", "-n", repositoryTemplates + "/" + script])
            #expect(run.status == 0, "\(script): \(run.error)")
        }
    }

    @Test func configurationListsModulesInLoadOrder() throws {
        let text = NFSRootInitrd.configuration(kernelVersion: "6.1.0-99-amd64",
                                               loadOrder: ["kernel/net/sunrpc/sunrpc.ko", "kernel/fs/nfs/nfs.ko"])
        try GoldenFile.check(text, against: "pxefarm-initrd.conf")
    }

    @Test(.needs(.busybox, .cpio, .gzip)) func defaultInitrdHoldsInitBusyboxAppletsConsoleAndModules() throws {
        let busybox = try #require(Peer.busybox.path)
        let temporary = try ScratchDirectory("nfsroot")
        defer { temporary.remove() }
        let base = "lib/modules/6.1.0-99-amd64"
        try temporary.write("\(base)/kernel/net/sunrpc/sunrpc.ko", "fake sunrpc\n")
        try temporary.write("\(base)/kernel/fs/nfs/nfs.ko", "fake nfs\n")
        try temporary.write("\(base)/modules.dep", "kernel/fs/nfs/nfs.ko: kernel/net/sunrpc/sunrpc.ko\nkernel/net/sunrpc/sunrpc.ko:\n")
        let initrd = NFSRootInitrd(busybox: busybox,
                                   modules: KernelModules(directory: temporary.path + "/" + base, names: ["nfs"]),
                                   templates: InitrdTemplates(path: repositoryTemplates))
        let output = temporary.path + "/initrd.img"
        try InitrdPacker.pack(InitrdSpec(sources: try initrd.sources()), to: output, compression: CompressionSetting(.gzip))
        let entries = Dictionary(uniqueKeysWithValues: try InitrdListing.read(output).map { ($0.path, $0) })
        let initEntry = try #require(entries["init"])
        #expect(initEntry.type == "-" && initEntry.permissions == 0o755)
        var info = stat()
        stat(busybox, &info)
        #expect(entries["bin/busybox"]?.size == Int64(info.st_size))
        #expect(entries["bin/busybox"]?.permissions == 0o755)
        for applet in ["bin/sh", "bin/mount", "sbin/switch_root", "sbin/udhcpc", "sbin/insmod"] {
            #expect(entries[applet]?.symlinkTarget == "/bin/busybox", "\(applet)")
        }
        #expect(entries["dev/console"]?.type == "c")
        #expect(entries["dev/console"].map { ($0.deviceMajor, $0.deviceMinor) } ?? (0, 0) == (5, 1))
        #expect(entries["etc/udhcpc/default.script"]?.permissions == 0o755)
        #expect(entries["\(base)/kernel/fs/nfs/nfs.ko"] != nil)
        #expect(entries["\(base)/modules.dep"] != nil)
        #expect(entries["newroot"]?.type == "d")

        // The packed /init is the template, byte for byte, and still passes the syntax check.
        let cpio = try #require(Peer.cpio.path), gzip = try #require(Peer.gzip.path)
        try temporary.mkdir("x")
        let stream = try ProgramRun.capture(gzip, ["-dc", output]).output
        _ = try ProgramRun.capture(cpio, ["-idm", "--quiet", "init", "etc/pxefarm-initrd.conf"], input: stream, directory: temporary.path + "/x")
        #expect(FileManager.default.contents(atPath: temporary.path + "/x/init")
                == FileManager.default.contents(atPath: repositoryTemplates + "/initrd/init"))
        #expect(try ProgramRun.capture(busybox, ["sh", "-n", temporary.path + "/x/init"]).status == 0)
        let conf = try String(contentsOfFile: temporary.path + "/x/etc/pxefarm-initrd.conf", encoding: .utf8)
        #expect(conf.contains("MODULES='kernel/net/sunrpc/sunrpc.ko kernel/fs/nfs/nfs.ko'"))
    }

    @Test func notBusyboxIsRefused() throws {
        let templates = InitrdTemplates(path: repositoryTemplates)
        let initrd = NFSRootInitrd(busybox: "/bin/true", templates: templates)
        #expect(throws: InitrdError.self) { try initrd.sources() }
        let missing = NFSRootInitrd(busybox: "/nonexistent/busybox", templates: templates)
        #expect(throws: InitrdError.io(path: "/nonexistent/busybox", doing: "stat", errno: ENOENT)) { try missing.sources() }
    }

    @Test func aMissingTemplateIsNamed() throws {
        #expect(throws: InitrdError.templateMissing(name: "initrd/nonexistent", searched: ["/nonexistent", "the built-in templates"])) {
            try InitrdTemplates(path: "/nonexistent").file("initrd/nonexistent")
        }
    }

    @Test func theSiteFolderReplacesTheBuiltInInitFileByFile() throws {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("initrd-site-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: site) }
        try FileManager.default.createDirectory(atPath: site + "/initrd", withIntermediateDirectories: true)
        try Data("#!/bin/sh\necho site\n".utf8).write(to: URL(fileURLWithPath: site + "/initrd/init"))
        let templates = InitrdTemplates(site: site)
        #expect(try templates.file("initrd/init") == Array("#!/bin/sh\necho site\n".utf8))
        #expect(try templates.file("initrd/udhcpc.script") == Array(FileManager.default.contents(atPath: repositoryTemplates + "/initrd/udhcpc.script")!))
        #expect(try InitrdTemplates(site: nil).file("initrd/init") == Array(FileManager.default.contents(atPath: repositoryTemplates + "/initrd/init")!))
    }
}
