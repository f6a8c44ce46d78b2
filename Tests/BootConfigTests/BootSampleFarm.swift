import NetbootWire
import FarmModel

/// The reference deployment in code (digest §1-§5): three services in the
/// reference's menu order, multicast discovery, two NFS-root nodes and one
/// node that installs from a RAM root.
enum BootSampleFarm {
    static func ip(_ text: String) -> IPv4Address { IPv4Address(text)! }
    static func mac(_ text: String) -> MACAddress { MACAddress(text)! }

    static func farm(mode: DiscoveryMode = .dhcp) -> Farm {
        Farm(
            settings: FarmSettings(
                name: "dc2", domain: "dc2.kek.jp", server: ip("192.168.197.11"), bootServer: ip("192.168.197.12"),
                subnet: IPv4Subnet("192.168.197.0/24")!, routers: [ip("192.168.197.1")], dnsServers: [ip("192.168.197.11")],
                nfsRoot: "/nfs", secrets: "/etc/pxefarm/dc2-secrets.yaml"),
            images: [Image(name: "base", root: "/img/root", kernel: "/img/vmlinuz")],
            services: [
                Service(type: 0, name: "local", menu: "Local boot", root: .local),
                Service(type: 13, name: "linux-install", menu: "kick start", image: "base", root: .ram, kernelArguments: "console=ttyS0", kickstart: "ks.cfg.mustache"),
                Service(type: 14, name: "linux-boot", menu: "network boot", image: "base", root: .nfs, kernelArguments: "console=ttyS0 panic=1"),
            ],
            discovery: Discovery(mode: mode, multicast: Discovery.defaultMulticast, prompt: Prompt(timeout: 10, text: "Type <F8> for menu")),
            nodes: [
                Node(name: "n011", mac: mac("00:D0:B7:1B:12:ED"), ip: ip("192.168.197.31"), service: "linux-boot", origin: .single(FieldPath("nodes")[0])),
                Node(name: "n012", mac: mac("00:D0:B7:1B:12:EE"), ip: ip("192.168.197.32"), service: "linux-boot", kernelArguments: "single",
                     origin: .single(FieldPath("nodes")[1])),
                Node(name: "n013", mac: mac("00:D0:B7:1B:12:EF"), ip: ip("192.168.197.33"), service: "linux-install", origin: .single(FieldPath("nodes")[2])),
                Node(name: "desk", mac: mac("00:D0:B7:1B:13:00"), ip: ip("192.168.197.40"), service: "local", origin: .single(FieldPath("nodes")[3])),
            ])
    }

    /// The reference's unicast example: no broadcast, no multicast, one boot server.
    static func unicastFarm() -> Farm {
        var farm = farm()
        farm.discovery.multicast = nil
        farm.discovery.broadcast = false
        farm.discovery.unicast = [ip("192.168.197.12")]
        return farm
    }
}
