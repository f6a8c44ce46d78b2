import ArgumentParser
import BootConfig
import Foundation
import Initrd

/// `pxefarm initrd pack DIR... -o FILE`: one reproducible newc archive from
/// directories, device tables, kernel modules and (optionally) the NFS-root /init.
struct InitrdPackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pack",
        abstract: "Pack directories, device nodes and kernel modules into an initrd.",
        discussion: """
            Entries are sorted, owned by root (unless --preserve-owner), timed at \
            SOURCE_DATE_EPOCH (0 if unset): the same input gives the same bytes. Later \
            sources replace earlier entries of the same path, in this order: the NFS-root \
            init, the directories, --makedev, the device tables, the kernel modules. \
            The file is written under a temporary name and renamed when complete.
            """
    )

    @Argument(help: "Directories whose contents become the root of the initrd.")
    var directories: [String] = []

    @Option(name: [.short, .customLong("output")], help: "The initrd file to write.")
    var output: String

    @Option(help: "gzip, zstd, xz or none.")
    var compression: String = "gzip"

    @Option(help: "Compression level (gzip 1-9, default 6; zstd 1-19, default 3; xz 0-9, default 6).")
    var level: Int?

    @Option(name: .customLong("device-table"), help: "A buildroot device table file (repeatable).")
    var deviceTables: [String] = []

    @Flag(help: "Add the `MAKEDEV generic` device set under /dev.")
    var makedev = false

    @Option(name: .customLong("modules"), help: "A kernel modules tree, .../lib/modules/<version>.")
    var modulesDirectory: String?

    @Option(name: .customLong("module"), help: "A kernel module to include with its dependencies (repeatable).")
    var moduleNames: [String] = []

    @Flag(name: .customLong("nfs-root-init"), help: "Add busybox and the default NFS-root /init.")
    var nfsRootInit = false

    @Option(help: "The busybox binary for --nfs-root-init.")
    var busybox: String = "/bin/busybox"

    @OptionGroup var templates: TemplateOptions

    @Flag(name: .customLong("preserve-owner"), help: "Keep the owners of files from the directories instead of root.")
    var preserveOwner = false

    func validate() throws {
        guard let kind = Compression(rawValue: compression) else {
            throw ValidationError("--compression must be one of gzip, zstd, xz, none (got '\(compression)')")
        }
        if let level, !kind.levels.contains(level) {
            throw ValidationError("--level \(level) is out of range for \(compression) (\(kind.levels.lowerBound)-\(kind.levels.upperBound))")
        }
        if !moduleNames.isEmpty && modulesDirectory == nil {
            throw ValidationError("--module needs --modules DIR (the lib/modules/<version> tree)")
        }
        if directories.isEmpty && deviceTables.isEmpty && !makedev && !nfsRootInit && moduleNames.isEmpty {
            throw ValidationError("nothing to pack: give directories, --device-table, --makedev, --module or --nfs-root-init")
        }
    }

    func run() throws {
        do {
            let setting = try CompressionSetting(Compression(rawValue: compression)!, level: level)
            let environment = ProcessInfo.processInfo.environment
            let modules = modulesDirectory.map { KernelModules(directory: $0, names: moduleNames) }
            var sources: [InitrdSource] = []
            var tail: [InitrdSource] = []
            if nfsRootInit {
                let site = try BootConfig.TemplateDirectory.site(explicit: templates.templates)
                let initSources = try NFSRootInitrd(busybox: busybox, modules: modules, templates: InitrdTemplates(site: site)).sources()
                sources.append(initSources[0])
                tail = Array(initSources.dropFirst())
            } else if let modules {
                tail = [.kernelModules(modules)]
            }
            for directory in directories {
                sources.append(.directory(path: directory, preserveOwnership: preserveOwner))
            }
            if makedev { sources.append(.entries(MakedevGeneric.entries(), origin: "MAKEDEV generic")) }
            for file in deviceTables {
                sources.append(.deviceTable(try DeviceTable(contentsOf: file)))
            }
            sources += tail
            let spec = InitrdSpec(sources: sources, modificationTime: try InitrdSpec.sourceDateEpoch(environment))
            let summary = try InitrdPacker.pack(spec, to: output, compression: setting)
            print("\(output): \(summary.entries) entries, \(summary.bytes) bytes (\(setting.compression.rawValue) \(setting.level))")
        } catch let error as InitrdError {
            Console.error("pxefarm initrd pack: \(error)")
            throw ExitCode.failure
        }
    }
}
