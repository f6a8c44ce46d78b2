import FarmModel
import NetbootWire

/// Turns what an old farm's dhcpd.conf and pxe.conf say into a `Farm`:
/// the subnet and its options become `farm:`, option 43 (or pxe.conf's
/// discovery sections) becomes `discovery:` and the menu `services:`, and
/// each host block a node. What the farm model cannot say is reported as a
/// warning at the line that said it, never dropped silently.
public struct FarmImporter {
    /// The image every imported service boots; its paths are for the user to fill in.
    public static let placeholderImage = "base"
    public static let placeholderRoot = "images/base/root"
    public static let placeholderKernel = "images/base/vmlinuz"

    private var warnings: [Diagnostic] = []
    private let dhcpdFile: String

    init(dhcpdFile: String) { self.dhcpdFile = dhcpdFile }

    /// `name` overrides the farm name taken from the domain's first label.
    public static func makeFarm(dhcpd: DHCPDConfig, pxe: PXEBootServerSettings?, dhcpdFile: String, name: String? = nil) throws(ImportError) -> ImportedFarm {
        var importer = FarmImporter(dhcpdFile: dhcpdFile)
        return try importer.make(dhcpd, pxe: pxe, name: name)
    }

    mutating func make(_ config: DHCPDConfig, pxe: PXEBootServerSettings?, name: String?) throws(ImportError) -> ImportedFarm {
        let hosts = usableHosts(config.hosts)
        let subnet = try chooseSubnet(config, hosts: hosts)
        let parameters = subnet.parameters
        let domain = try domainName(parameters, pxe: pxe, at: subnet.location)
        guard let server = mostCommon(hosts.compactMap(\.parameters.nextServer)) ?? parameters.nextServer ?? pxe?.ourIPAddress else {
            throw ImportError("no next-server in any host, the subnet or globally, and no [OurIpAddress] in pxe.conf: the farm's server address is unknown", at: subnet.location)
        }
        if let broadcast = parameters.broadcastAddress, broadcast != subnet.subnet.broadcast {
            warnings.append(Diagnostic(.warning, FieldPath(), "broadcast-address \(broadcast) is not the broadcast address of \(subnet.subnet) (\(subnet.subnet.broadcast)); pxefarm derives it from the subnet", at: subnet.location))
        }
        for range in subnet.dynamicRanges {
            warnings.append(Diagnostic(.warning, FieldPath(), "dynamic range '\(range)' is not imported: a farm gives every node a fixed address", at: subnet.location))
        }
        let vendor = commonVendorOptions(hosts)
        var discovery = vendor.map { discoveryFrom($0.decoded, at: $0.location) } ?? discoveryFrom(pxe)
        discovery.mode = vendor == nil ? .proxy : .dhcp
        let menu = vendor?.decoded.bootMenu ?? (pxe?.menu.isEmpty == false ? pxe?.menu : nil) ?? [PXEMenuItem(type: 0, text: "Local Boot")]
        let rootPaths = hosts.compactMap { host in host.parameters.rootPath.map { (host, $0) } }
        let services = makeServices(menu, pxe: pxe)
        let nfsRoot = chooseNFSRoot(rootPaths)
        var settings = FarmSettings(
            name: name ?? Self.farmName(domain: domain), domain: domain, server: server, subnet: subnet.subnet,
            routers: parameters.routers ?? [], dnsServers: parameters.domainNameServers ?? [],
            leaseTime: LeaseTimes(defaultSeconds: parameters.defaultLeaseTime ?? 600, maxSeconds: parameters.maxLeaseTime ?? 7200),
            nfsRoot: nfsRoot ?? FarmSettings.defaultNFSRoot, tftpRoot: pxe?.tftpRoot ?? FarmSettings.defaultTFTPRoot)
        if let bootServer = pxe?.ourIPAddress ?? discovery.unicast.first, bootServer != server {
            settings.bootServer = bootServer
        }
        if pxe?.useDHCPPort == true, settings.bootServer == nil {
            warn(pxe?.sectionLocations["usedhcpport"], "UseDHCPPort 1 says the PXE server runs on another machine than dhcpd, but pxe.conf gives no OurIpAddress; set farm.boot-server to its address")
        }
        let nodes = hosts.enumerated().map { index, host in
            makeNode(host, index: index, services: services, server: server)
        }
        let usesImage = services.contains { $0.image != nil }
        let images = usesImage ? [Image(name: Self.placeholderImage, root: Self.placeholderRoot, kernel: Self.placeholderKernel)] : []
        let farm = Farm(settings: settings, images: images, services: services, discovery: discovery, nodes: nodes)
        return ImportedFarm(farm: farm, placeholderImages: usesImage ? [Self.placeholderImage] : [], warnings: warnings)
    }

