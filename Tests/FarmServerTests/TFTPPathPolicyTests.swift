import Foundation
import Testing
@testable import FarmServer

@Suite struct TFTPPathPolicyTests {
    @Test(arguments: [
        ("..", "dot"), ("../etc/passwd", "dot"), ("a/../../b", "dot"), ("a/./b", "dot"),
        ("//etc/passwd", "empty component"), ("a//b", "empty component"), ("a/", "empty component"),
        ("a\\b", "backslash"), ("..\\..\\x", "backslash"), ("a\u{1}b", "control"), ("a\tb", "control"),
        ("a\u{7f}", "control"), ("/", "empty"),
    ])
    func lexicalRefusals(_ name: String, _ kind: String) {
        #expect(throws: TFTPPathRefusal.self) { try TFTPPathPolicy.checkedRelativeName(Array(name.utf8)) }
    }

    @Test func limitsAndEncodings() throws {
        #expect(throws: TFTPPathRefusal.tooLong(513)) { try TFTPPathPolicy.checkedRelativeName(Array(repeating: 0x61, count: 513)) }
        #expect(try TFTPPathPolicy.checkedRelativeName(Array(repeating: 0x61, count: 512)).count == 512)
        #expect(throws: TFTPPathRefusal.controlCharacter(0)) { try TFTPPathPolicy.checkedRelativeName([0x61, 0, 0x62]) }
        #expect(throws: TFTPPathRefusal.notUTF8) { try TFTPPathPolicy.checkedRelativeName([0x61, 0xFF]) }
        #expect(try TFTPPathPolicy.checkedRelativeName(Array("/X86PC/UNDI/linux.0".utf8)) == "X86PC/UNDI/linux.0")
        #expect(try TFTPPathPolicy.checkedRelativeName(Array("pxelinux.cfg/01-00-d0-b7-1b-12-ed".utf8)) == "pxelinux.cfg/01-00-d0-b7-1b-12-ed")
    }

    @Test func resolvesInsideTheRootOnly() throws {
        let tree = try TemporaryTree(files: ["X86PC/UNDI/boot/linux.1": 10, "inside.txt": 3])
        defer { tree.remove() }
        let outside = try TemporaryTree(files: ["secret": 5])
        defer { outside.remove() }
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: tree.path("escape"), withDestinationPath: outside.path("secret"))
        try fm.createSymbolicLink(atPath: tree.path("passwd"), withDestinationPath: "/etc/passwd")
        try fm.createSymbolicLink(atPath: tree.path("updir"), withDestinationPath: "..")
        try fm.createSymbolicLink(atPath: tree.path("alias"), withDestinationPath: "X86PC/UNDI/boot/linux.1")
        let policy = try TFTPPathPolicy(root: tree.root)

        #expect(try policy.resolve(Array("X86PC/UNDI/boot/linux.1".utf8)).path.hasSuffix("/X86PC/UNDI/boot/linux.1"))
        #expect(try policy.resolve(Array("/inside.txt".utf8)).path.hasSuffix("/inside.txt"))
        #expect(try policy.resolve(Array("alias".utf8)).path.hasSuffix("/X86PC/UNDI/boot/linux.1"))
        #expect(throws: TFTPPathRefusal.outsideRoot("escape")) { try policy.resolve(Array("escape".utf8)) }
        #expect(throws: TFTPPathRefusal.outsideRoot("passwd")) { try policy.resolve(Array("passwd".utf8)) }
        #expect(throws: TFTPPathRefusal.self) { try policy.resolve(Array("updir/\(URL(fileURLWithPath: outside.root).lastPathComponent)/secret".utf8)) }
        #expect(throws: TFTPPathRefusal.notFound("missing")) { try policy.resolve(Array("missing".utf8)) }
        #expect(throws: TFTPPathRefusal.notARegularFile("X86PC")) { try policy.resolve(Array("X86PC".utf8)) }
        #expect(TFTPPathRefusal.notFound("x").tftpCode == .fileNotFound)
        #expect(TFTPPathRefusal.outsideRoot("x").tftpCode == .accessViolation)
        #expect(throws: FarmServerError.tftpRootMissing("/nonexistent/pxefarm")) { try TFTPPathPolicy(root: "/nonexistent/pxefarm") }
    }

    /// A root that is a link through `current`, as `out/tftpboot` is: each
    /// request resolves it anew, so a swap of `current` (a build publishing,
    /// a rollback) is seen by the next request, and a file found names the
    /// tree it was found in.
    @Test func followsTheRootLinkAtEveryRequest() throws {
        let out = try TemporaryTree(files: ["generations/1/tftpboot/linux.1": 3, "generations/2/tftpboot/linux.1": 4,
                                            "generations/2/tftpboot/only-in-2": 1])
        defer { out.remove() }
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: out.path("current"), withDestinationPath: "generations/1")
        try fm.createSymbolicLink(atPath: out.path("tftpboot"), withDestinationPath: "current/tftpboot")
        let policy = try TFTPPathPolicy(root: out.path("tftpboot"))
        let real = try #require(TFTPPathPolicy.resolvedPath(out.root))
        #expect(try policy.resolve(Array("linux.1".utf8)) == TFTPFile(path: real + "/generations/1/tftpboot/linux.1", tree: real + "/generations/1/tftpboot"))
        #expect(throws: TFTPPathRefusal.notFound("only-in-2")) { try policy.resolve(Array("only-in-2".utf8)) }

        try fm.createSymbolicLink(atPath: out.path("current.2"), withDestinationPath: "generations/2")
        #expect(rename(out.path("current.2"), out.path("current")) == 0)
        #expect(try policy.resolve(Array("linux.1".utf8)).path == real + "/generations/2/tftpboot/linux.1")
        #expect(try policy.resolve(Array("only-in-2".utf8)).tree == real + "/generations/2/tftpboot")

        // Generation 1 pruned and current gone for a moment: absent, not an error of the server.
        try fm.removeItem(atPath: out.path("generations/1"))
        try fm.removeItem(atPath: out.path("current"))
        #expect(throws: TFTPPathRefusal.notFound("linux.1")) { try policy.resolve(Array("linux.1".utf8)) }
        #expect(policy.currentTree == nil)
    }
}
