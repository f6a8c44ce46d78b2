import Logging
import NetbootWire
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import Testing
@testable import FarmServer

/// The connection pipeline without sockets: request bytes in, response bytes
/// out, through the same handlers the server installs.
@Suite struct HTTPHandlerTests {
    static let token = String(repeating: "0123456789abcdef", count: 4)

    /// A pipeline on an EmbeddedChannel "connected" from 192.0.2.7:40000.
    final class Rig {
        let channel = EmbeddedChannel()
        let refusals = RefusalCounter()
        let log: CapturingLogHandler
        let asked = NIOLockedValueBox<[HTTPRequestInfo]>([])

        init(configuration: HTTPServer.Configuration = .init(requestTimeout: .seconds(10)),
             responder: @escaping @Sendable (HTTPRequestInfo) -> HTTPAnswer = Rig.kickstarts) throws {
            let (logger, log) = CapturingLogHandler.logger()
            self.log = log
            let asked = asked
            try HTTPServer.addHandlers(to: channel.pipeline.syncOperations, configuration, logger: logger, refusals: refusals) { info, eventLoop in
                asked.withLockedValue { $0.append(info) }
                return eventLoop.makeSucceededFuture(responder(info))
            }
            try channel.connect(to: SocketAddress(ipAddress: "192.0.2.7", port: 40000)).wait()
        }

        static let kickstarts: @Sendable (HTTPRequestInfo) -> HTTPAnswer = { info in
            switch info.route {
            case .kickstart(let node): .ok("# kickstart for \(node)\n", logReason: "kickstart")
            case .done(let node, _): .text(200, "\(node) done", logReason: "done")
            case .bootScript, .bootFile: .text(404, "not here", logReason: "not-here")
            case .metrics: .text(200, "# metrics\n", logReason: "metrics")
            }
        }

        func send(_ text: String) throws {
            try channel.writeInbound(ByteBuffer(string: text))
        }

        /// Everything written so far, as text.
        func response() throws -> String {
            var out = ""
            while let buffer = try channel.readOutbound(as: ByteBuffer.self) {
                out += String(buffer: buffer)
            }
            return out
        }

        var isOpen: Bool { channel.isActive }
    }

    @Test func kickstartGetIsAnsweredAndClosed() throws {
        let rig = try Rig()
        try rig.send("GET /ks/n011.cfg HTTP/1.1\r\nHost: 192.168.197.1:8067\r\nUser-Agent: anaconda/34\r\n\r\n")
        #expect(try rig.response() == "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 21\r\nConnection: close\r\n\r\n# kickstart for n011\n")
        #expect(!rig.isOpen)
        #expect(rig.asked.withLockedValue { $0 } == [HTTPRequestInfo(route: .kickstart(node: "n011"), method: "GET", peer: IPv4Address(192, 0, 2, 7), peerPort: 40000)])
        #expect(rig.log.messages.last == "info http answered method=GET peer=192.0.2.7:40000 reason=kickstart status=200 target=/ks/n011.cfg")
        #expect(rig.refusals.total == 0)
    }

    @Test func headHasTheLengthButNoBody() throws {
        let rig = try Rig()
        try rig.send("HEAD /ks/n011.cfg HTTP/1.0\r\n\r\n")
        #expect(try rig.response() == "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 21\r\nConnection: close\r\n\r\n")
        #expect(!rig.isOpen)
        #expect(rig.asked.withLockedValue { $0.first?.method } == "HEAD")
    }

    @Test func callbackCarriesTheTokenButTheLogDoesNot() throws {
        let rig = try Rig()
        try rig.send("POST /done/n011?token=\(Self.token) HTTP/1.1\r\nContent-Length: 2\r\n\r\nok")
        #expect(try rig.response().hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(rig.asked.withLockedValue { $0.first?.route } == .done(node: "n011", token: Self.token))
        #expect(rig.log.messages.last == "info http answered method=POST peer=192.0.2.7:40000 reason=done status=200 target=/done/n011?token=…")
        #expect(!rig.log.messages.joined().contains(Self.token.prefix(20)))
    }

    @Test func theBodyIsAwaitedBeforeAnswering() throws {
        let rig = try Rig()
        try rig.send("POST /done/n011?token=\(Self.token) HTTP/1.1\r\nContent-Length: 5\r\n\r\nab")
        #expect(try rig.response() == "")
        #expect(rig.asked.withLockedValue { $0.isEmpty })
        try rig.send("cde")
        #expect(try rig.response().hasPrefix("HTTP/1.1 200 OK\r\n"))
    }

