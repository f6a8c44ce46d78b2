import Foundation
import NetbootWire
import Testing
import TestSupport

/// `pxefarm serve` answering DHCP for real: the daemon in one network
/// namespace, clients in another, a veth pair between, real broadcast on
/// the real ports 67, 68 and 4011.
@Suite(.serialized, .needsNetns) struct DHCPOnTheWireTests {
    static let nodeMAC = "52:54:00:12:34:56"
    static let guid: [UInt8] = [0] + (1...16).map { UInt8($0) }

    /// A farm folder with an image to point at and an empty built tree.
    struct FarmFolder {
        let path: String
        var farmFile: String { path + "/farm.yaml" }
        var out: String { path + "/out" }

        init(mac: String = DHCPOnTheWireTests.nodeMAC) throws {
            path = NSTemporaryDirectory() + "pxefarm-dhcp-wire-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: path + "/image/etc", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: path + "/out/tftpboot/X86PC/UNDI/linux-boot", withIntermediateDirectories: true)
            try Data("kernel".utf8).write(to: URL(fileURLWithPath: path + "/vmlinuz"))
            try Self.write(farm: self, mac: mac)
        }

        static func write(farm folder: FarmFolder, mac: String, multicast: String = "224.0.1.2") throws {
            try """
            farm: {name: wire, domain: wire.example, server: 192.168.197.11, subnet: 192.168.197.0/24,
                   routers: [192.168.197.1], dns: [192.168.197.2], lease: {default: 600, max: 7200}, nfs-root: /nfsroot}
            images:
              base: {root: image, kernel: vmlinuz}
            services:
              - {type: 13, name: linux-install, menu: "Remote Install Linux", image: base, root: ram}
              - {type: 0,  name: local,         menu: "Local Boot"}
              - {type: 14, name: linux-boot,    menu: "Remote Boot Linux",    image: base, root: nfs}
            discovery: {multicast: \(multicast), broadcast: true, prompt: {timeout: 10, text: "Press F8 to view menu ..."}}
            nodes:
              - {name: n011, mac: "\(mac)", ip: 192.168.197.31, service: linux-boot}

            """.write(toFile: folder.farmFile, atomically: true, encoding: .utf8)
        }

