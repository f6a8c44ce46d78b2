import FarmModel
import Testing
@testable import Rollout

/// `pxefarm rollout start`'s arguments, checked against the farm with one
/// clear sentence per mistake.
@Suite struct RolloutRequestTests {
    let farm = RolloutFarm.farm()

    func refusal(_ request: RolloutRequest, farm: Farm? = nil) -> String? {
        do {
            _ = try request.rollout(for: farm ?? self.farm, now: 0)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func namesListsAndRangesInTheOrderWritten() throws {
        let nodes = try NodeSelection.nodes("n103, n[040-042],n041", in: farm)
        #expect(nodes.map(\.name) == ["n103", "n040", "n041", "n042"])
    }

    @Test func mistakesAreNamed() {
        #expect(refusal(RolloutRequest(service: "linux-isntall", nodes: "n040", waveSize: 1))
            == "the farm has no service linux-isntall (it has local, linux-install, linux-boot)")
        #expect(refusal(RolloutRequest(service: "linux-boot", nodes: "n040", waveSize: 1))
            == "service linux-boot has no kickstart template, so it cannot install nodes; give it `kickstart:` in the farm file")
        #expect(refusal(RolloutRequest(service: "linux-install", nodes: "n040", waveSize: 1), farm: RolloutFarm.farm(localBoot: false))?
            .hasPrefix("the farm has no local-boot service (type 0)") == true)
        #expect(refusal(RolloutRequest(service: "linux-install", nodes: "n[040-200]", waveSize: 1)) == "the farm has no node n104")
        #expect(refusal(RolloutRequest(service: "linux-install", nodes: "n[050-040]", waveSize: 1)) == "--nodes n[050-040]: range runs backwards: 50 is after 40")
        #expect(refusal(RolloutRequest(service: "linux-install", nodes: " , ", waveSize: 1)) == "--nodes names no node")
        #expect(refusal(RolloutRequest(service: "linux-install", nodes: "n040", waveSize: 0)) == "--wave 0: a wave has at least one node")
        #expect(refusal(RolloutRequest(service: "linux-install", nodes: "n040", waveSize: 1, timeout: "soon"))
            == "--timeout soon is not a duration such as 90s, 45m or 2h")
    }

    @Test func durations() {
        #expect(Duration.seconds("90s") == 90)
        #expect(Duration.seconds("45m") == 2700)
        #expect(Duration.seconds("2h") == 7200)
        #expect(Duration.seconds("600") == 600)
        for bad in ["", "m", "0m", "-5m", "1.5h", "169h", "99999999s", "5 m", "٣m"] {
            #expect(Duration.seconds(bad) == nil, "\(bad)")
        }
    }

    @Test func wavesAreCutInOrder() throws {
        let rollout = try RolloutRequest(service: "linux-install", nodes: "n[040-049]", waveSize: 4).rollout(for: farm, now: 0)
        #expect(rollout.nodes.map(\.wave) == [1, 1, 1, 1, 2, 2, 2, 2, 3, 3])
    }

    @Test func powerCycleValuesCannotBecomeShell() {
        #expect(PowerCycleCommand.quoted("it's") == "'it'\\''s'")
    }
}
