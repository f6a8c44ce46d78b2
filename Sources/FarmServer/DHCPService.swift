import NetbootWire

/// What the daemon needs to run DHCP: the listeners' configuration, the
/// shared farm context, and how to rebuild that context from the farm file
/// on SIGHUP (a failed reload keeps the old one and logs why).
public struct DHCPService: Sendable {
    public var configuration: DHCPServer.Configuration
    public var context: DHCPContextBox
    public var reload: @Sendable () throws -> DHCPContext

    public init(configuration: DHCPServer.Configuration, context: DHCPContextBox, reload: @escaping @Sendable () throws -> DHCPContext) {
        self.configuration = configuration
        self.context = context
        self.reload = reload
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
