import Crypto

/// The per-node secret a kickstart's %post sends back when the install is
/// done (`/done/<node>?token=...`): HMAC-SHA256 of the node name under the
/// farm's callback key, as 64 lower-case hex digits. Derived, not stored:
/// a rebuild renders the same token, and the server checks a callback by
/// deriving it again. Without the key a token cannot be guessed or
/// computed from another node's.
public enum CallbackToken {
    /// The port the kickstart callback is sent to unless told otherwise.
    public static let defaultPort = 8067

    public static func token(for node: String, key: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array(node.utf8), using: SymmetricKey(data: Array(key.utf8)))
        let digits = Array("0123456789abcdef")
        return String(code.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] })
    }

    /// Compares in time independent of where the texts differ.
    public static func matches(_ offered: String, node: String, key: String) -> Bool {
        let expected = Array(token(for: node, key: key).utf8)
        let given = Array(offered.utf8)
        guard expected.count == given.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(expected, given) { difference |= a ^ b }
        return difference == 0
    }
}
