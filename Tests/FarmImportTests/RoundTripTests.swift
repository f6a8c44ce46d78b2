import Foundation
import Testing
import BootConfig
import FarmImport
import FarmLoading
import FarmModel
import NetbootWire
import TestSupport

/// Import the reference configuration, load the farm file, render dhcpd.conf
/// with BootConfig, read that back: it says the same things as the original.
@Suite struct RoundTripTests {
    /// The original's hosts and the re-rendered file's, both read by the importer's parser.
    static func roundTrip(_ dhcpd: String, pxeConf: String?) throws -> (original: [HostSaid], rendered: [HostSaid], renderedText: String, result: FarmImport.Result) {
        let result = try ImportFixtures.importReference(dhcpd, pxeConf: pxeConf)
        let loaded = FarmLoader().load(text: result.farmFile, file: "farm.yaml", baseDirectory: "/nonexistent", checkFiles: false)
        let farm = try #require(loaded.cleanFarm, "\(loaded.diagnostics)")
        let templates = try TemplateDirectory.load(ImportFixtures.templates)
        let rendered = try #require(try DHCPDConfRenderer.render(farm, with: templates).first)
        let original = try DHCPDConfigReader.read(try GoldenFile.read(ImportFixtures.directory + "/" + dhcpd), file: dhcpd).config
        let again = try DHCPDConfigReader.read(rendered.text, file: "rendered-dhcpd.conf").config
        return (original.hosts.map(HostSaid.init), again.hosts.map(HostSaid.init), rendered.text, result)
    }

    /// The reference itself (proxy mode: option 60, no option 43): every
    /// host field is said again, the subnet's options too.
    @Test func referenceSaysTheSameThingsAfterARebuild() throws {
        let trip = try Self.roundTrip("reference-dhcpd.conf", pxeConf: "reference-pxe.conf")
        #expect(trip.original == trip.rendered, "\(trip.original) vs \(trip.rendered)")
        let original = try DHCPDConfigReader.read(try GoldenFile.read(ImportFixtures.directory + "/reference-dhcpd.conf"), file: "o").config
        let again = try DHCPDConfigReader.read(trip.renderedText, file: "r").config
        #expect(original.subnets.map(\.subnet) == again.subnets.map(\.subnet))
        for keyPath in [\DHCPDParameters.domainName] {
            #expect(original.subnets.first?.parameters[keyPath: keyPath] == again.subnets.first?.parameters[keyPath: keyPath])
        }
        #expect(original.subnets.first?.parameters.routers == again.subnets.first?.parameters.routers)
        #expect(original.subnets.first?.parameters.broadcastAddress == again.subnets.first?.parameters.broadcastAddress)
        #expect(original.subnets.first?.parameters.defaultLeaseTime == again.subnets.first?.parameters.defaultLeaseTime)
        #expect(original.subnets.first?.parameters.maxLeaseTime == again.subnets.first?.parameters.maxLeaseTime)
        // Only the spelling of option 60 changed, to the name dhcpd 4 accepts.
        #expect(original.hosts.first?.parameters.classIdentifier?.optionName == "dhcp-class-identifier")
        #expect(again.hosts.first?.parameters.classIdentifier?.optionName == "vendor-class-identifier")
    }

    /// Examples 1 and 2 (option 43 in the DHCP answer): hosts, addresses,
    /// next-server and option 43 decoded are said again. Their shared root
    /// path and kickstart file name are what a pxefarm farm says its own way
    /// (a root per node, the service's boot file): exactly those fields
    /// differ, and the import warned about each.
    @Test(arguments: ["reference-dhcpd-multicast.conf", "reference-dhcpd-unicast.conf"])
    func option43ExamplesSayTheSameThingsButWhatWasWarned(_ dhcpd: String) throws {
        let trip = try Self.roundTrip(dhcpd, pxeConf: nil)
        try #require(trip.original.count == trip.rendered.count)
        for (original, rendered) in zip(trip.original, trip.rendered) {
            #expect(original.vendorOptions != nil)
            #expect(original.differences(from: rendered) == ["filename", "root-path"], "\(original) vs \(rendered)")
        }
        let warnings = trip.result.warnings.map(\.message)
        #expect(warnings.contains { $0.contains("filename \"/distr/ks/ks.cfg\" is not carried") })
        #expect(warnings.contains { $0.contains("root-path \"/distr/netboot\" is not <directory>/<host name>") })
    }

    /// The re-rendered dhcpd.conf is one ISC dhcpd 4 accepts, while the
    /// original (dhcpd 2.0's option name) is refused: the check can fail.
    @Test(.needs(.dhcpd), arguments: ["reference-dhcpd.conf", "reference-dhcpd-multicast.conf", "reference-dhcpd-unicast.conf"])
    func realDhcpdAcceptsTheRerenderedFile(_ dhcpd: String) throws {
        let tool = try #require(Peer.dhcpd.path)
        let trip = try Self.roundTrip(dhcpd, pxeConf: dhcpd == "reference-dhcpd.conf" ? "reference-pxe.conf" : nil)
        let scratch = try ScratchDirectory()
        let renderedPath = scratch.path + "/dhcpd.conf"
        try trip.renderedText.write(toFile: renderedPath, atomically: true, encoding: .utf8)
        let accepted = try Self.dhcpdCheck(tool, renderedPath)
        #expect(accepted.status == 0, "dhcpd refused the re-rendered file:\n\(accepted.output)")
        let refused = try Self.dhcpdCheck(tool, ImportFixtures.directory + "/" + dhcpd)
        #expect(refused.status != 0, "dhcpd 4 should refuse dhcpd 2.0's option name")
    }

    static func dhcpdCheck(_ tool: String, _ file: String) throws -> (status: Int32, output: String) {
        try ProgramRun.run(tool, ["-4", "-t", "-cf", file, "-lf", "/dev/null", "-pf", "/dev/null"])
    }
}
