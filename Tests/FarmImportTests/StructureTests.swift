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

/// pxe.conf alone decides discovery in proxy mode; its boot server address
/// becomes farm.boot-server, and a missing one is pointed out.
@Suite struct PXEConfImportTests {
    static let dhcpd = """
        subnet 10.0.0.0 netmask 255.255.255.0 { option domain-name "x.example"; }
        host a1 { hardware ethernet 52:54:00:00:00:01; fixed-address 10.0.0.11; next-server 10.0.0.1; option vendor-class-identifier "PXEClient"; }

        """

    @Test func discoverySectionsAndBootServer() throws {
        let pxe = """
            [OurIpAddress]
            10.0.0.2
            [UseDHCPPort]
            1
            [Discovery_BCast_Disabled]
            1
            [Discovery_MCast_Disabled]
            1
            [Discovery_MCast_Addr]
            224.0.1.2
            [Discovery_Server_List_Only]
            1
            [Discovery_List]
            14,1,10.0.0.2
            [Prompt]
            5,Hit F8
            [Service_Types]
            14,linux-boot
            [X86PC/UNDI/MENU]
            14,Boot
            [End]

            """
        let result = try FarmImport.run(dhcpd: .init(text: Self.dhcpd, file: "dhcpd.conf"), pxeConf: .init(text: pxe, file: "pxe.conf"))
        let farm = result.imported.farm
        #expect(farm.settings.bootServer == IPv4Address(10, 0, 0, 2))
        #expect(farm.discovery == Discovery(mode: .proxy, multicast: nil, broadcast: false, unicast: [IPv4Address(10, 0, 0, 2)], serverListOnly: true, prompt: Prompt(timeout: 5, text: "Hit F8")))
        #expect(farm.services.map(\.name) == ["linux-boot"])
        #expect(result.warnings.map(\.description) == ["dhcpd.conf:2:1: warning: host a1 names no boot file or root path and the menu has no local boot: imported with service linux-boot, the first of the menu"])
        let loaded = FarmLoader().load(text: result.farmFile, file: "farm.yaml", baseDirectory: "/nonexistent", checkFiles: false)
        #expect(loaded.cleanFarm?.discovery == farm.discovery)
        #expect(loaded.cleanFarm?.settings == farm.settings)
    }

    @Test func separateDHCPWithoutAnAddressIsPointedOut() throws {
        let pxe = "[UseDHCPPort]\n1\n[End]\n"
        let result = try FarmImport.run(dhcpd: .init(text: Self.dhcpd, file: "dhcpd.conf"), pxeConf: .init(text: pxe, file: "pxe.conf"))
        #expect(result.warnings.first?.description == "pxe.conf:1:1: warning: UseDHCPPort 1 says the PXE server runs on another machine than dhcpd, but pxe.conf gives no OurIpAddress; set farm.boot-server to its address")
    }
}

/// What a node cannot be twice, and spellings dhcpd itself uses.
@Suite struct HostCleanupTests {
    @Test func duplicatesAreSkippedAndNamesShortened() throws {
        let text = """
            subnet 10.0.0.0 netmask 255.255.255.0 { option domain-name "x.example"; next-server 10.0.0.1; }
            host a1.x.example { hardware ethernet 0:d0:b7:1b:12:ed; fixed-address 10.0.0.11; }
            host a2 { hardware ethernet 00:D0:B7:1B:12:ED; fixed-address 10.0.0.12; }
            host a3 { hardware ethernet 00:D0:B7:1B:12:EE; fixed-address 10.0.0.11; }
            host a4 { fixed-address 10.0.0.14; }

            """
        let result = try FarmImport.run(dhcpd: .init(text: text, file: "dhcpd.conf"), pxeConf: nil)
        #expect(result.imported.farm.nodes.map(\.name) == ["a1"])
        #expect(result.imported.farm.nodes.first?.mac == MACAddress("00:D0:B7:1B:12:ED"))
        #expect(result.warnings.map(\.description) == [
            "dhcpd.conf:2:1: warning: host a1.x.example is imported as node a1: node names are host names, the domain is farm.domain",
            "dhcpd.conf:3:1: warning: host a2 has the same MAC 00:D0:B7:1B:12:ED as host a1 (line 2); only the first is imported",
            "dhcpd.conf:4:1: warning: host a3 has the same address 10.0.0.11 as host a1 (line 2); only the first is imported",
            "dhcpd.conf:5:1: warning: host a4 has no hardware ethernet; it is not imported",
            "dhcpd.conf:2:1: warning: host a1 names no boot file or root path: imported with service local, as its answer says nothing else to boot (the client picks from the menu); give it another service to boot it from the network",
        ])
        let loaded = FarmLoader().load(text: result.farmFile, file: "farm.yaml", baseDirectory: "/nonexistent", checkFiles: false)
        #expect(!loaded.hasErrors, "\(loaded.diagnostics)")
    }
}