    /// Hosts with a MAC and a fixed address (a farm node needs both), each
    /// name, MAC and address once, names as host names (`n011` of `n011.dc2.kek.jp`).
    mutating func usableHosts(_ hosts: [DHCPDHost]) -> [DHCPDHost] {
        var usable: [DHCPDHost] = []
        for var host in hosts {
            guard let mac = host.mac, let address = host.fixedAddress else {
                let missing = host.mac == nil ? "hardware ethernet" : "fixed-address"
                warn(host.location, "host \(host.name) has no \(missing); it is not imported")
                continue
            }
            if host.name.contains("."), let label = host.name.split(separator: ".").first {
                warn(host.location, "host \(host.name) is imported as node \(label): node names are host names, the domain is farm.domain")
                host.name = String(label)
            }
            if let first = usable.first(where: { $0.name == host.name || $0.mac == mac || $0.fixedAddress == address }) {
                let what = first.name == host.name ? "name" : first.mac == mac ? "MAC \(mac)" : "address \(address)"
                warn(host.location, "host \(host.name) has the same \(what) as host \(first.name) (line \(first.location.line)); only the first is imported")
                continue
            }
            usable.append(host)
        }
        return usable
    }

    /// The subnet holding most hosts; a farm has one.
    mutating func chooseSubnet(_ config: DHCPDConfig, hosts: [DHCPDHost]) throws(ImportError) -> DHCPDSubnet {
        guard !config.subnets.isEmpty else {
            throw ImportError("no 'subnet NETWORK netmask MASK { }' declaration: the farm's subnet is unknown", at: SourceLocation(file: dhcpdFile, line: 1, column: 1))
        }
        let counted = config.subnets.map { subnet in (subnet, hosts.filter { $0.fixedAddress.map(subnet.subnet.contains) ?? false }.count) }
        let chosen = counted.max { $0.1 < $1.1 }!.0
        for other in config.subnets where other != chosen {
            warn(other.location, "subnet \(other.subnet) is not imported: a farm has one subnet, and \(chosen.subnet) holds the most hosts")
        }
        for host in hosts where !(host.fixedAddress.map(chosen.subnet.contains) ?? true) {
            warn(host.location, "host \(host.name) at \(host.fixedAddress!) is outside the subnet \(chosen.subnet); pxefarm check will refuse it")
        }
        return chosen
    }

    func domainName(_ parameters: DHCPDParameters, pxe: PXEBootServerSettings?, at location: SourceLocation) throws(ImportError) -> String {
        if let domain = parameters.domainName ?? pxe?.domain { return domain }
        throw ImportError("no 'option domain-name' in the subnet or globally (nor [Domain] in pxe.conf): the farm's domain is unknown", at: location)
    }

    /// The one option 43 every host sends; hosts that differ are reported.
    mutating func commonVendorOptions(_ hosts: [DHCPDHost]) -> DHCPDVendorOptions? {
        let withOptions = hosts.compactMap { host in host.parameters.vendorOptions.map { (host, $0) } }
        guard let (firstHost, first) = withOptions.first else { return nil }
        for (host, options) in withOptions.dropFirst() where options.decoded != first.decoded {
            warn(options.location, "host \(host.name) sends another option 43 than host \(firstHost.name); a farm has one menu and discovery, taken from \(firstHost.name)")
        }
        for host in hosts where host.parameters.vendorOptions == nil {
            warn(host.location, "host \(host.name) sends no option 43 while others do; in the farm every node gets the same option 43")
        }
        return first
    }

