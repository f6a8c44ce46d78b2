import Testing
import Foundation
import FileIO
@testable import FarmBuild

/// A build of the same invocation over files loading read unchanged skips
/// loading the farm (`Builder.unchangedBuild`); anything else loads it.
@Suite struct UnchangedBuildTests {
    let invocation = "sha256:the-same-command"

    /// A log begun a minute from now: every scratch file was written before it.
    static func log(_ paths: [String]) -> ReadLog {
        let log = ReadLog(started: Int64(Date().timeIntervalSince1970 + 60) * 1_000_000_000)
        for path in paths { log.record(path) }
        return log
    }

    func recording(_ scratch: Scratch, log: ReadLog) -> Builder {
        var builder = scratch.builder()
        builder.inputs = ["farm file text v1"]
        builder.invocation = invocation
        builder.loadLog = log
        return builder
    }

    func unchanged(_ scratch: Scratch, invocation: String? = nil) throws -> (plan: BuildPlan, summary: BuildSummary, nodes: Int)? {
        try Builder.unchangedBuild(outputDirectory: scratch.out, invocation: invocation ?? self.invocation)
    }

    var record: (Scratch) throws -> [UInt8] { { try WholeFile.read($0.out + "/.pxefarm/" + BuildCache.fileName) } }

    @Test func theSameInvocationOverTheSameFilesNeedsNoLoading() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("farm.yaml", "farm: {name: lab}\n")
        let farm = scratch.farm()
        let loaded = [scratch.directory + "/farm.yaml", scratch.directory + "/templates"]
        let (full, _) = try recording(scratch, log: Self.log(loaded)).build(farm)
        let before = try record(scratch)
        let result = try #require(try unchanged(scratch))
        #expect(result.nodes == 3)
        #expect(result.summary.filesWritten == 0)
        #expect(result.summary.changed == 0)
        #expect(result.summary.generation == 1)
        // The report a build that loads the farm would print.
        let planned = try recording(scratch, log: Self.log(loaded)).planned(farm)
        #expect(planned.cached)
        #expect(PlanReport.text(result.plan) == PlanReport.text(planned.plan))
        #expect(result.plan.items.count == full.items.count)
        #expect(try record(scratch) == before)
    }

    @Test func anEditedOrNewLoadedFileOrAnotherInvocationMeansLoading() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("farm.yaml", "farm: {name: lab}\n")
        let farm = scratch.farm()
        let loaded = [scratch.directory + "/farm.yaml", scratch.directory + "/templates"]
        _ = try recording(scratch, log: Self.log(loaded)).build(farm)
        #expect(try unchanged(scratch, invocation: "sha256:another-command") == nil)
        // A folder loading looked for and did not find, made since.
        try FileManager.default.createDirectory(atPath: scratch.directory + "/templates", withIntermediateDirectories: false)
        #expect(try unchanged(scratch) == nil)
        _ = try recording(scratch, log: Self.log(loaded)).build(farm)
        #expect(try unchanged(scratch) != nil)
        try scratch.write("farm.yaml", "farm: {name: lab, domain: lab.example}\n")
        #expect(try unchanged(scratch) == nil)
    }

    @Test func aFileChangedAfterLoadingBeganIsNotVouchedFor() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let farm = scratch.farm()
        let log = ReadLog()
        try scratch.write("farm.yaml", "farm: {name: lab}\n")
        log.record(scratch.directory + "/farm.yaml")
        _ = try recording(scratch, log: log).build(farm)
        let cache = try #require(BuildCache.decode(try record(scratch)))
        #expect(cache.invocation == nil)
        #expect(try unchanged(scratch) == nil)
        // The next build loads the farm, finds nothing changed, and records what it read.
        let (_, again) = try recording(scratch, log: Self.log([scratch.directory + "/farm.yaml"])).build(farm)
        #expect(again.filesWritten == 0)
        #expect(try unchanged(scratch) != nil)
    }

    @Test func aBuildWithoutAnInvocationRecordsNone() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var builder = scratch.builder()
        builder.inputs = ["farm file text v1"]
        _ = try builder.build(scratch.farm())
        #expect(try unchanged(scratch) == nil)
    }

    @Test func aTamperedNodeFileMeansLoadingAndATouchedOneIsRecordedAnew() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("farm.yaml", "farm: {name: lab}\n")
        let farm = scratch.farm()
        _ = try recording(scratch, log: Self.log([scratch.directory + "/farm.yaml"])).build(farm)
        let hostname = scratch.out + "/nfsroot/n1/etc/hostname"
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: hostname)
        let before = try record(scratch)
        #expect(try unchanged(scratch)?.summary.filesWritten == 0)
        let after = try record(scratch)
        #expect(after != before)
        #expect(BuildCache.decode(after)?.items.first { $0.path == "nfsroot/n1/etc/hostname" }?.signature == BuildCache.Signature.of(hostname))
        try scratch.write("out/nfsroot/n1/etc/hostname", "tampered\n")
        #expect(try unchanged(scratch) == nil)
    }
}
