/// A boot image: the root file system every node of it shares, its kernel,
/// and how its network boot program and initrd are made.
public struct Image: Hashable, Sendable {
    public var name: String
    /// A directory, or a tarball (.tar, .tar.gz, .tgz, .tar.xz, .tar.zst).
    public var root: String
    public var kernel: String
    public var systemMap: String?
    public var networkBootProgram: NetworkBootProgram
    /// What UEFI clients load first (`efi:`); shim and GRUB unless the farm says otherwise.
    public var efiBootProgram: EFIBootProgram
    public var initrd: InitrdSettings
    /// Whether each node of the image gets its own /etc/machine-id and SSH
    /// host keys (made once, kept across rebuilds); false leaves the
    /// image's copies, for sites that manage them themselves.
    public var identity: Bool

    public init(
        name: String, root: String, kernel: String, systemMap: String? = nil,
        networkBootProgram: NetworkBootProgram = .pxelinux, efiBootProgram: EFIBootProgram = .shimGrub,
        initrd: InitrdSettings = InitrdSettings(), identity: Bool = true
    ) {
        self.identity = identity
        self.name = name
        self.root = root
        self.kernel = kernel
        self.systemMap = systemMap
        self.networkBootProgram = networkBootProgram
        self.efiBootProgram = efiBootProgram
        self.initrd = initrd
    }

    public var rootIsTarball: Bool {
        Self.tarballSuffixes.contains { root.hasSuffix($0) }
    }

    public static let tarballSuffixes = [".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.zst", ".tzst"]
}

/// What the client loads first as linux.0.
public enum NetworkBootProgram: Hashable, Sendable, CustomStringConvertible {
    /// pxelinux.0 from Debian's pxelinux package, ldlinux.c32 beside it.
    case pxelinux
    /// lpxelinux.0 (the same package): pxelinux with its own TCP/IP stack, so
    /// its pxelinux files load the kernel and initrd over HTTP.
    case lpxelinux
    /// iPXE's undionly.kpxe.
    case ipxe
    /// A file of the site's own.
    case file(String)

    public var description: String {
        switch self {
        case .pxelinux: "pxelinux"
        case .lpxelinux: "lpxelinux"
        case .ipxe: "ipxe"
        case .file(let path): "file \(path)"
        }
    }
}

extension Image {
    /// What BIOS clients load as linux.0: with `farm.http-boot`, pxelinux
    /// becomes lpxelinux, so that clients other than iPXE (which gets a
    /// script of its own) load the kernel and initrd over HTTP too.
    public func biosBootProgram(httpBoot: Bool) -> NetworkBootProgram {
        networkBootProgram == .pxelinux && httpBoot ? .lpxelinux : networkBootProgram
    }

    /// pxelinux or lpxelinux: the program reads `pxelinux.cfg/` and needs ldlinux.c32 beside it.
    public var bootsWithSyslinux: Bool { networkBootProgram == .pxelinux || networkBootProgram == .lpxelinux }
}

/// How an image's initrd (linux.2) is packed.
public struct InitrdSettings: Hashable, Sendable {
    public var compression: Compression
    /// Compression level; nil takes the compressor's default.
    public var level: Int?
    /// Kernel modules to load before the root is mounted, with their dependencies.
    public var modules: [String]
    /// Extra files placed into the initrd.
    public var files: [ExtraFile]

    public init(compression: Compression = .gzip, level: Int? = nil, modules: [String] = [], files: [ExtraFile] = []) {
        self.compression = compression
        self.level = level
        self.modules = modules
        self.files = files
    }
}

public enum Compression: String, Hashable, Sendable, CaseIterable {
    case gzip, zstd, xz, none

    /// The levels the compressor accepts.
    public var levels: ClosedRange<Int>? {
        switch self {
        case .gzip: 1...9
        case .zstd: 1...19
        case .xz: 0...9
        case .none: nil
        }
    }
}

/// A file copied from the server into a node's tree or an initrd.
public struct ExtraFile: Hashable, Sendable {
    /// Absolute path inside the target tree, e.g. `/etc/motd`.
    public var target: String
    /// Path on the build machine.
    public var source: String

    public init(target: String, source: String) { self.target = target; self.source = source }
}
