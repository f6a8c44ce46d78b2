import Foundation
import NetbootWire
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Two `pxefarm serve --server NAME` processes on one farm file, in a
/// namespace of their own with only a loopback: each answers the same node
/// the same way, naming itself in option 54 and siaddr.
@Suite(.serialized) struct MultiServerServeTests {
    static let nodeMAC = "52:54:00:31:00:01"

    static func farmFolder() throws -> String {
        let path = NSTemporaryDirectory() + "pxefarm-multiserve-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path + "/image/etc", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: path + "/out/tftpboot", withIntermediateDirectories: true)
        try Data("kernel".utf8).write(to: URL(fileURLWithPath: path + "/vmlinuz"))
        try """
        farm: {name: multi, domain: multi.example, server: 127.0.0.2, subnet: 127.0.0.0/24, nfs-root: /nfsroot}
        servers:
          - {name: boot1, address: 127.0.0.2, roles: [dhcp, tftp]}
          - {name: boot2, address: 127.0.0.3, roles: [dhcp, tftp]}
          - {name: nfs1, address: 127.0.0.4, roles: [nfs]}
          - {name: nfs2, address: 127.0.0.5, roles: [nfs]}
        images:
          base: {root: image, kernel: vmlinuz}
        services:
          - {type: 0,  name: local,      menu: "Local Boot"}
          - {type: 14, name: linux-boot, menu: "Remote Boot Linux", image: base}
        discovery: {multicast: false, prompt: {timeout: 2, text: "F8 for the menu"}}
        nodes:
          - {name: n1, mac: "\(nodeMAC)", ip: 127.0.0.50, service: linux-boot}
          - {range: "m[1-6]", ip: 127.0.0.60, mac: "52:54:00:31:01:01", service: linux-boot}

        """.write(toFile: path + "/farm.yaml", atomically: true, encoding: .utf8)
        return path
    }

    /// A renewing REQUEST (ciaddr set), so that the ACK comes back to
    /// 127.0.0.50 by unicast: the namespace has no broadcast route.
    static func request() -> DHCPPacket {
        var options = DHCPOptions([DHCPOption(code: 53, data: [DHCPMessageType.request.rawValue])])
        options.append(DHCPOption(code: 55, data: [1, 3, 6, 12, 15, 17, 28, 43, 60]))
        options.append(DHCPOption(code: 60, data: Array("PXEClient:Arch:00000:UNDI:002001".utf8)))
        options.append(DHCPOption(code: 93, data: [0, 0]))
        options.append(DHCPOption(code: 94, data: [1, 2, 1]))
        return DHCPPacket(op: .request, xid: 0x5151_0001, chaddr: MACAddress(nodeMAC)!.bytes, ciaddr: IPv4Address(127, 0, 0, 50), options: options)
    }

