/// The TFTP tree as the HTTP listener serves it at `/tftp/<name>`: the same
/// path policy (one place decides what may be read) and the same file cache
/// as TFTP, so a kernel fetched by 500 nodes over both costs one read, and
/// HTTP follows a new generation exactly as TFTP does.
public struct HTTPBootFiles: Sendable {
    public var policy: TFTPPathPolicy
    public var cache: FileCache
    /// Told about every GET of a file when its answer has gone out (boot
    /// stages, one-shot arguments used up), as TFTP transfers are.
    public var onFetch: (@Sendable (TFTPFetchReport) -> Void)?

    public init(policy: TFTPPathPolicy, cache: FileCache, onFetch: (@Sendable (TFTPFetchReport) -> Void)? = nil) {
        self.policy = policy
        self.cache = cache
        self.onFetch = onFetch
    }
}
