import Testing
import FarmModel
import NetbootWire
import TestSupport
@testable import FarmLoading

/// Loads farm-file text as "farm.yaml" (no file checks) and returns the diagnostics as printed.
func diagnostics(_ yaml: String, baseDirectory: String = "/nonexistent") -> [String] {
    FarmLoader().load(text: yaml, file: "farm.yaml", baseDirectory: baseDirectory, checkFiles: false).diagnostics.map(\.description)
}

func load(_ yaml: String) -> LoadResult {
    FarmLoader().load(text: yaml, file: "farm.yaml", baseDirectory: "/nonexistent", checkFiles: false)
}

let minimalFarm = """
    farm: {name: lab, domain: lab.example, server: 10.0.0.1, subnet: 10.0.0.0/24}
    images:
      base: {root: root, kernel: vmlinuz}
    services:
      - {type: 20, name: boot, image: base}
    nodes:
      - {name: a1, mac: "52:54:00:00:00:01", ip: 10.0.0.11}

    """

@Suite struct FarmLoaderTests {
    @Test func tenPlantedMistakesGiveTenDiagnosticsAtTheirLines() throws {
        let directory = GoldenFile.fixtures() + "/ten-mistakes"
        let result = FarmLoader().load(path: directory + "/farm.yaml")
        let printed = result.diagnostics.map { $0.description.replacing(directory + "/", with: "") }
        #expect(printed.count == 10)
        let actual = printed.joined(separator: "\n") + "\n"
        #expect(actual == (try GoldenFile.expected(actual, path: GoldenFile.fixtures() + "/ten-mistakes.expected")))
    }

    @Test func theTextOfEveryFileReadIsKeptForTheBuildsInputDigest() throws {
        let directory = GoldenFile.fixtures() + "/ten-mistakes"
        let result = FarmLoader().load(path: directory + "/farm.yaml")
        #expect(result.sources == [try GoldenFile.read(directory + "/farm.yaml"), try GoldenFile.read(directory + "/nodes.csv")])
    }

    @Test func theExampleFarmValidatesClean() throws {
        let path = GoldenFile.fixtures() + "/../../../examples/dc2/farm.yaml"
        let result = FarmLoader().load(text: try GoldenFile.read(path), file: "farm.yaml", baseDirectory: GoldenFile.fixtures() + "/../../../examples/dc2", checkFiles: false)
        #expect(result.diagnostics.map(\.description) == [])
        let farm = try #require(result.farm)
        #expect(farm.nodes.count == 65)
        #expect(farm.settings.effectiveBootServer.description == "192.168.197.12")
        #expect(farm.services.map(\.type) == [0, 13, 14])
        #expect(farm.discovery.multicast?.description == "224.0.1.2")
        #expect(farm.discovery.prompt == Prompt(timeout: 10, text: "Press F8 to view menu ..."))
        let n011 = try #require(farm.node(named: "n011"))
        #expect(n011.mac.description == "00:D0:B7:1B:12:ED")
        #expect(n011.ip.description == "192.168.197.31")
        #expect(n011.service == "linux-boot")
        let range = farm.nodes.dropFirst()
        #expect(range.map(\.name) == (40...103).map { "n" + format3($0) })
        #expect(range.map(\.ip.description) == (40...103).map { "192.168.197.\($0)" })
        #expect(range.first?.mac.description == "00:D0:B7:1C:00:28")
        #expect(range.last?.mac.description == "00:D0:B7:1C:00:67")
    }

    @Test func defaultsKeepASmallFarmShort() throws {
        let result = load(minimalFarm)
        #expect(result.diagnostics.isEmpty)
        let farm = try #require(result.farm)
        #expect(farm.nodes[0].service == "boot")
        #expect(farm.services[0].menu == "boot")
        #expect(farm.services[0].root == .nfs)
        #expect(farm.services[0].layers == 0...2)
        #expect(farm.settings.leaseTime == LeaseTimes(defaultSeconds: 600, maxSeconds: 7200))
        #expect(farm.settings.nfsRoot == "/nfsroot")
        #expect(farm.discovery == Discovery())
        #expect(farm.images[0].root == "/nonexistent/root")
        #expect(farm.images[0].networkBootProgram == .pxelinux)
        #expect(farm.images[0].efiBootProgram == .shimGrub)
        #expect(farm.images[0].initrd == InitrdSettings())
    }