    @Test(.needsNetns)
    func twoInstancesAnswerAlikeEachNamingItself() throws {
        let folder = try Self.farmFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let namespace = try LoopbackNamespace()
        let instances: [(name: String, address: String, port: UInt16)] = [("boot1", "127.0.0.2", 6067), ("boot2", "127.0.0.3", 7067)]
        for instance in instances {
            let log = folder + "/\(instance.name).log"
            _ = try namespace.start([CommandRunner.executable, "serve", folder + "/farm.yaml", "--out", folder + "/out", "--server", instance.name,
                                     "--dhcp-port", "\(instance.port)", "--pxe-port", "\(instance.port + 1000)",
                                     "--tftp-port", "0", "--mtftp-port", "0", "--no-http"], output: log, directory: folder)
            try Self.waitForDHCP(log)
        }
        let request = try Self.request().encoded()
        let answers = try namespace.inside { () throws -> [DHCPPacket] in
            try instances.map { instance in
                let socket = try TestUDPSocket(port: instance.port + 1, device: "lo")
                defer { socket.close() }
                for _ in 0..<3 {
                    socket.send(request, to: instance.address, port: instance.port)
                    while let (bytes, _) = socket.receive() {
                        let packet = try DHCPPacket(decoding: bytes)
                        if packet.xid == 0x5151_0001 { return packet }
                    }
                }
                throw NamespacePair.Failure(description: "no answer from \(instance.name)")
            }
        }
        for (answer, instance) in zip(answers, instances) {
            #expect(answer.options.data(53) == [DHCPMessageType.ack.rawValue])
            #expect(answer.options.data(54) == IPv4Address(instance.address)!.octets)
            #expect(answer.siaddr == IPv4Address(instance.address)!)
            #expect(answer.yiaddr == IPv4Address(127, 0, 0, 50))
        }
        let options = try answers.map { try PXEVendorOptions.decode(try #require($0.options.vendorSpecific)) }
        #expect(options[0] == options[1])
        let servers = try #require(options[0].bootServers?.first?.servers)
        #expect(Set(servers) == [IPv4Address(127, 0, 0, 2), IPv4Address(127, 0, 0, 3)])
        #expect(answers[0].options.data(17) == answers[1].options.data(17))
        let rootPath = String(decoding: try #require(answers[0].options.data(17)), as: UTF8.self)
        #expect(["127.0.0.4:/nfsroot/n1", "127.0.0.5:/nfsroot/n1"].contains(rootPath))
    }

    @Test func anUnknownServerIsRefusedByName() throws {
        let folder = try Self.farmFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = try CommandRunner.run(["serve", folder + "/farm.yaml", "--out", folder + "/out", "--server", "boot9"], in: folder)
        #expect(output.status == 1)
        #expect(output.stderr.contains("--server boot9: \(folder)/farm.yaml has no such server; its servers are boot1, boot2, nfs1, nfs2"))
    }

    /// `status --probe-nfs` where only nfs1 takes connections on 2049: every
    /// node says its servers, and exactly nfs2's nodes are said not to boot.
    @Test(.needsNetns)
    func statusNamesEachNodesServersAndMarksTheNodesOfADownNFSServer() throws {
        let folder = try Self.farmFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let namespace = try LoopbackNamespace()
        let listener = try namespace.inside { () throws -> Int32 in
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(2049).bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.4")
            let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            guard fd >= 0, bound == 0, listen(fd, 8) == 0 else { throw NamespacePair.Failure(description: "cannot listen on 127.0.0.4:2049") }
            return fd
        }
        defer { close(listener) }
        try FileManager.default.createDirectory(atPath: folder + "/out/.pxefarm", withIntermediateDirectories: true)
        try #"{"nodes": {}}"#.write(toFile: folder + "/out/.pxefarm/boot-stages.json", atomically: true, encoding: .utf8)
        let log = folder + "/status.txt"
        let status = try namespace.start([CommandRunner.executable, "status", folder + "/farm.yaml", "--out", folder + "/out", "--probe-nfs"], output: log, directory: folder)
        status.waitUntilExit()
        #expect(status.terminationStatus == 0)
        let text = try String(contentsOfFile: log, encoding: .utf8)
        let nodes = text.components(separatedBy: "\n").filter { !$0.hasPrefix(" ") && !$0.isEmpty }
        #expect(nodes.count == 7)
        let serverLines = text.components(separatedBy: "\n").filter { $0.hasPrefix("  servers NFS ") }
        #expect(serverLines.count == 7)
        let onNFS2 = serverLines.filter { $0.hasPrefix("  servers NFS nfs2 (127.0.0.5), boot ") }.count
        let down = text.components(separatedBy: "\n").filter { $0 == "  NFS server nfs2 does not answer: this node cannot boot" }.count
        #expect(down == onNFS2)
        #expect(onNFS2 > 0 && onNFS2 < 7)
        #expect(!text.contains("NFS server nfs1 does not answer"))
    }

    static func waitForDHCP(_ log: String) throws {
        for _ in 0..<200 {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if text.contains("dhcp serving") { return }
            if text.contains("pxefarm serve:") { throw NamespacePair.Failure(description: text) }
            usleep(50_000)
        }
        throw NamespacePair.Failure(description: "pxefarm serve did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }
}
