import Foundation
import Testing
import FarmModel
import NetbootWire
import TestSupport
@testable import FarmBuild

/// `pxefarm publish`: which server gets what (pure), and real rsync runs
/// to local folders, one of them unwritable.
@Suite struct PublishTests {
    static func farm() -> Farm {
        let subnet = IPv4Subnet("10.30.0.0/24")!
        var farm = Farm(
            settings: FarmSettings(name: "pub", domain: "pub.example", server: IPv4Address(10, 30, 0, 2), subnet: subnet, nfsRoot: "/nfsroot"),
            images: [Image(name: "base", root: "/img", kernel: "/vmlinuz")],
            services: [Service(type: 14, name: "linux-boot", menu: "Boot", image: "base", root: .nfs)],
            nodes: (1...12).map { index in
                Node(name: "n\(index)", mac: MACAddress("52:54:00:30:00:\(String(format: "%02x", index))")!, ip: IPv4Address(10, 30, 0, UInt8(100 + index)),
                     service: "linux-boot", origin: .single(FieldPath("nodes")[index - 1]))
            })
        farm.servers = [
            Server(name: "boot1", address: IPv4Address(10, 30, 0, 2), roles: [.dhcp, .tftp]),
            Server(name: "nfs1", address: IPv4Address(10, 30, 0, 5), roles: [.nfs]),
            Server(name: "nfs2", address: IPv4Address(10, 30, 0, 6), roles: [.nfs]),
        ]
        return farm
    }

    static let targets: [String: PublishTarget] = ["boot1": .local("/t/boot1"), "nfs1": .ssh(host: "nfs1.example", path: "/srv/px"), "nfs2": .local("/t/nfs2")]

    @Test func targetsParseAsLocalOrSSH() {
        #expect(PublishTarget("/srv/pxefarm") == .local("/srv/pxefarm"))
        #expect(PublishTarget("relative/dir") == .local("relative/dir"))
        #expect(PublishTarget("nfs1:/srv/pxefarm") == .ssh(host: "nfs1", path: "/srv/pxefarm"))
        #expect(PublishTarget("root@10.0.0.5:/srv") == .ssh(host: "root@10.0.0.5", path: "/srv"))
        #expect(PublishTarget("./a:b") == .local("./a:b"))
    }

