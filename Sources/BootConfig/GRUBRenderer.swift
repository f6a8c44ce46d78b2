import FarmModel
import Mustache
import NetbootWire

/// GRUB configurations for UEFI nodes whose image boots through GRUB
/// (`efi: shim-grub` or `grub`). Debian's signed network GRUB reads
/// `/grub/grub.cfg` from the TFTP root; that file reads the node's own
/// `/grub/grub.cfg-01-<mac>`, which loads the service's kernel and initrd
/// from `EFI/X64/<service>/` with the same kernel command line as the
/// node's pxelinux file.
public enum GRUBRenderer: ConfigRenderer {
    public static let dispatchTemplate = "tftpboot/grub/grub.cfg.mustache"
    public static let nodeTemplate = "tftpboot/grub/node.mustache"
    public static let templatePaths = [dispatchTemplate, nodeTemplate]
    /// GRUB's prefix in Debian's network image, under the TFTP root.
    public static let directory = "grub"

    /// `grub/grub.cfg-01-52-54-00-00-00-01`, relative to the TFTP root.
    public static func nodeFile(of mac: MACAddress) -> String { directory + "/grub.cfg-" + mac.pxelinuxConfigName }

    public static func render(_ farm: Farm, with templates: Templates) throws(BootConfigError) -> [RenderedFile] {
        let services = farm.services.filter { bootsWithGRUB($0, in: farm) }
        guard !services.isEmpty else { return [] }
        let header = GeneratedHeader.text(farm)
        var files = [RenderedFile(path: "tftpboot/" + directory + "/grub.cfg",
                                  text: try templates.render(dispatchTemplate, DispatchView(header: header, farm: farm.settings.name)))]
        for service in services {
            let kernel = "/" + service.efiBootFile(layer: service.layers.lowerBound + 1)
            let initrd = service.layers.contains(service.layers.lowerBound + 2) ? "/" + service.efiBootFile(layer: service.layers.lowerBound + 2) : nil
            for node in farm.nodes where node.service == service.name {
                let arguments = KernelArguments.line(service: service, farm: farm, node: node)
                let view = BootEntryView(header: header, farm: farm.settings.name, service: service.name, menu: service.menu, node: node.name,
                                kernel: kernel, initrd: initrd, arguments: GRUBWords.quoted(arguments))
                files.append(RenderedFile(path: "tftpboot/" + nodeFile(of: node.mac), text: try templates.render(nodeTemplate, view)))
            }
        }
        return files
    }

    struct DispatchView: MustacheParent {
        let header: String
        let farm: String

        func child(named name: String) -> Any? {
            switch name {
            case "header": header
            case "farm": farm
            default: nil
            }
        }
    }

    /// The per-node files of `nodes` alone (`pxefarm serve` renders them for
    /// nodes whose boot differs from the built tree's), keyed by their name
    /// under the TFTP root: `grub/grub.cfg-01-<mac>`.
    public static func nodeFiles(_ farm: Farm, nodes: Set<String>, with templates: Templates) throws(BootConfigError) -> [String: [UInt8]] {
        try PerNodeFiles.render(nodes, of: farm, with: templates, by: render, skippingShared: "/grub.cfg")
    }

    /// A service whose image boots UEFI nodes through GRUB, with a kernel layer.
    static func bootsWithGRUB(_ service: Service, in farm: Farm) -> Bool {
        guard !service.isLocalBoot, let image = service.image.flatMap(farm.image(named:)),
              image.efiBootProgram.runsGRUB, service.layers.count >= 2 else { return false }
        return true
    }
}

/// Kernel arguments as GRUB script words: GRUB expands `$` and treats
/// quotes, `#`, `;`, `|`, `&`, `<`, `>` and braces specially, so a word with
/// any character outside a plain set goes in single quotes (the farm
/// validator keeps single quotes out of kernel arguments).
enum GRUBWords {
    static func quoted(_ line: String) -> String {
        line.split(separator: " ").map { word in
            word.allSatisfy(isPlain) ? String(word) : "'" + word + "'"
        }.joined(separator: " ")
    }

    static func isPlain(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "._,:/=+@%-".contains(character))
    }
}
