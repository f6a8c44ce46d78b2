import Testing
import Foundation
@testable import FarmBuild

/// Each node gets its own machine id and SSH host keys, made once and kept
/// across rebuilds; an image can opt out.
@Suite struct NodeIdentityTests {
    static let hasKeygen = FileManager.default.isExecutableFile(atPath: NodeIdentity.keygen)

    /// An image as debootstrap leaves it: a machine id and host keys of its own.
    static func imageWithIdentity(_ scratch: Scratch) throws {
        try FileManager.default.createDirectory(atPath: scratch.image + "/etc/ssh", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: scratch.image + "/usr/sbin", withIntermediateDirectories: true)
        try scratch.write("image/usr/sbin/sshd", "sshd")
        try FileManager.default.createDirectory(atPath: scratch.image + "/var/lib/systemd", withIntermediateDirectories: true)
        try scratch.write("image/var/lib/systemd/random-seed", "the image's seed")
        try scratch.write("image/etc/machine-id", "0123456789abcdef0123456789abcdef\n")
        for type in NodeIdentity.sshKeyTypes {
            try scratch.write("image/etc/ssh/ssh_host_\(type)_key", "image's \(type) key")
            try scratch.write("image/etc/ssh/ssh_host_\(type)_key.pub", "image's \(type) public key")
        }
    }

    @Test func machineIDsHaveSystemdsFormat() {
        var generator = SystemRandomNumberGenerator()
        let ids = (0..<200).map { _ in NodeIdentity.newMachineID(using: &generator) }
        #expect(Set(ids).count == 200)
        for id in ids {
            #expect(NodeIdentity.isMachineID(Array(id.utf8)), "\(id)")
            let digits = Array(id.dropLast())
            #expect(digits[12] == "4", "version 4: \(id)")
            #expect("89ab".contains(digits[16]), "RFC 4122 variant: \(id)")
        }
        #expect(!NodeIdentity.isMachineID(Array("uninitialized\n".utf8)))
        #expect(!NodeIdentity.isMachineID(Array(String(repeating: "0", count: 32).utf8)))
        #expect(!NodeIdentity.isMachineID(Array("0123456789ABCDEF0123456789ABCDEF".utf8)))
    }

    @Test(.enabled(if: hasKeygen, "needs ssh-keygen (openssh-client)"))
    func eachNodeHasItsOwnIdentityKeptAcrossRebuilds() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try Self.imageWithIdentity(scratch)
        let farm = scratch.farm(nodes: 2)
        _ = try scratch.builder().build(farm)
        func read(_ node: String, _ path: String) throws -> String { try scratch.read("out/nfsroot/\(node)/\(path)") }
        let ids = try ["n0", "n1"].map { try read($0, "etc/machine-id") }
        #expect(!FileManager.default.fileExists(atPath: scratch.out + "/nfsroot/n0/var/lib/systemd/random-seed"))
        #expect(FileManager.default.fileExists(atPath: scratch.out + "/nfsroot/n0/var/lib/systemd"))
        #expect(ids[0] != ids[1])
        #expect(ids.allSatisfy { NodeIdentity.isMachineID(Array($0.utf8)) && $0 != "0123456789abcdef0123456789abcdef\n" })
        #expect(FileSystem.status(scratch.out + "/nfsroot/n0/etc/machine-id")?.mode == 0o444)
        for type in NodeIdentity.sshKeyTypes {
            let key = "etc/ssh/ssh_host_\(type)_key"
            let keys = try ["n0", "n1"].map { try read($0, key) }
            #expect(keys[0] != keys[1])
            #expect(keys.allSatisfy { $0.hasPrefix("-----BEGIN OPENSSH PRIVATE KEY-----") })
            #expect(FileSystem.status(scratch.out + "/nfsroot/n0/" + key)?.mode == 0o600)
            #expect(FileSystem.status(scratch.out + "/nfsroot/n0/" + key + ".pub")?.mode == 0o644)
            let expectedType = ["ed25519": "ssh-ed25519 ", "ecdsa": "ecdsa-sha2-nistp256 ", "rsa": "ssh-rsa "][type]!
            #expect(try read("n1", key + ".pub").hasPrefix(expectedType))
            #expect(try read("n1", key + ".pub").hasSuffix(" root@n1\n"))
        }
        let leftovers = try FileSystem.list(scratch.out + "/nfsroot/n0/etc/ssh").filter { $0.hasPrefix(".") || $0.hasSuffix(".pxefarm-new") }
        #expect(leftovers.isEmpty)

        // A rebuild keeps every piece; a lost one is made again, alone.
        let (again, _) = try scratch.builder().build(farm)
        #expect(again.changedCount == 0)
        #expect(try read("n0", "etc/machine-id") == ids[0])
        try FileManager.default.removeItem(atPath: scratch.out + "/nfsroot/n1/etc/machine-id")
        let (repair, _) = try scratch.builder().build(farm)
        #expect(repair.items.filter { $0.change != .keep }.map(\.path) == ["nfsroot/n1/etc/machine-id"])
        #expect(try read("n1", "etc/machine-id") != ids[1])
        // A node tree still holding the image's copy (made before pxefarm made identities) gets its own.
        try scratch.write("out/nfsroot/n0/etc/ssh/ssh_host_rsa_key", "image's rsa key")
        let (fixed, _) = try scratch.builder().build(farm)
        #expect(fixed.items.filter { $0.change != .keep }.map(\.path) == ["nfsroot/n0/etc/ssh/ssh_host_rsa_key"])
        #expect(try read("n0", "etc/ssh/ssh_host_rsa_key").hasPrefix("-----BEGIN OPENSSH PRIVATE KEY-----"))
    }

    @Test func anImageWithoutSSHServerGetsOnlyAMachineIDAndIdentityFalseNothing() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("image/etc/machine-id", "0123456789abcdef0123456789abcdef\n")
        var farm = scratch.farm(nodes: 1)
        let (plan, _) = try scratch.builder().build(farm)
        #expect(plan.items.map(\.path).filter { $0.hasPrefix("nfsroot/") && ($0.contains("ssh") || $0.contains("machine-id")) } == ["nfsroot/n0/etc/machine-id"])

        let other = try Scratch()
        defer { other.remove() }
        try Self.imageWithIdentity(other)
        farm = other.farm(nodes: 1)
        farm.images[0].identity = false
        _ = try other.builder().build(farm)
        #expect(try other.read("out/nfsroot/n0/etc/machine-id") == "0123456789abcdef0123456789abcdef\n")
        #expect(try other.read("out/nfsroot/n0/etc/ssh/ssh_host_ed25519_key") == "image's ed25519 key")
        #expect(try other.read("out/nfsroot/n0/var/lib/systemd/random-seed") == "the image's seed")
    }
}
