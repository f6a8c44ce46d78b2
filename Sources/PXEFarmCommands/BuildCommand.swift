import ArgumentParser
import BootConfig
import FarmBuild
import FileIO
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
        let invocation = BuildInputs.invocation(farmFile: farm.farmFile, out: output.out, templates: templates.templates, keep: keep)
        let log = ReadLog()
        do {
            if let unchanged = try Builder.unchangedBuild(outputDirectory: output.out, invocation: invocation, keepGenerations: keep) {
                report(unchanged.plan, unchanged.summary, nodes: unchanged.nodes)
                return
            }
        } catch {
            throw failure(error)
        }
        let (loaded, sources, loadReported) = try farm.loadWithSources(log: log)
        let bar = ProgressLine(enabled: !quiet)
        do {
            var builder = Builder(outputDirectory: output.out, templates: try templates.load(log: log).templates)
            let kickstart = try KickstartFiles.of(loaded, farmFile: farm.farmFile, log: log)
            builder.kickstart = kickstart.files
            builder.keepGenerations = keep
            builder.inputs = BuildInputs.of(farmFile: farm.farmFile, sources: sources)
            // What loading said must be said again: a farm that had something
            // to say is loaded by the next build too.
            if !loadReported, !kickstart.reported {
                builder.invocation = invocation
                builder.loadLog = log
            }
            let (plan, summary) = try builder.build(loaded) { bar.show($0) }
            bar.finish()
            report(plan, summary, nodes: loaded.nodes.count)
        } catch {
            bar.finish()
            throw failure(error)
        }
    }

    private func report(_ plan: BuildPlan, _ summary: BuildSummary, nodes: Int) {
        var summary = summary
        // The whole command's time, loading included, not the applier's alone.
        summary.seconds = ProcessClock.secondsSinceStart() ?? summary.seconds
        if !quiet { print(PlanReport.text(plan, listing: false), terminator: "") }
        print(PlanReport.summary(summary, nodes: nodes), terminator: "")
    }

    /// Says why the build stopped; the exit status to throw.
    private func failure(_ error: any Error) -> ExitCode {
        Console.error("error: \(error)")
        Console.error("the previous build in \(output.out) is untouched")
        return ExitCode.failure
    }
}
