/// Where the network boot programs come from: Debian's pxelinux and
/// syslinux-common packages, and iPXE's undionly.kpxe (package ipxe).
public struct BootPrograms: Sendable {
    public var pxelinux: String
    /// pxelinux loads ldlinux.c32 from the directory of its own boot file.
    public var ldlinux: String
    public var ipxe: String

    public init(
        pxelinux: String = "/usr/lib/PXELINUX/pxelinux.0",
        ldlinux: String = "/usr/lib/syslinux/modules/bios/ldlinux.c32",
        ipxe: String = "/usr/lib/ipxe/undionly.kpxe"
    ) {
        self.pxelinux = pxelinux
        self.ldlinux = ldlinux
        self.ipxe = ipxe
    }
}
