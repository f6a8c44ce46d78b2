import ArgumentParser
import BootConfig
import FarmBuild

/// `pxefarm plan farm.yaml --out DIR`: what a build would do, writing nothing but the extraction of a root tarball (kept for the build).
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what a build would create, change and delete, without building.",
        discussion: "Writes nothing but the extraction of an image root tarball into DIR/.pxefarm/roots, which the build reuses.")

    @OptionGroup var farm: FarmFileOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var templates: TemplateOptions

    @Flag(help: "Print only the counts, not each changed path.")
    var summary = false

    func run() throws {
        let (loaded, sources, _) = try farm.loadWithSources()
        do {
            var builder = Builder(outputDirectory: output.out, templates: try templates.load().templates)
            builder.kickstart = try KickstartFiles.of(loaded, farmFile: farm.farmFile).files
            builder.inputs = BuildInputs.of(farmFile: farm.farmFile, sources: sources)
            let (plan, skipped) = try builder.plan(loaded)
            print("plan for \(output.out) (farm \(loaded.settings.name)):")
            print(PlanReport.text(plan, listing: !summary), terminator: "")
            for path in skipped { Console.error("warning: \(path): sockets cannot be copied; left out") }
        } catch {
            Console.error("error: \(error)")
            throw ExitCode.failure
        }
    }
}
