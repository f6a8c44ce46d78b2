/// A PXE boot server type the farm offers: one entry of the boot menu and
/// one directory `X86PC/UNDI/<name>/` of the TFTP tree.
public struct Service: Hashable, Sendable {
    /// The PXE server type (option 43 tags 8, 9, 71). 0 is local boot;
    /// 1-9 are reserved by the PXE specification.
    public var type: UInt16
    public var name: String
    /// The text of its boot menu entry.
    public var menu: String
    /// The image it boots; nil for local boot.
    public var image: String?
    public var root: RootKind
    /// Kernel arguments for every node of the service.
    public var kernelArguments: String
    /// A kickstart template, for install services.
    public var kickstart: String?
    /// Boot file layers (`linux.<layer>`): linux.0 the network boot program,
    /// linux.1 the kernel, linux.2 the initrd.
    public var layers: ClosedRange<Int>
    /// A type in 1-9 used on purpose (the PXE specification reserves them).
    public var allowReservedType: Bool

    public init(
        type: UInt16, name: String, menu: String, image: String? = nil, root: RootKind = .nfs,
        kernelArguments: String = "", kickstart: String? = nil, layers: ClosedRange<Int> = 0...2,
        allowReservedType: Bool = false
    ) {
        self.type = type
        self.name = name
        self.menu = menu
        self.image = image
        self.root = root
        self.kernelArguments = kernelArguments
        self.kickstart = kickstart
        self.layers = layers
        self.allowReservedType = allowReservedType
    }

    /// Type 0: the client leaves PXE and boots from its next device.
    public var isLocalBoot: Bool { type == 0 }

    /// The PXE boot file of a layer: `X86PC/UNDI/linux-boot/linux.1`.
    public func bootFile(layer: Int) -> String { "X86PC/UNDI/\(name)/linux.\(layer)" }

    /// The same layer for x86-64 UEFI clients: `EFI/X64/linux-boot/linux.1`.
    public func efiBootFile(layer: Int) -> String { "EFI/X64/\(name)/linux.\(layer)" }
}

/// Where a node's root file system lives once the kernel runs.
public enum RootKind: String, Hashable, Sendable, CaseIterable {
    /// Its own tree on the NFS server.
    case nfs
    /// Unpacked from the initrd into RAM.
    case ram
    /// The node's own disk (local boot, or after an install).
    case local
}
