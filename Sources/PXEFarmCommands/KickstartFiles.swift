import ArgumentParser
import BootConfig
import FarmLoading
import FarmModel
import FileIO

/// The kickstart files of a farm's install nodes, shared by `pxefarm
/// config`, `plan` and `build` (they report back to `farm.http-port`).
enum KickstartFiles {
    /// ks/<node>.cfg for the nodes of install services; none without such nodes.
    /// `log` gets every path read; `reported` says whether the secrets file had something to say.
    static func of(_ farm: Farm, farmFile: String, log: ReadLog? = nil) throws -> (files: [RenderedFile], reported: Bool) {
        let installs = KickstartRenderer.installNodes(of: farm)
        guard let first = installs.first else { return ([], false) }
        guard let path = farm.settings.secrets else {
            Console.error("\(farmFile): node \(first.node.name) boots \(first.node.service), which has a kickstart template; set farm.secrets to the secrets file with its root password hash and callback key; nothing written")
            throw ExitCode.failure
        }
        let (secrets, diagnostics) = SecretsLoader(files: LocalFiles(log: log)).load(path: path)
        Console.report(diagnostics)
        guard let secrets else {
            Console.error("kickstart files need the secrets file; nothing written")
            throw ExitCode.failure
        }
        return (try KickstartRenderer.render(farm, with: KickstartTemplates.load(farm, log: log), secrets: secrets), !diagnostics.isEmpty)
    }
}
