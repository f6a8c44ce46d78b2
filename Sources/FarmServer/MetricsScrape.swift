import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Rollout

/// The daemon's side of `GET /metrics`: reads every listener's counters, the
/// boot stages and the rollout at scrape time into `ServeMetrics.Snapshot`,
/// and times the other HTTP requests on their way to the responder.
final class MetricsScrape: Sendable {
    let metrics: ServeMetrics?
    let stages: BootStageRecorder?
    let controller: BootStateController
    let tftp: TFTPServer
    let mtftp: MTFTPServer?
    let dhcp: DHCPServer?
    /// Set once the HTTP listener is up (its refusals are part of the scrape).
    let http = NIOLockedValueBox<HTTPServer?>(nil)

    init(metrics: ServeMetrics?, stages: BootStageRecorder?, controller: BootStateController, tftp: TFTPServer, mtftp: MTFTPServer?, dhcp: DHCPServer?) {
        self.metrics = metrics
        self.stages = stages
        self.controller = controller
        self.tftp = tftp
        self.mtftp = mtftp
        self.dhcp = dhcp
    }

    /// `respond` with /metrics answered here and every other request counted.
    func responder(_ respond: @escaping @Sendable (HTTPRequestInfo) -> HTTPAnswer) -> @Sendable (HTTPRequestInfo) -> HTTPAnswer {
        { [self] request in
            guard let metrics else { return respond(request) }
            if request.route == .metrics {
                return HTTPAnswer(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8",
                                  body: ByteBuffer(string: metrics.registry(snapshot()).rendered()), logReason: "metrics")
            }
            metrics.httpStarted()
            let start = DispatchTime.now().uptimeNanoseconds
            let answer = respond(request)
            let route = switch request.route {
            case .kickstart: "kickstart"
            case .done: "done"
            case .bootScript: "boot-script"
            case .bootFile: "boot-file"
            case .metrics: "metrics"
            }
            metrics.httpAnswered(route: route, status: answer.status, bytes: answer.body.readableBytes,
                                 seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            return answer
        }
    }

    func snapshot() -> ServeMetrics.Snapshot {
        var snapshot = ServeMetrics.Snapshot()
        snapshot.dhcpAnswers = dhcp?.answers.counts ?? [:]
        snapshot.dhcpRefusals = dhcp?.refusals.counts ?? [:]
        snapshot.tftpRefusals = tftp.refusals.counts
        snapshot.mtftpRefusals = mtftp?.refusals.counts ?? [:]
        snapshot.httpRefusals = http.withLockedValue { $0?.refusals.counts } ?? [:]
        snapshot.tftpActive = tftp.activeTransfers
        snapshot.mtftpActive = mtftp?.activeTransfers ?? 0
        let farm = controller.served
        let serviceOf = Dictionary(farm.nodes.map { ($0.name, $0.service) }, uniquingKeysWith: { first, _ in first })
        for (node, reached) in stages?.snapshot.nodes ?? [:] {
            for stage in reached.keys {
                snapshot.stageNodes[ServeMetrics.StageKey(service: serviceOf[node] ?? "-", stage: stage.rawValue), default: 0] += 1
            }
        }
        if let rollout = controller.current.rollout {
            for (stage, count) in rollout.counts {
                snapshot.rolloutNodes[ServeMetrics.RolloutKey(rollout: rollout.service, state: stage.rawValue), default: 0] += count
            }
        }
        return snapshot
    }
}
