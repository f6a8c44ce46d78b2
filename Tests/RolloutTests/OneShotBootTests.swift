import FarmModel
import Testing
@testable import Rollout

@Suite struct OneShotBootTests {
    let farm = RolloutFarm.farm()

    @Test func argumentsComeAfterTheNodesOwnUntilTheKernelIsFetched() {
        var state = BootState()
        state.bootOnce(node: "n040", arguments: "single", now: 1)
        #expect(state.applied(to: farm).node(named: "n040")!.kernelArguments == "quiet single")
        #expect(state.applied(to: farm).node(named: "n040")!.service == "linux-boot")
        #expect(state.overriddenNodes(in: farm).map(\.name) == ["n040"])
        #expect(state.kernelFetched(node: "n040") == OneShotBoot(arguments: "single", requested: 1))
        #expect(state.kernelFetched(node: "n040") == nil)
        #expect(state.applied(to: farm) == farm)
    }

    @Test func resetForgetsInstallAndArguments() {
        var state = BootState(installed: ["n041": 1])
        state.bootOnce(node: "n041", arguments: "init=/bin/sh", now: 2)
        #expect(state.reset(node: "n041") == ["local boot after its install", "one-shot arguments \"init=/bin/sh\""])
        #expect(state.reset(node: "n041") == [])
        #expect(state == BootState())
    }
}
