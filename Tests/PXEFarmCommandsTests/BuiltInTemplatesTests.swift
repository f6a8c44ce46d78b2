import BootConfig
import Foundation
import FarmLoading
import Testing
import TestSupport

/// A pxefarm binary copied to a folder with no templates anywhere near it
/// renders, builds (the initrd's /init included) and lets a site's folder
/// replace single files.
@Suite struct BuiltInTemplatesTests {
    static let systemSiteAbsent = !FileManager.default.fileExists(atPath: TemplateDirectory.systemSite)

    /// A copy of the built binary in a scratch folder of its own.
    static func copiedBinary(into scratch: String) throws -> String {
        try FileManager.default.createDirectory(atPath: scratch + "/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CommandRunner.executable, toPath: scratch + "/bin/pxefarm")
        return scratch + "/bin/pxefarm"
    }

    /// Needs the demo image (`make image`); skipped where this machine has its own /etc/pxefarm/templates.
    @Test(.needsDemoImage, .enabled(if: systemSiteAbsent, "\(TemplateDirectory.systemSite) exists on this machine and would be laid over the built-in templates"))
    func aCopiedBinaryRendersFromItsBuiltInTemplates() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let binary = try Self.copiedBinary(into: scratch.path)
        let output = try CommandRunner.run([binary, "config", "examples/dc2/farm.yaml", "--out", scratch.path + "/out"], in: repository, environment: ["PXEFARM_TEMPLATES": ""], executable: binary)
        #expect(output.stderr == "")
        #expect(output.status == 0)
        #expect(output.stdout.hasSuffix(" from built-in templates\n"))
        let farm = try #require(FarmLoader().load(path: repository + "/examples/dc2/farm.yaml").cleanFarm)
        for file in try BootConfiguration.render(farm, with: TemplateDirectory.load(repository + "/templates")) {
            #expect(try String(contentsOfFile: scratch.path + "/out/" + file.path, encoding: .utf8) == file.text, "\(file.path)")
        }
    }

    @Test(.needsDemoImage, .enabled(if: systemSiteAbsent, "\(TemplateDirectory.systemSite) exists on this machine and would be laid over the built-in templates"))
    func aSiteFileReplacesOnlyItsOwnAndTheBuildStillFindsInit() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let binary = try Self.copiedBinary(into: scratch.path)
        let site = scratch.path + "/site"
        try FileManager.default.createDirectory(atPath: site + "/etc", withIntermediateDirectories: true)
        try Data("# site exports\n{{#nodes}}{{path}} {{client}}(ro)\n{{/nodes}}".utf8).write(to: URL(fileURLWithPath: site + "/etc/exports.mustache"))
        let output = try CommandRunner.run([binary, "build", "examples/dc2/farm.yaml", "--out", scratch.path + "/out"], in: repository, environment: ["PXEFARM_TEMPLATES": site], executable: binary)
        #expect(output.status == 0, "\(output.stderr)")
        let exports = try String(contentsOfFile: scratch.path + "/out/etc/exports", encoding: .utf8)
        #expect(exports.hasPrefix("# site exports\n"))
        let dhcpd = try String(contentsOfFile: scratch.path + "/out/etc/dhcpd.conf", encoding: .utf8)
        #expect(dhcpd.contains("authoritative;"))
        let listing = try CommandRunner.run([binary, "initrd", "list", scratch.path + "/out/tftpboot/X86PC/UNDI/linux-boot/linux.2"], executable: binary)
        #expect(listing.status == 0, "\(listing.stderr)")
        #expect(listing.stdout.split(separator: "\n").contains { $0.hasSuffix(" init") || $0 == "init" || $0.contains(" init ") })
    }
}

/// A temporary folder for one test.
struct Scratch {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("pxefarm-\(UUID().uuidString)").path

    init() throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
