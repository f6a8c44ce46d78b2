import FarmBuild
import Foundation
import Testing
import TestSupport
@testable import PXEFarmCommands

/// `pxefarm build`'s progress: a bar with time left on a terminal, one line per
/// phase in a log (standard error not a terminal).
@Suite struct BuildProgressTests {
    @Test func theBarShowsThePhaseRateAndTimeLeft() {
        let bar = ProgressLine.bar(BuildProgress(phase: .nodeTrees, done: 20, total: 80), elapsed: 2, width: 10)
        #expect(bar == "node trees [##........] 20/80 nodes, 10/s, 6 s left")
    }

    @Test func offATerminalEachPhaseIsOneLineWhenItEnds() {
        #expect(ProgressLine.line(BuildProgress(phase: .generation, done: 3, total: 9)) == nil)
        #expect(ProgressLine.line(BuildProgress(phase: .generation, done: 9, total: 9)) == "generation: 9 outputs\n")
        #expect(ProgressLine.line(BuildProgress(phase: .nodeTrees, done: 65, total: 65)) == "node trees: 65 nodes\n")
    }

    /// Needs the demo image (`make image`).
    @Test func aBuildIntoALogPrintsOneLinePerPhase() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("pxefarm-progress-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let first = try CommandRunner.run(["build", "examples/dc2/farm.yaml", "--out", out], in: repository)
        #expect(first.status == 0)
        let outputs = try #require(first.stderr.firstMatch(of: /^generation: (\d+) outputs\n/).map { Int($0.1)! })
        #expect(outputs > 100)
        #expect(first.stderr == "generation: \(outputs) outputs\nnode trees: 65 nodes\n")
        // Nothing changed: no generation is written and no node tree touched, so no phase line.
        let again = try CommandRunner.run(["build", "examples/dc2/farm.yaml", "--out", out], in: repository)
        #expect(again.status == 0)
        #expect(again.stderr == "")
    }
}
