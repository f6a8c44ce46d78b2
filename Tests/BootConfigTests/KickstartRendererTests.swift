import Foundation
import Testing
import TestSupport
import FarmLoading
import FarmModel
@testable import BootConfig

/// Kickstart files for examples/dc2 with its first four range nodes moved to
/// the install service (what a rollout wave does), rendered with a test secret.
@Suite struct KickstartRendererTests {
    static let secrets = FarmSecrets(
        rootPasswordHash: "$6$pxefarmtest$SoPSJkxtT97Gs0Y8V0aBrsONlDCKU9gsBYi9cyGuDQQtadFon4i7yQDbLnUe0N523W2AXgT.s9dCijKxS16Fx1",
        callbackKey: "test-callback-key-0123456789abcdef-not-for-production")
    static let installing: Set<String> = ["n040", "n041", "n042", "n043"]

    static func farm() throws -> Farm {
        var farm = try ExampleFarmTests.farm()
        for index in farm.nodes.indices where installing.contains(farm.nodes[index].name) {
            farm.nodes[index].service = "linux-install"
        }
        return farm
    }

    static func files() throws -> [RenderedFile] {
        let farm = try farm()
        return try KickstartRenderer.render(farm, with: KickstartTemplates.load(farm), secrets: secrets)
    }

    @Test func everyInstallNodeGetsItsGoldenFile() throws {
        let files = try Self.files()
        #expect(files.map(\.path) == ["ks/n040.cfg", "ks/n041.cfg", "ks/n042.cfg", "ks/n043.cfg"])
        for file in files {
            try GoldenFile.check(file.text, against: "kickstart/" + file.path)
        }
    }

    /// Each file carries its own node's token and no other node's.
    @Test func eachFileCarriesOnlyItsOwnToken() throws {
        let files = try Self.files()
        for file in files {
            let node = String(file.path.dropFirst(3).dropLast(4))
            #expect(file.text.contains("/done/\(node)?token=\(Self.secrets.callbackToken(for: node))\""))
            for other in Self.installing where other != node {
                #expect(!file.text.contains(Self.secrets.callbackToken(for: other)))
            }
            #expect(file.text.contains("rootpw --iscrypted \(Self.secrets.rootPasswordHash)\n"))
        }
    }

    /// The unmodified example boots no node from the install service: no files, no secrets needed.
    @Test func noInstallNodesNoFiles() throws {
        let farm = try ExampleFarmTests.farm()
        #expect(KickstartRenderer.installNodes(of: farm).isEmpty)
        #expect(try KickstartRenderer.render(farm, with: KickstartTemplates(), secrets: Self.secrets).isEmpty)
    }

    /// Another key gives other tokens: the files follow the secrets file.
    @Test func theKeyChangesTheTokens() throws {
        let farm = try Self.farm()
        let other = FarmSecrets(rootPasswordHash: Self.secrets.rootPasswordHash, callbackKey: String(repeating: "k", count: 40))
        let first = try KickstartRenderer.render(farm, with: KickstartTemplates.load(farm), secrets: Self.secrets)
        let second = try KickstartRenderer.render(farm, with: KickstartTemplates.load(farm), secrets: other)
        for (a, b) in zip(first, second) { #expect(a.text != b.text) }
    }

    @Test func aTemplateSyntaxErrorNamesTheTemplateFile() throws {
        let farm = try Self.farm()
        var templates = KickstartTemplates()
        let path = try #require(farm.service(named: "linux-install")?.kickstart)
        templates.add(path: path, text: "text\n{{#node}}\n")
        #expect {
            try KickstartRenderer.render(farm, with: templates, secrets: Self.secrets)
        } throws: { error in
            "\(error)".hasPrefix(path + ":")
        }
    }
}