    /// Discovery from a decoded option 43 (digest §4).
    mutating func discoveryFrom(_ options: PXEVendorOptions, at location: SourceLocation) -> Discovery {
        let control = options.discoveryControl ?? []
        var discovery = Discovery()
        discovery.broadcast = !control.contains(.noBroadcast)
        discovery.multicast = control.contains(.noMulticast) ? nil : options.multicastDiscoveryAddress
        discovery.serverListOnly = control.contains(.serverListOnly)
        discovery.menu = !control.contains(.bootFileOnly)
        discovery.unicast = unicastServers(options.bootServers ?? [], at: location)
        if let prompt = options.prompt {
            discovery.prompt = Prompt(timeout: prompt.timeout, text: prompt.text)
        } else {
            warn(location, "option 43 has no prompt (tag 10); the farm's default prompt is used")
        }
        if !options.otherSubOptions.isEmpty || options.mtftpAddress != nil || options.bootItem != nil {
            warn(location, "option 43 tags other than 6-10 (MTFTP, boot item, vendor tags) are not carried into the farm file")
        }
        return discovery
    }

    /// Discovery from pxe.conf's Discovery_* and Prompt sections.
    mutating func discoveryFrom(_ pxe: PXEBootServerSettings?) -> Discovery {
        var discovery = Discovery()
        guard let pxe else { return discovery }
        discovery.broadcast = !(pxe.broadcastDisabled ?? false)
        discovery.multicast = pxe.multicastDisabled == true ? nil : pxe.multicastAddress
        discovery.serverListOnly = pxe.serverListOnly ?? false
        discovery.unicast = unicastServers(pxe.discoveryList, at: nil)
        if let prompt = pxe.prompt { discovery.prompt = prompt }
        return discovery
    }

    /// The farm offers one list of boot servers for every service (tag 8).
    mutating func unicastServers(_ lists: [PXEBootServerList], at location: SourceLocation?) -> [IPv4Address] {
        var servers: [IPv4Address] = []
        for list in lists {
            for server in list.servers where !servers.contains(server) { servers.append(server) }
        }
        if lists.contains(where: { $0.servers != servers }) {
            let at = location ?? SourceLocation(file: dhcpdFile, line: 1, column: 1)
            warn(at, "boot server lists differ between server types; the farm offers \(servers.map(\.description).joined(separator: ", ")) for every service")
        }
        return servers
    }

    /// One service per menu item, in menu order, named by pxe.conf's Service_Types.
    mutating func makeServices(_ menu: [PXEMenuItem], pxe: PXEBootServerSettings?) -> [Service] {
        var services: [Service] = []
        var names: Set<String> = []
        for item in menu {
            let serviceType = pxe?.serviceTypes.first { $0.type == item.type }
            let typeName = serviceType?.name
            var name = item.type == 0 ? "local" : typeName ?? Self.slug(item.text) ?? "type-\(item.type)"
            if let typeName, item.type == 0, typeName != name {
                warn(serviceType?.location, "type 0 is local boot in pxefarm; pxe.conf's Service_Types calls it \(typeName): imported as 'local'")
            }
            var suffix = 2
            while names.contains(name) {
                name = "\(name)-\(suffix)"
                suffix += 1
            }
            names.insert(name)
            guard item.type != 0 else {
                services.append(Service(type: 0, name: name, menu: item.text, root: .local))
                continue
            }
            let imageFile = typeName.flatMap { pxe?.imageFiles[$0] }
            if let imageFile, imageFile.baseName != "linux" {
                warn(imageFile.location, "service \(name) boots \(imageFile.baseName).N; pxefarm names boot files linux.N")
            }
            let layers = imageFile?.layers ?? 0...2
            // pxe.conf's layers tell: an initrd (layer 2) is the RAM disk root of an
            // installer (digest §3); without one the kernel mounts its root over NFS.
            let root: RootKind = (imageFile?.layers.upperBound ?? 0) >= 2 ? .ram : .nfs
            services.append(Service(
                type: item.type, name: name, menu: item.text, image: Self.placeholderImage, root: root,
                layers: layers, allowReservedType: (1...9).contains(item.type)))
        }
        for type in pxe?.serviceTypes ?? [] where !menu.contains(where: { $0.type == type.type }) && type.type != 0 {
            warn(type.location, "Service_Types \(type.type),\(type.name) has no menu entry; it is not imported")
        }
        return services
    }

