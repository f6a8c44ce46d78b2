import NIOCore

/// The TFTP tree as the HTTP listener serves it (iPXE's kernel and initrd,
/// UEFI HTTP Boot's programs, GRUB's files), under the names TFTP gives them:
/// the same path policy (one place decides what may be read), the same
/// per-node files (the overlay first) and the same file cache as TFTP, so a
/// node booting over HTTP gets what it would get over TFTP, a kernel fetched
/// by 500 nodes over both costs one read, and HTTP follows a new generation
/// exactly as TFTP does.
public struct HTTPBootFiles: Sendable {
    public var policy: TFTPPathPolicy
    public var cache: FileCache
    public var overlay: TFTPOverlay?
    /// Told about every GET of a file when its answer has gone out (boot
    /// stages, one-shot arguments used up), as TFTP transfers are.
    public var onFetch: (@Sendable (TFTPFetchReport) -> Void)?

    public init(policy: TFTPPathPolicy, cache: FileCache, overlay: TFTPOverlay? = nil, onFetch: (@Sendable (TFTPFetchReport) -> Void)? = nil) {
        self.policy = policy
        self.cache = cache
        self.overlay = overlay
        self.onFetch = onFetch
    }

    /// `application/efi` for a PE image ("MZ": an EFI program, or a kernel
    /// with its EFI stub), which UEFI HTTP Boot needs to run a file whose
    /// name does not end in .efi (EDK2's HttpBootCheckImageType); else
    /// `application/octet-stream`.
    static func contentType(of body: ByteBuffer) -> String {
        body.readableBytesView.starts(with: [0x4D, 0x5A]) ? "application/efi" : "application/octet-stream"
    }
}
