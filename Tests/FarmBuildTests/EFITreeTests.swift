import Testing
import Foundation
import FarmModel
@testable import FarmBuild

/// The x86-64 UEFI folder beside the BIOS one, for each choice of `efi:`.
@Suite struct EFITreeTests {
    @Test func shimAndGRUBByDefaultWithTheKernelOnDiskOnce() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        _ = try scratch.builder().build(scratch.farm())
        let efi = "out/tftpboot/EFI/X64/boot/"
        #expect(try scratch.read(efi + "linux.0") == "shim")
        #expect(try scratch.read(efi + "grubx64.efi") == "grub")
        #expect(try scratch.read(efi + "linux.1") == "kernel one")
        #expect(FileSystem.readLink(scratch.out + "/tftpboot/EFI/X64/boot/linux.1") == "../../../X86PC/UNDI/boot/linux.1")
        #expect(!FileManager.default.fileExists(atPath: scratch.out + "/tftpboot/EFI/X64/boot/linux.2"))
        #expect(try scratch.read("out/tftpboot/grub/grub.cfg").contains("configfile \"$prefix/grub.cfg-01-$m1-$m2-$m3-$m4-$m5-$m6\""))
        let node = try scratch.read("out/tftpboot/grub/grub.cfg-01-52-54-00-00-00-01")
        #expect(node.contains("linux /EFI/X64/boot/linux.1 root=/dev/nfs nfsroot=10.0.0.1:/nfsroot/n1 ip=dhcp rw\n"))
        #expect(!node.contains("initrd"))  // the service has layers 0...1
    }

    @Test func eachChoiceLaysOutItsFiles() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        for (name, text) in [("snponly.efi", "snponly"), ("syslinux.efi", "syslinux"), ("ldlinux.e64", "ldlinux64"), ("own.efi", "own")] {
            try scratch.write(name, text)
        }
        let choices: [(EFIBootProgram, [String: String])] = [
            (.grub, ["linux.0": "grub"]),
            (.ipxe, ["linux.0": "snponly"]),
            (.syslinux, ["linux.0": "syslinux", "ldlinux.e64": "ldlinux64"]),
            (.file(scratch.directory + "/own.efi"), ["linux.0": "own"]),
        ]
        for (choice, files) in choices {
            var farm = scratch.farm()
            farm.images[0].efiBootProgram = choice
            _ = try scratch.builder().build(farm)
            let folder = scratch.out + "/tftpboot/EFI/X64/boot"
            let listed = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0 != "pxelinux.cfg" }.sorted()
            #expect(listed == (Array(files.keys) + ["linux.1"]).sorted(), "\(choice)")
            for (file, text) in files {
                #expect(try scratch.read("out/tftpboot/EFI/X64/boot/" + file) == text, "\(choice) \(file)")
            }
            #expect(FileManager.default.fileExists(atPath: scratch.out + "/tftpboot/grub/grub.cfg") == choice.runsGRUB, "\(choice)")
        }
        var farm = scratch.farm()
        farm.images[0].efiBootProgram = .syslinux
        _ = try scratch.builder().build(farm)
        #expect(try scratch.read("out/tftpboot/EFI/X64/boot/pxelinux.cfg/01-52-54-00-00-00-02").contains("LINUX linux.1"))
        farm.images[0].efiBootProgram = .none
        _ = try scratch.builder().build(farm)
        #expect(!FileManager.default.fileExists(atPath: scratch.out + "/tftpboot/EFI"))
    }

    @Test func aMissingShimNamesThePackageAndBuildsNothing() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var builder = scratch.builder()
        builder.programs.shim = scratch.directory + "/no-shim.efi"
        #expect(throws: BuildError.bootProgramMissing(image: "base", program: "shim-grub", path: scratch.directory + "/no-shim.efi", package: "shim-signed")) {
            _ = try builder.build(scratch.farm())
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.out + "/tftpboot"))
        let message = BuildError.bootProgramMissing(image: "base", program: "shim-grub", path: "/usr/lib/shim/shimx64.efi.signed", package: "shim-signed").description
        #expect(message == "image base boots UEFI nodes with shim-grub, which needs /usr/lib/shim/shimx64.efi.signed: install the Debian package shim-signed (make deps does), or set images.base.efi to another choice or none")
    }
}
