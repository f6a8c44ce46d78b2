import FarmModel
import Mustache
import NetbootWire

/// Per-node iPXE scripts for booting over HTTP (`farm.http-boot`). An iPXE
/// client is handed `http://SERVER:PORT/boot/01-<mac>.ipxe`, which
/// `pxefarm serve` renders at each request for the service the node boots
/// now (rollouts and one-shot arguments included): the kernel and initrd of
/// that service, fetched from serve's own HTTP listener under their TFTP names
/// (`/X86PC/UNDI/<service>/linux.1`, under the TFTP path policy), with the
/// same kernel command line as the node's
/// pxelinux file, led by `initrd=<name>`: iPXE on UEFI hands its initrds to
/// the kernel's EFI stub as files of that name, and the stub loads only the
/// ones the command line names (BIOS kernels ignore the word). A node of a local-boot service gets `exit`, which hands the
/// machine back to its firmware's next boot device.
public enum IPXEScriptRenderer {
    public static let template = "http/boot.ipxe.mustache"

    struct View: MustacheParent {
        let header: String
        let node: String
        let service: String
        let menu: String
        let kernel: String?
        let initrd: String?
        /// The name iPXE gives the initrd it fetched: its URL's last segment.
        var initrdName: String? { initrd.map { String($0.split(separator: "/").last ?? Substring($0)) } }
        let arguments: String

        func child(named name: String) -> Any? {
            switch name {
            case "header": header
            case "node": node
            case "service": service
            case "menu": menu
            case "kernel": kernel
            case "initrd": initrd
            case "initrdName": initrdName
            case "arguments": arguments
            default: nil
            }
        }
    }

    /// Where serve answers a node's script: `boot/01-<mac>.ipxe` under its HTTP root.
    public static func path(of mac: MACAddress) -> String { "boot/\(mac.pxelinuxConfigName).ipxe" }

    /// The script of `node` as `farm` boots it; `base` is serve's HTTP root
    /// (`http://192.168.197.11:8067`). Nil for a node whose service does not exist.
    public static func script(for node: Node, in farm: Farm, base: String, with templates: Templates) throws(BootConfigError) -> String? {
        guard let (service, image) = farm.boot(of: node) else { return nil }
        var kernel: String?, initrd: String?
        if !service.isLocalBoot, image != nil, service.layers.count >= 2 {
            let first = service.layers.lowerBound
            kernel = base + "/" + service.bootFile(layer: first + 1)
            initrd = service.layers.contains(first + 2) ? base + "/" + service.bootFile(layer: first + 2) : nil
        }
        let view = View(header: GeneratedHeader.text(farm), node: node.name, service: service.name, menu: service.menu,
                        kernel: kernel, initrd: initrd, arguments: KernelArguments.line(service: service, farm: farm, node: node))
        return try templates.render(template, view)
    }
}
