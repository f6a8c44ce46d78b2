import Glibc
import Testing
import TestSupport
@testable import FileIO

@Suite struct ReadLogTests {
    @Test func pathsAreKeptOnceInTheOrderFirstRecorded() {
        let log = ReadLog()
        for path in ["farm.yaml", "nodes.csv", "farm.yaml", "/etc/pxefarm/templates", "nodes.csv"] { log.record(path) }
        #expect(log.recorded == ["farm.yaml", "nodes.csv", "/etc/pxefarm/templates"])
    }

    @Test func aFileStampedAtOrAfterTheStartIsRacy() throws {
        let log = ReadLog(started: 1_000)
        #expect(!log.isRacy(modified: 999, changed: 999))
        #expect(log.isRacy(modified: 1_000, changed: 10))
        #expect(log.isRacy(modified: 10, changed: 1_001))
        // A file written after a real log began carries a time at or after its start.
        let real = ReadLog()
        let scratch = try ScratchDirectory("readlog")
        try AtomicFile.write(Array("x".utf8), to: scratch.path + "/f")
        var info = stat()
        #expect(stat(scratch.path + "/f", &info) == 0)
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        let changed = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
        #expect(real.isRacy(modified: modified, changed: changed))
    }
}
