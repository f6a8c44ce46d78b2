import Testing
import TestSupport
import FarmModel
import NetbootWire
@testable import BootConfig

/// Every emitter's output for the reference farm, against readable fixtures.
@Suite struct BootConfigGoldenTests {
    static func templates() throws -> Templates { try TemplateDirectory.load(RepositoryTemplates.directory) }

    static func files(_ farm: Farm) throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try BootConfiguration.render(farm, with: templates()).map { ($0.path, $0.text) })
    }

    @Test func theSampleFarmIsValid() {
        #expect(FarmValidator.validate(BootSampleFarm.farm()).map(\.description) == [])
        #expect(FarmValidator.validate(BootSampleFarm.unicastFarm()).map(\.description) == [])
    }

    @Test func everyFileOfTheSampleFarm() throws {
        let files = try Self.files(BootSampleFarm.farm())
        #expect(files.keys.sorted() == [
            "etc/dhcpd.conf", "etc/dnsmasq.conf", "etc/exports", "etc/kea-dhcp4.conf", "etc/pxe.conf", "etc/services.pxefarm",
            "tftpboot/X86PC/UNDI/linux-boot/pxelinux.cfg/01-00-d0-b7-1b-12-ed",
            "tftpboot/X86PC/UNDI/linux-boot/pxelinux.cfg/01-00-d0-b7-1b-12-ee",
            "tftpboot/X86PC/UNDI/linux-boot/pxelinux.cfg/default",
            "tftpboot/X86PC/UNDI/linux-install/pxelinux.cfg/01-00-d0-b7-1b-12-ef",
            "tftpboot/X86PC/UNDI/linux-install/pxelinux.cfg/default",
            "tftpboot/grub/grub.cfg",
            "tftpboot/grub/grub.cfg-01-00-d0-b7-1b-12-ed",
            "tftpboot/grub/grub.cfg-01-00-d0-b7-1b-12-ee",
            "tftpboot/grub/grub.cfg-01-00-d0-b7-1b-12-ef",
        ])
        for (path, text) in files {
            try GoldenFile.check(text, against: "sample/" + path)
        }
    }

    @Test func proxyModeFiles() throws {
        let files = try Self.files(BootSampleFarm.farm(mode: .proxy))
        for path in ["etc/dhcpd.conf", "etc/kea-dhcp4.conf", "etc/pxe.conf"] {
            try GoldenFile.check(files[path]!, against: "sample-proxy/" + path)
        }
    }

    @Test func unicastDiscoveryFiles() throws {
        let files = try Self.files(BootSampleFarm.unicastFarm())
        for path in ["etc/dhcpd.conf", "etc/pxe.conf"] {
            try GoldenFile.check(files[path]!, against: "sample-unicast/" + path)
        }
    }

    @Test func dhcpModeCarriesTheComputedOption43AndProxyModeNone() throws {
        let dhcp = try Self.files(BootSampleFarm.farm())["etc/dhcpd.conf"]!
        let expected = "option vendor-encapsulated-options 06:01:00:07:04:e0:00:01:02:09:29:00:00:0a:4c:6f:63:61:6c:20:62:6f:6f:74:00:0d:0a:6b:69:63:6b:20:73:74:61:72:74:00:0e:0c:6e:65:74:77:6f:72:6b:20:62:6f:6f:74:0a:13:0a:54:79:70:65:20:3c:46:38:3e:20:66:6f:72:20:6d:65:6e:75:ff;"
        #expect(dhcp.components(separatedBy: expected).count - 1 == 4)
        #expect(!dhcp.contains("dhcp-class-identifier"))
        let proxy = try Self.files(BootSampleFarm.farm(mode: .proxy))["etc/dhcpd.conf"]!
        #expect(!proxy.contains("vendor-encapsulated-options"))
        #expect(proxy.components(separatedBy: "option vendor-class-identifier \"PXEClient\";").count - 1 == 4)
    }

    /// UEFI nodes: GRUB files for shim-grub and grub images, pxelinux files
    /// beside syslinux.efi, nothing for ipxe, a file of the site's own, or none.
    @Test func eachUEFIChoiceRendersTheFilesItsBootProgramReads() throws {
        func paths(_ efi: EFIBootProgram) throws -> [String] {
            var farm = BootSampleFarm.farm()
            farm.images[0].efiBootProgram = efi
            return try Self.files(farm).keys.filter { $0.hasPrefix("tftpboot/grub/") || $0.hasPrefix("tftpboot/EFI/") }.sorted()
        }
        let grub = ["tftpboot/grub/grub.cfg", "tftpboot/grub/grub.cfg-01-00-d0-b7-1b-12-ed", "tftpboot/grub/grub.cfg-01-00-d0-b7-1b-12-ee",
                    "tftpboot/grub/grub.cfg-01-00-d0-b7-1b-12-ef"]
        #expect(try paths(.shimGrub) == grub)
        #expect(try paths(.grub) == grub)
        for other in [EFIBootProgram.ipxe, .none, .file("/srv/boot.efi")] {
            #expect(try paths(other) == [], "\(other)")
        }
        #expect(try paths(.syslinux) == [
            "tftpboot/EFI/X64/linux-boot/pxelinux.cfg/01-00-d0-b7-1b-12-ed", "tftpboot/EFI/X64/linux-boot/pxelinux.cfg/01-00-d0-b7-1b-12-ee",
            "tftpboot/EFI/X64/linux-boot/pxelinux.cfg/default",
            "tftpboot/EFI/X64/linux-install/pxelinux.cfg/01-00-d0-b7-1b-12-ef", "tftpboot/EFI/X64/linux-install/pxelinux.cfg/default",
        ])
    }

    /// A node's GRUB file loads the same kernel command line as its pxelinux file.
    @Test func aNodesGRUBFileHasItsPXELinuxArguments() throws {
        let files = try Self.files(BootSampleFarm.farm())
        for mac in ["ed", "ee", "ef"] {
            let pxelinux = try #require(files.first { $0.key.hasSuffix("pxelinux.cfg/01-00-d0-b7-1b-12-" + mac) }?.value)
            let grub = try #require(files["tftpboot/grub/grub.cfg-01-00-d0-b7-1b-12-" + mac])
            let append = try #require(pxelinux.split(separator: "\n").first { $0.hasPrefix("  APPEND ") }).dropFirst("  APPEND ".count)
            let linux = try #require(grub.split(separator: "\n").first { $0.hasPrefix("linux ") })
            #expect(linux.split(separator: " ", maxSplits: 2).last == append)
        }
    }

    @Test func grubWordsQuoteWhatGRUBWouldExpand() {
        #expect(GRUBWords.quoted("root=/dev/nfs nfsroot=10.0.0.1:/nfs/n1,vers=3 console=ttyS0,115200") == "root=/dev/nfs nfsroot=10.0.0.1:/nfs/n1,vers=3 console=ttyS0,115200")
        #expect(GRUBWords.quoted("a=$x b#c d|e f&g h<i j>k ok") == "'a=$x' 'b#c' 'd|e' 'f&g' 'h<i' 'j>k' ok")
    }

    /// What serve puts in its TFTP overlay for a node whose boot differs.
    @Test func grubNodeFilesAreKeyedUnderTheTFTPRoot() throws {
        var farm = BootSampleFarm.farm()
        farm.nodes[1].kernelArguments += " pxefarm.once=1"
        let files = try GRUBRenderer.nodeFiles(farm, nodes: ["n012"], with: Self.templates())
        #expect(files.keys.sorted() == ["grub/grub.cfg-01-00-d0-b7-1b-12-ee"])
        #expect(String(decoding: files["grub/grub.cfg-01-00-d0-b7-1b-12-ee"]!, as: UTF8.self).contains(" single pxefarm.once=1\n"))
    }
}