    @Test func expectContinueIsAnsweredForAcceptedRequests() throws {
        let rig = try Rig()
        try rig.send("POST /done/n011?token=\(Self.token) HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
        #expect(try rig.response() == "HTTP/1.1 100 Continue\r\n\r\n")
        try rig.send("ok")
        #expect(try rig.response().hasPrefix("HTTP/1.1 200 OK\r\n"))
        let refused = try Rig()
        try refused.send("POST /done/n011?token=bad HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
        #expect(try refused.response() == "")
        try refused.send("ok")
        #expect(try refused.response().hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
    }

    @Test func refusalsAreAnsweredCountedAndNeverReachTheResponder() throws {
        let cases: [(String, String, String)] = [
            ("GET /nothing HTTP/1.1\r\n\r\n", "HTTP/1.1 404 Not Found\r\n", "not-found"),
            ("PUT /ks/n011.cfg HTTP/1.1\r\nContent-Length: 0\r\n\r\n", "HTTP/1.1 405 Method Not Allowed\r\n", "method"),
            ("GET /ks/../etc/passwd HTTP/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n", "dot-segment"),
            ("GET /done/n011?token=abc HTTP/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n", "bad-token"),
            ("GET /done/n011 HTTP/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n", "token-missing"),
            ("GET /ks/%2e%2e HTTP/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n", "dot-segment"),
            ("GARBAGE\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n", "malformed-request"),
            ("GET /ks/n011.cfg HTTP/9.9\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n", "malformed-request"),
            ("GET /ks/n011.cfg HTTP/1.1\r\nBad Header\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n", "malformed-request"),
            ("GET /ks/\(String(repeating: "a", count: 2000)).cfg HTTP/1.1\r\n\r\n", "HTTP/1.1 414 URI Too Long\r\n", "target-too-long"),
        ]
        for (request, statusLine, reason) in cases {
            let rig = try Rig()
            try rig.send(request)
            let response = try rig.response()
            #expect(response.hasPrefix(statusLine), "\(request.prefix(60)): \(response)")
            #expect(response.contains("Connection: close\r\n"))
            #expect(!rig.isOpen)
            #expect(rig.asked.withLockedValue { $0.isEmpty })
            #expect(rig.refusals.counts == [reason: 1], "\(request.prefix(60))")
            #expect(rig.log.messages.last?.contains("reason=\(reason)") == true)
        }
    }

    @Test func methodRefusalSaysWhatIsAllowed() throws {
        let rig = try Rig()
        try rig.send("DELETE /done/n011?token=\(Self.token) HTTP/1.1\r\n\r\n")
        let response = try rig.response()
        #expect(response.contains("Allow: GET, POST\r\n"))
        #expect(response.hasSuffix("/done/<node> answers GET and POST only\n"))
    }

    @Test func aTooLargeBodyIs413ByContentLength() throws {
        let rig = try Rig()
        try rig.send("POST /done/n011?token=\(Self.token) HTTP/1.1\r\nContent-Length: 4097\r\n\r\n")
        #expect(try rig.response().hasPrefix("HTTP/1.1 413 Content Too Large\r\n"))
        // The body is drained, then the connection closes.
        #expect(rig.isOpen)
        try rig.send(String(repeating: "x", count: 4097))
        #expect(!rig.isOpen)
        #expect(rig.refusals.counts == ["body-too-large": 1])
        #expect(rig.asked.withLockedValue { $0.isEmpty })
    }

    @Test func aTooLargeChunkedBodyIs413AsItArrives() throws {
        let rig = try Rig()
        try rig.send("POST /done/n011?token=\(Self.token) HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
        try rig.send("1000\r\n" + String(repeating: "x", count: 4096) + "\r\n")
        #expect(try rig.response() == "")
        try rig.send("1\r\nx\r\n")
        #expect(try rig.response().hasPrefix("HTTP/1.1 413 Content Too Large\r\n"))
        #expect(rig.asked.withLockedValue { $0.isEmpty })
    }

    @Test func aHugeHeadIs431() throws {
        let rig = try Rig()
        try rig.send("GET /ks/n011.cfg HTTP/1.1\r\nX-Filler: \(String(repeating: "y", count: 9000))\r\n\r\n")
        #expect(try rig.response().hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"))
        #expect(!rig.isOpen)
        #expect(rig.refusals.counts == ["head-too-large": 1])
    }

    @Test func anEndlessRequestLineIsCutAtTheSizeLimit() throws {
        let rig = try Rig()
        try rig.send("GET /")
        for _ in 0..<13 { try rig.send(String(repeating: "a", count: 1024)) }
        #expect(try rig.response().hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"))
        #expect(!rig.isOpen)
        #expect(rig.refusals.counts == ["head-too-large": 1])
    }

    @Test func aSlowClientGets408AndTheClose() throws {
        let rig = try Rig()
        try rig.send("GET /ks/n0")
        rig.channel.embeddedEventLoop.advanceTime(by: .seconds(9))
        #expect(rig.isOpen)
        rig.channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(try rig.response().hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
        #expect(!rig.isOpen)
        #expect(rig.refusals.counts == ["timeout": 1])
        #expect(rig.log.messages.last == "info http answered method=- peer=192.0.2.7:40000 reason=timeout status=408 target=-")
    }

    @Test func aClientLeavingMidRequestIsLoggedNotCounted() throws {
        let rig = try Rig()
        try rig.send("GET /ks/n0")
        try rig.channel.close().wait()
        #expect(rig.log.messages.last == "info http client left before its request was complete method=- peer=192.0.2.7:40000 target=-")
        #expect(rig.refusals.total == 0)
        #expect(rig.asked.withLockedValue { $0.isEmpty })
    }

    @Test func theDeadlineCoversTheWholeRequestNotEachByte() throws {
        let rig = try Rig()
        for piece in ["POST /done/n011?token=\(Self.token) HTTP/1.1\r\nContent-Length: 3\r\n\r\n", "a", "b"] {
            try rig.send(piece)
            rig.channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        }
        #expect(try rig.response().hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
        #expect(rig.log.messages.last == "info http answered method=POST peer=192.0.2.7:40000 reason=timeout status=408 target=/done/n011?token=…")
        #expect(rig.asked.withLockedValue { $0.isEmpty })
    }

    @Test func responderRefusalsAreCountedUnderTheirReason() throws {
        let rig = try Rig { _ in .text(403, "wrong token for n011", logReason: "token-mismatch") }
        try rig.send("GET /done/n011?token=\(Self.token) HTTP/1.1\r\n\r\n")
        #expect(try rig.response().hasPrefix("HTTP/1.1 403 Forbidden\r\n"))
        #expect(rig.refusals.counts == ["token-mismatch": 1])
    }

    @Test func aPipelinedSecondRequestIsIgnored() throws {
        let rig = try Rig()
        try rig.send("GET /ks/n011.cfg HTTP/1.1\r\n\r\nGET /ks/n012.cfg HTTP/1.1\r\n\r\n")
        let response = try rig.response()
        #expect(response.components(separatedBy: "HTTP/1.1 ").count == 2)
        #expect(rig.asked.withLockedValue { $0.map(\.route) } == [.kickstart(node: "n011")])
    }

    @Test func answerHeadersAreWrittenButFramingStaysOurs() throws {
        let rig = try Rig { _ in
            HTTPAnswer(status: 200, contentType: "application/octet-stream", body: ByteBuffer(bytes: [1, 2, 3]),
                       headers: ["Content-Length": "99", "Connection": "keep-alive", "X-Node": "n011", "X-Evil": "a\r\nSet-Cookie: x"],
                       logReason: "custom")
        }
        try rig.send("GET /ks/n011.cfg HTTP/1.1\r\n\r\n")
        let response = try rig.response()
        #expect(response == "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 3\r\nConnection: close\r\nX-Node: n011\r\n\r\n\u{1}\u{2}\u{3}")
    }

    @Test func mappedIPv6PeersCountAsIPv4() throws {
        let mapped = try SocketAddress(ipAddress: "::ffff:192.0.2.9", port: 5000)
        #expect(HTTPConnectionHandler.ipv4(mapped).map { "\($0.0):\($0.1)" } == "192.0.2.9:5000")
        #expect(HTTPConnectionHandler.ipv4(try SocketAddress(ipAddress: "2001:db8::1", port: 5000)) == nil)
        #expect(HTTPConnectionHandler.ipv4(try SocketAddress(ipAddress: "10.1.2.3", port: 7)).map { "\($0.0):\($0.1)" } == "10.1.2.3:7")
    }
}
