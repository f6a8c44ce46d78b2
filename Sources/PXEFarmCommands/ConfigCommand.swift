import ArgumentParser
import BootConfig
import FarmLoading
import FarmModel

/// `pxefarm config farm.yaml --out DIR`: the server-side configuration files
/// of a farm, rendered from templates and written atomically under DIR.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Write a farm's server configuration: dhcpd.conf, pxe.conf, Kea, dnsmasq, exports, services, pxelinux.cfg.",
        discussion: """
            Files go under DIR as etc/dhcpd.conf, etc/pxe.conf, etc/kea-dhcp4.conf, \
            etc/dnsmasq.conf, etc/exports, etc/services.pxefarm and \
            tftpboot/X86PC/UNDI/<service>/pxelinux.cfg/{default,01-<mac>}, and \
            ks/<node>.cfg for every node whose service has a kickstart template (with the \
            root password hash and callback key from the file farm.secrets names); each file is \
            written to a temporary name and renamed into place. A farm with errors \
            writes nothing. The templates are built in; a site's folder (--templates DIR, else \
            $PXEFARM_TEMPLATES, else /etc/pxefarm/templates) replaces them file by file.
            """)

    @OptionGroup var farm: FarmFileOptions

    @Option(name: .long, help: ArgumentHelp("The folder to write into (created when missing).", valueName: "DIR"))
    var out: String

    @OptionGroup var templates: TemplateOptions


    func run() throws {
        let loaded = try farm.load()
        do {
            let (found, directory) = try templates.load()
            var files = try BootConfiguration.render(loaded, with: found)
            files = (files + (try KickstartFiles.of(loaded, farmFile: farm.farmFile).files)).sorted { $0.path < $1.path }
            try ConfigWriter.write(files, into: out)
            print("\(out): wrote \(Console.plural(files.count, "file")) for farm \(loaded.settings.name) from \(directory)")
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Console.error("pxefarm config: \(error)")
            throw ExitCode.failure
        }
    }
}