        func remove() { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Starts the daemon in the server namespace and waits for its DHCP listeners.
    @discardableResult
    func serve(_ pair: NamespacePair, _ folder: FarmFolder, _ extra: [String] = [], process: ((Process) -> Void)? = nil) throws -> String {
        let log = folder.path + "/serve.log"
        let started = try pair.start(in: pair.server, [CommandRunner.executable, "serve", folder.farmFile, "--out", folder.out,
                                             "--interface", pair.serverLink, "--tftp-port", "0"] + extra,
                           output: log, directory: folder.path)
        process?(started)
        for _ in 0..<200 {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if text.contains("dhcp serving") { return log }
            if text.contains("pxefarm serve:") { throw NamespacePair.Failure(description: text) }
            usleep(50_000)
        }
        throw NamespacePair.Failure(description: "pxefarm serve did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }

    static func pxePacket(_ type: DHCPMessageType, xid: UInt32, ciaddr: IPv4Address = .any, extra: [DHCPOption] = []) -> DHCPPacket {
        var options = DHCPOptions([DHCPOption(code: 53, data: [type.rawValue])])
        options.append(DHCPOption(code: 55, data: [1, 3, 6, 12, 15, 17, 28, 43, 60]))
        options.append(DHCPOption(code: 57, data: [0x04, 0xEC]))
        options.append(DHCPOption(code: 60, data: Array("PXEClient:Arch:00000:UNDI:002001".utf8)))
        options.append(DHCPOption(code: 93, data: [0, 0]))
        options.append(DHCPOption(code: 94, data: [1, 2, 1]))
        options.append(DHCPOption(code: 97, data: guid))
        for option in extra { options.append(option) }
        return DHCPPacket(op: .request, xid: xid, chaddr: MACAddress(nodeMAC)!.bytes, flags: DHCPPacket.broadcastFlag, ciaddr: ciaddr, options: options)
    }

    /// Sends until an answer with this xid comes (a lost first packet is retried).
    static func exchange(_ socket: TestUDPSocket, _ packet: DHCPPacket, to host: String, port: UInt16, attempts: Int = 3) throws -> (DHCPPacket, Int, UInt16)? {
        for _ in 0..<attempts {
            socket.send(try packet.encoded(), to: host, port: port)
            while let (bytes, from) = socket.receive() {
                let reply = try DHCPPacket(decoding: bytes)
                if reply.xid == packet.xid { return (reply, bytes.count, from) }
            }
        }
        return nil
    }

    @Test func pxeDiscoverRequestAndBootServerDiscoveryOverRealBroadcast() throws {
        let folder = try FarmFolder()
        defer { folder.remove() }
        let pair = try NamespacePair(serverAddress: "192.168.197.11/24", clientMAC: Self.nodeMAC)
        let log = try serve(pair, folder)
        let link = pair.clientLink

        let (offer, request, ack) = try pair.inside(pair.client) { () -> (DHCPPacket?, DHCPPacket, DHCPPacket?) in
            let socket = try TestUDPSocket(port: 68, device: link)
            defer { socket.close() }
            let offer = try Self.exchange(socket, Self.pxePacket(.discover, xid: 0xA1B2_C3D4), to: "255.255.255.255", port: 67)
            let request = Self.pxePacket(.request, xid: 0xA1B2_C3D5, extra: [DHCPOption(code: 50, data: [192, 168, 197, 31]),
                                                                              DHCPOption(code: 54, data: [192, 168, 197, 11])])
            let ack = try Self.exchange(socket, request, to: "255.255.255.255", port: 67)
            return (offer?.0, request, ack?.0)
        }
        // The node's own service (14) first, then the farm order: iPXE boots the first item on timeout.
        let items: [UInt8] = [0, 14, 17] + Array("Remote Boot Linux".utf8)
            + [0, 13, 20] + Array("Remote Install Linux".utf8)
            + [0, 0, 10] + Array("Local Boot".utf8)
        let menu: [UInt8] = [9, UInt8(items.count)] + items
        let vendor: [UInt8] = [6, 1, 0, 7, 4, 224, 0, 1, 2] + menu + [10, 26, 10] + Array("Press F8 to view menu ...".utf8) + [255]
        for (reply, type) in [(offer, DHCPMessageType.offer), (ack, .ack)] {
            let packet = try #require(reply, "no \(type) arrived; log: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
            #expect(packet.op == 2 && packet.htype == 1 && packet.hlen == 6 && packet.hops == 0)
            #expect(packet.xid == (type == .offer ? 0xA1B2_C3D4 : request.xid))
            #expect(packet.secs == 0 && packet.flags == DHCPPacket.broadcastFlag)
            #expect(packet.ciaddr == .any)
            #expect(packet.yiaddr == IPv4Address(192, 168, 197, 31))
            #expect(packet.siaddr == IPv4Address(192, 168, 197, 11))
            #expect(packet.giaddr == .any)
            #expect(packet.chaddr == MACAddress(Self.nodeMAC)!.bytes + Array(repeating: 0, count: 10))
            #expect(packet.sname.isEmpty)
            #expect(packet.bootFile == "X86PC/UNDI/linux-boot/linux.0")
            #expect(packet.options.all == [
                DHCPOption(code: 53, data: [type.rawValue]),
                DHCPOption(code: 54, data: [192, 168, 197, 11]),
                DHCPOption(code: 51, data: [0, 0, 2, 88]),
                DHCPOption(code: 1, data: [255, 255, 255, 0]),
                DHCPOption(code: 3, data: [192, 168, 197, 1]),
                DHCPOption(code: 6, data: [192, 168, 197, 2]),
                DHCPOption(code: 12, data: Array("n011".utf8)),
                DHCPOption(code: 15, data: Array("wire.example".utf8)),
                DHCPOption(code: 17, data: Array("/nfsroot/n011".utf8)),
                DHCPOption(code: 28, data: [192, 168, 197, 255]),
                DHCPOption(code: 60, data: Array("PXEClient".utf8)),
                DHCPOption(code: 43, data: vendor),
                DHCPOption(code: 97, data: Self.guid),
            ])
        }

        // Boot-server discovery once the client has its address: unicast to 4011 and multicast to 224.0.1.2:4011.
        try pair.ip(in: pair.client, ["addr", "add", "192.168.197.31/24", "dev", link])
        try pair.ip(in: pair.client, ["route", "add", "224.0.0.0/4", "dev", link])
        let answers = try pair.inside(pair.client) { () -> [(DHCPPacket, UInt16)?] in
            let socket = try TestUDPSocket(port: 4011, device: link)
            defer { socket.close() }
            let item: (UInt16) -> DHCPOption = { layer in DHCPOption(code: 43, data: [71, 4, 0, 14, 0, UInt8(layer), 255]) }
            let client = IPv4Address(192, 168, 197, 31)
            let unicast = try Self.exchange(socket, Self.pxePacket(.request, xid: 0xB0, ciaddr: client, extra: [item(0)]), to: "192.168.197.11", port: 4011)
            let multicast = try Self.exchange(socket, Self.pxePacket(.request, xid: 0xB1, ciaddr: client, extra: [item(1)]), to: "224.0.1.2", port: 4011)
            return [unicast.map { ($0.0, $0.2) }, multicast.map { ($0.0, $0.2) }]
        }
        for (index, answer) in answers.enumerated() {
            let (packet, port) = try #require(answer, "no boot-server ACK \(index); log: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
            #expect(port == 4011)
            #expect(packet.ciaddr == IPv4Address(192, 168, 197, 31) && packet.yiaddr == .any)
            #expect(packet.siaddr == IPv4Address(192, 168, 197, 11))
            #expect(packet.bootFile == "X86PC/UNDI/linux-boot/linux.\(index)")
            #expect(packet.options.all == [
                DHCPOption(code: 53, data: [DHCPMessageType.ack.rawValue]),
                DHCPOption(code: 54, data: [192, 168, 197, 11]),
                DHCPOption(code: 60, data: Array("PXEClient".utf8)),
                DHCPOption(code: 43, data: [71, 4, 0, 14, 0, UInt8(index), 255]),
                DHCPOption(code: 97, data: Self.guid),
            ])
        }
        // The log line follows the reply, so wait for it rather than race it.
        try Self.waitFor("port=multicast", in: log)
        #expect(try String(contentsOfFile: log, encoding: .utf8).contains("multicast discovery joined"))
    }

