import Dispatch
import Logging
import NIOCore
import NIOPosix
import Glibc

/// `pxefarm serve`'s process: one event loop group, one listener per
/// protocol, each with its own channel handlers (TFTP; DHCP or ProxyDHCP on
/// the DHCP port and 4011; MTFTP; HTTP for installers), and the boot-state
/// controller applying rollouts and one-shot boots, running until SIGINT
/// or SIGTERM; SIGHUP reloads the farm. Transfers under way when the signal comes are given up to
/// `drainSeconds` to finish.
public final class FarmDaemon {
    public struct Configuration: Sendable {
        public var tftp: TFTPServer.Configuration
        /// MTFTP shares the TFTP root and file cache; nil leaves it off.
        public var mtftp: MTFTPServer.Configuration?
        public var threads: Int
        public var drainSeconds: Int
        /// DHCP or ProxyDHCP beside TFTP; nil serves TFTP only.
        public var dhcp: DHCPService?
        /// Where boot stages go; written once a second while something changed.
        public var stages: BootStageRecorder?
        /// How often the refused-packet counts are logged (when they changed; one line per listener); also logged at shutdown.
        public var refusalReportSeconds: Int
        /// Rollouts, installed nodes and one-shot boots applied to what is served;
        /// SIGHUP reloads the farm through it.
        public var bootState: BootStateController?
        /// The HTTP listener for installers (kickstart files, callbacks),
        /// answered by `bootState`; nil leaves it off.
        public var http: HTTPServer.Configuration?
        /// Transfer counts for `GET /metrics` on the HTTP listener; nil answers /metrics with 404.
        public var metrics: ServeMetrics?

        public init(tftp: TFTPServer.Configuration, mtftp: MTFTPServer.Configuration? = nil,
                    threads: Int = System.coreCount, drainSeconds: Int = 5,
                    dhcp: DHCPService? = nil, stages: BootStageRecorder? = nil, refusalReportSeconds: Int = 60,
                    bootState: BootStateController? = nil, http: HTTPServer.Configuration? = nil, metrics: ServeMetrics? = nil) {
            self.tftp = tftp
            self.mtftp = mtftp
            self.threads = threads
            self.drainSeconds = drainSeconds
            self.dhcp = dhcp
            self.stages = stages
            self.refusalReportSeconds = refusalReportSeconds
            self.bootState = bootState
            self.http = http
            self.metrics = metrics
        }
    }

    public let configuration: Configuration
    private let logger: Logger

    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Starts every listener, then blocks until SIGINT or SIGTERM. Throws when
    /// a listener cannot start (nothing is left running then).
    public func run() throws {
        // Signal handling before anything else: a SIGTERM that arrives while the
        // listeners start must stop the daemon, not fall between SIG_IGN and the source.
        let stop = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            sources.append(source)
        }
        defer { sources.forEach { $0.cancel() } }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.threads))
        defer { try? group.syncShutdownGracefully() }
        let tftp = try TFTPServer.start(configuration.tftp, group: group, logger: logger).wait()
        let mtftp: MTFTPServer?
        do {
            mtftp = try configuration.mtftp.map { try MTFTPServer.start($0, cache: tftp.cache, group: group, logger: logger).wait() }
        } catch {
            try? tftp.stop().wait()
            throw error
        }
        let dhcp: DHCPServer?
        do {
            dhcp = try configuration.dhcp.map {
                try DHCPServer.start($0.configuration, context: $0.context, stages: configuration.stages, group: group, logger: logger).wait()
            }
        } catch {
            try? mtftp?.stop().wait()
            try? tftp.stop().wait()
            throw error
        }
        let http: HTTPServer?
        do {
            if var settings = configuration.http, let controller = configuration.bootState {
                // HTTP boot: the TFTP tree under its TFTP names, through TFTP's own overlay, path policy and file cache.
                if settings.files == nil {
                    settings.files = HTTPBootFiles(policy: try TFTPPathPolicy(root: configuration.tftp.root), cache: tftp.cache,
                                                   overlay: configuration.tftp.overlay, onFetch: configuration.tftp.onTransferEnd)
                }
                let scrape = MetricsScrape(metrics: configuration.metrics, stages: configuration.stages, controller: controller,
                                           tftp: tftp, mtftp: mtftp, dhcp: dhcp)
                http = try HTTPServer.start(settings, responder: scrape.responder(controller.respond), group: group, logger: logger).wait()
                scrape.http.withLockedValue { $0 = http }
            } else {
                http = nil
            }
        } catch {
            try? dhcp?.stop().wait()
            try? mtftp?.stop().wait()
            try? tftp.stop().wait()
            throw error
        }
        let interval = TimeAmount.seconds(Int64(max(1, configuration.refusalReportSeconds)))
        let reports = group.next().scheduleRepeatedTask(initialDelay: interval, delay: interval) { [logger] _ in
            tftp.refusals.report(to: logger)
            mtftp?.refusals.report(to: logger)
            dhcp?.refusals.report(to: logger)
            http?.refusals.report(to: logger)
        }
        let flushing = configuration.stages.map { stages in
            group.next().scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in stages.flush() }
        }
        if let dhcp, let controller = configuration.bootState {
            controller.onFarmChange { farm in _ = dhcp.follow(discoveryGroup: farm.discovery.multicast) }
        }
        configuration.bootState?.start()
        let reloading = configuration.bootState.map { controller in
            signal(SIGHUP, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
            source.setEventHandler { controller.reload() }
            source.resume()
            return source
        }

        stop.wait()
        logger.info("stopping", metadata: ["transfers": "\(tftp.activeTransfers)"])
        reports.cancel()
        tftp.refusals.report(to: logger, always: true)
        mtftp?.refusals.report(to: logger, always: true)
        dhcp?.refusals.report(to: logger, always: true)
        http?.refusals.report(to: logger, always: true)
        try? http?.stop().wait()
        try? tftp.stop().wait()
        try? mtftp?.stop().wait()
        reloading?.cancel()
        configuration.bootState?.stop()
        try? dhcp?.stop().wait()
        flushing?.cancel()
        configuration.stages?.flush()
        var waited = 0
        while tftp.activeTransfers + (mtftp?.activeTransfers ?? 0) > 0, waited < configuration.drainSeconds * 10 {
            usleep(100_000)
            waited += 1
        }
    }

}
