import FarmModel

/// What the boot engine asks the daemon to do; the engine itself does no I/O.
public enum BootEffect: Hashable, Sendable {
    /// Run the change on the stored state (under the store's lock, written
    /// through fsync), then hand the result back as `.changed` or `.changeFailed`.
    case persist(BootChange)
    /// Serve `farm` from now on: a new DHCP context, and the per-node boot
    /// files of `overridden` (pxelinux and GRUB) rendered into the TFTP overlay.
    case serve(farm: Farm, overridden: Set<String>)
    /// Start the rollout's power-cycle command for `node` (already expanded).
    case powerCycle(node: String, command: String)
    case log(BootLogLine)
}

/// One line for the daemon's log, with its level and fields.
public struct BootLogLine: Hashable, Sendable {
    public enum Level: Hashable, Sendable { case info, notice, warning, error }

    public var level: Level
    public var message: String
    public var metadata: [String: String]

    public init(_ level: Level, _ message: String, _ metadata: [String: String] = [:]) {
        self.level = level
        self.message = message
        self.metadata = metadata
    }
}
