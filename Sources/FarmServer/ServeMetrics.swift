import NIOConcurrencyHelpers

/// What `pxefarm serve` counts for `GET /metrics` beyond the listeners' own
/// counters: TFTP and HTTP transfers as they end (outcome, bytes, time) and
/// transfers under way. `registry(_:)` turns all of it, and the snapshot the
/// daemon passes in, into a `MetricsRegistry` at each scrape.
public final class ServeMetrics: Sendable {
    struct State {
        var tftpTransfers: [String: Int] = [:]
        var tftpBytes = 0
        var tftpSeconds = Histogram(bounds: Histogram.transferSeconds)
        var httpRequests: [HTTPKey: Int] = [:]
        var httpBytes = 0
        var httpSeconds = Histogram(bounds: Histogram.transferSeconds)
        var httpActive = 0
    }

    struct HTTPKey: Hashable {
        var route: String
        var status: Int
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    /// A boot file fetched: a TFTP transfer, or a boot file the HTTP listener
    /// answered itself (counted with the HTTP requests, route `boot-file`).
    public func fetchEnded(_ report: TFTPFetchReport) {
        guard report.overHTTP else { return tftpTransferEnded(report) }
        state.withLockedValue { state in
            state.httpRequests[HTTPKey(route: "boot-file", status: report.completed ? 200 : 0), default: 0] += 1
            state.httpBytes += report.bytes
            state.httpSeconds.observe(report.seconds)
        }
    }

    public func tftpTransferEnded(_ report: TFTPFetchReport) {
        state.withLockedValue { state in
            state.tftpTransfers[report.completed ? "completed" : "failed", default: 0] += 1
            state.tftpBytes += report.bytes
            state.tftpSeconds.observe(report.seconds)
        }
    }

    public func httpStarted() { state.withLockedValue { $0.httpActive += 1 } }

    public func httpAnswered(route: String, status: Int, bytes: Int, seconds: Double) {
        state.withLockedValue { state in
            state.httpActive -= 1
            state.httpRequests[HTTPKey(route: route, status: status), default: 0] += 1
            state.httpBytes += bytes
            state.httpSeconds.observe(seconds)
        }
    }

    /// What the daemon reads off its listeners and state at scrape time.
    public struct Snapshot: Sendable {
        public var dhcpAnswers: [String: Int] = [:]
        public var dhcpRefusals: [String: Int] = [:]
        public var tftpRefusals: [String: Int] = [:]
        public var mtftpRefusals: [String: Int] = [:]
        public var httpRefusals: [String: Int] = [:]
        public var tftpActive = 0
        public var mtftpActive = 0
        /// Nodes by (service, stage) whose last boot reached that stage.
        public var stageNodes: [StageKey: Int] = [:]
        /// Nodes of each running or finished rollout, by its per-node state.
        public var rolloutNodes: [RolloutKey: Int] = [:]

        public init() {}
    }

    public struct StageKey: Hashable, Sendable {
        public var service: String
        public var stage: String
        public init(service: String, stage: String) { self.service = service; self.stage = stage }
    }

    public struct RolloutKey: Hashable, Sendable {
        public var rollout: String
        public var state: String
        public init(rollout: String, state: String) { self.rollout = rollout; self.state = state }
    }

    public func registry(_ snapshot: Snapshot) -> MetricsRegistry {
        let state = state.withLockedValue { $0 }
        return Self.registry(state, snapshot)
    }

    static func registry(_ state: State, _ snapshot: Snapshot) -> MetricsRegistry {
        var registry = MetricsRegistry()
        let dhcpAnswers = "pxefarm_dhcp_answers_total", dhcpRefusals = "pxefarm_dhcp_refusals_total"
        registry.declare(dhcpAnswers, .counter, help: "DHCP and ProxyDHCP replies sent, by listener and message type.")
        for (key, count) in snapshot.dhcpAnswers {
            let parts = key.split(separator: " ", maxSplits: 1).map(String.init)
            registry.counter(dhcpAnswers, help: "", labels: [("listener", parts.first ?? key), ("type", parts.count > 1 ? parts[1] : "-")], Double(count))
        }
        registry.declare(dhcpRefusals, .counter, help: "DHCP packets not answered, by reason.")
        for (reason, count) in snapshot.dhcpRefusals { registry.counter(dhcpRefusals, help: "", labels: [("reason", reason)], Double(count)) }
        for (name, counts, what) in [("pxefarm_tftp_refusals_total", snapshot.tftpRefusals, "TFTP"), ("pxefarm_mtftp_refusals_total", snapshot.mtftpRefusals, "MTFTP"),
                                     ("pxefarm_http_refusals_total", snapshot.httpRefusals, "HTTP")] {
            registry.declare(name, .counter, help: "\(what) requests refused, by reason.")
            for (reason, count) in counts { registry.counter(name, help: "", labels: [("reason", reason)], Double(count)) }
        }
        let tftp = "pxefarm_tftp_transfers_total"
        registry.declare(tftp, .counter, help: "TFTP transfers ended, by outcome.")
        for (outcome, count) in state.tftpTransfers { registry.counter(tftp, help: "", labels: [("outcome", outcome)], Double(count)) }
        registry.counter("pxefarm_tftp_sent_bytes_total", help: "Bytes of file data sent by TFTP transfers that ended.", Double(state.tftpBytes))
        registry.histogram("pxefarm_tftp_transfer_seconds", help: "Time from a TFTP request to the transfer's end.", state.tftpSeconds)
        registry.gauge("pxefarm_tftp_active_transfers", help: "TFTP transfers under way.", Double(snapshot.tftpActive))
        registry.gauge("pxefarm_mtftp_active_transfers", help: "MTFTP transfers under way.", Double(snapshot.mtftpActive))
        let http = "pxefarm_http_requests_total"
        registry.declare(http, .counter, help: "HTTP requests answered by the responder, by route and status.")
        for (key, count) in state.httpRequests { registry.counter(http, help: "", labels: [("route", key.route), ("status", "\(key.status)")], Double(count)) }
        registry.counter("pxefarm_http_sent_bytes_total", help: "Bytes of HTTP answer bodies sent.", Double(state.httpBytes))
        registry.histogram("pxefarm_http_request_seconds", help: "Time the responder took for an HTTP request.", state.httpSeconds)
        registry.gauge("pxefarm_http_active_requests", help: "HTTP requests being answered.", Double(state.httpActive))
        let stages = "pxefarm_boot_stage_nodes"
        registry.declare(stages, .gauge, help: "Nodes whose last recorded boot reached each stage, by service.")
        for (key, count) in snapshot.stageNodes { registry.gauge(stages, help: "", labels: [("service", key.service), ("stage", key.stage)], Double(count)) }
        let rollout = "pxefarm_rollout_nodes"
        registry.declare(rollout, .gauge, help: "Nodes of each rollout, by their state in it.")
        for (key, count) in snapshot.rolloutNodes { registry.gauge(rollout, help: "", labels: [("rollout", key.rollout), ("state", key.state)], Double(count)) }
        return registry
    }
}
