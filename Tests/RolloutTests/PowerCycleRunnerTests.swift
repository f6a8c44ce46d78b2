import Foundation
import Testing
import Rollout

@Suite struct PowerCycleRunnerTests {
    /// The outcomes a run reported, in order, and a signal once it ended.
    final class Outcomes: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [PowerCycleRunner.Outcome] = []
        let ended = DispatchSemaphore(value: 0)

        func add(_ outcome: PowerCycleRunner.Outcome) {
            lock.withLock { list.append(outcome) }
            if case .finished = outcome { ended.signal() }
        }

        var all: [PowerCycleRunner.Outcome] { lock.withLock { list } }
    }

    @Test func reportsTheStartThenTheStatusAndTheFirstOutput() {
        let outcomes = Outcomes()
        PowerCycleRunner().run("echo cycled n1; exit 3") { outcomes.add($0) }
        // Generous: the wait only bounds a hang, nothing is timed.
        #expect(outcomes.ended.wait(timeout: .now() + 60) == .success)
        #expect(outcomes.all == [.started(command: "echo cycled n1; exit 3"), .finished(status: 3, output: "cycled n1")])
    }

    @Test func keepsOnlyTheFirst512BytesOfOutput() {
        let outcomes = Outcomes()
        PowerCycleRunner().run("printf '%02000d' 7") { outcomes.add($0) }
        #expect(outcomes.ended.wait(timeout: .now() + 60) == .success)
        #expect(outcomes.all.last == .finished(status: 0, output: String(repeating: "0", count: 512)))
    }
}
