import FarmServer
import Rollout
import Testing
import TestSupport
@testable import PXEFarmCommands

/// `pxefarm rollout status`'s text for a rollout in its second wave: one
/// done, one timed out, two installing (one seen fetching its kickstart),
/// two waiting; a node installed by an earlier rollout and a one-shot boot.
@Suite struct RolloutReportTests {
    @Test func statusMatchesItsGoldenFile() throws {
        let start = 1_795_600_000.0
        let rollout = Rollout(
            service: "linux-install", waveSize: 2, timeout: 1800, powerCycle: "ipmitool -H {node}-ipmi chassis power cycle",
            status: .running, started: start,
            nodes: [
                RolloutNode(name: "n040", wave: 1, stage: .done, since: start + 600, powerCycled: start),
                RolloutNode(name: "n041", wave: 1, stage: .timedOut, since: start + 1800, powerCycled: start),
                RolloutNode(name: "n042", wave: 2, stage: .installing, since: start + 1800, powerCycled: start + 1800),
                RolloutNode(name: "n043", wave: 2, stage: .installing, since: start + 1800, powerCycled: start + 1800),
                RolloutNode(name: "n044", wave: 3),
                RolloutNode(name: "n045", wave: 3),
            ])
        var boot = BootState(rollout: rollout, installed: ["n040": start + 600, "n011": start - 86400])
        boot.bootOnce(node: "n012", arguments: "single", now: start + 100)
        let stages = BootStages(nodes: [
            "n042": [.dhcp: .init(at: start + 1830, detail: "ACK"), .kickstart: .init(at: start + 1850, detail: "ks/n042.cfg for linux-install")],
        ])
        let text = RolloutReport.text(boot, stages: stages, serve: .running(pid: 4242, seenSecondsAgo: 0.4), now: start + 2400)
        #expect(text == (try GoldenFile.expected(text, path: GoldenFile.fixtures() + "/rollout/status.txt")))
        let stopped = RolloutReport.text(BootState(), stages: BootStages(), serve: .stopped(lastSeen: start), now: start + 60)
        #expect(stopped == "pxefarm serve: not running since 2026-11-25T09:46:40Z; nothing moves until it runs again\nno rollout\n")
    }
}
