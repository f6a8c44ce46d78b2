import Foundation
import Testing
import FarmLoading
import TestSupport

@Suite struct ImportCommandTests {
    static let fixtures = "Tests/FarmImportTests/Fixtures"

    /// The reference deployment imported to a file: the golden farm file,
    /// warnings on standard error, and an existing file is kept unless --force.
    @Test func writesTheFarmFileAndKeepsAnExistingOne() throws {
        let outScratch = try ScratchDirectory("import")
        defer { outScratch.remove() }
        let out = outScratch.path
        let target = out + "/farm.yaml"
        let arguments = ["import", "--dhcpd", Self.fixtures + "/reference-dhcpd.conf", "--pxe-conf", Self.fixtures + "/reference-pxe.conf", "-o", target]
        let first = try CommandRunner.run(arguments, in: repository)
        #expect(first.status == 0)
        #expect(first.stdout == "\(target): farm dc2 with 1 node and 3 services; fill in the image paths marked TODO, then run: pxefarm check \(target)\n")
        #expect(first.stderr.contains("reference-dhcpd.conf:24:2: warning: 'option next-server'"))
        let golden = try String(contentsOfFile: repository + "/" + Self.fixtures + "/reference-farm.yaml", encoding: .utf8)
        let written = try String(contentsOfFile: target, encoding: .utf8)
        #expect(written.replacingOccurrences(of: Self.fixtures + "/", with: "") == golden)

        let again = try CommandRunner.run(arguments, in: repository)
        #expect(again.status == 1)
        #expect(again.stderr.hasSuffix("\(target) exists; pass --force to replace it\n"))
        #expect(try CommandRunner.run(arguments + ["--force"], in: repository).status == 0)

        // `pxefarm check` names exactly the placeholder image paths.
        let check = try CommandRunner.run(["check", target], in: repository)
        #expect(check.status == 1)
        #expect(check.stderr.contains("images.base.root: root directory"))
        #expect(check.stderr.hasSuffix("2 errors, 0 warnings\n"))
    }

    @Test func brokenInputWritesNothing() throws {
        let outScratch = try ScratchDirectory("import")
        defer { outScratch.remove() }
        let out = outScratch.path
        let broken = out + "/dhcpd.conf"
        try Data("subnet 192.168.197.0 netmask 255.255.255.0 {\n  option domain-name \"x\";\n".utf8).write(to: URL(fileURLWithPath: broken))
        let output = try CommandRunner.run(["import", "--dhcpd", broken, "-o", out + "/farm.yaml"])
        #expect(output.status == 1)
        #expect(output.stderr == "\(broken):1:1: error: unterminated block 'subnet 192.168.197.0 netmask 255.255.255.0 {': the file ends before its closing '}'\npxefarm import: nothing written\n")
        #expect(!FileManager.default.fileExists(atPath: out + "/farm.yaml"))
    }
}

extension ImportCommandTests {
    /// Without -o the farm file goes to standard output, the warnings to standard error.
    @Test func withoutOutputTheFarmFileIsPrinted() throws {
        let output = try CommandRunner.run(["import", "--dhcpd", Self.fixtures + "/reference-dhcpd-unicast.conf"], in: repository)
        #expect(output.status == 0)
        #expect(output.stdout == (try String(contentsOfFile: repository + "/" + Self.fixtures + "/reference-unicast-farm.yaml", encoding: .utf8)))
        #expect(output.stderr.contains("warning: host n11: filename \"/distr/ks/ks.cfg\" is not carried"))
    }
}

extension ImportCommandTests {
    @Test func helpMatchesItsGoldenFile() throws {
        let output = try CommandRunner.run(["import", "--help"])
        #expect(output.status == 0)
        #expect(output.stdout == (try GoldenFile.expected(output.stdout, path: GoldenFile.fixtures() + "/help/pxefarm-import.txt")))
    }
}
