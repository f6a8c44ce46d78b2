/// One thing a build makes, as a value: where it goes and what it holds.
/// Paths are relative to the output folder.
public struct BuildOutput: Sendable {
    public var path: String
    public var content: OutputContent
    public var group: OutputGroup
    /// What it is made from, in words, for manifest.json: source files,
    /// templates, farm-file sections.
    public var inputs: [String]
    public var placement: Placement
    /// Owner, group and extended attributes to give it (an image file's);
    /// nil for what pxefarm makes as the user it runs as.
    public var attributes: FileAttributes?

    public init(_ path: String, _ content: OutputContent, group: OutputGroup, inputs: [String] = [], placement: Placement = .generation, attributes: FileAttributes? = nil) {
        self.path = path
        self.content = content
        self.group = group
        self.inputs = inputs
        self.placement = placement
        self.attributes = attributes
    }
}

/// Where an output lives, which decides how it is replaced.
public enum Placement: Sendable, Equatable {
    /// In a generation: published all at once, kept for rollback.
    case generation
    /// In a node's private tree, made once when the node is new and then
    /// the node's own (its /var grows, its admin edits /etc).
    case nodeSeed
    /// In a node's private tree, owned by pxefarm (hostname, fstab, ...):
    /// rewritten in place, atomically, when the farm says otherwise.
    case nodeManaged
    /// In a node's private tree, the node's own identity (machine id, SSH
    /// host keys): made when absent or still the image's copy, then never
    /// again. Its content is a `NodeIdentity`, which writes atomically.
    case nodeIdentity
}

public enum OutputContent: Sendable {
    /// Text rendered by pxefarm.
    case text(String, mode: UInt32 = 0o644)
    /// A file copied from the build machine (kernel, boot program, image file).
    case copy(source: String, mode: UInt32)
    /// Another name of a file of the same tree: `to` is the first name's
    /// path, relative to the same folder as the output's own path (one
    /// inode, as in the image); `source` is this name on the build machine.
    case hardLink(to: String, source: String, mode: UInt32)
    case directory(mode: UInt32)
    case symlink(target: String)
    /// A device node or FIFO (made with mknod when running as root).
    case node(mode: UInt32, device: UInt64)
    /// A file made by a recipe, such as an initrd: rebuilt when its inputs change.
    case produced(any OutputRecipe)
    /// A directory and everything under it (paths relative to it), made in one
    /// step: a new node's tree.
    case tree([ImageTree.Entry])
}

/// Makes one output file from inputs it can summarise in a digest.
public protocol OutputRecipe: Sendable {
    /// Changes whenever the produced bytes would change.
    func inputsDigest() throws(BuildError) -> String
    /// Writes the file at `path` (which does not exist yet).
    func produce(at path: String) throws(BuildError)
    /// Every file and folder on disk the digest or the bytes depend on,
    /// absent ones included: the build cache keeps their signatures.
    func watchedPaths() -> [String]
}

/// How the plan groups outputs when it reports them.
public enum OutputGroup: String, Sendable, CaseIterable, Codable, Comparable {
    case tftp = "TFTP tree"
    case config = "server configuration"
    case kickstart = "kickstart files"
    case image = "shared images"
    case nodeRoots = "node roots"

    public static func < (lhs: OutputGroup, rhs: OutputGroup) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
