import FarmModel
import Testing
@testable import Rollout

/// The rollout's transitions, driven by hand with a clock that only moves
/// when the test says so.
@Suite struct RolloutTransitionTests {
    let farm = RolloutFarm.farm()

    func started(wave: Int = 16, timeout: String = "30m", nodes: String = "n[040-103]", at now: Double = 1000) throws -> (BootState, [RolloutEvent]) {
        let rollout = try RolloutRequest(service: "linux-install", nodes: nodes, waveSize: wave, timeout: timeout).rollout(for: farm, now: now)
        var state = BootState()
        let events = try state.start(rollout, now: now)
        return (state, events)
    }

    func names(_ state: BootState, _ stage: RolloutStage) -> [String] {
        state.rollout!.nodes.filter { $0.stage == stage }.map(\.name)
    }

    @Test func sixtyFourNodesGoThroughFourWavesToLocalBoot() throws {
        var (state, events) = try started()
        #expect(state.rollout!.waveCount == 4)
        #expect(events == [.waveStarted(wave: 1, nodes: (40...55).map { "n0\($0)" })])
        var now = 1000.0
        for wave in 1...4 {
            let installing = names(state, .installing)
            #expect(installing.count == 16)
            #expect(state.rollout!.currentWave == wave)
            for (offset, node) in installing.enumerated() {
                now += 10
                let happened = try state.reportDone(node: node, now: now)
                #expect(happened.first == .done(node: node, late: false))
                if offset < 15 {
                    #expect(happened.count == 1, "the next wave waits for the whole of wave \(wave)")
                } else if wave < 4 {
                    #expect(happened.last == .waveStarted(wave: wave + 1, nodes: state.rollout!.nodes.filter { $0.wave == wave + 1 }.map(\.name)))
                } else {
                    #expect(happened.last == .finished(counts: [.done: 64]))
                }
            }
        }
        #expect(state.rollout!.status == .finished)
        #expect(state.installed.count == 64)
        let served = state.applied(to: farm)
        #expect(served.nodes.allSatisfy { $0.service == "local" }, "every installed node boots locally")
    }

    @Test func aNodeServesTheInstallServiceOnlyWhileItsWaveRuns() throws {
        let (state, _) = try started()
        let served = state.applied(to: farm)
        #expect(served.node(named: "n040")!.service == "linux-install")
        #expect(served.node(named: "n055")!.service == "linux-install")
        #expect(served.node(named: "n056")!.service == "linux-boot", "wave 2 waits on its farm service")
        #expect(state.overriddenNodes(in: farm).map(\.name) == (40...55).map { "n0\($0)" })
    }

    @Test func silentNodesTimeOutAndTheNextWaveStarts() throws {
        var (state, _) = try started(wave: 16, timeout: "30m", at: 1000)
        for node in names(state, .installing).prefix(10) { _ = try state.reportDone(node: node, now: 1100) }
        #expect(state.advance(now: 1000 + 1799).isEmpty, "not yet: the timeout is 30 minutes from the wave's start")
        let events = state.advance(now: 1000 + 1800)
        #expect(events.filter { if case .timedOut = $0 { true } else { false } }.count == 6)
        #expect(events.last == .waveStarted(wave: 2, nodes: (56...71).map { "n0\($0)" }))
        let timedOut = names(state, .timedOut)
        #expect(timedOut == (50...55).map { "n0\($0)" })
        #expect(state.applied(to: farm).node(named: "n050")!.service == "linux-boot", "a timed-out node goes back to its farm service")
        // A late report still counts: the install did finish.
        #expect(try state.reportDone(node: "n050", now: 3000) == [.done(node: "n050", late: true)])
        #expect(state.applied(to: farm).node(named: "n050")!.service == "local")
    }

    @Test func reportsFromNodesNotInstallingAreRefused() throws {
        var (state, _) = try started()
        #expect(throws: RolloutError.notInstalling(node: "n060", stage: .waiting)) { try state.reportDone(node: "n060", now: 1001) }
        #expect(throws: RolloutError.notInRollout(node: "n011")) { try state.reportDone(node: "n011", now: 1001) }
        _ = try state.reportDone(node: "n040", now: 1001)
        #expect(try state.reportDone(node: "n040", now: 1002) == [.alreadyDone(node: "n040")], "a repeated callback changes nothing")
    }

