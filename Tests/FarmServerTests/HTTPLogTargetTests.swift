import Testing
@testable import FarmServer

/// Log lines never carry a callback token, nor bytes that would break the line.
@Suite struct HTTPLogTargetTests {
    static let token = String(repeating: "0123456789abcdef", count: 4)

    @Test func tokenValuesAreMasked() {
        let token = Self.token
        #expect(HTTPLogTarget.text("/done/n011?token=\(token)") == "/done/n011?token=…")
        #expect(HTTPLogTarget.text("/done/n011?a=1&token=\(token)&b=2") == "/done/n011?a=1&token=…&b=2")
        #expect(HTTPLogTarget.text("/done/n011?token=\(token)&token=\(token)") == "/done/n011?token=…&token=…")
        #expect(HTTPLogTarget.text("/done/n011?%74oken=\(token)") == "/done/n011?%74oken=…")
        #expect(HTTPLogTarget.text("/done/n011?Token=short") == "/done/n011?Token=…")
        #expect(HTTPLogTarget.text("/done/n011?token=\(token)?token=\(token)") == "/done/n011?token=…")
        // A token anywhere else (in the path, under another name) is masked as a run of hex digits.
        #expect(HTTPLogTarget.text("/done/\(token)?t=\(token)") == "/done/…?t=…")
        #expect(!HTTPLogTarget.text("/done/n011;token=\(token)").contains(token.prefix(32)))
        // Short hex runs (node names, addresses) stay.
        #expect(HTTPLogTarget.text("/ks/n0a1.cfg?mac=00d0b71b12ed") == "/ks/n0a1.cfg?mac=00d0b71b12ed")
    }

    @Test func unprintableBytesAreEscapedAndLongTargetsCut() {
        #expect(HTTPLogTarget.text("/ks/n\u{0}1 x\r\n.cfg") == "/ks/n%001%20x%0D%0A.cfg")
        #expect(HTTPLogTarget.text("/ks/né") == "/ks/n%C3%A9")
        let long = "/" + String(repeating: "x", count: 500)
        let text = HTTPLogTarget.text(long)
        #expect(text == String(long.prefix(HTTPLogTarget.maximumBytes)) + "…")
    }
}