/// lpxelinux (`nbp: lpxelinux`, or pxelinux with `farm.http-boot`): the
/// pxelinux files name the kernel and initrd as http:// URLs on the node's
/// HTTP origin; without it, names relative to the folder, over TFTP.
@Suite struct LPXELinuxFileTests {
    @Test func httpBootTurnsPXELinuxFilesIntoHTTPURLs() throws {
        var farm = BootSampleFarm.farm()
        farm.settings.httpBoot = true
        let files = try BootConfigGoldenTests.files(farm)
        for path in ["tftpboot/X86PC/UNDI/linux-boot/pxelinux.cfg/01-00-d0-b7-1b-12-ed", "tftpboot/X86PC/UNDI/linux-boot/pxelinux.cfg/default"] {
            try GoldenFile.check(files[path]!, against: "sample-lpxelinux/" + path)
        }
        let origin = Farm.httpOrigin(address: farm.settings.server, port: farm.settings.httpPort)
        #expect(files["tftpboot/X86PC/UNDI/linux-boot/pxelinux.cfg/default"]!.contains("LINUX \(origin)/X86PC/UNDI/linux-boot/linux.1"))
        // GRUB (UEFI) still loads over TFTP: only the BIOS folder runs lpxelinux.
        #expect(!files["tftpboot/grub/grub.cfg-01-00-d0-b7-1b-12-ed"]!.contains("http://"))
    }

    @Test func theImageChoiceAloneDoesIt() throws {
        var farm = BootSampleFarm.farm()
        for index in farm.images.indices { farm.images[index].networkBootProgram = .lpxelinux }
        let files = try BootConfigGoldenTests.files(farm)
        #expect(files["tftpboot/X86PC/UNDI/linux-boot/pxelinux.cfg/01-00-d0-b7-1b-12-ed"]!.contains("INITRD http://"))
        #expect(farm.images.allSatisfy { $0.biosBootProgram(httpBoot: false) == .lpxelinux })
        #expect(BootSampleFarm.farm().images.allSatisfy { $0.biosBootProgram(httpBoot: true) == .lpxelinux && $0.biosBootProgram(httpBoot: false) == .pxelinux })
    }

    @Test func portEightyNamesNoPort() {
        #expect(Farm.httpOrigin(address: IPv4Address(10, 0, 0, 1), port: 80) == "http://10.0.0.1")
        #expect(Farm.httpOrigin(address: IPv4Address(10, 0, 0, 1), port: 8067) == "http://10.0.0.1:8067")
    }
}