    @Test(.needs(.busybox)) func busyboxUdhcpcGetsTheLeaseAndTheRootPath() throws {
        let folder = try FarmFolder()
        defer { folder.remove() }
        let pair = try NamespacePair(serverAddress: "192.168.197.11/24", clientMAC: Self.nodeMAC)
        let log = try serve(pair, folder)
        let script = folder.path + "/udhcpc.sh"
        let bound = folder.path + "/bound.env"
        try "#!/bin/sh\n[ \"$1\" = bound ] && env > \(bound)\nexit 0\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let result = try pair.run(in: pair.client, ["/bin/busybox", "udhcpc", "-i", pair.clientLink, "-f", "-q", "-n", "-t", "5", "-T", "1",
                                                    "-s", script, "-O", "rootpath", "-O", "broadcast"])
        #expect(result.status == 0, "udhcpc: \(result.output)")
        let env = try String(contentsOfFile: bound, encoding: .utf8)
        for line in ["ip=192.168.197.31", "subnet=255.255.255.0", "router=192.168.197.1", "dns=192.168.197.2", "hostname=n011",
                     "domain=wire.example", "rootpath=/nfsroot/n011", "broadcast=192.168.197.255", "lease=600", "serverid=192.168.197.11"] {
            #expect(env.split(separator: "\n").contains(Substring(line)), "\(line) missing from udhcpc's environment:\n\(env)")
        }
        // A plain DHCP client gets no PXE options.
        #expect(!env.contains("boot_file=X86PC"))
        try Self.waitFor("node=n011", in: log)
        // The daemon writes the stage file within a second; status reads it.
        var status = ""
        for _ in 0..<40 {
            status = try CommandRunner.run(["status", folder.farmFile, "--out", folder.out]).stdout
            if status.contains("dhcp ") { break }
            usleep(100_000)
        }
        #expect(status.hasPrefix("n011 52:54:00:12:34:56 192.168.197.31 linux-boot\n  dhcp "))
        #expect(status.contains("ACK 192.168.197.31: REQUEST: 192.168.197.31 acknowledged"))
    }

    @Test func proxyDHCPOffersNoAddressAndAnswersTheRequestOn4011() throws {
        let folder = try FarmFolder()
        defer { folder.remove() }
        let pair = try NamespacePair(serverAddress: "192.168.197.11/24", clientMAC: Self.nodeMAC)
        let log = try serve(pair, folder, ["--proxy"])
        let link = pair.clientLink
        let offer = try pair.inside(pair.client) { () -> DHCPPacket? in
            let socket = try TestUDPSocket(port: 68, device: link)
            defer { socket.close() }
            return try Self.exchange(socket, Self.pxePacket(.discover, xid: 0xC0), to: "255.255.255.255", port: 67)?.0
        }
        let packet = try #require(offer, "no proxy offer; log: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        #expect(try packet.options.messageType == .offer)
        #expect(packet.yiaddr == .any && packet.ciaddr == .any)
        #expect(packet.siaddr == IPv4Address(192, 168, 197, 11))
        #expect(packet.file.isEmpty)
        #expect(packet.options.all.map(\.code) == [53, 54, 60, 43, 97])

        // The site's DHCP server (not here) gave the address; the REQUEST goes to 4011 by unicast.
        try pair.ip(in: pair.client, ["addr", "add", "192.168.197.31/24", "dev", link])
        let ack = try pair.inside(pair.client) { () -> (DHCPPacket, UInt16)? in
            let socket = try TestUDPSocket(port: 68, device: link)
            defer { socket.close() }
            let request = Self.pxePacket(.request, xid: 0xC1, ciaddr: IPv4Address(192, 168, 197, 31))
            return try Self.exchange(socket, request, to: "192.168.197.11", port: 4011).map { ($0.0, $0.2) }
        }
        let (reply, port) = try #require(ack, "no ACK on 4011; log: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        #expect(port == 4011)
        #expect(try reply.options.messageType == .ack)
        #expect(reply.ciaddr == IPv4Address(192, 168, 197, 31) && reply.yiaddr == .any)
        #expect(reply.options.all.map(\.code) == [53, 54, 60, 43, 97])
        try Self.waitFor("ProxyDHCP ACK for n011", in: log)
    }

    @Test func sighupReloadsTheFarmWithoutStopping() throws {
        let folder = try FarmFolder(mac: "52:54:00:00:00:99")
        defer { folder.remove() }
        let pair = try NamespacePair(serverAddress: "192.168.197.11/24", clientMAC: Self.nodeMAC)
        nonisolated(unsafe) var daemon: Process?
        let log = try serve(pair, folder) { daemon = $0 }
        let link = pair.clientLink
        let discover: @Sendable () throws -> DHCPPacket? = {
            let socket = try TestUDPSocket(port: 68, device: link)
            defer { socket.close() }
            return try Self.exchange(socket, Self.pxePacket(.discover, xid: 0xD0), to: "255.255.255.255", port: 67, attempts: 1)?.0
        }
        #expect(try pair.inside(pair.client, discover) == nil)
        try Self.waitFor("reason=unknown MAC 52:54:00:12:34:56", in: log)

        // A broken farm file keeps the old farm; the fixed one is taken.
        let pid = try #require(daemon?.processIdentifier)
        try "farm: {name: [broken\n".write(toFile: folder.farmFile, atomically: true, encoding: .utf8)
        kill(pid, SIGHUP)
        try Self.waitFor("farm reload failed", in: log)
        try FarmFolder.write(farm: folder, mac: Self.nodeMAC)
        kill(pid, SIGHUP)
        try Self.waitFor("farm reloaded", in: log)
        let offer = try #require(try pair.inside(pair.client, discover))
        #expect(offer.yiaddr == IPv4Address(192, 168, 197, 31))
        #expect(daemon?.isRunning == true)
    }

    /// A reload that names another multicast discovery group leaves the old
    /// group and joins the new one on the PXE port's socket, as the kernel's
    /// membership list shows, and boot-server requests to the new group are answered.
    @Test func aReloadFollowsTheMulticastDiscoveryGroup() throws {
        let folder = try FarmFolder()
        defer { folder.remove() }
        let pair = try NamespacePair(serverAddress: "192.168.197.11/24", clientMAC: Self.nodeMAC)
        nonisolated(unsafe) var daemon: Process?
        let log = try serve(pair, folder) { daemon = $0 }
        let pid = try #require(daemon?.processIdentifier)
        try Self.waitFor("multicast discovery joined", in: log)
        let groups = { try ProgramRun.run("/usr/sbin/ip", ["-n", pair.server, "maddr", "show", "dev", pair.serverLink]).output }
        #expect(try groups().contains("inet  224.0.1.2"))

        try FarmFolder.write(farm: folder, mac: Self.nodeMAC, multicast: "239.77.0.9")
        kill(pid, SIGHUP)
        try Self.waitFor("group=239.77.0.9", in: log)
        try Self.waitFor("multicast discovery left", in: log)
        let after = try groups()
        #expect(after.contains("inet  239.77.0.9"), "\(after)")
        #expect(!after.contains("224.0.1.2"), "\(after)")

        let link = pair.clientLink
        try pair.ip(in: pair.client, ["addr", "add", "192.168.197.31/24", "dev", link])
        try pair.ip(in: pair.client, ["route", "add", "224.0.0.0/4", "dev", link])
        let answer = try pair.inside(pair.client) { () -> DHCPPacket? in
            let socket = try TestUDPSocket(port: 4011, device: link)
            defer { socket.close() }
            let item = DHCPOption(code: 43, data: [71, 4, 0, 14, 0, 0, 255])
            return try Self.exchange(socket, Self.pxePacket(.request, xid: 0xB7, ciaddr: IPv4Address(192, 168, 197, 31), extra: [item]),
                                     to: "239.77.0.9", port: 4011)?.0
        }
        #expect(try #require(answer, "no answer on the new group; log: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")").bootFile
                == "X86PC/UNDI/linux-boot/linux.0")
    }

    static func waitFor(_ text: String, in log: String) throws {
        for _ in 0..<200 {
            if (try? String(contentsOfFile: log, encoding: .utf8))?.contains(text) == true { return }
            usleep(50_000)
        }
        throw NamespacePair.Failure(description: "no \"\(text)\" in the log: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }
}
