import ArgumentParser
import FarmBuild

/// `pxefarm rollback --out DIR`: the generation before becomes current.
struct RollbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Make the previous build generation current again.")

    @OptionGroup var output: OutputOptions

    func run() throws {
        do {
            let (from, to) = try GenerationStore(layout: OutputLayout(root: output.out)).rollback()
            print("\(output.out): generation \(to) is current again (was \(from))")
        } catch {
            Console.error("error: \(error)")
            throw ExitCode.failure
        }
    }
}