    @Test func aNodeTheFarmPutsOnAnInstallServiceMayReportWithoutARollout() throws {
        var state = BootState()
        #expect(try state.reportDone(node: "n041", now: 5, outsideRollout: true) == [.done(node: "n041", late: false)])
        #expect(state.applied(to: farm).node(named: "n041")!.service == "local")
    }

    @Test func pauseHoldsTheNextWaveAndResumeStartsIt() throws {
        var (state, _) = try started(wave: 32)
        #expect(try state.pause() == [.paused])
        for node in names(state, .installing) { _ = try state.reportDone(node: node, now: 1010) }
        #expect(state.rollout!.currentWave == nil)
        #expect(names(state, .waiting).count == 32, "paused: wave 2 does not start")
        #expect(state.advance(now: 99999).isEmpty)
        let resumed = try state.resume(now: 1020)
        #expect(resumed.first == .resumed)
        #expect(resumed.last == .waveStarted(wave: 2, nodes: (72...103).map { "n\(String($0).leftPadded(3))" }))
    }

    @Test func abortSendsUnfinishedNodesBackAndKeepsInstalledOnesLocal() throws {
        var (state, _) = try started()
        _ = try state.reportDone(node: "n040", now: 1001)
        let events = try state.abort(now: 1002)
        #expect(events == [.aborted(nodes: (41...103).map { "n\(String($0).leftPadded(3))" })])
        let served = state.applied(to: farm)
        #expect(served.node(named: "n040")!.service == "local")
        #expect(served.node(named: "n041")!.service == "linux-boot")
        #expect(throws: RolloutError.noActiveRollout(status: .aborted)) { try state.pause() }
        #expect(throws: RolloutError.notInstalling(node: "n041", stage: .aborted)) { try state.reportDone(node: "n041", now: 1003) }
    }

    @Test func aSecondRolloutWaitsForTheFirst() throws {
        var (state, _) = try started()
        let another = try RolloutRequest(service: "linux-install", nodes: "n090", waveSize: 1).rollout(for: farm, now: 0)
        #expect(throws: RolloutError.alreadyRunning(service: "linux-install", status: .running)) { try state.start(another, now: 1) }
        _ = try state.abort(now: 2)
        let again = try RolloutRequest(service: "linux-install", nodes: "n040", waveSize: 1).rollout(for: farm, now: 3)
        #expect(try state.start(again, now: 3) == [.waveStarted(wave: 1, nodes: ["n040"])])
    }

    @Test func reinstallingANodeClearsItsLocalBootWhenItsWaveStarts() throws {
        var state = BootState(installed: ["n040": 1, "n060": 1])
        let rollout = try RolloutRequest(service: "linux-install", nodes: "n040,n060", waveSize: 1).rollout(for: farm, now: 10)
        _ = try state.start(rollout, now: 10)
        let served = state.applied(to: farm)
        #expect(served.node(named: "n040")!.service == "linux-install")
        #expect(served.node(named: "n060")!.service == "local", "wave 2 has not started: still installed")
    }

    @Test func powerCycleIsAskedOnceForEachNodeOfAStartedWave() throws {
        let request = RolloutRequest(service: "linux-install", nodes: "n[040-043]", waveSize: 2, powerCycle: "ipmitool -H {node}-ipmi chassis power cycle")
        var state = BootState()
        _ = try state.start(try request.rollout(for: farm, now: 0), now: 0)
        #expect(state.nodesToPowerCycle == ["n040", "n041"])
        state.markPowerCycled("n040", now: 1)
        #expect(state.nodesToPowerCycle == ["n041"])
        let node = farm.node(named: "n041")!
        #expect(PowerCycleCommand.expand(state.rollout!.powerCycle!, for: node) == "ipmitool -H 'n041'-ipmi chassis power cycle")
    }
}
