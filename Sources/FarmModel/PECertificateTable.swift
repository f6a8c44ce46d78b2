/// Whether a PE/COFF image (an EFI binary, or a Linux bzImage with its EFI
/// stub) carries an Authenticode signature: the Certificate Table entry
/// (data directory 4) of its optional header is not empty (Microsoft PE
/// Format, "Optional Header Data Directories"). UEFI Secure Boot, and shim
/// for the kernel, refuse an image without one. Pure: bytes in, answer out.
public enum PECertificateTable {
    /// What the first bytes of a file say: nil when they are not a PE image
    /// (no "MZ" at 0, or no "PE\0\0" where 0x3C points).
    public static func isSigned(header bytes: [UInt8]) -> Bool? {
        guard bytes.count >= 0x40, bytes[0] == 0x4D, bytes[1] == 0x5A else { return nil }
        let pe = Int(le32(bytes, 0x3C))
        guard pe + 24 <= bytes.count, bytes[pe..<pe + 4].elementsEqual([0x50, 0x45, 0, 0]) else { return nil }
        let optional = pe + 24
        guard optional + 2 <= bytes.count else { return nil }
        // PE32 (0x10B) has 96 bytes before the data directories, PE32+ (0x20B) 112.
        let directories: Int
        switch le16(bytes, optional) {
        case 0x10B: directories = optional + 96
        case 0x20B: directories = optional + 112
        default: return nil
        }
        let count = Int(le32(bytes, directories - 4))
        guard count > 4 else { return false }
        let entry = directories + 4 * 8
        guard entry + 8 <= bytes.count else { return nil }
        return le32(bytes, entry + 4) > 0
    }

    /// How much of a file `isSigned` needs at most in practice.
    public static let headerSize = 4096

    static func le16(_ bytes: [UInt8], _ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }

    static func le32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        guard at + 4 <= bytes.count else { return 0 }
        return (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * $1) }
    }
}
