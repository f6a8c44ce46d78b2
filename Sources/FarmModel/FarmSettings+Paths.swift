extension FarmSettings {
    /// Where an image's shared, read-only root is exported from:
    /// `<nfsRoot>/.shared/<image>` (nodes mount their private trees over it).
    public func sharedRootPath(of image: String) -> String {
        (nfsRoot.hasSuffix("/") ? nfsRoot : nfsRoot + "/") + ".shared/" + image
    }
}
