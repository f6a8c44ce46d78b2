import Testing
import TestSupport
import FarmModel
@testable import BootConfig

/// The files pxefarm keeps in each NFS-root node's tree, for the sample
/// farm with its default NFS settings and with `farm.nfs` set: the fstab
/// must say what the initrd mounted, as systemd will read it.
@Suite struct NodeRootGoldenTests {
    static func files(_ farm: Farm) throws -> [String: String] {
        let templates = try TemplateDirectory.load(RepositoryTemplates.directory)
        return Dictionary(uniqueKeysWithValues: try NodeRootRenderer.render(farm, with: templates).map { ($0.path, $0.text) })
    }

    @Test func everyNodeFileOfTheSampleFarm() throws {
        let files = try Self.files(BootSampleFarm.farm())
        #expect(files.keys.sorted().filter { $0.hasPrefix("nfsroot/n011/") } == [
            "nfsroot/n011/etc/fstab", "nfsroot/n011/etc/hostname", "nfsroot/n011/etc/hosts",
            "nfsroot/n011/etc/network/interfaces", "nfsroot/n011/etc/resolv.conf", "nfsroot/n011/pxefarm-node.conf",
        ])
        for (path, text) in files where path.hasPrefix("nfsroot/n011/") {
            try GoldenFile.check(text, against: "sample/" + path)
        }
    }

    @Test func theFstabCarriesFarmNFS() throws {
        var farm = BootSampleFarm.farm()
        farm.settings.nfs = NFSSettings(version: "4.2", options: ["hard", "timeo=600"])
        let fstab = try #require(try Self.files(farm)["nfsroot/n011/etc/fstab"])
        try GoldenFile.check(fstab, against: "sample-nfs42/nfsroot/n011/etc/fstab")
        #expect(!fstab.contains("/.pxefarm"))
    }
}
