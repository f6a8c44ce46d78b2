import Testing
import TestSupport
import FarmModel
@testable import BootConfig

/// The per-node iPXE scripts `pxefarm serve` answers at `/boot/01-<mac>.ipxe`
/// when the farm boots iPXE clients over HTTP, against readable fixtures: an
/// NFS-root node, a node with arguments of its own, an installing node (its
/// kickstart URL), and a local-boot node (`exit`).
@Suite struct IPXEScriptRendererTests {
    @Test func everyNodeOfTheSampleFarm() throws {
        let farm = BootSampleFarm.farm()
        let templates = try BootConfigGoldenTests.templates()
        for node in farm.nodes {
            let script = try #require(try IPXEScriptRenderer.script(for: node, in: farm, base: "http://192.168.197.11:8067", with: templates))
            try GoldenFile.check(script, against: "ipxe/" + IPXEScriptRenderer.path(of: node.mac))
        }
    }

    @Test func pathsAreThePXELinuxNamesUnderBoot() {
        let node = BootSampleFarm.farm().nodes[0]
        #expect(IPXEScriptRenderer.path(of: node.mac) == "boot/01-00-d0-b7-1b-12-ed.ipxe")
    }

    @Test func aNodeOfAServiceTheFarmLacksHasNoScript() throws {
        var farm = BootSampleFarm.farm()
        farm.nodes[0].service = "gone"
        #expect(try IPXEScriptRenderer.script(for: farm.nodes[0], in: farm, base: "http://x", with: BootConfigGoldenTests.templates()) == nil)
    }
}
