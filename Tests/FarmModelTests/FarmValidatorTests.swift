import Testing
import NetbootWire
@testable import FarmModel

@Suite struct FarmValidatorTests {
    @Test func theSampleFarmIsClean() {
        #expect(SampleFarm.diagnostics(SampleFarm.farm()) == [])
    }

    @Test func nodeAddressesMustFitTheSubnet() {
        var farm = SampleFarm.farm()
        farm.nodes[0].ip = SampleFarm.ip("192.168.198.31")
        farm.nodes[1].ip = SampleFarm.ip("192.168.197.255")
        #expect(SampleFarm.diagnostics(farm) == [
            "error: nodes[0].ip: address 192.168.198.31 is outside the subnet 192.168.197.0/24",
            "error: nodes[1].ip: address 192.168.197.255 is the broadcast address of 192.168.197.0/24",
        ])
    }

    @Test(arguments: [
        ("192.168.197.0", "network address of 192.168.197.0/24"),
        ("192.168.197.1", "router (farm.routers[0])"),
        ("192.168.197.11", "server (farm.server)"),
        ("192.168.197.12", "boot server (farm.boot-server)"),
    ])
    func nodesMayNotTakeReservedAddresses(_ address: String, _ role: String) {
        var farm = SampleFarm.farm()
        farm.nodes[1].ip = SampleFarm.ip(address)
        #expect(SampleFarm.diagnostics(farm) == ["error: nodes[1].ip: address \(address) is the \(role)"])
    }

    @Test func duplicatesNameTheFirstOwner() {
        var farm = SampleFarm.farm()
        farm.nodes[1].name = "n011"
        farm.nodes[1].mac = farm.nodes[0].mac
        farm.nodes[1].ip = farm.nodes[0].ip
        #expect(SampleFarm.diagnostics(farm) == [
            "error: nodes[1].name: duplicate node name; n011 is already defined at nodes[0]",
            "error: nodes[1].mac: MAC 00:D0:B7:1B:12:ED is already used by n011",
            "error: nodes[1].ip: address 192.168.197.31 is already used by n011",
        ])
    }

    @Test func rangeMembersAreNamedInTheirMessages() {
        var farm = SampleFarm.farm()
        let entry = FieldPath("nodes")[1]
        farm.nodes[1].origin = NodeOrigin(entry: entry, name: entry / "range", mac: (entry / "macs")[3], ip: entry / "ip", service: entry / "service", range: "n[009-012]")
        farm.nodes[1].mac = farm.nodes[0].mac
        #expect(SampleFarm.diagnostics(farm) == [
            "error: nodes[1].macs[3]: node n012 (from n[009-012]): MAC 00:D0:B7:1B:12:ED is already used by n011",
        ])
    }

    @Test(arguments: ["-n1", "n1-", "n_1", "n.1", String(repeating: "n", count: 64), ""])
    func nodeNamesMustBeHostNames(_ name: String) {
        var farm = SampleFarm.farm()
        farm.nodes[1].name = name
        farm.nodes[1].service = "local"  // no NFS root path, so no length warning
        #expect(SampleFarm.diagnostics(farm) == [
            "error: nodes[1].name: is not a valid host name (1-63 letters, digits and '-', not starting or ending with '-')",
        ])
    }

    @Test func serviceTypesAreUniqueAndReservedOnesDeliberate() {
        var farm = SampleFarm.farm()
        farm.services[2].type = 13
        farm.services.append(Service(type: 4, name: "bstrap", menu: "Bootstrap", image: "base"))
        #expect(SampleFarm.diagnostics(farm) == [
            "error: services[2].type: type 13 is already used by services[1] (linux-install); each service needs its own type",
            "error: services[3].type: type 4 is reserved by the PXE specification (1-9); pick 10-65535, or add 'reserved-type: true' to use it on purpose",
        ])
        farm.services[3].allowReservedType = true
        farm.services[2].type = 14
        #expect(SampleFarm.diagnostics(farm) == [])
    }

    @Test func menuTextIsLimitedTo255Bytes() {
        var farm = SampleFarm.farm()
        farm.services[1].menu = String(repeating: "é", count: 128)
        #expect(SampleFarm.diagnostics(farm) == [
            "error: services[1].menu: menu text is 256 bytes; PXE menus (option 43 tag 9) hold at most 255",
        ])
    }

    @Test func unknownReferencesSuggestTheClosestName() {
        var farm = SampleFarm.farm()
        farm.services[2].image = "bsae"
        farm.nodes[0].service = "linux-bot"
        #expect(SampleFarm.diagnostics(farm) == [
            "error: services[2].image: unknown image \"bsae\"; did you mean \"base\"?",
            "error: nodes[0].service: unknown service \"linux-bot\"; did you mean \"linux-boot\"?",
        ])
    }

    @Test func missingFilesAreNamed() {
        var farm = SampleFarm.farm()
        farm.images[0].kernel = "/img/bzImage"
        farm.images[0].root = "/img/vmlinuz"
        #expect(SampleFarm.diagnostics(farm) == [
            "error: images.base.root: root directory /img/vmlinuz is a file, not a directory",
            "error: images.base.kernel: kernel /img/bzImage does not exist",
        ])
    }

    @Test func configInjectionIsRefused() {
        var farm = SampleFarm.farm()
        farm.services[2].menu = "Boot\"; filename \"evil"
        farm.services[2].kernelArguments = "quiet\nLABEL evil"
        farm.discovery.prompt.text = "Press F8 }"
        #expect(SampleFarm.diagnostics(farm) == [
            "error: services[2].menu: contains a double quote, which would break out of the configuration files it is written into; remove it",
            "error: services[2].kernel-args: contains a newline, which would break out of the configuration files it is written into; remove it",
            "error: discovery.prompt.text: contains a brace, which would break out of the configuration files it is written into; remove it",
        ])
    }

    @Test func longRootPathsWarnOnce() {
        var farm = SampleFarm.farm()
        farm.settings.nfsRoot = "/export/nfsroot"
        #expect(SampleFarm.diagnostics(farm) == [
            "warning: farm.nfs-root: root paths of 2 NFS-root node(s) are 16 characters or longer (/export/nfsroot/n011 has 20); some old PXE clients ignore such a root path, so consider a shorter nfs-root",
        ])
    }

    @Test func discoveryMustLeaveAWay() {
        var farm = SampleFarm.farm()
        farm.discovery = Discovery(multicast: nil, broadcast: false, unicast: [], serverListOnly: true)
        #expect(SampleFarm.diagnostics(farm) == [
            "error: discovery: broadcast and multicast discovery are both off and no unicast servers are listed: clients could find no boot server",
            "error: discovery.server-list-only: accepting only listed servers needs a 'unicast' server list",
        ])
        farm.discovery = Discovery(multicast: SampleFarm.ip("192.168.197.2"))
        #expect(SampleFarm.diagnostics(farm) == ["error: discovery.multicast: 192.168.197.2 is not a multicast address (224.0.0.0-239.255.255.255)"])
    }

    @Test func unreadableFieldsAreNotJudged() {
        var farm = SampleFarm.farm()
        farm.settings.subnet = IPv4Subnet("10.0.0.0/8")!
        let context = ValidationContext(files: SampleFarm.files, unreadable: ["farm.subnet"])
        #expect(FarmValidator.validate(farm, context: context) == [])
    }

    @Test func routersMustBeOnTheSubnetAndLeasesOrdered() {
        var farm = SampleFarm.farm()
        farm.settings.routers = [SampleFarm.ip("10.0.0.1")]
        farm.settings.leaseTime = LeaseTimes(defaultSeconds: 9000, maxSeconds: 7200)
        #expect(SampleFarm.diagnostics(farm) == [
            "error: farm.routers[0]: 10.0.0.1 is outside the subnet 192.168.197.0/24",
            "error: farm.lease.default: default lease time 9000 s is longer than the maximum 7200 s",
        ])
    }
}
