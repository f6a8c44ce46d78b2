import ArgumentParser
import FarmImport

/// `pxefarm import --dhcpd dhcpd.conf [--pxe-conf pxe.conf] [-o farm.yaml]`:
/// an existing farm's configuration read into a farm file.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write a farm file from an existing dhcpd.conf and Intel pxe.conf.",
        discussion: """
            Reads the subnet, the host blocks (hardware ethernet, fixed-address, option 60 \
            under its old name dhcp-class-identifier or vendor-class-identifier, filename, \
            next-server, root-path, and option 43 decoded into services and discovery) and \
            pxe.conf's sections (Service_Types, X86PC/UNDI/MENU, ImageFile_Name, Discovery_*, \
            Prompt). What a farm file cannot say is reported as a warning at its line. The \
            image paths cannot be known from these files: they are marked \
            '# TODO: point at your image', and `pxefarm check` reports them until filled in. \
            Without -o the farm file goes to standard output.
            """)

    @Option(name: .long, help: ArgumentHelp("The dhcpd.conf to import.", valueName: "FILE"))
    var dhcpd: String

    @Option(name: .customLong("pxe-conf"), help: ArgumentHelp("The Intel PXE daemon's pxe.conf.", valueName: "FILE"))
    var pxeConf: String?

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Where to write the farm file.", valueName: "farm.yaml"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("The farm's name; by default the first label of its domain.", valueName: "NAME"))
    var name: String?

    @Flag(name: .long, help: "Replace the output file when it exists.")
    var force = false

    func run() throws {
        do {
            let dhcpdSource = try FarmFileOutput.read(dhcpd)
            let pxeSource = try pxeConf.map { path throws(ImportError) in try FarmFileOutput.read(path) }
            let result = try FarmImport.run(dhcpd: dhcpdSource, pxeConf: pxeSource, name: name)
            Console.report(result.warnings)
            let farm = result.imported.farm
            guard let output else {
                print(result.farmFile, terminator: "")
                return
            }
            try FarmFileOutput.write(result.farmFile, to: output, replace: force)
            print("\(output): farm \(farm.settings.name) with \(Console.plural(farm.nodes.count, "node")) and \(Console.plural(farm.services.count, "service")); fill in the image paths marked TODO, then run: pxefarm check \(output)")
        } catch {
            if error.location != nil {
                Console.error(error.description)
                Console.error("pxefarm import: nothing written")
            } else {
                Console.error("pxefarm import: \(error)")
            }
            throw ExitCode.failure
        }
    }
}
