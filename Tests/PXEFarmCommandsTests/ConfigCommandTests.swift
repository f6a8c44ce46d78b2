import Foundation
import Testing
import BootConfig
import FarmLoading
import TestSupport

@Suite struct ConfigCommandTests {
    static func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    /// Needs the demo image (`make image`, which `make test` runs first), as `pxefarm check` does.
    @Test func writesWhatTheRenderersMakeForTheExample() throws {
        let outScratch = try ScratchDirectory("config")
        defer { outScratch.remove() }
        let out = outScratch.path
        let output = try CommandRunner.run(["config", "examples/dc2/farm.yaml", "--out", out], in: repository)
        #expect(output.stderr == "")
        #expect(output.status == 0)
        #expect(output.stdout.hasPrefix("\(out): wrote 139 files for farm dc2 from "))
        let farm = try #require(FarmLoader().load(path: repository + "/examples/dc2/farm.yaml").cleanFarm)
        let expected = try BootConfiguration.render(farm, with: TemplateDirectory.load(repository + "/templates"))
        for file in expected {
            #expect(try Self.read(out + "/" + file.path) == file.text, "\(file.path)")
        }
    }

    @Test func aFarmWithErrorsWritesNothing() throws {
        let outScratch = try ScratchDirectory("config")
        defer { outScratch.remove() }
        let out = outScratch.path + "/new"
        let output = try CommandRunner.run(["config", "Tests/FarmLoadingTests/Fixtures/ten-mistakes/farm.yaml", "--out", out], in: repository)
        #expect(output.status == 1)
        #expect(output.stderr.hasSuffix("10 errors, 0 warnings; nothing done\n"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func aSitesTemplatesAreUsedAndTheirErrorsNamed() throws {
        let siteScratch = try ScratchDirectory("config")
        defer { siteScratch.remove() }
        let site = siteScratch.path
        let templates = site + "/templates"
        try FileManager.default.copyItem(atPath: repository + "/templates", toPath: templates)
        let exports = templates + "/etc/exports.mustache"
        try Data("# site exports\n{{#nodes}}{{path}} {{client}}(rw,async)\n{{/nodes}}".utf8).write(to: URL(fileURLWithPath: exports))
        let output = try CommandRunner.run(["config", "examples/dc2/farm.yaml", "--out", site + "/out", "--templates", templates], in: repository)
        #expect(output.status == 0)
        #expect(try Self.read(site + "/out/etc/exports").hasPrefix("# site exports\n/nfsroot/n011 192.168.197.31(rw,async)\n"))

        try Data("line one\n{{#nodes}}\n{{path}\n".utf8).write(to: URL(fileURLWithPath: exports))
        let broken = try CommandRunner.run(["config", "examples/dc2/farm.yaml", "--out", site + "/out2", "--templates", templates], in: repository)
        #expect(broken.status == 1)
        #expect(broken.stderr.hasPrefix("pxefarm config: \(exports):3:"))
        #expect(!FileManager.default.fileExists(atPath: site + "/out2"))
    }

    @Test(arguments: [["config"], ["explain"]])
    func helpMatchesItsGoldenFile(_ command: [String]) throws {
        let output = try CommandRunner.run(command + ["--help"])
        #expect(output.status == 0)
        let name = (["pxefarm"] + command).joined(separator: "-")
        #expect(output.stdout == (try GoldenFile.expected(output.stdout, path: GoldenFile.fixtures() + "/help/\(name).txt")))
    }
}
