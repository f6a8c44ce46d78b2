import Foundation
import Testing
import TestSupport
import FarmLoading
import FarmModel
@testable import BootConfig

/// examples/dc2/farm.yaml, the reference deployment as a farm file: every
/// emitted file against its golden copy, and the three real readers.
@Suite struct ExampleFarmTests {
    static let example = URL(fileURLWithPath: RepositoryTemplates.directory).deletingLastPathComponent()
        .appendingPathComponent("examples/dc2").path

    /// Loaded without looking at the image files, which `make image` builds:
    /// configuration does not depend on them.
    static func farm() throws -> Farm {
        let text = try String(contentsOfFile: example + "/farm.yaml", encoding: .utf8)
        let result = FarmLoader().load(text: text, file: "examples/dc2/farm.yaml", baseDirectory: example, checkFiles: false)
        let farm = try #require(result.cleanFarm, "examples/dc2/farm.yaml has errors: \(result.diagnostics)")
        return farm
    }

    static func files() throws -> [RenderedFile] {
        try BootConfiguration.render(farm(), with: TemplateDirectory.load(RepositoryTemplates.directory))
    }

    @Test func everyEmittedFileMatchesItsGoldenCopy() throws {
        let files = try Self.files()
        #expect(files.count == 139)  // 6 in etc/, 2 defaults, 64 + 1 linux-boot nodes, grub.cfg and 65 nodes' GRUB files
        for file in files {
            try GoldenFile.check(file.text, against: "dc2/" + file.path)
        }
        // A golden copy without an emitted file means an output went missing.
        let emitted = Set(files.map(\.path))
        let dc2 = GoldenFile.fixtures() + "/dc2"
        let kept = FileManager.default.enumerator(atPath: dc2)?.compactMap { $0 as? String }.filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: dc2 + "/" + $0, isDirectory: &isDirectory) && !isDirectory.boolValue
        } ?? []
        #expect(Set(kept) == emitted)
    }

    @Test func theOptionIn43IsTheFarmsMenu() throws {
        let dhcpd = try #require(try Self.files().first { $0.path == "etc/dhcpd.conf" })
        let hex = try #require(dhcpd.text.split(separator: "\n").first { $0.contains("vendor-encapsulated-options") })
        let value = hex.split(separator: " ").last!.dropLast()
        let options = try PXEVendorOptionsFromHex.decode(String(value))
        #expect(options.bootMenu?.map(\.text) == ["Local Boot", "Remote Install Linux", "Remote Boot Linux"])
        #expect(options.prompt?.text == "Press F8 to view menu ...")
    }

    @Test(.needs(.dhcpd, .kea, .dnsmasq), arguments: [PeerTool.dhcpd, .kea, .dnsmasq].indices)
    func realToolsAcceptTheExample(_ index: Int) throws {
        let tool = [PeerTool.dhcpd, .kea, .dnsmasq][index]
        let scratch = try ScratchDirectory()
        try ConfigWriter.write(Self.files(), into: scratch.path)
        let path = [DHCPDConfRenderer.outputPath, KeaConfRenderer.outputPath, DnsmasqConfRenderer.outputPath][index]
        let result = try tool.check(scratch.path + "/" + path)
        #expect(result.status == 0, "\(tool.name) refused \(path):\n\(result.output)")
    }
}

import NetbootWire

enum PXEVendorOptionsFromHex {
    static func decode(_ text: String) throws -> PXEVendorOptions {
        try PXEVendorOptions.decode(HexBytes.parse(text))
    }
}
