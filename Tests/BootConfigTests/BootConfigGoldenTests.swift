import Testing
import FarmModel
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
        ])
        for (path, text) in files {
            try Golden.check(text, against: "sample/" + path)
        }
    }

    @Test func proxyModeFiles() throws {
        let files = try Self.files(BootSampleFarm.farm(mode: .proxy))
        for path in ["etc/dhcpd.conf", "etc/kea-dhcp4.conf", "etc/pxe.conf"] {
            try Golden.check(files[path]!, against: "sample-proxy/" + path)
        }
    }

    @Test func unicastDiscoveryFiles() throws {
        let files = try Self.files(BootSampleFarm.unicastFarm())
        for path in ["etc/dhcpd.conf", "etc/pxe.conf"] {
            try Golden.check(files[path]!, against: "sample-unicast/" + path)
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
}
