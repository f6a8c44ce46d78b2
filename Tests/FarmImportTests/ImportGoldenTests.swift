import Foundation
import Testing
import FarmImport
import FarmLoading
import FarmModel
import NetbootWire
import TestSupport

/// The reference deployment's dhcpd.conf and pxe.conf (pxe-howto-ja.txt),
/// imported: the farm file and the warnings are golden.
@Suite struct ImportGoldenTests {
    static let cases: [(name: String, dhcpd: String, pxeConf: String?)] = [
        ("reference", "reference-dhcpd.conf", "reference-pxe.conf"),
        ("reference-multicast", "reference-dhcpd-multicast.conf", nil),
        ("reference-unicast", "reference-dhcpd-unicast.conf", nil),
    ]

    @Test(arguments: cases.indices)
    func farmFileAndWarningsMatchGolden(_ index: Int) throws {
        let item = Self.cases[index]
        let result = try ImportFixtures.importReference(item.dhcpd, pxeConf: item.pxeConf)
        let farmPath = ImportFixtures.directory + "/\(item.name)-farm.yaml"
        #expect(result.farmFile == (try GoldenFile.expected(result.farmFile, path: farmPath)))
        let warnings = result.warnings.map(\.description).joined(separator: "\n") + "\n"
        let warningsPath = ImportFixtures.directory + "/\(item.name)-warnings.txt"
        #expect(warnings == (try GoldenFile.expected(warnings, path: warningsPath)))
    }

    /// The farm file loads, and says what the importer meant: the loaded farm
    /// is the imported one (node origins aside).
    @Test(arguments: cases.indices)
    func emittedFarmFileLoadsAsTheImportedFarm(_ index: Int) throws {
        let item = Self.cases[index]
        let result = try ImportFixtures.importReference(item.dhcpd, pxeConf: item.pxeConf)
        let loaded = FarmLoader().load(text: result.farmFile, file: "farm.yaml", baseDirectory: "/nonexistent", checkFiles: false)
        #expect(!loaded.hasErrors, "\(loaded.diagnostics)")
        let farm = try #require(loaded.farm)
        let imported = result.imported.farm
        #expect(farm.settings == imported.settings)
        #expect(farm.services == imported.services)
        #expect(farm.discovery == imported.discovery)
        #expect(farm.images.map(\.name) == imported.images.map(\.name))
        #expect(farm.nodes.map { [$0.name, "\($0.mac)", "\($0.ip)", $0.service] } == imported.nodes.map { [$0.name, "\($0.mac)", "\($0.ip)", $0.service] })
    }

    /// With file checks on, the only errors are the placeholder image's
    /// missing files, each at its marked line.
    @Test func placeholderImageIsReportedByTheFileCheck() throws {
        let result = try ImportFixtures.importReference("reference-dhcpd.conf", pxeConf: "reference-pxe.conf")
        let scratch = try ScratchDirectory()
        let loaded = FarmLoader().load(text: result.farmFile, file: "farm.yaml", baseDirectory: scratch.path, checkFiles: true)
        let errors = loaded.diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.path.description).sorted() == ["images.base.kernel", "images.base.root"])
        let lines = result.farmFile.split(separator: "\n", omittingEmptySubsequences: false)
        for error in errors {
            let line = try #require(error.location?.line)
            #expect(lines[line - 1].contains(FarmFileWriter.todoMarker), "\(error)")
        }
    }

    /// What the reference says, as values: the subnet, the host, pxe.conf's
    /// services in its menu order with its layers, and its discovery.
    @Test func referenceIsReadAsItsWriteUpDescribes() throws {
        let farm = try ImportFixtures.importReference("reference-dhcpd.conf", pxeConf: "reference-pxe.conf").imported.farm
        #expect(farm.settings.name == "dc2")
        #expect(farm.settings.subnet == IPv4Subnet("192.168.197.0/24"))
        #expect(farm.settings.server == IPv4Address(192, 168, 197, 11))
        #expect(farm.settings.routers == [IPv4Address(192, 168, 197, 1)])
        #expect(farm.settings.leaseTime == LeaseTimes(defaultSeconds: 600, maxSeconds: 7200))
        #expect(farm.services.map(\.type) == [13, 0, 14])
        #expect(farm.services.map(\.name) == ["linux-install", "local", "linux-boot"])
        #expect(farm.services.map(\.menu) == ["Remote Install Linux", "Local Boot", "Remote Boot Linux"])
        #expect(farm.services.map(\.layers) == [0...2, 0...2, 0...1])
        #expect(farm.services.map(\.root) == [.ram, .local, .nfs])
        #expect(farm.discovery.mode == .proxy)
        #expect(farm.discovery.multicast == IPv4Address(224, 0, 1, 2))
        #expect(farm.discovery.broadcast)
        #expect(farm.discovery.prompt == Prompt(timeout: 10, text: "Press F8 to view menu ..."))
        #expect(farm.nodes.map(\.name) == ["n011"])
        #expect(farm.nodes.first?.mac == MACAddress("00:D0:B7:1B:12:ED"))
        #expect(farm.nodes.first?.service == "local")
    }

    /// Option 43 of example 2 decoded into services and discovery: unicast
    /// to .12 for types 13 and 14, broadcast and multicast off.
    @Test func unicastOption43BecomesDiscoveryAndServices() throws {
        let farm = try ImportFixtures.importReference("reference-dhcpd-unicast.conf").imported.farm
        #expect(farm.discovery.mode == .dhcp)
        #expect(farm.discovery.unicast == [IPv4Address(192, 168, 197, 12)])
        #expect(!farm.discovery.broadcast)
        #expect(farm.discovery.multicast == nil)
        #expect(farm.services.map(\.type) == [0, 13, 14])
        #expect(farm.services.map(\.menu) == ["Local boot", "kick start", "network boot"])
        #expect(farm.discovery.prompt == Prompt(timeout: 10, text: "Type <F8> for menu"))
    }
}
