/// Which tree the served TFTP root resolves to, so that the daemon notices a
/// build publishing a new generation, or `rollback` returning to an older
/// one: `out/tftpboot` is a link through `.pxefarm/current` to
/// `.pxefarm/generations/<N>/tftpboot`, and `current` is swapped by rename(2).
/// Requests already follow it by themselves (`TFTPPathPolicy` resolves the
/// root at each one); what the daemon derives from the tree once (the farm it
/// answers DHCP with, the boot programs each service has) follows through this.
struct ServedTree: Sendable {
    let root: String
    private(set) var tree: String?

    init(root: String) {
        self.root = root
        tree = TFTPPathPolicy.resolvedPath(root)
    }

    /// The tree the root resolves to now, when it is not the one seen last.
    /// A root that does not resolve at this instant (between two renames) is
    /// no move: the next look finds where it landed.
    mutating func moved() -> String? {
        guard let now = TFTPPathPolicy.resolvedPath(root), now != tree else { return nil }
        tree = now
        return now
    }
}
