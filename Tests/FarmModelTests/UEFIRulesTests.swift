import Foundation
import Testing
@testable import FarmModel

/// Warnings for UEFI nodes: an unsigned kernel behind shim, missing packages.
@Suite struct UEFIRulesTests {
    func diagnostics(_ farm: Farm, known: [String: FileProbe.Kind] = SampleFarm.known, signed: [String: Bool]) -> [String] {
        FarmValidator.validate(farm, context: ValidationContext(files: FileProbe(known, signed: signed))).map(\.description)
    }

    @Test func anUnsignedKernelWarnsOnlyWhereShimChecksIt() {
        var farm = SampleFarm.farm()
        #expect(diagnostics(farm, signed: ["/img/vmlinuz": false]) == [
            "warning: images.base.kernel: /img/vmlinuz is not signed: UEFI nodes with Secure Boot on will refuse it (shim checks the kernel); sign it with the site's key enrolled in MOK (sbsign, mokutil), or boot those nodes with Secure Boot off",
        ])
        // Not a PE image at all (nil): the kernel check (ImageCheck) is the build's.
        #expect(diagnostics(farm, signed: [:]) == [])
        farm.images[0].efiBootProgram = .grub
        #expect(diagnostics(farm, signed: ["/img/vmlinuz": false]) == [])
    }

    @Test func aMissingPackageFileNamesThePackage() {
        var farm = SampleFarm.farm()
        var known = SampleFarm.known
        known[EFIBootProgram.grubNetFile.path] = nil
        #expect(diagnostics(farm, known: known, signed: ["/img/vmlinuz": true]) == [
            "warning: images.base.efi: UEFI nodes boot with shim-grub, which needs /usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed: install the Debian package grub-efi-amd64-signed (make deps does), or say efi: none",
        ])
        farm.images[0].efiBootProgram = .syslinux
        #expect(diagnostics(farm, signed: ["/img/vmlinuz": true]).count == 2)
        farm.images[0].efiBootProgram = .none
        #expect(diagnostics(farm, signed: ["/img/vmlinuz": false]) == [])
        // An image no service boots needs nothing.
        farm = SampleFarm.farm()
        farm.services = [farm.services[0]]
        farm.nodes = []
        #expect(diagnostics(farm, known: [:], signed: [:]).filter { $0.contains("images.base") && !$0.contains("does not exist") } == [])
    }

    /// A PE32+ header built by hand: MZ, e_lfanew, PE, optional header magic,
    /// six data directories with the certificate table (index 4) set or not.
    static func peHeader(certificateSize: UInt32, magic: UInt16 = 0x20B, directories: UInt32 = 6) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 512)
        bytes[0] = 0x4D; bytes[1] = 0x5A
        bytes[0x3C] = 0x80
        bytes[0x80..<0x84] = [0x50, 0x45, 0, 0]
        let optional = 0x80 + 24
        bytes[optional] = UInt8(magic & 0xFF); bytes[optional + 1] = UInt8(magic >> 8)
        let table = optional + (magic == 0x20B ? 112 : 96)
        for index in 0..<4 { bytes[table - 4 + index] = UInt8((directories >> (8 * UInt32(index))) & 0xFF) }
        for index in 0..<4 { bytes[table + 36 + index] = UInt8((certificateSize >> (8 * UInt32(index))) & 0xFF) }
        return bytes
    }

    @Test func theCertificateTableSaysWhetherAPEImageIsSigned() {
        #expect(PECertificateTable.isSigned(header: Self.peHeader(certificateSize: 1472)) == true)
        #expect(PECertificateTable.isSigned(header: Self.peHeader(certificateSize: 0)) == false)
        #expect(PECertificateTable.isSigned(header: Self.peHeader(certificateSize: 8, magic: 0x10B)) == true)
        #expect(PECertificateTable.isSigned(header: Self.peHeader(certificateSize: 8, directories: 4)) == false)
        #expect(PECertificateTable.isSigned(header: Self.peHeader(certificateSize: 8, magic: 0x999)) == nil)
        #expect(PECertificateTable.isSigned(header: Array("not a PE image at all, just text".utf8) + [UInt8](repeating: 0, count: 64)) == nil)
        #expect(PECertificateTable.isSigned(header: [0x4D, 0x5A]) == nil)
    }

    static let shim = "/usr/lib/shim/"

    /// Debian's shim comes signed and unsigned: the reader tells them apart.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: shim + "shimx64.efi") && FileManager.default.fileExists(atPath: shim + "shimx64.efi.signed")))
    func debiansSignedAndUnsignedShim() throws {
        func header(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path)).prefix(PECertificateTable.headerSize)) }
        #expect(PECertificateTable.isSigned(header: try header(Self.shim + "shimx64.efi.signed")) == true)
        #expect(PECertificateTable.isSigned(header: try header(Self.shim + "shimx64.efi")) == false)
    }
}
