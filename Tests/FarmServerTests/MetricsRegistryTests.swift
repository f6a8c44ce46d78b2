import Testing
import TestSupport
@testable import FarmServer

/// The exposition text, byte for byte (golden files under Fixtures/metrics).
@Suite struct MetricsRegistryTests {
    @Test func rendersFamiliesSortedWithEscapedLabelsAndHistograms() throws {
        var registry = MetricsRegistry()
        registry.counter("b_total", help: "Second family.\nWith a \\ in its help.", labels: [("reason", "quote \" and\nline")], 3)
        registry.counter("b_total", help: "", labels: [("reason", "a-first")], 1)
        registry.gauge("a_gauge", help: "First family.", 0.25)
        registry.declare("c_empty_total", .counter, help: "Declared, nothing counted yet.")
        var histogram = Histogram(bounds: [1, 0.5, 5])
        for value in [0.1, 0.5, 0.7, 4, 100] { histogram.observe(value) }
        registry.histogram("d_seconds", help: "A histogram.", labels: [("kind", "x")], histogram)
        let text = registry.rendered()
        #expect(text == (try GoldenFile.expected(text, path: GoldenFile.fixtures() + "/metrics/registry.txt")))
    }

    @Test func numbersAreWholeWhereTheyCanBe() {
        #expect(MetricsRegistry.number(3) == "3")
        #expect(MetricsRegistry.number(0.125) == "0.125")
        #expect(MetricsRegistry.number(.infinity) == "+Inf")
        #expect(MetricsRegistry.number(.nan) == "NaN")
    }

    @Test func histogramBucketsAreCumulative() {
        var histogram = Histogram(bounds: [0.1, 1, 10])
        for value in [0.05, 0.1, 0.5, 20] { histogram.observe(value) }
        #expect(histogram.cumulativeCounts == [2, 3, 3])
        #expect(histogram.count == 4)
        #expect(histogram.sum == 20.65)
    }

    /// Every family serve exposes, from one state and snapshot.
    @Test func serveMetricsRenderAsTheirGoldenFile() throws {
        var state = ServeMetrics.State()
        state.tftpTransfers = ["completed": 130, "failed": 2]
        state.tftpBytes = 1_234_567
        for seconds in [0.004, 0.03, 0.2, 1.5, 12] { state.tftpSeconds.observe(seconds) }
        state.httpRequests = [.init(route: "kickstart", status: 200): 64, .init(route: "done", status: 403): 1]
        state.httpBytes = 65_536
        state.httpSeconds.observe(0.002)
        var snapshot = ServeMetrics.Snapshot()
        snapshot.dhcpAnswers = ["dhcp OFFER": 64, "dhcp ACK": 64, "pxe ACK": 64]
        snapshot.dhcpRefusals = ["unknown-client": 7]
        snapshot.tftpRefusals = ["path-not-found": 3]
        snapshot.tftpActive = 2
        snapshot.stageNodes = [.init(service: "linux-install", stage: "kickstart"): 64, .init(service: "linux-install", stage: "dhcp"): 64]
        snapshot.rolloutNodes = [.init(rollout: "linux-install", state: "installed"): 60, .init(rollout: "linux-install", state: "installing"): 4]
        let text = ServeMetrics.registry(state, snapshot).rendered()
        #expect(text == (try GoldenFile.expected(text, path: GoldenFile.fixtures() + "/metrics/serve.txt")))
    }
}
