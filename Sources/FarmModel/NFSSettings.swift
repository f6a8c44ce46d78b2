/// `farm.nfs`: how nodes mount their roots, the same for the initrd's
/// mounts (the node's tree, then the shared image read-only) and for the
/// fstab pxefarm writes into each node's tree, so that systemd's view of
/// the mounts matches what the initrd did.
public struct NFSSettings: Hashable, Sendable {
    /// `3`, `4` (4.0), `4.0`, `4.1` or `4.2`.
    public var version: String
    /// Further mount options (nfs(5)), e.g. `timeo=600`, `rsize=1048576`.
    public var options: [String]

    public init(version: String = NFSSettings.defaultVersion, options: [String] = []) {
        self.version = version
        self.options = options
    }

    public static let defaultVersion = "3"
    public static let versions = ["3", "4", "4.0", "4.1", "4.2"]
    /// Options pxefarm decides itself: the version from `version`, read-only
    /// or read-write from the mount (the shared image is always read-only).
    public static let reservedOptions = ["vers", "nfsvers", "ro", "rw", "udp", "proto"]

    /// Every option of a node's NFS mounts but ro/rw: the version, TCP (the
    /// kernel's NFS client has no UDP), no lock daemon for v3 unless the
    /// site asks for `lock`, then the site's own.
    public var mountOptions: [String] {
        var all = ["vers=\(version)", "proto=tcp"]
        if version == "3", !options.contains("lock"), !options.contains("nolock") { all.append("nolock") }
        return all + options
    }

    public var mountOptionsText: String { mountOptions.joined(separator: ",") }
}
