import ArgumentParser
import FarmBuild
import FarmModel

/// `pxefarm publish farm.yaml --out DIR --to NAME=TARGET ...`: the current
/// generation to every server of the farm, each getting only its own part.
struct PublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Copy the current build generation to each server of the farm with rsync.",
        discussion: """
            Every server of the farm's servers: (or the one farm.server, named "server") needs a \
            --to NAME=TARGET: a local folder (a shared file system) or host:path over ssh. Each \
            server gets its own part, staged into .pxefarm/generations/N.partial there, then made \
            current with one rename, so it never serves a half-copied generation. All servers are \
            published at once. A server that \
            cannot be reached is reported and the others still get the generation; the exit \
            status is 1 if any failed.
            """)

    @OptionGroup var farm: FarmFileOptions

    @Option(help: ArgumentHelp("The build output folder (from pxefarm build).", valueName: "DIR"))
    var out: String

    @Option(name: .customLong("to"), help: ArgumentHelp("Where a server's copy goes (repeat for each server).", valueName: "NAME=TARGET"))
    var targets: [String] = []

    func validate() throws {
        for target in targets where !target.contains("=") || target.hasPrefix("=") || target.hasSuffix("=") {
            throw ValidationError("--to \(target): write NAME=TARGET, such as nfs1=/srv/pxefarm or nfs1=nfs1.example:/srv/pxefarm")
        }
    }

    func run() throws {
        let loaded = try farm.load()
        var named: [String: PublishTarget] = [:]
        for text in targets {
            let name = String(text.prefix { $0 != "=" })
            guard loaded.server(named: name) != nil else {
                Console.error("pxefarm publish: --to \(text): \(farm.farmFile) has no server \(name); its servers are \(loaded.effectiveServers.map(\.name).joined(separator: ", "))")
                throw ExitCode.failure
            }
            named[name] = PublishTarget(String(text.dropFirst(name.count + 1)))
        }
        let missing = loaded.effectiveServers.map(\.name).filter { named[$0] == nil }
        guard missing.isEmpty else {
            Console.error("pxefarm publish: no --to for \(missing.joined(separator: ", ")); give NAME=TARGET for every server")
            throw ExitCode.failure
        }
        let layout = OutputLayout(root: out)
        guard let generation = GenerationStore(layout: layout).current else {
            Console.error("pxefarm publish: \(out) has no current generation; run pxefarm build first")
            throw ExitCode.failure
        }
        let publisher = Publisher()
        var failed = 0
        for result in publisher.publish(all: PublishPlan.make(farm: loaded, layout: layout, generation: generation, targets: named)) {
            let publication = result.publication
            let name = publication.server.name
            if let failure = result.failure {
                failed += 1
                Console.error("pxefarm publish: \(name) (\(publication.target)): \(failure)")
            } else {
                let nodes = publication.nodes.isEmpty ? "" : ", \(publication.nodes.count) node trees"
                print("\(name): generation \(generation) is current in \(publication.target)\(nodes) (\(String(format: "%.2f", result.seconds)) s)")
            }
        }
        if failed > 0 {
            Console.error("pxefarm publish: \(failed) of \(named.count) servers did not get generation \(generation)")
            throw ExitCode.failure
        }
    }
}
