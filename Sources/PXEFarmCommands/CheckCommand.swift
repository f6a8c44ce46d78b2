import ArgumentParser
import FarmLoading
import FarmModel

/// `pxefarm check farm.yaml`: every problem at once, as file:line:column.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a farm file and report every problem at once.",
        discussion: """
            Each problem is printed as FILE:LINE:COLUMN: error|warning: FIELD: message. \
            Exits 0 when the farm has no errors (warnings allowed), 1 otherwise.
            """)

    @OptionGroup var farm: FarmFileOptions

    func run() throws {
        let result = FarmLoader().load(path: farm.farmFile)
        Console.report(result.diagnostics)
        guard let loaded = result.cleanFarm else {
            Console.error("\(farm.farmFile): \(Console.summary(result.diagnostics))")
            throw ExitCode.failure
        }
        let warnings = result.diagnostics.isEmpty ? "" : " (\(Console.summary(result.diagnostics)))"
        print("\(farm.farmFile): ok\(warnings): farm \(loaded.settings.name), \(Console.plural(loaded.nodes.count, "node")), "
            + "\(Console.plural(loaded.services.count, "service")), \(Console.plural(loaded.images.count, "image"))")
    }
}
