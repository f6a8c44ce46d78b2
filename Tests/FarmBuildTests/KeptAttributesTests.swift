import Testing
import Foundation
import TestSupport
@testable import FarmBuild

/// A root build keeps what a distribution root needs beyond bytes: owners,
/// groups, setuid/setgid/sticky bits on files and directories, hard links
/// (one inode in the shared image) and extended attributes.
@Suite(.needsRoot("chown to other owners and security.* attributes"))
struct KeptAttributesTests {
    /// The files of a Debian root that need their group or special bits.
    static func distributionFiles(_ scratch: Scratch) throws {
        let manager = FileManager.default
        for folder in ["image/var/mail", "image/usr/sbin", "image/usr/bin", "image/var/log/journal", "image/var/tmp"] {
            try manager.createDirectory(atPath: scratch.directory + "/" + folder, withIntermediateDirectories: true)
        }
        try scratch.write("image/etc/shadow", "root:*:19000:0:99999:7:::\n")
        try scratch.write("image/usr/sbin/unix_chkpwd", "chkpwd")
        try scratch.write("image/usr/bin/sudo", "sudo")
        try scratch.write("image/usr/bin/perl", "perl")
        try scratch.write("image/usr/bin/ping", "ping")
        #expect(link(scratch.image + "/usr/bin/perl", scratch.image + "/usr/bin/perl5.36.0") == 0)
        for (path, uid, gid, mode) in [("etc/shadow", 0, 42, 0o640), ("usr/sbin/unix_chkpwd", 0, 42, 0o2755),
                                       ("usr/bin/sudo", 0, 0, 0o4755), ("var/mail", 0, 8, 0o2775),
                                       ("var/log/journal", 0, 101, 0o2755), ("var/tmp", 0, 0, 0o1777)] as [(String, uid_t, gid_t, mode_t)] {
            #expect(chown(scratch.image + "/" + path, uid, gid) == 0)
            #expect(chmod(scratch.image + "/" + path, mode) == 0)
        }
        // cap_net_raw+ep, as setcap writes it (VFS_CAP_REVISION_2, 20 bytes).
        let capability: [UInt8] = [0, 0, 0, 2, 0, 0x20, 0, 0, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        #expect(FileSystem.setExtendedAttribute(scratch.image + "/usr/bin/ping", ExtendedAttribute(name: "security.capability", value: capability)) == nil)
        #expect(FileSystem.setExtendedAttribute(scratch.image + "/etc/shadow", ExtendedAttribute(name: "user.pxefarm", value: Array("kept".utf8))) == nil)
    }

    func expectKept(_ tree: String, in scratch: Scratch, shared: Bool) throws {
        func status(_ path: String) throws -> FileSystem.Status { try #require(FileSystem.status(tree + "/" + path), "\(tree)/\(path)") }
        #expect(try status("etc/shadow").gid == 42)
        #expect(try status("etc/shadow").mode == 0o640)
        #expect(try status("var/mail").gid == 8)
        #expect(try status("var/mail").mode == 0o2775)
        #expect(try status("var/log/journal").mode == 0o2755)
        #expect(try status("var/log/journal").gid == 101)
        #expect(try status("var/tmp").mode == 0o1777)
        #expect(FileSystem.extendedAttributes(tree + "/etc/shadow") == [ExtendedAttribute(name: "user.pxefarm", value: Array("kept".utf8))])
        guard shared else { return }
        #expect(try status("usr/sbin/unix_chkpwd").gid == 42)
        #expect(try status("usr/sbin/unix_chkpwd").mode == 0o2755)
        #expect(try status("usr/bin/perl").inode == status("usr/bin/perl5.36.0").inode)
        #expect(FileSystem.extendedAttributes(tree + "/usr/bin/ping").map(\.name) == ["security.capability"])
    }

    @Test func theSharedImageAndTheNodeTreesKeepOwnersModesLinksAndAttributes() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try Self.distributionFiles(scratch)
        let (_, summary) = try scratch.builder().build(scratch.farm(nodes: 2))
        #expect(summary.notKept.isEmpty, "\(summary.notKept)")
        try expectKept(scratch.out + "/nfsroot/.shared/base", in: scratch, shared: true)
        try expectKept(scratch.out + "/nfsroot/n1", in: scratch, shared: false)
        #expect(FileSystem.status(scratch.out + "/nfsroot/.shared/base/usr/bin/sudo")?.mode == 0o4755)
        #expect(FileSystem.status(scratch.out + "/nfsroot/.shared/base/usr/bin/perl")?.links == 2)

        // A changed group is a change: the next generation has it, the rest is linked.
        #expect(chown(scratch.image + "/usr/bin/sudo", 0, 27) == 0)
        #expect(chmod(scratch.image + "/usr/bin/sudo", 0o4750) == 0)
        let (plan, _) = try scratch.builder().build(scratch.farm(nodes: 2))
        #expect(plan.items.filter { $0.change != .keep }.map(\.path) == ["shared/base/usr/bin/sudo"])
        let sudo = try #require(FileSystem.status(scratch.out + "/nfsroot/.shared/base/usr/bin/sudo"))
        #expect(sudo.gid == 27 && sudo.mode == 0o4750)
        try expectKept(scratch.out + "/nfsroot/.shared/base", in: scratch, shared: true)
    }
}

/// A root tarball's extended attributes (pax SCHILY.xattr records, as
/// bsdtar and GNU tar --xattrs write them) reach the shared image.
@Suite(.needsRoot("security.* attributes"))
struct TarballAttributesTests {
    @Test func aTarballsExtendedAttributesAreKept() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let program = """
            import sys, tarfile
            with tarfile.open(sys.argv[1], 'w:gz', format=tarfile.PAX_FORMAT) as t:
                t.add(sys.argv[2], arcname='.')
                info = tarfile.TarInfo('usr/bin/ping'); info.mode = 0o755; info.size = 4
                info.pax_headers = {'SCHILY.xattr.security.capability': '\\x00\\x00\\x00\\x02\\x00\\x20\\x00\\x00\\x00\\x20\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00',
                                    'SCHILY.xattr.user.pxefarm': 'kept'}
                import io; t.addfile(info, io.BytesIO(b'ping'))
            """
        try FileManager.default.createDirectory(atPath: scratch.image + "/usr/bin", withIntermediateDirectories: true)
        let made = try CommandRunner.run(["/usr/bin/python3", "-c", program, scratch.directory + "/image.tar.gz", scratch.image], executable: "/usr/bin/python3")
        try #require(made.status == 0, "python3: \(made.stderr)")
        var farm = scratch.farm(nodes: 1)
        farm.images[0].root = scratch.directory + "/image.tar.gz"
        let (_, summary) = try scratch.builder().build(farm)
        #expect(summary.notKept.isEmpty, "\(summary.notKept)")
        let attributes = FileSystem.extendedAttributes(scratch.out + "/nfsroot/.shared/base/usr/bin/ping")
        #expect(attributes.map(\.name).sorted() == ["security.capability", "user.pxefarm"])
        #expect(attributes.first { $0.name == "user.pxefarm" }?.value == Array("kept".utf8))
        #expect(attributes.first { $0.name == "security.capability" }?.value.count == 20)
    }
}
