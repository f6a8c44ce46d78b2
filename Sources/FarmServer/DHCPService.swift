import NetbootWire

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
        record(node: node.name, stage: .tftp, detail: "\(fetch.file) \(fetch.bytes) bytes, \(fetch.outcome)", address: fetch.client)
    }
}
