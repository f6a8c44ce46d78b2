import ArgumentParser
import BootConfig
import FarmBuild
#if canImport(Glibc)
import Glibc
#endif

/// `pxefarm build farm.yaml --out DIR`: applies the plan, atomically.
struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build the farm: TFTP tree, shared images, node roots, configuration.",
        discussion: """
            The build is published as a new generation with one rename, so servers \
            never read a half-built farm; unchanged files are not written again. \
            `pxefarm rollback` returns to the generation before.
            """)

    @OptionGroup var farm: FarmFileOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var templates: TemplateOptions

    @Flag(name: .shortAndLong, help: "Print only errors and the closing summary.")
    var quiet = false

    @Option(help: "How many generations to keep for rollback.")
    var keep: Int = 3

    func validate() throws {
        guard keep >= 1 else { throw ValidationError("--keep must be at least 1") }
    }

    func run() throws {
        let (loaded, sources) = try farm.loadWithSources()
        let bar = ProgressLine(enabled: !quiet)
        do {
            var builder = Builder(outputDirectory: output.out, templates: try templates.load().templates)
            builder.kickstart = try KickstartFiles.of(loaded, farmFile: farm.farmFile)
            builder.keepGenerations = keep
            builder.inputs = BuildInputs.of(farmFile: farm.farmFile, sources: sources)
            var (plan, summary) = try builder.build(loaded) { bar.show($0) }
            bar.finish()
            // The whole command's time, loading included, not the applier's alone.
            summary.seconds = ProcessClock.secondsSinceStart() ?? summary.seconds
            if !quiet { print(PlanReport.text(plan, listing: false), terminator: "") }
            print(PlanReport.summary(summary, nodes: loaded.nodes.count), terminator: "")
        } catch {
            bar.finish()
            Console.error("error: \(error)")
            Console.error("the previous build in \(output.out) is untouched")
            throw ExitCode.failure
        }
    }
}
