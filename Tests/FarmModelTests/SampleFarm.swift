import NetbootWire
@testable import FarmModel

/// The reference deployment in code: a clean farm each test bends one way.
enum SampleFarm {
    static func ip(_ text: String) -> IPv4Address { IPv4Address(text)! }
    static func mac(_ text: String) -> MACAddress { MACAddress(text)! }

    static let files = FileProbe(known, signed: ["/img/vmlinuz": true])

    static let known: [String: FileProbe.Kind] = [
        "/img/root": .directory, "/img/vmlinuz": .file, "/img/System.map": .file, "/ks.cfg": .file,
        EFIBootProgram.shimFile.path: .file, EFIBootProgram.grubNetFile.path: .file,
    ]

    static func farm() -> Farm {
        Farm(
            settings: FarmSettings(
                name: "dc2", domain: "dc2.kek.jp", server: ip("192.168.197.11"),
                bootServer: ip("192.168.197.12"), subnet: IPv4Subnet("192.168.197.0/24")!,
                routers: [ip("192.168.197.1")], dnsServers: [ip("192.168.197.11")], nfsRoot: "/nfs"),
            images: [Image(name: "base", root: "/img/root", kernel: "/img/vmlinuz", systemMap: "/img/System.map")],
            services: [
                Service(type: 0, name: "local", menu: "Local Boot", root: .local),
                Service(type: 13, name: "linux-install", menu: "Remote Install Linux", image: "base", root: .ram, kickstart: "/ks.cfg"),
                Service(type: 14, name: "linux-boot", menu: "Remote Boot Linux", image: "base", root: .nfs),
            ],
            discovery: Discovery(multicast: Discovery.defaultMulticast),
            nodes: [
                Node(name: "n011", mac: mac("00:D0:B7:1B:12:ED"), ip: ip("192.168.197.31"), service: "linux-boot", origin: .single(FieldPath("nodes")[0])),
                Node(name: "n012", mac: mac("00:D0:B7:1B:12:EE"), ip: ip("192.168.197.32"), service: "linux-boot", origin: .single(FieldPath("nodes")[1])),
            ])
    }

    static func diagnostics(_ farm: Farm) -> [String] {
        FarmValidator.validate(farm, context: ValidationContext(files: files)).map(\.description)
    }
}
