import Foundation
import Testing
import TestSupport
import FarmModel
@testable import BootConfig

/// The emitted files, read by the programs that will read them in production.
@Suite struct RealToolTests {
    static let farms: [(String, Farm)] = [
        ("multicast", BootSampleFarm.farm()),
        ("proxy", BootSampleFarm.farm(mode: .proxy)),
        ("unicast", BootSampleFarm.unicastFarm()),
    ]

    static func check(_ tool: PeerTool, file path: String, of farm: Farm) throws {
        let scratch = try ScratchDirectory("bootconfig")
        let files = try BootConfiguration.render(farm, with: TemplateDirectory.load(RepositoryTemplates.directory))
        try ConfigWriter.write(files, into: scratch.path)
        let result = try tool.check(scratch.path + "/" + path)
        #expect(result.status == 0, "\(tool.name) refused \(path):\n\(result.output)")
    }

    @Test(.needs(.dhcpd), arguments: 0..<3)
    func dhcpdAccepts(_ index: Int) throws {
        try Self.check(.dhcpd, file: DHCPDConfRenderer.outputPath, of: Self.farms[index].1)
    }

    @Test(.needs(.kea), arguments: 0..<3)
    func keaAccepts(_ index: Int) throws {
        try Self.check(.kea, file: KeaConfRenderer.outputPath, of: Self.farms[index].1)
    }

    @Test(.needs(.dnsmasq), arguments: 0..<3)
    func dnsmasqAccepts(_ index: Int) throws {
        try Self.check(.dnsmasq, file: DnsmasqConfRenderer.outputPath, of: Self.farms[index].1)
    }

    /// The checks can fail: dhcpd 4.4 refuses dhcpd 2.0's option name, as the
    /// field notes say, so a passing run above means something.
    @Test(.needs(.dhcpd)) func dhcpdRefusesTheOldClassIdentifierName() throws {
        let tool = PeerTool.dhcpd
        let scratch = try ScratchDirectory("bootconfig")
        let files = try BootConfiguration.render(BootSampleFarm.farm(), with: TemplateDirectory.load(RepositoryTemplates.directory))
        let dhcpd = files.first { $0.path == DHCPDConfRenderer.outputPath }!
        let old = RenderedFile(path: dhcpd.path, text: dhcpd.text.replacingOccurrences(of: "vendor-class-identifier", with: "dhcp-class-identifier"))
        try ConfigWriter.write([old], into: scratch.path)
        #expect(try tool.check(scratch.path + "/" + old.path).status != 0)
    }
}
