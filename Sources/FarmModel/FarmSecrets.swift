/// What the secrets file holds (`farm.secrets`, kept outside version
/// control): the root password hash written into kickstart files, and the
/// key every node's callback token is derived from.
public struct FarmSecrets: Hashable, Sendable {
    /// A crypt(3) hash such as `$6$salt$...`, as kickstart's `rootpw --iscrypted` takes it.
    public var rootPasswordHash: String
    /// The farm's callback key (its UTF-8 bytes are the HMAC key).
    public var callbackKey: String

    public init(rootPasswordHash: String, callbackKey: String) { self.rootPasswordHash = rootPasswordHash; self.callbackKey = callbackKey }

    /// Shorter keys are refused: the tokens are only as strong as the key.
    public static let minimumKeyLength = 32

    public func callbackToken(for node: String) -> String {
        CallbackToken.token(for: node, key: callbackKey)
    }
}
