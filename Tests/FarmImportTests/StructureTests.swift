import Testing
import FarmImport
import FarmLoading
import FarmModel
import NetbootWire

/// Scopes and inheritance (group, shared-network, subnet), comments and
/// quoting, and consecutive hosts collapsed into one range entry.
@Suite struct StructureTests {
    static let farm = """
        # A farm of four consecutive nodes in a group, one other, and a shared network.
        default-lease-time 300; max-lease-time 3600;
        shared-network dc2 {
          subnet 192.168.197.0 netmask 255.255.255.0 {
            option domain-name "dc2.kek.jp";   # the domain
            option routers 192.168.197.1;
            option domain-name-servers 192.168.197.11, 192.168.197.12;
            next-server 192.168.197.11;
            group {
              option vendor-class-identifier "PXEClient";
              option root-path "/nfsroot/x";
              host n040 { hardware ethernet 52:54:00:00:01:40; fixed-address 192.168.197.40; option root-path "/nfsroot/n040"; }
              host n041 { hardware ethernet 52:54:00:00:01:41; fixed-address 192.168.197.41; option root-path "/nfsroot/n041"; }
              host n042 { hardware ethernet 52:54:00:00:01:42; fixed-address 192.168.197.42; option root-path "/nfsroot/n042"; }
              host n043 { hardware ethernet 52:54:00:00:01:43; fixed-address 192.168.197.43; option root-path "/nfsroot/n043"; }
            }
            host n099 { hardware ethernet 52:54:00:00:01:99; fixed-address 192.168.197.99; option root-path "/nfsroot/n099"; filename "X86PC/UNDI/linux-boot/linux.0"; }
          }
        }

        """

    static let pxeConf = """
        [Service_Types]
        0,Bstrap
        14,linux-boot
        [X86PC/UNDI/MENU]
        14,Remote Boot Linux
        0,Local Boot
        [X86PC/UNDI/linux-boot/ImageFile_Name]
        0
        1
        linux
        [End]

        """

    @Test func scopesAreInheritedInward() throws {
        let (config, warnings) = try DHCPDConfigReader.read(Self.farm, file: "dhcpd.conf")
        #expect(warnings.isEmpty, "\(warnings)")
        #expect(config.hosts.count == 5)
        let first = try #require(config.hosts.first)
        #expect(first.parameters.nextServer == IPv4Address(192, 168, 197, 11))
        #expect(first.parameters.classIdentifier == DHCPDClassIdentifier(value: "PXEClient", optionName: "vendor-class-identifier"))
        #expect(first.parameters.rootPath == "/nfsroot/n040")
        #expect(first.parameters.defaultLeaseTime == 300)
        #expect(config.hosts[4].parameters.classIdentifier == nil)
        #expect(config.subnets.first?.parameters.domainNameServers == [IPv4Address(192, 168, 197, 11), IPv4Address(192, 168, 197, 12)])
    }

    @Test func consecutiveHostsBecomeOneRange() throws {
        let result = try FarmImport.run(dhcpd: .init(text: Self.farm, file: "dhcpd.conf"), pxeConf: .init(text: Self.pxeConf, file: "pxe.conf"))
        let nodeLines = result.farmFile.split(separator: "\n").filter { $0.hasPrefix("  - {name:") || $0.hasPrefix("  - {range:") }
        #expect(nodeLines == [
            #"  - {range: "n[040-043]", ip: 192.168.197.40, macs: ["52:54:00:00:01:40", "52:54:00:00:01:41", "52:54:00:00:01:42", "52:54:00:00:01:43"]}"#,
            #"  - {name: n099, mac: "52:54:00:00:01:99", ip: 192.168.197.99}"#,
        ])
        let loaded = FarmLoader().load(text: result.farmFile, file: "farm.yaml", baseDirectory: "/nonexistent", checkFiles: false)
        let farm = try #require(loaded.cleanFarm, "\(loaded.diagnostics)")
        #expect(farm.nodes.map(\.name) == ["n040", "n041", "n042", "n043", "n099"])
        #expect(farm.nodes.map(\.mac) == result.imported.farm.nodes.map(\.mac))
        #expect(farm.nodes.allSatisfy { $0.service == "linux-boot" })
        #expect(farm.settings.nfsRoot == "/nfsroot")
        #expect(farm.settings.leaseTime == LeaseTimes(defaultSeconds: 300, maxSeconds: 3600))
        #expect(farm.settings.dnsServers.count == 2)
    }

    /// A gap in the numbers or the addresses ends a run.
    @Test func gapsEndARun() throws {
        let text = """
            subnet 10.0.0.0 netmask 255.255.255.0 { option domain-name "x.example"; next-server 10.0.0.1; }
            host a1 { hardware ethernet 52:54:00:00:00:01; fixed-address 10.0.0.11; }
            host a2 { hardware ethernet 52:54:00:00:00:02; fixed-address 10.0.0.12; }
            host a3 { hardware ethernet 52:54:00:00:00:03; fixed-address 10.0.0.14; }
            host a4 { hardware ethernet 52:54:00:00:00:04; fixed-address 10.0.0.15; }

            """
        let result = try FarmImport.run(dhcpd: .init(text: text, file: "dhcpd.conf"), pxeConf: nil)
        #expect(!result.farmFile.contains("range:"))
        #expect(result.farmFile.contains("{name: a3, mac: \"52:54:00:00:00:03\", ip: 10.0.0.14}"))
    }
}
