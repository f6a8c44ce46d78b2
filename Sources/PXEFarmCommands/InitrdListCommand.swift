import ArgumentParser
import Initrd

/// `pxefarm initrd list FILE`: the members of an initrd (or any cpio/tar archive
/// libarchive reads, compressed or not), one `ls -l` style line each.
struct InitrdListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the entries of an initrd (newc, odc, tar; gzip, zstd, xz or none)."
    )

    @Argument(help: "The initrd file.")
    var file: String

    @Flag(name: .customLong("names"), help: "Print only the paths.")
    var namesOnly = false

    func run() throws {
        do {
            for entry in try InitrdListing.read(file) {
                print(namesOnly ? entry.path : entry.line)
            }
        } catch let error as InitrdError {
            Console.error("pxefarm initrd list: \(error)")
            throw ExitCode.failure
        }
    }
}
