import NIOConcurrencyHelpers
import NIOCore

/// Files the daemon serves over TFTP from memory instead of the built tree:
/// the pxelinux and GRUB configurations of nodes whose boot differs from the farm
/// file now (a node installing in a rollout, one-shot kernel arguments).
/// Keyed by the name relative to the TFTP root, as `TFTPPathPolicy` checks
/// it; a name here hides the file of that name on disk. Replaced whole.
public final class TFTPOverlay: Sendable {
    private let files = NIOLockedValueBox<[String: ByteBuffer]>([:])

    public init() {}

    public func replace(with contents: [String: [UInt8]]) {
        let buffers = contents.mapValues { ByteBuffer(bytes: $0) }
        files.withLockedValue { $0 = buffers }
    }

    /// The file's bytes (a cheap copy of a shared buffer), converted to netascii when asked.
    func contents(of name: String, netascii: Bool) -> ByteBuffer? {
        guard let bytes = files.withLockedValue({ $0[name] }) else { return nil }
        return netascii ? ByteBuffer(bytes: NetASCII.encode(bytes.readableBytesView)) : bytes
    }

    public var names: [String] { files.withLockedValue { Array($0.keys) } }
}
