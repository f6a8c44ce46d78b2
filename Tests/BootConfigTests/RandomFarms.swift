import TestSupport
import Foundation
import NetbootWire
import FarmModel

/// Random farms that pass validation: different subnets and prefixes,
/// service sets, discovery modes and settings, node counts, menu texts
/// with the punctuation farm files allow.
enum RandomFarms {
    static func text(_ random: inout SeededGenerator, _ range: ClosedRange<Int>) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 <>-_.,:()/!?=+*#&%@")
        var result = String((0..<Int.random(in: range, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
        // Leading and trailing blanks are legal but make poor menus; keep them inside.
        if result.first == " " { result.removeFirst() }
        if result.last == " " { result.removeLast() }
        return result.isEmpty ? "x" : result
    }

    static func name(_ random: inout SeededGenerator, prefix: String) -> String {
        prefix + String((0..<Int.random(in: 1...6, using: &random)).map { _ in Array("abcdefghijklmnopqrstuvwxyz0123456789-")[Int.random(in: 0...36, using: &random)] }).trimmingCharacters(in: ["-"]) + "x"
    }

    static func farm(_ random: inout SeededGenerator) -> Farm {
        let prefix = [8, 16, 20, 22, 24, 25, 26].randomElement(using: &random)!
        let base: UInt32 = [0x0A00_0000, 0xAC10_0000, 0xC0A8_0000].randomElement(using: &random)! | (UInt32.random(in: 0...255, using: &random) << 8)
        let subnet = IPv4Subnet(network: IPv4Address(base & (UInt32.max << UInt32(32 - prefix))), prefixLength: prefix)!
        func host(_ n: Int) -> IPv4Address { subnet.network.advanced(by: n)! }
        let server = host(2)
        let separateBoot = Bool.random(using: &random)
        let settings = FarmSettings(
            name: name(&random, prefix: "farm"), domain: "\(name(&random, prefix: "d")).example",
            server: server, bootServer: separateBoot ? host(3) : nil, subnet: subnet,
            routers: Bool.random(using: &random) ? [host(1)] : [], dnsServers: Bool.random(using: &random) ? [server, host(1)] : [],
            leaseTime: LeaseTimes(defaultSeconds: Int.random(in: 60...3600, using: &random), maxSeconds: Int.random(in: 3600...86400, using: &random)),
            nfsRoot: ["/nfs", "/srv/nfsroot", "/r"].randomElement(using: &random)!,
            tftpRoot: ["/tftpboot", "/srv/tftp"].randomElement(using: &random)!)
        let images = (0..<Int.random(in: 1...2, using: &random)).map {
            Image(name: "img\($0)", root: "/img/\($0)", kernel: "/img/\($0)/vmlinuz")
        }
        var services: [Service] = []
        if Bool.random(using: &random) { services.append(Service(type: 0, name: "local", menu: text(&random, 3...16), root: .local)) }
        var types = Set<UInt16>()
        for index in 0..<Int.random(in: 1...4, using: &random) {
            var type = UInt16.random(in: 10...65535, using: &random)
            while !types.insert(type).inserted { type = UInt16.random(in: 10...65535, using: &random) }
            services.append(Service(
                type: type, name: "svc\(index)-\(name(&random, prefix: "s"))", menu: text(&random, 3...20),
                image: images.randomElement(using: &random)!.name, root: Bool.random(using: &random) ? .nfs : .ram,
                kernelArguments: Bool.random(using: &random) ? "console=ttyS0 quiet" : "", layers: 0...Int.random(in: 1...2, using: &random)))
        }
        services.shuffle(using: &random)
        let multicast = Bool.random(using: &random) ? IPv4Address(224, 0, 1, UInt8.random(in: 1...255, using: &random)) : nil
        let broadcast = multicast == nil ? Bool.random(using: &random) : Bool.random(using: &random)
        let unicast = (!broadcast && multicast == nil) || Bool.random(using: &random) ? [host(separateBoot ? 3 : 2)] : []
        let discovery = Discovery(
            mode: Bool.random(using: &random) ? .dhcp : .proxy, multicast: multicast, broadcast: broadcast, unicast: unicast,
            serverListOnly: !unicast.isEmpty && Bool.random(using: &random),
            prompt: Prompt(timeout: UInt8.random(in: 0...255, using: &random), text: text(&random, 1...40)),
            menu: Bool.random(using: &random))
        let nodeCount = Int.random(in: 1...min(40, (1 << (32 - prefix)) - 12), using: &random)
        let macBase = MACAddress(bytes: [0x52, 0x54, 0, UInt8.random(in: 0...255, using: &random), UInt8.random(in: 0...255, using: &random), 0])!
        let nodes = (0..<nodeCount).map { index in
            Node(name: "n\(index)", mac: macBase.advanced(by: index)!, ip: host(10 + index),
                 service: services.randomElement(using: &random)!.name,
                 kernelArguments: Bool.random(using: &random) ? "" : "hostid=\(index)", origin: .single(FieldPath("nodes")[index]))
        }
        return Farm(settings: settings, images: images, services: services, discovery: discovery, nodes: nodes)
    }
}
