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
            let layout = OutputLayout(root: output.out)
            let (from, to) = try GenerationStore(layout: layout).rollback()
            let kernels = (KernelRecord.load(generation: layout.generation(to)) ?? KernelRecord()).images
                .sorted { $0.key < $1.key }.map { "image \($0.key): kernel \($0.value.version)" }
            let detail = kernels.isEmpty ? "" : " (" + kernels.joined(separator: ", ") + ")"
            print("\(output.out): generation \(to) is current again (was \(from))\(detail)")
        } catch {
            Console.error("error: \(error)")
            throw ExitCode.failure
        }
    }
}
