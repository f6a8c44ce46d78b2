import Testing
import FarmModel

@Suite struct CallbackTokenTests {
    static let key = "test-callback-key-0123456789abcdef-not-for-production"

    /// Known answers from `echo -n n040 | openssl dgst -sha256 -hmac KEY`.
    @Test func tokenIsHMACSHA256OfTheNodeName() {
        #expect(CallbackToken.token(for: "n040", key: Self.key) == "e1e13dade7af138359cb6522fa52d74809b761b04a1e24d9b820014f940b29f1")
        #expect(CallbackToken.token(for: "n041", key: Self.key) == "041e4de1cad076fa9a21e8084539996ca16c2cbe861a39c03c5255091d1096ea")
    }

    @Test func tokensDependOnNodeAndKeyAndAreReproducible() {
        let first = CallbackToken.token(for: "n040", key: Self.key)
        #expect(first == CallbackToken.token(for: "n040", key: Self.key))
        #expect(first != CallbackToken.token(for: "n040", key: Self.key + "x"))
        #expect(first != CallbackToken.token(for: "n0400", key: Self.key))
    }

    @Test func matchesAcceptsOnlyTheNodesOwnToken() {
        let token = CallbackToken.token(for: "n040", key: Self.key)
        #expect(CallbackToken.matches(token, node: "n040", key: Self.key))
        #expect(!CallbackToken.matches(token, node: "n041", key: Self.key))
        #expect(!CallbackToken.matches(String(token.dropLast()), node: "n040", key: Self.key))
        #expect(!CallbackToken.matches("", node: "n040", key: Self.key))
    }
}
