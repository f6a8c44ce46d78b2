import Foundation
import Testing
import TestSupport

/// `GET /metrics` of a running `pxefarm serve` on 127.0.0.1: after a TFTP
/// fetch, `promtool check metrics` accepts the text and a real Prometheus
/// server, started here on 127.0.0.1, scrapes it (`up == 1`) and sees the
/// transfer.
@Suite struct MetricsScrapeTests {
    static var curl: String { Peer.curl.path ?? "curl" }
    static var promtool: String { Peer.promtool.path ?? "promtool" }
    static var prometheus: String { Peer.prometheus.path ?? "prometheus" }

    /// A serve process on loopback ports it picks itself, HTTP included.
    final class Serve {
        let process = Process()
        let errors = Pipe()
        var log = ""
        var tftpPort = "", httpPort = ""

        init(out: String) throws {
            process.executableURL = URL(fileURLWithPath: CommandRunner.executable)
            process.arguments = ["serve", "Tests/PXEFarmCommandsTests/Fixtures/small.yaml", "--out", out,
                                 "--address", "127.0.0.1", "--tftp-port", "0", "--mtftp-port", "0", "--no-dhcp", "--http-port", "0"]
            process.currentDirectoryURL = URL(fileURLWithPath: repository)
            process.standardError = errors
            try process.run()
            while !(log.contains("mtftp serving") && log.contains("http serving")) {
                let chunk = errors.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                log += String(decoding: chunk, as: UTF8.self)
            }
            tftpPort = try Self.port(of: " tftp serving", in: log)
            httpPort = try Self.port(of: " http serving", in: log)
        }

        static func port(of message: String, in log: String) throws -> String {
            let line = log.split(separator: "\n").first { $0.hasSuffix(message) }
            return try #require(line?.firstMatch(of: /port=(\d+)/).map { String($0.1) }, "no port for\(message) in: \(log)")
        }

        func stop() {
            guard process.isRunning else { return }
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// A free TCP port on 127.0.0.1 for Prometheus' own listener.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        #expect(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test(.needs(.curl, .promtool, .prometheus))
    func promtoolAcceptsAndPrometheusScrapesServe() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pxefarm-metrics-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let boot = scratch + "/out/tftpboot/X86PC/UNDI/boot"
        try FileManager.default.createDirectory(atPath: boot, withIntermediateDirectories: true)
        try Data((0..<70_001).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: URL(fileURLWithPath: boot + "/linux.1"))
        let serve = try Serve(out: scratch + "/out")
        defer { serve.stop() }

        let fetch = try ProgramRun.run(Self.curl, ["-sS", "-o", scratch + "/fetched", "tftp://127.0.0.1:\(serve.tftpPort)/X86PC/UNDI/boot/linux.1"])
        #expect(fetch.status == 0, "\(fetch.output)")
        let metricsURL = "http://127.0.0.1:\(serve.httpPort)/metrics"
        // The transfer is counted when its last ACK arrives, just after curl is done.
        var text = ""
        for _ in 0..<50 {
            text = try ProgramRun.run(Self.curl, ["-sS", metricsURL]).output
            if text.contains("pxefarm_tftp_transfers_total{outcome=\"completed\"} 1\n") { break }
            usleep(100_000)
        }
        #expect(text.contains("pxefarm_tftp_transfers_total{outcome=\"completed\"} 1\n"))
        #expect(text.contains("pxefarm_tftp_sent_bytes_total 70001\n"))
        #expect(text.contains("pxefarm_tftp_transfer_seconds_count 1\n"))
        let check = try ProgramRun.run(Self.promtool, ["check", "metrics"], input: text)
        #expect(check.status == 0 && check.output.isEmpty, "promtool check metrics: \(check.output)")

        let webPort = try Self.freePort()
        let config = """
            global: {scrape_interval: 1s, scrape_timeout: 1s}
            scrape_configs:
              - job_name: pxefarm
                static_configs: [{targets: ["127.0.0.1:\(serve.httpPort)"]}]

            """
        try Data(config.utf8).write(to: URL(fileURLWithPath: scratch + "/prometheus.yml"))
        let prometheus = Process()
        prometheus.executableURL = URL(fileURLWithPath: Self.prometheus)
        prometheus.arguments = ["--config.file=\(scratch)/prometheus.yml", "--storage.tsdb.path=\(scratch)/tsdb",
                                "--web.listen-address=127.0.0.1:\(webPort)", "--log.level=warn"]
        prometheus.standardOutput = FileHandle.nullDevice
        prometheus.standardError = FileHandle.nullDevice
        try prometheus.run()
        defer { if prometheus.isRunning { prometheus.terminate(); prometheus.waitUntilExit() } }

        let api = "http://127.0.0.1:\(webPort)/api/v1/query"
        var up = "", transfers = ""
        for _ in 0..<300 where !(up.contains("\"1\"]") && transfers.contains("\"1\"]")) {
            usleep(100_000)
            up = (try? ProgramRun.run(Self.curl, ["-sS", "--data-urlencode", "query=up{job=\"pxefarm\"}", api]).output) ?? ""
            transfers = (try? ProgramRun.run(Self.curl, ["-sS", "--data-urlencode", "query=pxefarm_tftp_transfers_total{outcome=\"completed\"}", api]).output) ?? ""
        }
        #expect(up.contains("\"1\"]"), "Prometheus never saw up == 1: \(up)")
        #expect(transfers.contains("\"1\"]"), "Prometheus did not scrape the transfer: \(transfers)")
    }
}
