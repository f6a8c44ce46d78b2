/// A client architecture (DHCP option 93, RFC 4578 §2.1 and IANA's
/// "Processor Architecture Types") that pxefarm serves, and where its boot
/// programs sit in the TFTP tree: `<folder>/<service>/linux.<layer>`.
public struct ClientArchitecture: Hashable, Sendable, CustomStringConvertible {
    public enum Firmware: Hashable, Sendable {
        /// A PXE ROM of an x86 BIOS: boot-server discovery and menus.
        case bios
        /// UEFI's PXE client over TFTP: it boots `file` and ignores menus.
        case uefi
        /// UEFI HTTP Boot: `file` is a URL, and the offer says "HTTPClient".
        case uefiHTTP
    }

    public let code: UInt16
    public let name: String
    public let folder: String
    public let firmware: Firmware

    public var description: String { "\(name) (option 93 = \(code))" }

    /// The boot file of `layer` of a service for this architecture.
    public func bootFile(service: String, layer: Int) -> String { "\(folder)/\(service)/linux.\(layer)" }

    /// Every architecture served, by code. Anything else is refused, naming its code.
    public static let table: [UInt16: ClientArchitecture] = Dictionary(uniqueKeysWithValues: [
        ClientArchitecture(code: 0, name: "x86 BIOS", folder: "X86PC/UNDI", firmware: .bios),
        ClientArchitecture(code: 6, name: "EFI IA32", folder: "EFI/IA32", firmware: .uefi),
        // 7 is "EFI BC" in RFC 4578; every x86-64 UEFI PXE client sends it (OVMF, most servers).
        ClientArchitecture(code: 7, name: "EFI x86-64", folder: "EFI/X64", firmware: .uefi),
        ClientArchitecture(code: 9, name: "EFI x86-64", folder: "EFI/X64", firmware: .uefi),
        ClientArchitecture(code: 10, name: "ARM 32-bit UEFI", folder: "EFI/ARM", firmware: .uefi),
        ClientArchitecture(code: 11, name: "ARM 64-bit UEFI", folder: "EFI/AA64", firmware: .uefi),
        ClientArchitecture(code: 15, name: "x86 UEFI HTTP Boot", folder: "EFI/IA32", firmware: .uefiHTTP),
        ClientArchitecture(code: 16, name: "x86-64 UEFI HTTP Boot", folder: "EFI/X64", firmware: .uefiHTTP),
        ClientArchitecture(code: 18, name: "ARM 32-bit UEFI HTTP Boot", folder: "EFI/ARM", firmware: .uefiHTTP),
        ClientArchitecture(code: 19, name: "ARM 64-bit UEFI HTTP Boot", folder: "EFI/AA64", firmware: .uefiHTTP),
    ].map { ($0.code, $0) })

    public static let bios = table[0]!

    /// The folders of the UEFI architectures, each once, for the catalog's scan.
    public static var uefiFolders: [String] {
        Array(Set(table.values.filter { $0.firmware != .bios }.map(\.folder))).sorted()
    }

    /// The architecture a client announces: BIOS when the list holds 0 (or
    /// option 93 is absent), else the first code in the list that the table
    /// has; nil when it has none of them.
    static func of(_ codes: [UInt16]) -> ClientArchitecture? {
        if codes.isEmpty || codes.contains(0) { return bios }
        return codes.lazy.compactMap { table[$0] }.first
    }
}