    @Test func eachServerGetsOnlyItsPart() throws {
        let farm = Self.farm()
        let plan = PublishPlan.make(farm: farm, layout: OutputLayout(root: "/out"), generation: 7, targets: Self.targets)
        #expect(plan.map(\.server.name) == ["boot1", "nfs1", "nfs2"])
        let boot = plan[0]
        #expect(boot.copies.map(\.destination) == [
            ".pxefarm/generations/7.partial/etc/", ".pxefarm/generations/7.partial/etc/",
            ".pxefarm/generations/7.partial/tftpboot/", ".pxefarm/generations/7.partial/ks/", ".pxefarm/generations/7.partial/manifest.json",
        ])
        #expect(boot.copies[0].excludes == ["dhcpd.conf", "kea-dhcp4.conf", "dnsmasq.conf", "exports", "servers/"])
        #expect(boot.copies[1].source == "/out/.pxefarm/generations/7/etc/servers/boot1/")
        #expect(boot.nodes.isEmpty)
        for nfs in plan[1...] {
            #expect(nfs.copies.filter { $0.source.hasSuffix("/shared/") }.count == 1)
            #expect(!nfs.copies.contains { $0.source.contains("tftpboot") })
            #expect(nfs.nodes == farm.nodes.filter { farm.homeNFSServer(of: $0) == nfs.server }.map(\.name))
            // One rsync for all of its node trees, whatever their number.
            let trees = nfs.copies.filter { $0.destination.hasPrefix("nfsroot/") }
            #expect(trees.map(\.source) == ["/out/nfsroot/"])
            #expect(trees.first?.only == nfs.nodes.map { $0 + "/" })
            let treeArguments = Publisher.rsyncArguments(trees[0], target: nfs.target, ssh: "/usr/bin/ssh", filesFrom: "/tmp/list")
            #expect(treeArguments.contains("--files-from=/tmp/list") && treeArguments.contains("-r") && treeArguments.contains("--update"))
        }
        #expect(Set(plan[1].nodes).isDisjoint(with: plan[2].nodes))
        #expect(plan[1].nodes.count + plan[2].nodes.count == 12)
        #expect(!plan[1].nodes.isEmpty && !plan[2].nodes.isEmpty)
        // rsync reaches host:path over ssh, in batch mode (no password prompt).
        let arguments = Publisher.rsyncArguments(plan[1].copies[0], target: plan[1].target, ssh: "/usr/bin/ssh")
        #expect(arguments.suffix(4) == ["-e", "/usr/bin/ssh -o BatchMode=yes", "/out/.pxefarm/generations/7/etc/", "nfs1.example:/srv/px/.pxefarm/generations/7.partial/etc/"])
    }

    @Test func aServerWithoutATargetIsLeftOut() {
        let plan = PublishPlan.make(farm: Self.farm(), layout: OutputLayout(root: "/out"), generation: 1, targets: ["nfs2": .local("/x")])
        #expect(plan.map(\.server.name) == ["nfs2"])
    }

    /// A generation laid out as pxefarm build leaves it, written by hand.
    static func output(_ root: String, farm: Farm) throws {
        let generation = root + "/.pxefarm/generations/3"
        let files = [
            "tftpboot/X86PC/UNDI/linux-boot/linux.0": "nbp", "ks/.keep": "", "manifest.json": "{}",
            "etc/pxe.conf": "pxe", "etc/dhcpd.conf": "farm.server's", "etc/exports": "all nodes",
            "etc/servers/boot1/dhcpd.conf": "boot1's dhcpd", "etc/servers/nfs1/exports": "nfs1's exports", "etc/servers/nfs2/exports": "nfs2's exports",
            "shared/base/bin/sh": "busybox",
        ]
        for (path, text) in files { try write(text, to: generation + "/" + path) }
        for node in farm.nodes { try write(node.name, to: root + "/nfsroot/\(node.name)/etc/hostname") }
        try FileManager.default.createSymbolicLink(atPath: root + "/.pxefarm/current", withDestinationPath: "generations/3")
    }

    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    static func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/rsync"), "needs rsync"))
    func rsyncToLocalFoldersAndAnUnreachableOneIsReported() throws {
        let farm = Self.farm()
        let base = NSTemporaryDirectory() + "pxefarm-publish-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: base) }
        try Self.output(base + "/out", farm: farm)
        try Self.write("a file where nfs1's folder would be", to: base + "/blocked")
        let targets: [String: PublishTarget] = ["boot1": .local(base + "/boot1"), "nfs1": .local(base + "/blocked/sub"), "nfs2": .local(base + "/nfs2")]
        let plan = PublishPlan.make(farm: farm, layout: OutputLayout(root: base + "/out"), generation: 3, targets: targets)
        let results = Publisher().publish(all: plan)
        #expect(results.map(\.publication.server.name) == plan.map(\.server.name))
        #expect(results.map { $0.failure == nil } == [true, false, true])
        #expect(results[1].failure?.contains("rsync of") == true)

        let boot = base + "/boot1"
        #expect(Self.read(boot + "/tftpboot/X86PC/UNDI/linux-boot/linux.0") == "nbp")
        #expect(Self.read(boot + "/etc/dhcpd.conf") == "boot1's dhcpd")
        #expect(Self.read(boot + "/etc/pxe.conf") == "pxe")
        #expect(Self.read(boot + "/etc/exports") == nil)
        #expect(!FileManager.default.fileExists(atPath: boot + "/etc/servers"))
        #expect(!FileManager.default.fileExists(atPath: boot + "/.pxefarm/current/shared"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: boot + "/.pxefarm/current") == "generations/3")
        #expect(!FileManager.default.fileExists(atPath: boot + "/.pxefarm/generations/3.partial"))

        let nfs = base + "/nfs2"
        #expect(Self.read(nfs + "/etc/exports") == "nfs2's exports")
        #expect(Self.read(nfs + "/nfsroot/.shared/base/bin/sh") == "busybox")
        #expect(!FileManager.default.fileExists(atPath: nfs + "/tftpboot/X86PC"))
        let mine = Set(plan[2].nodes)
        for node in farm.nodes {
            #expect(FileManager.default.fileExists(atPath: nfs + "/nfsroot/\(node.name)/etc/hostname") == mine.contains(node.name))
        }

        // A second publish of a newer generation swaps current; the old one stays whole until then.
        try Self.write("nbp 4", to: base + "/out/.pxefarm/generations/4/tftpboot/X86PC/UNDI/linux-boot/linux.0")
        for part in ["etc", "ks"] { try FileManager.default.createDirectory(atPath: base + "/out/.pxefarm/generations/4/\(part)", withIntermediateDirectories: true) }
        try Self.write("{}", to: base + "/out/.pxefarm/generations/4/manifest.json")
        try Self.write("boot1's dhcpd 4", to: base + "/out/.pxefarm/generations/4/etc/servers/boot1/dhcpd.conf")
        let again = PublishPlan.make(farm: farm, layout: OutputLayout(root: base + "/out"), generation: 4, targets: ["boot1": .local(boot)])
        #expect(Publisher().publish(again[0]).failure == nil)
        #expect(Self.read(boot + "/tftpboot/X86PC/UNDI/linux-boot/linux.0") == "nbp 4")
        #expect(Self.read(boot + "/etc/dhcpd.conf") == "boot1's dhcpd 4")
        #expect(Self.read(boot + "/.pxefarm/generations/3/tftpboot/X86PC/UNDI/linux-boot/linux.0") == "nbp")
    }
}
