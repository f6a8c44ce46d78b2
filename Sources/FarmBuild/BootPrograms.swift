import FarmModel

/// Where the network boot programs come from: Debian's pxelinux and
/// syslinux-common packages, iPXE's undionly.kpxe and snponly.efi (package
/// ipxe), and for UEFI the signed shim (shim-signed), the signed network
/// GRUB (grub-efi-amd64-signed) and syslinux.efi (syslinux-efi).
public struct BootPrograms: Sendable {
    public var pxelinux: String
    /// pxelinux with HTTP (and FTP) besides TFTP, from the same package.
    public var lpxelinux: String
    /// pxelinux loads ldlinux.c32 from the directory of its own boot file.
    public var ldlinux: String
    public var ipxe: String
    /// Secure Boot's first stage, signed by Microsoft's UEFI CA.
    public var shim: String
    /// GRUB built for booting from the network (prefix /grub), signed by Debian.
    public var grubNet: String
    public var ipxeEFI: String
    public var syslinuxEFI: String
    /// syslinux.efi loads ldlinux.e64 from the directory of its own boot file.
    public var ldlinuxEFI: String

    public init(
        pxelinux: String = "/usr/lib/PXELINUX/pxelinux.0",
        lpxelinux: String = "/usr/lib/PXELINUX/lpxelinux.0",
        ldlinux: String = "/usr/lib/syslinux/modules/bios/ldlinux.c32",
        ipxe: String = "/usr/lib/ipxe/undionly.kpxe",
        shim: String = EFIBootProgram.shimFile.path,
        grubNet: String = EFIBootProgram.grubNetFile.path,
        ipxeEFI: String = EFIBootProgram.ipxeFile.path,
        syslinuxEFI: String = EFIBootProgram.syslinuxFile.path,
        ldlinuxEFI: String = EFIBootProgram.ldlinuxFile.path
    ) {
        self.pxelinux = pxelinux
        self.lpxelinux = lpxelinux
        self.ldlinux = ldlinux
        self.ipxe = ipxe
        self.shim = shim
        self.grubNet = grubNet
        self.ipxeEFI = ipxeEFI
        self.syslinuxEFI = syslinuxEFI
        self.ldlinuxEFI = ldlinuxEFI
    }

    /// One file a UEFI boot program is made of: where it goes in
    /// `EFI/X64/<service>/`, where it comes from, and the Debian package
    /// that installs it.
    public struct Part: Equatable, Sendable {
        public var name: String
        public var source: String
        public var package: String?
    }

    /// The files of `program` (empty for `none`): linux.0 first.
    public func parts(of program: EFIBootProgram, bootFile: String = "linux.0") -> [Part] {
        switch program {
        case .shimGrub:
            [Part(name: bootFile, source: shim, package: EFIBootProgram.shimFile.package),
             Part(name: "grubx64.efi", source: grubNet, package: EFIBootProgram.grubNetFile.package)]
        case .grub: [Part(name: bootFile, source: grubNet, package: EFIBootProgram.grubNetFile.package)]
        case .ipxe: [Part(name: bootFile, source: ipxeEFI, package: EFIBootProgram.ipxeFile.package)]
        case .syslinux:
            [Part(name: bootFile, source: syslinuxEFI, package: EFIBootProgram.syslinuxFile.package),
             Part(name: "ldlinux.e64", source: ldlinuxEFI, package: EFIBootProgram.ldlinuxFile.package)]
        case .file(let path): [Part(name: bootFile, source: path, package: nil)]
        case .none: []
        }
    }
}
