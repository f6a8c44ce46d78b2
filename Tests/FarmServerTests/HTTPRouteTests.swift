import NetbootWire
import NIOCore
import Testing
@testable import FarmServer

/// Every branch of the request-target parser: what is accepted, and each
/// refusal with its status and reason, hostile targets included.
@Suite struct HTTPRouteTests {
    static let token = String(repeating: "0123456789abcdef", count: 4)

    func refusal(_ method: String, _ target: String) -> HTTPRefusal? {
        do {
            let route = try HTTPRoute.parse(method: method, target: target)
            Issue.record("accepted \(method) \(target) as \(route)")
            return nil
        } catch {
            return error
        }
    }

    @Test func kickstartFetches() throws {
        #expect(try HTTPRoute.parse(method: "GET", target: "/ks/n011.cfg") == .kickstart(node: "n011"))
        #expect(try HTTPRoute.parse(method: "HEAD", target: "/ks/n011.cfg") == .kickstart(node: "n011"))
        #expect(try HTTPRoute.parse(method: "GET", target: "/ks/rack-2_node.7.cfg") == .kickstart(node: "rack-2_node.7"))
        #expect(try HTTPRoute.parse(method: "GET", target: "/ks/%6e011.cfg") == .kickstart(node: "n011"))
        #expect(try HTTPRoute.parse(method: "GET", target: "/ks/n011.cfg?ip=192.168.197.31") == .kickstart(node: "n011"))
        #expect(try HTTPRoute.parse(method: "GET", target: "http://192.168.197.1:8067/ks/n011.cfg") == .kickstart(node: "n011"))
        #expect(try HTTPRoute.parse(method: "GET", target: "HTTP://server/ks/n011.cfg") == .kickstart(node: "n011"))
        #expect(try HTTPRoute.parse(method: "GET", target: "/ks/" + String(repeating: "a", count: 63) + ".cfg")
            == .kickstart(node: String(repeating: "a", count: 63)))
        #expect(try HTTPRoute.parse(method: "GET", target: "/ks/n011.cfg").node == "n011")
    }

    @Test func bootScripts() throws {
        let mac = try #require(MACAddress("52:54:00:12:34:56"))
        #expect(try HTTPRoute.parse(method: "GET", target: "/boot/01-52-54-00-12-34-56.ipxe") == .bootScript(mac: mac))
        #expect(try HTTPRoute.parse(method: "HEAD", target: "/boot/01-52-54-00-12-34-56.ipxe") == .bootScript(mac: mac))
        #expect(try HTTPRoute.parse(method: "GET", target: "/boot/01-52-54-00-12-34-56.ipxe").node == nil)
        #expect(try HTTPRoute.parse(method: "GET", target: "/boot/01-52-54-00-12-34-56.ipxe").isBootFile)
        #expect(try HTTPRoute.parse(method: "GET", target: "/X86PC/UNDI/linux-boot/linux.1").isBootFile)
        #expect(try !HTTPRoute.parse(method: "GET", target: "/ks/n011.cfg").isBootFile)
        for (target, reason) in [("/boot/52-54-00-12-34-56.ipxe", "bad-mac"), ("/boot/01-52-54-00-12-34.ipxe", "bad-mac"),
                                 ("/boot/x.cfg", "not-found"), ("/tftp/X86PC/linux.1", "not-found")] {
            #expect(throws: HTTPRefusal.self) { try HTTPRoute.parse(method: "GET", target: target) }
            do { _ = try HTTPRoute.parse(method: "GET", target: target) } catch { #expect(error.reason == reason, "\(target)") }
        }
        do { _ = try HTTPRoute.parse(method: "POST", target: "/boot/01-52-54-00-12-34-56.ipxe") } catch { #expect(error.status == 405) }
    }

    @Test func callbacks() throws {
        let token = Self.token
        #expect(try HTTPRoute.parse(method: "GET", target: "/done/n011?token=\(token)") == .done(node: "n011", token: token))
        #expect(try HTTPRoute.parse(method: "POST", target: "/done/n011?token=\(token)") == .done(node: "n011", token: token))
        // Other parameters are ignored, in any order, empty pieces too.
        #expect(try HTTPRoute.parse(method: "GET", target: "/done/n011?x=1&&token=\(token)&status=ok&flag") == .done(node: "n011", token: token))
        // Percent-encoded name and value decode to the same token.
        let encoded = "%74oken=" + token.prefix(62) + "%65%66"
        #expect(try HTTPRoute.parse(method: "GET", target: "/done/n011?\(encoded)") == .done(node: "n011", token: String(token.prefix(62)) + "ef"))
    }

    @Test func metricsScrapes() throws {
        #expect(try HTTPRoute.parse(method: "GET", target: "/metrics") == .metrics)
        #expect(try HTTPRoute.parse(method: "HEAD", target: "http://server:8067/metrics") == .metrics)
        #expect(HTTPRoute.metrics.node == nil)
        #expect(refusal("POST", "/metrics")?.status == 405)
        #expect(refusal("GET", "/metrics/x")?.status == 404)
    }

    @Test func unknownPathsAre404() {
        for target in ["/", "/index.html", "/ks", "/ks/", "/ks/n011", "/ks/n011.cfg/", "/ks//n011.cfg", "/ks/a/n011.cfg",
                       "/done", "/done/", "/done/n011/x", "/KS/n011.cfg", "/ks/n011.CFG", "/favicon.ico", "//ks/n011.cfg",
                       "http://server", "http://server?x"] {
            let refusal = refusal("GET", target)
            #expect(refusal?.status == 404, "\(target)")
            #expect(refusal?.reason == "not-found", "\(target)")
        }
        #expect(refusal("GET", "/ks/n011")?.message.contains("/ks/<node>.cfg") == true)
        #expect(refusal("GET", "/done")?.message.contains("/done/<node>?token=") == true)
    }

    @Test func otherMethodsAre405WithAllow() {
        for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "get", "BREW"] {
            let refusal = refusal(method, "/ks/n011.cfg")
            #expect(refusal?.status == 405, "\(method)")
            #expect(refusal?.reason == "method")
            #expect(refusal?.answer.headers["Allow"] == "GET, HEAD")
        }
        for method in ["HEAD", "PUT", "DELETE", "CONNECT"] {
            let refusal = refusal(method, "/done/n011?token=\(Self.token)")
            #expect(refusal?.status == 405, "\(method)")
            #expect(refusal?.answer.headers["Allow"] == "GET, POST")
        }
        // An unknown path stays 404 whatever the method.
        #expect(refusal("PUT", "/upload")?.status == 404)
    }

    @Test func hostileTargetsAre400() {
        let cases: [(String, String)] = [
            ("/ks/../etc/passwd", "dot-segment"),
            ("/ks/..", "dot-segment"),
            ("/ks/./n011.cfg", "dot-segment"),
            ("/ks/%2e%2e/etc/passwd", "dot-segment"),
            ("/ks/%2E%2e", "dot-segment"),
            ("/../ks/n011.cfg", "dot-segment"),
            ("/done/..?token=\(Self.token)", "dot-segment"),
            ("/ks/..%2fetc%2fpasswd.cfg", "bad-segment"),
            ("/ks/n011%2F.cfg", "bad-segment"),
            ("/ks/n011%00.cfg", "bad-segment"),
            ("/ks/n%0a011.cfg", "bad-segment"),
            ("/ks/n%5c011.cfg", "bad-segment"),
            ("/ks/n%c3%a9.cfg", "bad-segment"),
            ("/ks/n011\u{0}.cfg", "target-characters"),
            ("/ks/n 011.cfg", "target-characters"),
            ("/ks/n\t011.cfg", "target-characters"),
            ("/ks/né.cfg", "target-characters"),
            ("/ks/n011.cfg\r\nX: y", "target-characters"),
            ("/ks/n011.cfg#top", "target-fragment"),
            ("/ks/n%zz.cfg", "bad-escape"),
            ("/ks/n%4.cfg", "bad-escape"),
            ("/ks/n011%.cfg", "bad-escape"),
            ("/ks/.cfg", "bad-node"),
            ("/ks/..cfg", "bad-node"),
            ("/ks/...cfg", "bad-node"),
            ("/ks/.hidden.cfg", "bad-node"),
            ("/ks/a..b.cfg", "bad-node"),
            ("/ks/n011;rm.cfg", "bad-node"),
            ("/ks/n011%20.cfg", "bad-segment"),
            ("/ks/" + String(repeating: "a", count: 64) + ".cfg", "bad-node"),
            ("/done/n*?token=\(Self.token)", "bad-node"),
            ("*", "target-form"),
            ("ks/n011.cfg", "target-form"),
            ("server:8067", "target-form"),
            ("http:///ks/n011.cfg", "target-form"),
            ("http://user@server/ks/n011.cfg", "target-form"),
        ]
        for (target, reason) in cases {
            let refusal = refusal("GET", target)
            #expect(refusal?.status == 400, "\(target.debugDescription)")
            #expect(refusal?.reason == reason, "\(target.debugDescription): \(refusal?.reason ?? "accepted")")
        }
    }

    @Test func overlongTargetsAre414() throws {
        let target = "/ks/" + String(repeating: "a", count: HTTPRoute.maximumTargetBytes) + ".cfg"
        #expect(refusal("GET", target)?.status == 414)
        #expect(refusal("GET", target)?.reason == "target-too-long")
        let limit = "/ks/n011.cfg?" + String(repeating: "x", count: HTTPRoute.maximumTargetBytes - 13)
        #expect(try HTTPRoute.parse(method: "GET", target: limit) == .kickstart(node: "n011"))
        #expect(refusal("GET", limit + "x")?.status == 414)
    }

    @Test func badTokensAre400AndNeverEchoed() {
        let token = Self.token
        let cases: [(String, String)] = [
            ("/done/n011", "token-missing"),
            ("/done/n011?", "token-missing"),
            ("/done/n011?tok=\(token)", "token-missing"),
            ("/done/n011?TOKEN=\(token)", "token-missing"),
            ("/done/n011?token=\(token)&token=\(token)", "token-repeated"),
            ("/done/n011?token=\(token)?token=\(token)", "bad-token"),
            ("/done/n011?token", "bad-token"),
            ("/done/n011?token=", "bad-token"),
            ("/done/n011?token=\(token.uppercased())", "bad-token"),
            ("/done/n011?token=\(token.dropLast())", "bad-token"),
            ("/done/n011?token=\(token)0", "bad-token"),
            ("/done/n011?token=\(token.dropLast())g", "bad-token"),
            ("/done/n011?token=\(token.dropLast())%00", "bad-token"),
            ("/done/n011?token=\(token.dropLast())+", "bad-token"),
            ("/done/n011?token=\(token.dropLast(2))%zz", "bad-escape"),
            ("/done/n011?x=%&token=\(token)", "bad-escape"),
        ]
        for (target, reason) in cases {
            let refusal = refusal("GET", target)
            #expect(refusal?.status == 400, "\(target)")
            #expect(refusal?.reason == reason, "\(target): \(refusal?.reason ?? "accepted")")
            #expect(refusal.map { !$0.message.contains(token.prefix(16)) } == true)
        }
    }

    @Test func refusalAnswersAreText() {
        let answer = HTTPRefusal(status: 404, reason: "not-found", message: "nothing here").answer
        #expect(answer.status == 404)
        #expect(answer.reasonPhrase == "Not Found")
        #expect(answer.contentType == "text/plain; charset=utf-8")
        #expect(answer.body == ByteBuffer(string: "nothing here\n"))
        #expect(answer.logReason == "not-found")
        #expect(answer.isRefusal)
        #expect(answer.headers.isEmpty)
        #expect(!HTTPAnswer.ok("x", logReason: "kickstart").isRefusal)
        #expect(HTTPAnswer.ok("x", logReason: "kickstart").body == ByteBuffer(string: "x"))
        #expect(HTTPAnswer.reasonPhrase(for: 413) == "Content Too Large")
        #expect(HTTPAnswer(status: 299, contentType: "text/plain", body: ByteBuffer(), logReason: "x").reasonPhrase == "OK")
        #expect(HTTPAnswer(status: 418, contentType: "text/plain", body: ByteBuffer(), logReason: "x").reasonPhrase == "Error")
    }

    @Test func percentDecoding() {
        #expect(PercentDecoding.decode(Array("a%41%6a+b".utf8)) == Array("aAj+b".utf8))
        #expect(PercentDecoding.decode(Array("a+b".utf8), plusAsSpace: true) == Array("a b".utf8))
        #expect(PercentDecoding.decode(Array("%".utf8)) == nil)
        #expect(PercentDecoding.decode(Array("%4".utf8)) == nil)
        #expect(PercentDecoding.decode(Array("%g0".utf8)) == nil)
        #expect(PercentDecoding.decode(Array("%00".utf8)) == [0])
    }
}
