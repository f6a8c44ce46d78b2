/// One output file: its path relative to the output folder and its text.
public struct RenderedFile: Hashable, Sendable {
    /// e.g. `etc/dhcpd.conf`, `tftpboot/X86PC/UNDI/linux-boot/pxelinux.cfg/default`.
    public var path, text: String

    public init(path: String, text: String) { self.path = path; self.text = text }
}
