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
        /// MTFTP shares the TFTP root and file cache; nil leaves it off.
        public var mtftp: MTFTPServer.Configuration?
        public var threads: Int
        public var drainSeconds: Int

        public init(tftp: TFTPServer.Configuration, mtftp: MTFTPServer.Configuration? = nil,
                    threads: Int = System.coreCount, drainSeconds: Int = 5) {
            self.tftp = tftp
            self.mtftp = mtftp
            self.threads = threads
            self.drainSeconds = drainSeconds
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
        var mtftp: MTFTPServer?
        if let settings = configuration.mtftp {
            do {
                mtftp = try MTFTPServer.start(settings, cache: tftp.cache, group: group, logger: logger).wait()
            } catch {
                try? tftp.stop().wait()
                throw error
            }
        }

        stop.wait()
        logger.info("stopping", metadata: ["transfers": "\(tftp.activeTransfers)"])
        try? tftp.stop().wait()
        try? mtftp?.stop().wait()
        var waited = 0
        while tftp.activeTransfers + (mtftp?.activeTransfers ?? 0) > 0, waited < configuration.drainSeconds * 10 {
            usleep(100_000)
            waited += 1
        }
    }
}
