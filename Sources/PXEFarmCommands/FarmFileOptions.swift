import ArgumentParser
import FarmLoading
import FarmModel
import FileIO

/// The farm file argument every farm command takes, and the one way they load it.
public struct FarmFileOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The farm file.", valueName: "farm.yaml"))
    public var farmFile: String

    public init() {}

    public init(farmFile: String) {
        self.farmFile = farmFile
    }

    /// Loads and validates the farm file. Diagnostics go to standard error;
    /// a farm with errors stops the command with exit status 1.
    public func load() throws -> Farm {
        try loadWithSources().farm
    }

    /// Loads as `load()` does, and gives the text of every file read too
    /// and whether loading reported anything; `log` gets every path read.
    public func loadWithSources(log: ReadLog? = nil) throws -> (farm: Farm, sources: [String], reported: Bool) {
        let result = FarmLoader(files: LocalFiles(log: log)).load(path: farmFile)
        Console.report(result.diagnostics)
        guard let farm = result.cleanFarm else {
            Console.error("\(farmFile): \(Console.summary(result.diagnostics)); nothing done")
            throw ExitCode.failure
        }
        return (farm, result.sources, !result.diagnostics.isEmpty)
    }
}
