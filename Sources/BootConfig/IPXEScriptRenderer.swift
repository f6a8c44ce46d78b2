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

    struct View {
        let header, node, service, menu: String
        /// One per HTTP server to try, the answering one first; empty for local boot.
        let attempts: [Attempt]
        /// True or absent, as the template's sections test them: a kernel to
        /// load (not a local boot), and more than one server to try.
        let kernel, several: Bool?
        let arguments: String
    }

    /// Loading the kernel and initrd from one server. With several, each
    /// attempt has a label, frees what the one before loaded, and goes on
    /// to the next label when a command fails (the server does not answer).
    struct Attempt: MustacheParent {
        let label: String
        let first: Bool
        let kernel: String
        let initrd: String?
        /// The label of the next attempt; nil for the last one.
        let fallback: String?
        /// The name iPXE gives the initrd it fetched: its URL's last segment.
        var initrdName: String? { initrd.map { String($0.split(separator: "/").last ?? Substring($0)) } }

        func child(named name: String) -> Any? {
            switch name {
            case "label": label
            case "first": first ? true : nil
            case "kernel": kernel
            case "initrd": initrd
            case "initrdName": initrdName
            case "fallback": fallback
            default: nil
            }
        }
    }

    /// Where serve answers a node's script: `boot/01-<mac>.ipxe` under its HTTP root.
    public static func path(of mac: MACAddress) -> String { "boot/\(mac.pxelinuxConfigName).ipxe" }

    /// The script of `node` as `farm` boots it; `base` is serve's HTTP root
    /// (`http://192.168.197.11:8067`). With `servers:`, the node's other HTTP
    /// servers follow in its own boot-server order, on the same port, so a
    /// node whose first server stops answering mid-way loads from the next.
    /// Nil for a node whose service does not exist.
    public static func script(for node: Node, in farm: Farm, base: String, with templates: Templates) throws(BootConfigError) -> String? {
        guard let (service, image) = farm.boot(of: node) else { return nil }
        var attempts: [Attempt] = []
        if !service.isLocalBoot, image != nil, service.layers.count >= 2 {
            let first = service.layers.lowerBound
            let bases = fallbackBases(for: node, in: farm, base: base)
            for (index, origin) in bases.enumerated() {
                attempts.append(Attempt(
                    label: "server\(index + 1)", first: index == 0,
                    kernel: origin + "/" + service.bootFile(layer: first + 1),
                    initrd: service.layers.contains(first + 2) ? origin + "/" + service.bootFile(layer: first + 2) : nil,
                    fallback: index + 1 < bases.count ? "server\(index + 2)" : nil))
            }
        }
        let view = View(header: GeneratedHeader.text(farm), node: node.name, service: service.name, menu: service.menu,
                        attempts: attempts, kernel: attempts.isEmpty ? nil : true, several: attempts.count > 1 ? true : nil,
                        arguments: KernelArguments.line(service: service, farm: farm, node: node))
        return try templates.render(template, view)
    }

    /// `base`, then the node's other boot servers with the http role in its
    /// order: `base` with their address for its host.
    static func fallbackBases(for node: Node, in farm: Farm, base: String) -> [String] {
        let scheme = "http://"
        guard base.hasPrefix(scheme) else { return [base] }
        let afterScheme = base.dropFirst(scheme.count)
        let host = afterScheme.prefix { $0 != ":" && $0 != "/" }
        let rest = afterScheme.dropFirst(host.count)
        let others = farm.bootServers(of: node).filter { $0.has(.http) && $0.address.description != host }
        return [base] + others.map { scheme + $0.address.description + rest }
    }
}
