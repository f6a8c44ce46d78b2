import ArgumentParser
import FarmBuild
import Foundation
import Rollout

/// `--out DIR` for the commands that change how nodes boot, and the boot
/// state in DIR/.pxefarm that `pxefarm serve` applies.
struct BootStateOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The output folder `pxefarm serve` serves.", valueName: "dir"))
    var out: String = "out"

    var store: BootStateStore { BootStateStore(directory: OutputLayout(root: out).state) }

    /// Runs a change on the stored state; errors become one line and exit status 1.
    @discardableResult
    func update<T>(_ command: String, _ change: (inout BootState) throws -> T) throws -> (result: T, state: BootState) {
        do {
            return try store.update(change)
        } catch let error as RolloutError where error.isRefusal {
            Console.error("pxefarm \(command): \(error)")
            throw ExitCode.failure
        } catch {
            Console.error("pxefarm \(command): \(error); nothing changed")
            throw ExitCode.failure
        }
    }

    func read(_ command: String) throws -> BootState {
        do {
            return try store.read()
        } catch {
            Console.error("pxefarm \(command): \(error)")
            throw ExitCode.failure
        }
    }

    static var now: Double { Date().timeIntervalSince1970 }
}
