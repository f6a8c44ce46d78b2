import Dispatch
import Logging
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `pxefarm serve`'s process: one event loop group, one listener per
/// protocol, each with its own channel handlers (TFTP today; the DHCP,
/// ProxyDHCP on 4011 and MTFTP listeners join here), running until SIGINT
/// or SIGTERM. Transfers under way when the signal comes are given up to
/// `drainSeconds` to finish.
public final class FarmDaemon {
    public struct Configuration: Sendable {
        public var tftp: TFTPServer.Configuration
        public var threads: Int
        public var drainSeconds: Int
        /// How often the refused-packet counts are logged (when they changed); also logged at shutdown.
        public var refusalReportSeconds: Int

        public init(tftp: TFTPServer.Configuration, threads: Int = System.coreCount, drainSeconds: Int = 5,
                    refusalReportSeconds: Int = 60) {
            self.tftp = tftp
            self.threads = threads
            self.drainSeconds = drainSeconds
            self.refusalReportSeconds = refusalReportSeconds
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
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.threads))
        defer { try? group.syncShutdownGracefully() }
        let tftp = try TFTPServer.start(configuration.tftp, group: group, logger: logger).wait()
        let logger = self.logger
        let interval = TimeAmount.seconds(Int64(max(1, configuration.refusalReportSeconds)))
        let reports = group.next().scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            tftp.refusals.report(to: logger)
        }

        let stop = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            sources.append(source)
        }
        stop.wait()
        sources.forEach { $0.cancel() }
        logger.info("stopping", metadata: ["transfers": "\(tftp.activeTransfers)"])
        reports.cancel()
        tftp.refusals.report(to: logger, always: true)
        try? tftp.stop().wait()
        var waited = 0
        while tftp.activeTransfers > 0, waited < configuration.drainSeconds * 10 {
            usleep(100_000)
            waited += 1
        }
    }
}
