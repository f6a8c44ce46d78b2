import FarmModel
import NetbootWire

/// A farm of 64 diskless nodes n040-n103 with an install service and local boot.
enum RolloutFarm {
    static func farm(nodes count: Int = 64, localBoot: Bool = true) -> Farm {
        var services = [
            Service(type: 13, name: "linux-install", menu: "Remote Install Linux", image: "base", root: .ram, kickstart: "ks.cfg.mustache"),
            Service(type: 14, name: "linux-boot", menu: "Remote Boot Linux", image: "base", root: .nfs),
        ]
        if localBoot { services.insert(Service(type: 0, name: "local", menu: "Local Boot", root: .local), at: 0) }
        return Farm(
            settings: FarmSettings(
                name: "dc2", domain: "dc2.kek.jp", server: IPv4Address("192.168.197.11")!, bootServer: nil,
                subnet: IPv4Subnet("192.168.197.0/24")!, routers: [], dnsServers: [], nfsRoot: "/nfsroot"),
            images: [Image(name: "base", root: "/img/root", kernel: "/img/vmlinuz")],
            services: services,
            nodes: (0..<count).map { index in
                Node(name: "n\(String(40 + index).leftPadded(3))",
                     mac: MACAddress(bytes: [0x52, 0x54, 0x00, 0x00, 0x00, UInt8(index)])!,
                     ip: IPv4Address(UInt32(0xC0A8_C528) + UInt32(index)),
                     service: "linux-boot", kernelArguments: index == 0 ? "quiet" : "",
                     origin: .single(FieldPath("nodes")[index]))
            })
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
