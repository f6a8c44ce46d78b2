import Foundation
import Testing
import TestSupport
@testable import Initrd

/// `pxefarm initrd pack` and `list` as a user runs them, through the built binary.
@Suite struct CommandLineTests {
    @Test(.needsBuiltBinary) func packThenListPrintsWhatTheLibraryReads() throws {
        let binary = CommandRunner.executable
        let temporary = try ScratchDirectory("cli")
        defer { temporary.remove() }
        try temporary.write("tree/etc/motd", "hello\n")
        try temporary.write("table.txt", "/dev/ttyS c 660 0 20 4 64 0 1 2\n")
        let output = temporary.path + "/cli.img"
        let pack = try ProgramRun.capture(binary, ["initrd", "pack", temporary.path + "/tree", "--device-table", temporary.path + "/table.txt",
                                         "--compression", "zstd", "-o", output])
        #expect(pack.status == 0, "\(pack.error)")
        #expect(pack.text == "\(output): 5 entries, \(try FileManager.default.attributesOfItem(atPath: output)[.size] as? Int ?? -1) bytes (zstd 3)\n")
        let list = try ProgramRun.capture(binary, ["initrd", "list", output])
        #expect(list.status == 0)
        #expect(list.text == (try InitrdListing.read(output)).map { $0.line + "\n" }.joined())
        let names = try ProgramRun.capture(binary, ["initrd", "list", "--names", output])
        #expect(names.text == "dev\ndev/ttyS0\ndev/ttyS1\netc\netc/motd\n")
    }

    @Test(.needsBuiltBinary) func badInputExitsNonZeroWithTheFileNamed() throws {
        let binary = CommandRunner.executable
        let temporary = try ScratchDirectory("cli-bad")
        defer { temporary.remove() }
        try temporary.write("table.txt", "# devices\n/dev/null c 666 0 0 1\n")
        let run = try ProgramRun.capture(binary, ["initrd", "pack", "--device-table", temporary.path + "/table.txt", "-o", temporary.path + "/x.img"])
        #expect(run.status == 1)
        #expect(run.error.contains("\(temporary.path)/table.txt:2: expected 10 fields"), "\(run.error)")
        #expect(!FileManager.default.fileExists(atPath: temporary.path + "/x.img"))
        let level = try ProgramRun.capture(binary, ["initrd", "pack", "--makedev", "--level", "12", "-o", temporary.path + "/x.img"])
        #expect(level.status == 64)
        #expect(level.error.contains("--level 12 is out of range for gzip (1-9)"))
    }
}
