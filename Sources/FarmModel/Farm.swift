/// A whole farm: what `farm.yaml` says, loaded, defaults applied, ranges expanded.
public struct Farm: Hashable, Sendable {
    public var settings: FarmSettings
    /// Images in the order the farm file lists them.
    public var images: [Image]
    /// Services in menu order, as written.
    public var services: [Service]
    public var discovery: Discovery
    /// Nodes in farm-file order, ranges expanded in place.
    public var nodes: [Node]
    /// The boot and NFS servers (`servers:`); empty means `farm.server` alone
    /// (see `effectiveServers`).
    public var servers: [Server]

    public init(settings: FarmSettings, images: [Image] = [], services: [Service] = [], discovery: Discovery = Discovery(), nodes: [Node] = [], servers: [Server] = []) {
        self.settings = settings
        self.servers = servers
        self.images = images
        self.services = services
        self.discovery = discovery
        self.nodes = nodes
    }

    public func image(named name: String) -> Image? { images.first { $0.name == name } }
    public func service(named name: String) -> Service? { services.first { $0.name == name } }
    public func service(type: UInt16) -> Service? { services.first { $0.type == type } }
    public func node(named name: String) -> Node? { nodes.first { $0.name == name } }

    /// The service a node boots, and the image of that service.
    public func boot(of node: Node) -> (service: Service, image: Image?)? {
        guard let service = service(named: node.service) else { return nil }
        return (service, service.image.flatMap(image(named:)))
    }
}
