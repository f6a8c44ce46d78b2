import Foundation
import Logging
import NetbootWire
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing
import TestSupport
@testable import FarmServer

/// The HTTP listener for real on 127.0.0.1 and a free port, driven by curl
/// (and by raw TCP connections for the clients curl cannot play).
@Suite(.timeLimit(.minutes(2))) struct HTTPServerTests {
    static let token = String(repeating: "0123456789abcdef", count: 4)

    final class Loopback {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let server: HTTPServer
        let log: CapturingLogHandler
        let asked = NIOLockedValueBox<[HTTPRequestInfo]>([])
        /// Whether every responder call ran off the event loops.
        let offLoop = NIOLockedValueBox<[Bool]>([])
        var port: Int { server.localPort }

        init(configure: (inout HTTPServer.Configuration) -> Void = { _ in }) async throws {
            let (logger, log) = CapturingLogHandler.logger()
            self.log = log
            var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
            configure(&configuration)
            let asked = asked
            let offLoop = offLoop
            server = try await HTTPServer.start(configuration, responder: { info in
                asked.withLockedValue { $0.append(info) }
                offLoop.withLockedValue { $0.append(MultiThreadedEventLoopGroup.currentEventLoop == nil) }
                switch info.route {
                case .kickstart(let node): return .ok("# kickstart for \(node)\n", logReason: "kickstart")
                case .done(let node, _): return .text(200, "\(node) done", logReason: "done")
                case .bootScript, .bootFile: return .text(404, "not here", logReason: "not-here")
                case .metrics: return .text(200, "# metrics\n", logReason: "metrics")
                }
            }, group: group, logger: logger)
        }

        func shutdown() async throws {
            try await server.stop()
            try await group.shutdownGracefully()
        }

        /// curl's output (body, then a line with the status code), or nil
        /// when curl is not installed.
        func curl(_ arguments: [String]) throws -> String {
            try ProgramRun.run("/usr/bin/curl", ["-sS", "-w", "\n%{http_code}"] + arguments).output
        }

        func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }
    }

    @Test func servingLineNamesThePort() async throws {
        let http = try await Loopback()
        let line = http.log.messages.first { $0.contains("http serving") }
        #expect(line?.firstMatch(of: /port=(\d+)/).map { Int($0.1) } == http.port)
        #expect(line?.contains("host=127.0.0.1") == true)
        #expect(http.port > 0)
        try await http.shutdown()
    }

    @Test(.needs(.curl)) func kickstartByGetHeadAndHTTP10() async throws {
        let http = try await Loopback()
        #expect(try http.curl([http.url("/ks/n011.cfg")]) == "# kickstart for n011\n\n200")
        #expect(try http.curl(["--http1.0", http.url("/ks/n012.cfg")]) == "# kickstart for n012\n\n200")
        let head = try http.curl(["-I", http.url("/ks/n013.cfg")])
        #expect(head.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(head.contains("Content-Length: 21\r\n"))
        #expect(head.contains("Connection: close\r\n"))
        #expect(head.hasSuffix("\r\n\r\n\n200"))
        let asked = http.asked.withLockedValue { $0 }
        #expect(asked.map(\.route) == [.kickstart(node: "n011"), .kickstart(node: "n012"), .kickstart(node: "n013")])
        #expect(asked.map(\.method) == ["GET", "GET", "HEAD"])
        #expect(asked.allSatisfy { $0.peer == IPv4Address(127, 0, 0, 1) && $0.peerPort > 0 })
        #expect(http.offLoop.withLockedValue { $0 } == [true, true, true])
        #expect(http.server.refusals.total == 0)
        try await http.shutdown()
    }

    @Test(.needs(.curl)) func callbackWithTokenByGetAndPost() async throws {
        let http = try await Loopback()
        #expect(try http.curl([http.url("/done/n011?token=\(Self.token)")]) == "n011 done\n\n200")
        #expect(try http.curl(["--data-binary", "status=ok", http.url("/done/n012?token=\(Self.token)")]) == "n012 done\n\n200")
        // Asking first (Expect: 100-continue) gets the go-ahead from the server, not from curl's own timer.
        let asking = try http.curl(["-v", "-H", "Expect: 100-continue", "--expect100-timeout", "60", "--data-binary", "status=ok",
                                    http.url("/done/n013?token=\(Self.token)")])
        #expect(asking.contains("< HTTP/1.1 100 Continue"))
        #expect(asking.contains("< HTTP/1.1 200 OK"))
        #expect(asking.contains("n013 done\n"))
        #expect(http.asked.withLockedValue { $0.map(\.route) } == [
            .done(node: "n011", token: Self.token), .done(node: "n012", token: Self.token), .done(node: "n013", token: Self.token),
        ])
        #expect(http.asked.withLockedValue { $0.map(\.method) } == ["GET", "POST", "POST"])
        let lines = http.log.messages.filter { $0.contains("http answered") }
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.contains("?token=…") && $0.contains("status=200") && $0.contains("peer=127.0.0.1:") })
        #expect(!http.log.messages.joined().contains(Self.token.prefix(20)))
        try await http.shutdown()
    }

    @Test(.needs(.curl)) func refusals() async throws {
        let http = try await Loopback()
        let body = FileManager.default.temporaryDirectory.appendingPathComponent("pxefarm-http-body-\(UUID().uuidString)")
        try Data(repeating: 0x78, count: 5000).write(to: body)
        defer { try? FileManager.default.removeItem(at: body) }
        #expect(try http.curl([http.url("/nothing")]).hasSuffix("\n404"))
        #expect(try http.curl(["-X", "PUT", http.url("/ks/n011.cfg")]).hasSuffix("\n405"))
        #expect(try http.curl(["--path-as-is", http.url("/ks/../etc/passwd")]).hasSuffix("\n400"))
        #expect(try http.curl([http.url("/ks/%2e%2e/etc/passwd")]).hasSuffix("\n400"))
        #expect(try http.curl([http.url("/done/n011?token=\(Self.token.uppercased())")]).hasSuffix("\n400"))
        #expect(try http.curl([http.url("/done/n011")]).hasSuffix("\n400"))
        #expect(try http.curl(["--data-binary", "@\(body.path)", http.url("/done/n011?token=\(Self.token)")]).hasSuffix("\n413"))
        #expect(http.server.refusals.counts == [
            "not-found": 1, "method": 1, "dot-segment": 2, "bad-token": 1, "token-missing": 1, "body-too-large": 1,
        ])
        #expect(http.asked.withLockedValue { $0.isEmpty })
        #expect(!http.log.messages.joined().contains(Self.token.uppercased().prefix(20)))
        try await http.shutdown()
    }

    @Test func aSlowClientIsCutOff() async throws {
        let http = try await Loopback { $0.requestTimeout = .seconds(1) }
        let client = try await RawTCPClient.connect(port: http.port, group: http.group, sending: "GET /ks/n0")
        let response = try await client.closedByServer()
        #expect(response.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
        #expect(http.server.refusals.counts == ["timeout": 1])
        #expect(http.asked.withLockedValue { $0.isEmpty })
        try await http.shutdown()
    }

    @Test(.needs(.curl)) func connectionsBeyondTheCapAreClosedAtOnce() async throws {
        // The idle connections hold their places however slow the machine is.
        let http = try await Loopback { $0.maximumConnections = 2; $0.requestTimeout = .seconds(600) }
        let first = try await RawTCPClient.connect(port: http.port, group: http.group)
        let second = try await RawTCPClient.connect(port: http.port, group: http.group)
        while http.server.openConnections < 2 { try await Task.sleep(for: .milliseconds(10)) }
        let third = try await RawTCPClient.connect(port: http.port, group: http.group)
        #expect(try await third.closedByServer() == "")
        #expect(http.server.refusals.counts == ["connection-limit": 1])
        #expect(http.log.messages.contains { $0.contains("http connection limit reached") })
        try await first.close()
        try await second.close()
        while http.server.openConnections > 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(try http.curl([http.url("/ks/n011.cfg")]).hasSuffix("\n200"))
        #expect(http.log.messages.contains { $0.contains("http below the connection limit again") && $0.contains("turned-away=1") })
        try await http.shutdown()
    }

    @Test func stopClosesOpenConnections() async throws {
        let http = try await Loopback()
        let client = try await RawTCPClient.connect(port: http.port, group: http.group)
        while http.server.openConnections < 1 { try await Task.sleep(for: .milliseconds(10)) }
        try await http.server.stop()
        #expect(try await client.closedByServer() == "")
        try await http.group.shutdownGracefully()
    }

    @Test func aBusyPortIsNamed() async throws {
        let http = try await Loopback()
        let (logger, _) = CapturingLogHandler.logger()
        await #expect(throws: FarmServerError.self) {
            _ = try await HTTPServer.start(.init(host: "127.0.0.1", port: http.port), responder: { _ in .ok("", logReason: "x") },
                                           group: http.group, logger: logger)
        }
        try await http.shutdown()
    }
}