    /// `nfs-root`: the directory the hosts' root paths share (`/nfsroot` of `/nfsroot/n011`).
    mutating func chooseNFSRoot(_ rootPaths: [(DHCPDHost, String)]) -> String? {
        guard !rootPaths.isEmpty else { return nil }
        let parents = rootPaths.map { host, path -> String? in
            let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
            guard trimmed.hasSuffix("/" + host.name) else { return nil }
            return String(trimmed.dropLast(host.name.count + 1))
        }
        if let first = parents.first ?? nil, !first.isEmpty, parents.allSatisfy({ $0 == first }) { return first }
        let shared = mostCommon(rootPaths.map(\.1)) ?? rootPaths[0].1
        warn(rootPaths[0].0.location, "root-path \"\(shared)\" is not <directory>/<host name>; pxefarm gives every node a root of its own, <nfs-root>/<node>, so nfs-root is set to \(shared)")
        return shared
    }

    mutating func makeNode(_ host: DHCPDHost, index: Int, services: [Service], server: IPv4Address) -> Node {
        let parameters = host.parameters
        var service: Service?
        if let filename = parameters.filename {
            let path = filename.hasPrefix("/") ? String(filename.dropFirst()) : filename
            service = services.first { candidate in
                !candidate.isLocalBoot && candidate.layers.contains { path == candidate.bootFile(layer: $0) }
            }
            if service == nil {
                warn(host.location, "host \(host.name): filename \"\(filename)\" is not carried; pxefarm sends each service's own boot file")
            }
        }
        if service == nil, parameters.rootPath != nil {
            service = services.first { $0.root == .nfs && !$0.isLocalBoot }
            if let service {
                warn(host.location, "host \(host.name) has a root path but no boot file of a service: imported with service \(service.name), the first NFS-root service of the menu; check that it is the one")
            }
        }
        if service == nil {
            service = services.first { $0.isLocalBoot } ?? services.first
            if let service, service.isLocalBoot, parameters.vendorOptions == nil {
                warn(host.location, "host \(host.name) names no boot file or root path: imported with service \(service.name), as its answer says nothing else to boot (the client picks from the menu); give it another service to boot it from the network")
            } else if let service, parameters.vendorOptions == nil {
                warn(host.location, "host \(host.name) names no boot file or root path and the menu has no local boot: imported with service \(service.name), the first of the menu")
            }
        }
        if let nextServer = parameters.nextServer, nextServer != server {
            warn(host.location, "host \(host.name): next-server \(nextServer) differs from the farm's server \(server); every node gets \(server)")
        }
        if let identifier = parameters.classIdentifier, identifier.value != "PXEClient" {
            warn(host.location, "host \(host.name): option \(identifier.optionName) \"\(identifier.value)\" is not carried; pxefarm sends \"PXEClient\"")
        }
        return Node(
            name: host.name, mac: host.mac!, ip: host.fixedAddress!, service: service?.name ?? "local",
            origin: .single(FieldPath("nodes")[index]))
    }

    /// The value said most often; ties go to the first said.
    func mostCommon<Value: Hashable>(_ values: [Value]) -> Value? {
        var counts: [Value: Int] = [:]
        for value in values { counts[value, default: 0] += 1 }
        guard let highest = counts.values.max() else { return nil }
        return values.first { counts[$0] == highest }
    }

    mutating func warn(_ location: SourceLocation?, _ message: String) {
        warnings.append(Diagnostic(.warning, FieldPath(), message, at: location))
    }

    /// `dc2` from `dc2.kek.jp`.
    static func farmName(domain: String) -> String {
        slug(String(domain.split(separator: ".").first ?? "farm")) ?? "farm"
    }

    /// `kick-start` from "kick start": a usable directory name, or nil.
    static func slug(_ text: String) -> String? {
        var result = ""
        for character in text.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber || character == "_" || character == "." {
                result.append(character)
            } else if !result.isEmpty, result.last != "-" {
                result.append("-")
            }
        }
        while result.hasSuffix("-") { result.removeLast() }
        return result.isEmpty ? nil : String(result.prefix(64))
    }
}
