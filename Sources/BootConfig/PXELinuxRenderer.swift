import FarmModel
import Mustache

/// pxelinux configurations. pxelinux looks for `pxelinux.cfg/` in the
/// directory of its own boot file, so each service that boots with pxelinux
/// gets `X86PC/UNDI/<service>/pxelinux.cfg/default` and one
/// `01-<mac, lower case, dashes>` per node of that service, loading linux.1
/// with initrd linux.2 and the node's kernel command line; an image with
/// `efi: syslinux` gets the same files in `EFI/X64/<service>/pxelinux.cfg/`.
public enum PXELinuxRenderer: ConfigRenderer {
    public static let defaultTemplate = "tftpboot/pxelinux.cfg/default.mustache"
    public static let nodeTemplate = "tftpboot/pxelinux.cfg/node.mustache"
    public static let templatePaths = [defaultTemplate, nodeTemplate]

    public static func render(_ farm: Farm, with templates: Templates) throws(BootConfigError) -> [RenderedFile] {
        var files: [RenderedFile] = []
        let header = GeneratedHeader.text(farm)
        for service in farm.services {
            for bootFile in syslinuxBootFiles(service, in: farm) {
                files += try render(service, directory: bootFile.split(separator: "/").dropLast().joined(separator: "/"), farm: farm, header: header,
                                    overHTTP: loadsOverHTTP(bootFile, service: service, in: farm), with: templates)
            }
        }
        return files
    }

    /// `pxelinux.cfg/default` and the nodes' files of one service in the
    /// folder of one of its boot files.
    /// With `overHTTP` (lpxelinux), the kernel and initrd are `http://` URLs
    /// on the node's HTTP origin (`Farm.httpOrigin(of:)`) under their TFTP
    /// names; otherwise names relative to the folder, loaded over TFTP.
    static func render(_ service: Service, directory folder: String, farm: Farm, header: String, overHTTP: Bool = false,
                       with templates: Templates) throws(BootConfigError) -> [RenderedFile] {
        var files: [RenderedFile] = []
        let directory = "tftpboot/" + folder + "/pxelinux.cfg/"
        let first = service.layers.lowerBound
        func name(_ layer: Int, _ node: Node?) -> String {
            overHTTP ? farm.httpOrigin(of: node) + "/" + service.bootFile(layer: layer) : "linux.\(layer)"
        }
        func view(_ node: Node?) -> BootEntryView {
            BootEntryView(header: header, service: service.name, menu: service.menu, node: node?.name, kernel: name(first + 1, node),
                 initrd: service.layers.contains(first + 2) ? name(first + 2, node) : nil,
                 arguments: KernelArguments.line(service: service, farm: farm, node: node))
        }
        files.append(RenderedFile(path: directory + "default", text: try templates.render(defaultTemplate, view(nil))))
        for node in farm.nodes where node.service == service.name {
            files.append(RenderedFile(path: directory + node.mac.pxelinuxConfigName, text: try templates.render(nodeTemplate, view(node))))
        }
        return files
    }

    /// The per-node files of `nodes` alone (`pxefarm serve` renders them for
    /// nodes whose boot differs from the built tree's), keyed by their name
    /// under the TFTP root: `X86PC/UNDI/<service>/pxelinux.cfg/01-<mac>`.
    public static func nodeFiles(_ farm: Farm, nodes: Set<String>, with templates: Templates) throws(BootConfigError) -> [String: [UInt8]] {
        try PerNodeFiles.render(nodes, of: farm, with: templates, by: render, skippingShared: "/default")
    }

    /// Whether `bootFile` is the BIOS linux.0 of an image that boots lpxelinux
    /// (`nbp: lpxelinux`, or pxelinux with `farm.http-boot`).
    static func loadsOverHTTP(_ bootFile: String, service: Service, in farm: Farm) -> Bool {
        guard bootFile == service.bootFile(layer: service.layers.lowerBound), let image = service.image.flatMap(farm.image(named:)) else { return false }
        return image.biosBootProgram(httpBoot: farm.settings.httpBoot) == .lpxelinux
    }

    /// The boot files of a service that run the syslinux family, with a
    /// kernel layer after them: the BIOS linux.0 when the image's network
    /// boot program is pxelinux, and the UEFI linux.0 when its `efi:` is
    /// syslinux (syslinux.efi also reads `pxelinux.cfg/` beside itself, and
    /// finds linux.1 and linux.2 there).
    static func syslinuxBootFiles(_ service: Service, in farm: Farm) -> [String] {
        guard !service.isLocalBoot, let image = service.image.flatMap(farm.image(named:)), service.layers.count >= 2 else { return [] }
        var files: [String] = []
        if image.bootsWithSyslinux { files.append(service.bootFile(layer: service.layers.lowerBound)) }
        if image.efiBootProgram == .syslinux { files.append(service.efiBootFile(layer: service.layers.lowerBound)) }
        return files
    }
}
