import NetbootWire
import Rollout

/// What the daemon needs to run DHCP: the listeners' configuration and the
/// shared farm context (which `BootStateController` replaces when the farm
/// or the boot state changes).
public struct DHCPService: Sendable {
    public var configuration: DHCPServer.Configuration
    public var context: DHCPContextBox

    public init(configuration: DHCPServer.Configuration, context: DHCPContextBox) {
        self.configuration = configuration
        self.context = context
    }
}

extension BootStageRecorder {
    /// Records a TFTP fetch against the node whose reserved address made it;
    /// fetches from addresses the farm does not know are not recorded.
    public func record(_ fetch: TFTPFetchReport, context: DHCPContextBox) {
        guard let address = IPv4Address(fetch.client), let node = context.current.node(address: address) else { return }
        let detail = "\(fetch.file) \(fetch.bytes) bytes, \(fetch.outcome)"
        record(node: node.name, stage: .tftp, detail: detail, address: fetch.client)
        if let stage = BootStages.Stage(fetching: fetch.file) {
            record(node: node.name, stage: stage, detail: detail, address: fetch.client)
        }
    }
}

extension BootStages.Stage {
    /// The boot step a TFTP file name is: `linux.0` or an `.efi` file the NBP,
    /// `pxelinux.cfg/...` or `grub.cfg` its configuration, `linux.1` the kernel,
    /// `linux.2` the initrd; nil for anything else (ldlinux.c32, modules).
    init?(fetching file: String) {
        let name = file.split(separator: "/").last.map(String.init) ?? file
        if name == "linux.0" || name.lowercased().hasSuffix(".efi") { self = .nbp }
        else if file.contains("pxelinux.cfg/") || name.hasPrefix("grub.cfg") { self = .config }
        else if name == "linux.1" { self = .kernel }
        else if name == "linux.2" { self = .initrd }
        else { return nil }
    }
}