    @Test func eachUEFIChoiceLoadsAndAWrongOneIsPlaced() throws {
        func image(efi: String) -> LoadResult {
            load(minimalFarm.replacing("base: {root: root, kernel: vmlinuz}", with: "base: {root: root, kernel: vmlinuz, efi: \(efi)}"))
        }
        let choices: [(String, EFIBootProgram)] = [
            ("shim-grub", .shimGrub), ("grub", .grub), ("ipxe", .ipxe), ("syslinux", .syslinux), ("none", .none),
            ("{file: efi/boot.efi}", .file("/nonexistent/efi/boot.efi")),
        ]
        for (text, expected) in choices {
            let result = image(efi: text)
            #expect(result.diagnostics.isEmpty, "efi: \(text)")
            #expect(try #require(result.farm).images[0].efiBootProgram == expected, "efi: \(text)")
        }
        #expect(image(efi: "shim").diagnostics.map(\.description) == [
            "farm.yaml:3:44: error: images.base.efi: \"shim\" is not a UEFI boot program; say shim-grub, grub, ipxe, syslinux, none, or {file: PATH}",
        ])
        #expect(image(efi: "syslnux").diagnostics.map(\.description).first?.hasSuffix("; did you mean \"syslinux\"?") == true)
        #expect(image(efi: "{path: x}").diagnostics.map(\.description) == [
            "farm.yaml:3:44: error: images.base.efi.file: missing required key 'file'",
            "farm.yaml:3:45: error: images.base.efi.path: unknown key 'path'; expected one of: file",
        ])
    }

    @Test func rangesExpandInOrderWithConsecutiveAddresses() throws {
        let farm = try #require(load(minimalFarm + """
              - {range: "b[8-11]", ip: 10.0.0.20, mac: "52:54:00:00:00:fe", kernel-args: [quiet, "console=ttyS0"]}
              - {range: "c[01-02]", ip: 10.0.0.30, macs: ["52:54:00:00:01:01", "52-54-00-00-01-02"]}

            """).farm)
        #expect(farm.nodes.map(\.name) == ["a1", "b8", "b9", "b10", "b11", "c01", "c02"])
        #expect(farm.nodes.map(\.ip.description).dropFirst() == ["10.0.0.20", "10.0.0.21", "10.0.0.22", "10.0.0.23", "10.0.0.30", "10.0.0.31"])
        #expect(farm.nodes[1...4].map(\.mac.description) == ["52:54:00:00:00:FE", "52:54:00:00:00:FF", "52:54:00:00:01:00", "52:54:00:00:01:01"])
        #expect(farm.nodes[6].mac.description == "52:54:00:00:01:02")
        #expect(farm.nodes[2].kernelArguments == "quiet console=ttyS0")
        #expect(farm.nodes[2].origin.range == "b[8-11]")
    }

    @Test func unknownAndRepeatedKeysArePlaced() {
        #expect(diagnostics(minimalFarm.replacingPrefix("farm: {", with: "farm: {domian: x, ") + "discovery: {broadcats: false}\n") == [
            "farm.yaml:1:8: error: farm.domian: unknown key 'domian'; did you mean \"domain\"?",
            "farm.yaml:8:13: error: discovery.broadcats: unknown key 'broadcats'; did you mean \"broadcast\"?",
        ])
        #expect(diagnostics(minimalFarm + "nodes: []\n") == [
            "farm.yaml:6:1: error: key 'nodes' appears more than once in one mapping (the first is here); keep one",
        ])
    }

    @Test func malformedValuesNameTheFieldAndPosition() {
        let yaml = """
            farm: {name: lab, domain: lab.example, server: 10.0.0.256, subnet: 10.0.0.1/24}
            services:
              - {type: 70000, name: boot, root: disk}
            nodes:
              - {name: a1, mac: "52:54:00:00:00", ip: 10.0.0.11, service: boot}

            """
        #expect(diagnostics(yaml) == [
            "farm.yaml:1:48: error: farm.server: \"10.0.0.256\" is not an IPv4 address (four numbers 0-255, such as 192.168.197.11)",
            "farm.yaml:1:68: error: farm.subnet: \"10.0.0.1/24\" has host bits set; the network is 10.0.0.0/24",
            "farm.yaml:3:12: error: services[0].type: expected a whole number 0-65535, found \"70000\"",
            "farm.yaml:3:37: error: services[0].root: \"disk\" is not one of nfs, ram, local",
            "farm.yaml:5:21: error: nodes[0].mac: \"52:54:00:00:00\" is not a MAC address (six hex pairs, such as 00:D0:B7:1B:12:ED)",
        ])
    }

    @Test func missingRequiredKeysArePlacedAtTheirMapping() {
        #expect(diagnostics("farm: {name: lab}\nnodes:\n  - {name: a1, ip: 10.0.0.1, service: x}\n") == [
            "farm.yaml:1:7: error: farm.domain: missing required key 'domain'",
            "farm.yaml:1:7: error: farm.server: missing required key 'server'",
            "farm.yaml:1:7: error: farm.subnet: missing required key 'subnet'",
            "farm.yaml:3:5: error: nodes[0].mac: missing required key 'mac'",
        ])
    }

    @Test func yamlSyntaxErrorsCarryTheirPosition() {
        let printed = diagnostics("farm: {name: lab\nnodes: [\n")
        #expect(printed.count == 1)
        #expect(printed.first?.hasPrefix("farm.yaml:2:") == true)
        #expect(printed.first?.contains("error: YAML syntax:") == true)
        #expect(diagnostics("") == ["farm.yaml:1:1: error: the farm file is empty; it needs at least 'farm' and 'nodes'"])
        #expect(diagnostics("- a\n- b\n") == ["farm.yaml:1:1: error: expected a mapping of farm, images, services, discovery, defaults, nodes, servers, found a list"])
    }

    @Test func aBadRangeIsExplained() {
        #expect(diagnostics(minimalFarm + "  - {range: \"b[9-3]\", ip: 10.0.0.20, mac: \"52:54:00:00:00:fe\"}\n  - {range: b1, ip: 10.0.0.20, macs: [\"52:54:00:00:00:fe\"]}\n  - {range: \"c[1-3]\", ip: 10.0.0.40, macs: [\"52:54:00:00:01:01\"]}\n") == [
            "farm.yaml:8:13: error: nodes[1].range: range runs backwards: 9 is after 3",
            "farm.yaml:9:13: error: nodes[2].range: range \"b1\" needs one numeric range in brackets, such as n[040-167]",
            "farm.yaml:10:44: error: nodes[3].macs: c[1-3] has 3 nodes but the MAC list has 1 entries",
        ])
    }

    @Test func longRootPathsWarnAtNfsRoot() {
        let yaml = minimalFarm.replacingPrefix("farm: {", with: "farm: {nfs-root: /export/diskless, ")
        #expect(diagnostics(yaml) == [
            "farm.yaml:1:18: warning: farm.nfs-root: root paths of 1 NFS-root node(s) are 16 characters or longer (/export/diskless/a1 has 19); some old PXE clients ignore such a root path, so consider a shorter nfs-root",
        ])
        #expect(load(yaml).cleanFarm != nil)
    }
}

func format3(_ number: Int) -> String {
    let digits = String(number)
    return String(repeating: "0", count: max(0, 3 - digits.count)) + digits
}

extension String {
    func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}

@Suite struct ImageIdentityLoadingTests {
    @Test func identityIsOnByDefaultAndFalseTurnsItOff() throws {
        #expect(try #require(load(minimalFarm).farm).images[0].identity)
        let off = minimalFarm.replacing("base: {root: root, kernel: vmlinuz}", with: "base: {root: root, kernel: vmlinuz, identity: false}")
        #expect(try #require(load(off).farm).images[0].identity == false)
        let bad = minimalFarm.replacing("base: {root: root, kernel: vmlinuz}", with: "base: {root: root, kernel: vmlinuz, identity: maybe}")
        #expect(diagnostics(bad) == ["farm.yaml:3:49: error: images.base.identity: expected true or false, found \"maybe\""])
    }
}

@Suite struct FarmNFSLoadingTests {
    func farm(_ nfs: String) -> String {
        minimalFarm.replacing("subnet: 10.0.0.0/24}", with: "subnet: 10.0.0.0/24,\n       nfs: \(nfs)}")
    }

    @Test func versionAndOptionsAreReadAsAListOrAsOneString() throws {
        #expect(try #require(load(minimalFarm).farm).settings.nfs == NFSSettings(version: "3", options: []))
        let listed = try #require(load(farm("{version: 4.2, options: [hard, timeo=600]}")).farm)
        #expect(listed.settings.nfs == NFSSettings(version: "4.2", options: ["hard", "timeo=600"]))
        #expect(listed.settings.nfs.mountOptionsText == "vers=4.2,proto=tcp,hard,timeo=600")
        let text = try #require(load(farm("{version: 3, options: \"hard,timeo=600\"}")).farm)
        #expect(text.settings.nfs.options == ["hard", "timeo=600"])
        #expect(text.settings.nfs.mountOptionsText == "vers=3,proto=tcp,nolock,hard,timeo=600")
        #expect(NFSSettings(version: "3", options: ["lock"]).mountOptionsText == "vers=3,proto=tcp,lock")
    }

    @Test func badVersionsAndOptionsAreNamedAtTheirLines() {
        #expect(diagnostics(farm("{version: 5, options: [vers=3, ro, \"a b\", proto=udp], sync: true}")) == [
            "farm.yaml:2:23: error: farm.nfs.version: \"5\" is not an NFS version; say 3, 4, 4.0, 4.1 or 4.2",
            "farm.yaml:2:36: error: farm.nfs.options[0]: vers is set by pxefarm: say the version as farm.nfs.version",
            "farm.yaml:2:44: error: farm.nfs.options[1]: ro is set by pxefarm: pxefarm mounts the shared image read-only and each node's tree read-write",
            "farm.yaml:2:48: error: farm.nfs.options[2]: \"a b\" is not an NFS mount option (nfs(5): a name such as hard or timeo=600; letters, digits, '_', '-', '.', ':', '/', no spaces or quotes)",
            "farm.yaml:2:55: error: farm.nfs.options[3]: proto is set by pxefarm: nodes mount over TCP (the kernel's NFS client has no UDP)",
            "farm.yaml:2:67: error: farm.nfs.sync: unknown key 'sync'; expected one of: version, options",
        ])
    }
}
