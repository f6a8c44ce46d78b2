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
        #expect(throws: TFTPPathError.self) { try TFTPPathPolicy.checkedRelativeName(Array(name.utf8)) }
    }

    @Test func limitsAndEncodings() throws {
        #expect(throws: TFTPPathError.tooLong(513)) { try TFTPPathPolicy.checkedRelativeName(Array(repeating: 0x61, count: 513)) }
        #expect(try TFTPPathPolicy.checkedRelativeName(Array(repeating: 0x61, count: 512)).count == 512)
        #expect(throws: TFTPPathError.controlCharacter(0)) { try TFTPPathPolicy.checkedRelativeName([0x61, 0, 0x62]) }
        #expect(throws: TFTPPathError.notUTF8) { try TFTPPathPolicy.checkedRelativeName([0x61, 0xFF]) }
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

        #expect(try policy.resolve(Array("X86PC/UNDI/boot/linux.1".utf8)).hasSuffix("/X86PC/UNDI/boot/linux.1"))
        #expect(try policy.resolve(Array("/inside.txt".utf8)).hasSuffix("/inside.txt"))
        #expect(try policy.resolve(Array("alias".utf8)).hasSuffix("/X86PC/UNDI/boot/linux.1"))
        #expect(throws: TFTPPathError.outsideRoot("escape")) { try policy.resolve(Array("escape".utf8)) }
        #expect(throws: TFTPPathError.outsideRoot("passwd")) { try policy.resolve(Array("passwd".utf8)) }
        #expect(throws: TFTPPathError.self) { try policy.resolve(Array("updir/\(URL(fileURLWithPath: outside.root).lastPathComponent)/secret".utf8)) }
        #expect(throws: TFTPPathError.notFound("missing")) { try policy.resolve(Array("missing".utf8)) }
        #expect(throws: TFTPPathError.notARegularFile("X86PC")) { try policy.resolve(Array("X86PC".utf8)) }
        #expect(TFTPPathError.notFound("x").tftpCode == .fileNotFound)
        #expect(TFTPPathError.outsideRoot("x").tftpCode == .accessViolation)
        #expect(throws: TFTPPathError.rootMissing("/nonexistent/pxefarm")) { try TFTPPathPolicy(root: "/nonexistent/pxefarm") }
    }
}
