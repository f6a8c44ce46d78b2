import ArgumentParser
import FarmBuild
import FarmModel

/// `pxefarm kernel install BZIMAGE`: a kernel rebuild, applied to one image.
struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "Install a rebuilt kernel for an image.",
        subcommands: [Install.self])

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "install",
            abstract: "Use a new kernel for an image: rebuilds exactly linux.1, the initrds and System.map.",
            discussion: """
                The kernel's version is read from its boot header; the image's initrd \
                modules are taken from --modules (a lib/modules/VERSION tree with \
                modules.dep) or from the image's own lib/modules/VERSION, and a kernel \
                without them is refused. The kernel is kept in DIR/.pxefarm/kernels and \
                recorded in the new generation, so `pxefarm rollback` returns to the \
                kernel before.
                """)

        @Argument(help: ArgumentHelp("The kernel image (bzImage).", valueName: "bzimage"))
        var kernel: String

        @Option(name: .customLong("farm"), help: ArgumentHelp("The farm file.", valueName: "farm.yaml"))
        var farmFile: String = "farm.yaml"

        @OptionGroup var output: OutputOptions
        @OptionGroup var templates: TemplateOptions

        @Option(help: ArgumentHelp("The kernel's System.map.", valueName: "file"))
        var systemMap: String?

        @Option(help: ArgumentHelp("The kernel's modules: lib/modules/VERSION, or a folder holding it.", valueName: "dir"))
        var modules: String?

        @Option(help: ArgumentHelp("The image to install it for (default: the farm's only image).", valueName: "name"))
        var image: String?

        func run() throws {
            let farm = try FarmFileOptions(farmFile: farmFile).load()
            let target: Image
            if let image {
                guard let found = farm.image(named: image) else {
                    Console.error("error: the farm has no image \(image); images are: \(farm.images.map(\.name).joined(separator: ", "))")
                    throw ExitCode.failure
                }
                target = found
            } else {
                guard farm.images.count == 1 else {
                    Console.error("error: the farm has \(farm.images.count) images; say which with --image NAME")
                    throw ExitCode.failure
                }
                target = farm.images[0]
            }
            do {
                var builder = Builder(outputDirectory: output.out, templates: try templates.load().templates)
                let installed = try KernelInstaller(layout: builder.layout).install(
                    kernel: kernel, systemMap: systemMap, modules: modules, image: target, current: builder.currentKernels)
                builder.kernels = installed.record
                let (plan, summary) = try builder.build(farm)
                print("kernel \(installed.version) installed for image \(target.name):")
                print(PlanReport.text(plan), terminator: "")
                print(PlanReport.summary(summary, nodes: farm.nodes.count), terminator: "")
            } catch {
                Console.error("error: \(error)")
                Console.error("nothing changed in \(output.out)")
                throw ExitCode.failure
            }
        }
    }
}
