/// Where things sit in the output folder.
///
///     out/.pxefarm/generations/<N>/   one complete generation: tftpboot/, etc/,
///                                     ks/, shared/<image>/, manifest.json
///     out/.pxefarm/current            -> generations/<N>, swapped by rename(2)
///     out/tftpboot, out/etc, out/ks, out/manifest.json -> .pxefarm/current/...
///     out/nfsroot/.shared             -> ../.pxefarm/current/shared
///     out/nfsroot/<node>/             the node's private tree (etc, var, dev)
///
/// Servers read through the links, so each file they open belongs to one
/// complete generation; node trees live outside generations because they
/// are the nodes' own once made.
public struct OutputLayout: Sendable {
    public let root: String

    public init(root: String) {
        var trimmed = root
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.root = trimmed
    }

    public var state: String { root + "/.pxefarm" }
    public var generations: String { state + "/generations" }
    public var current: String { state + "/current" }
    public func generation(_ number: Int) -> String { generations + "/\(number)" }
    public func partial(_ number: Int) -> String { generations + "/\(number).partial" }
    /// The TFTP tree servers read, through the top link.
    public var tftpRoot: String { root + "/" + Self.tftpTree }

    /// Paths in a generation that appear at the top of the output folder.
    public static let published = [tftpTree, "etc", "ks", Manifest.fileName]
    public static let tftpTree = "tftpboot"
    public static let sharedImages = "shared"
    public static let nodeRoots = "nfsroot"

    /// The absolute path of a plan path: generation outputs inside `generation`,
    /// node-tree outputs under the output folder itself.
    public func path(of output: BuildOutput, in generation: String) -> String {
        output.placement == .generation ? generation + "/" + output.path : root + "/" + output.path
    }
}
