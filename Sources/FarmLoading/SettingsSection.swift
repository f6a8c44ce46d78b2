import FarmModel
import NetbootWire

/// Reads `farm:`. A required field that is missing or malformed gets a
/// stand-in value and is marked unreadable, so that the rest is still checked.
enum SettingsSection {
    static let keys = ["name", "domain", "server", "boot-server", "subnet", "routers", "dns", "lease", "nfs-root", "tftp-root", "secrets", "http-port", "http-boot", "nfs"]

    static func read(_ map: YAMLMapping?, context: LoadContext) -> FarmSettings {
        let path: FieldPath = "farm"
        guard let map else {
            for key in ["name", "domain", "server", "subnet"] { context.markUnreadable(path / key) }
            return FarmSettings(name: "farm", domain: "invalid", server: .any, subnet: IPv4Subnet(network: .any, prefixLength: 0)!)
        }
        let name = map.string("name", required: true) ?? "farm"
        let domain = map.string("domain", required: true) ?? "invalid"
        let server = map.ip("server", required: true) ?? .any
        let bootServer = map.ip("boot-server")
        let subnet = readSubnet(map, context: context)
        let routers = map.ipList("routers")
        let dns = map.ipList("dns")
        var lease = LeaseTimes()
        if let leaseMap = map.mapping("lease", keys: ["default", "max"]) {
            lease.defaultSeconds = leaseMap.int("default", in: 60...31_536_000) ?? lease.defaultSeconds
            lease.maxSeconds = leaseMap.int("max", in: 60...31_536_000) ?? lease.maxSeconds
        }
        var nfs = NFSSettings()
        if let nfsMap = map.mapping("nfs", keys: ["version", "options"]) {
            nfs.version = nfsMap.string("version") ?? nfs.version
            // A list of options, or one string of them separated by commas as in fstab.
            nfs.options = nfsMap.list("options").compactMap { nfsMap.scalar($0.node, at: $0.path) }.flatMap { item in
                item.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespaces) }
            }
        }
        return FarmSettings(
            name: name, domain: domain, server: server, bootServer: bootServer, subnet: subnet,
            routers: routers, dnsServers: dns, leaseTime: lease,
            nfsRoot: map.string("nfs-root") ?? FarmSettings.defaultNFSRoot,
            tftpRoot: map.string("tftp-root") ?? FarmSettings.defaultTFTPRoot,
            secrets: map.filePath("secrets"),
            httpPort: map.int("http-port", in: 1...65535) ?? CallbackToken.defaultPort,
            httpBoot: map.bool("http-boot") ?? false, nfs: nfs)
    }

    static func readSubnet(_ map: YAMLMapping, context: LoadContext) -> IPv4Subnet {
        let standIn = IPv4Subnet(network: .any, prefixLength: 0)!
        guard let text = map.string("subnet", required: true) else { return standIn }
        if let subnet = IPv4Subnet(text) { return subnet }
        let path = FieldPath("farm") / "subnet"
        let parts = text.split(separator: "/")
        if parts.count == 2, let address = IPv4Address(parts[0]), let length = Int(parts[1]), (0...32).contains(length),
           let network = IPv4Subnet(network: IPv4Address(address.value & IPv4Subnet(network: .any, prefixLength: length)!.mask.value), prefixLength: length) {
            context.unusable(path, "\"\(text)\" has host bits set; the network is \(network)")
        } else {
            context.unusable(path, "\"\(text)\" is not a subnet in CIDR form, such as 192.168.197.0/24")
        }
        return standIn
    }
}
