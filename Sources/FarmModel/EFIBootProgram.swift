/// What an x86-64 UEFI client loads first, as `EFI/X64/<service>/linux.0`
/// (option 93 = 7 or 9), beside the BIOS program of `X86PC/UNDI/<service>/`.
public enum EFIBootProgram: Hashable, Sendable, CustomStringConvertible {
    /// Debian's signed shim (shim-signed) as linux.0 and its signed network
    /// GRUB (grub-efi-amd64-signed) as grubx64.efi beside it: boots with
    /// Secure Boot on, given a kernel signed by Debian (or enrolled in MOK).
    case shimGrub
    /// The signed network GRUB alone as linux.0 (Secure Boot off, or a db
    /// that trusts Debian's key directly).
    case grub
    /// iPXE's snponly.efi (package ipxe), which boots the kernel itself.
    case ipxe
    /// syslinux.efi (syslinux-efi) with ldlinux.e64 (syslinux-common) beside it.
    case syslinux
    /// An EFI binary of the site's own.
    case file(String)
    /// No UEFI tree: UEFI clients of the image's services are refused.
    case none

    /// The names the farm file uses for the choices that are not a file.
    public static let names = ["shim-grub", "grub", "ipxe", "syslinux", "none"]

    public init?(name: String) {
        switch name {
        case "shim-grub": self = .shimGrub
        case "grub": self = .grub
        case "ipxe": self = .ipxe
        case "syslinux": self = .syslinux
        case "none": self = .none
        default: return nil
        }
    }

    /// Whether GRUB runs on the client, so the node needs a GRUB file.
    public var runsGRUB: Bool { self == .shimGrub || self == .grub }

    public var description: String {
        switch self {
        case .shimGrub: "shim-grub"
        case .grub: "grub"
        case .ipxe: "ipxe"
        case .syslinux: "syslinux"
        case .file(let path): "file \(path)"
        case .none: "none"
        }
    }
}

extension EFIBootProgram {
    /// A file a choice needs on the build machine, and the Debian package that installs it.
    public struct HostFile: Hashable, Sendable {
        public var path: String
        public var package: String
    }

    public static let shimFile = HostFile(path: "/usr/lib/shim/shimx64.efi.signed", package: "shim-signed")
    public static let grubNetFile = HostFile(path: "/usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed", package: "grub-efi-amd64-signed")
    public static let ipxeFile = HostFile(path: "/usr/lib/ipxe/snponly.efi", package: "ipxe")
    public static let syslinuxFile = HostFile(path: "/usr/lib/SYSLINUX.EFI/efi64/syslinux.efi", package: "syslinux-efi")
    public static let ldlinuxFile = HostFile(path: "/usr/lib/syslinux/modules/efi64/ldlinux.e64", package: "syslinux-common")

    /// The Debian files of this choice (none for a file of the site's own or none).
    public var hostFiles: [HostFile] {
        switch self {
        case .shimGrub: [Self.shimFile, Self.grubNetFile]
        case .grub: [Self.grubNetFile]
        case .ipxe: [Self.ipxeFile]
        case .syslinux: [Self.syslinuxFile, Self.ldlinuxFile]
        case .file, .none: []
        }
    }

    /// Whether UEFI firmware with Secure Boot on runs this chain as Debian ships it.
    public var keepsSecureBoot: Bool { self == .shimGrub }
}
