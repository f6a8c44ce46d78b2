import Foundation
import Testing
import TestSupport
import FarmLoading
import FarmModel
import NetbootWire
@testable import BootConfig

/// examples/multiserver/farm.yaml: the files each server gets, against
/// golden copies, what they say about each node, and the real readers.
@Suite struct MultiServerFilesTests {
    static let example = URL(fileURLWithPath: RepositoryTemplates.directory).deletingLastPathComponent()
        .appendingPathComponent("examples/multiserver").path

    static func farm() throws -> Farm {
        let text = try String(contentsOfFile: example + "/farm.yaml", encoding: .utf8)
        let result = FarmLoader().load(text: text, file: "examples/multiserver/farm.yaml", baseDirectory: example, checkFiles: false)
        return try #require(result.cleanFarm, "examples/multiserver/farm.yaml has errors: \(result.diagnostics)")
    }

    static func files() throws -> [String: String] {
        let rendered = try BootConfiguration.render(farm(), with: TemplateDirectory.load(RepositoryTemplates.directory))
        return Dictionary(uniqueKeysWithValues: rendered.map { ($0.path, $0.text) })
    }

    @Test func eachServerGetsItsOwnFiles() throws {
        let files = try Self.files()
        let perServer = files.keys.filter { $0.hasPrefix("etc/servers/") }.sorted()
        #expect(perServer == [
            "etc/servers/boot1/dhcpd.conf", "etc/servers/boot1/dnsmasq.conf",
            "etc/servers/boot1/kea-dhcp4-hot-standby.conf", "etc/servers/boot1/kea-dhcp4-load-balancing.conf", "etc/servers/boot1/kea-dhcp4.conf",
            "etc/servers/boot2/dhcpd.conf", "etc/servers/boot2/dnsmasq.conf",
            "etc/servers/boot2/kea-dhcp4-hot-standby.conf", "etc/servers/boot2/kea-dhcp4-load-balancing.conf", "etc/servers/boot2/kea-dhcp4.conf",
            "etc/servers/boot3/dhcpd.conf", "etc/servers/boot3/dnsmasq.conf", "etc/servers/boot3/kea-dhcp4.conf",
            "etc/servers/nfs1/exports", "etc/servers/nfs2/exports",
        ])
        for path in perServer + ["etc/dhcpd.conf", "etc/exports", "tftpboot/X86PC/UNDI/linux-boot/pxelinux.cfg/01-52-54-00-20-00-01"] {
            try GoldenFile.check(files[path]!, against: "multiserver/" + path)
        }
        for node in try Self.farm().nodes {
            try GoldenFile.check(files["tftpboot/X86PC/UNDI/linux-boot/pxelinux.cfg/" + node.mac.pxelinuxConfigName]!,
                             against: "multiserver/tftpboot/X86PC/UNDI/linux-boot/pxelinux.cfg/" + node.mac.pxelinuxConfigName)
        }
    }

    @Test func exportsHoldOnlyTheServersOwnNodes() throws {
        let farm = try Self.farm()
        let files = try Self.files()
        for server in farm.servers(with: .nfs) {
            let exports = files["etc/servers/\(server.name)/exports"]!
            for node in farm.nodes {
                let exported = exports.contains("/nfsroot/\(node.name) \(node.ip)(")
                #expect(exported == (farm.homeNFSServer(of: node) == server), "\(node.name) in \(server.name)'s exports")
            }
            #expect(exports.contains("/nfsroot/.shared/base 10.20.0.0/255.255.255.0("))
        }
        #expect(farm.homeNFSServer(of: farm.nodes[0])?.name == "nfs1")
        // Both NFS servers have nodes of their own.
        #expect(Set(farm.nodes.compactMap { farm.homeNFSServer(of: $0)?.name }) == ["nfs1", "nfs2"])
    }

    @Test func eachDHCPServerNamesItselfAndEachNodesOrderAndHome() throws {
        let farm = try Self.farm()
        let files = try Self.files()
        for server in farm.servers(with: .dhcp) {
            let dhcpd = files["etc/servers/\(server.name)/dhcpd.conf"]!
            let hosts = dhcpd.components(separatedBy: "\nhost ").dropFirst()
            #expect(hosts.count == farm.nodes.count)
            for node in farm.nodes {
                let block = try #require(hosts.first { $0.hasPrefix(node.name + " ") })
                #expect(block.contains("next-server \(server.address);"))
                let home = try #require(farm.homeNFSServer(of: node))
                #expect(block.contains("option root-path \"\(home.address):/nfsroot/\(node.name)\";"))
                let hex = try #require(block.split(separator: "\n").first { $0.contains("vendor-encapsulated-options") })
                let options = try PXEVendorOptionsFromHex.decode(String(hex.split(separator: " ").last!.dropLast()))
                let order = farm.bootServers(of: node).map(\.address)
                #expect(options.bootServers == [PXEBootServerList(type: 14, servers: order)])
            }
        }
        // The first choices spread: not every node starts with the same server.
        #expect(Set(farm.nodes.map { farm.bootServers(of: $0)[0].name }).count > 1)
    }

    @Test func theKernelLineMountsFromTheHomeServer() throws {
        let farm = try Self.farm()
        let files = try Self.files()
        for node in farm.nodes {
            let config = files["tftpboot/X86PC/UNDI/linux-boot/pxelinux.cfg/" + node.mac.pxelinuxConfigName]!
            #expect(config.contains("nfsroot=\(farm.nfsServerAddress(of: node)):/nfsroot/\(node.name) "))
        }
    }

    @Test(.needs(.dhcpd)) func dhcpdAcceptsEachServersConfig() throws {
        try Self.check("dhcpd.conf", with: .dhcpd)
    }

    @Test(.needs(.kea)) func keaAcceptsEachServersConfig() throws {
        try Self.check("kea-dhcp4.conf", with: .kea)
    }

    @Test(.needs(.dnsmasq)) func dnsmasqAcceptsEachServersConfig() throws {
        try Self.check("dnsmasq.conf", with: .dnsmasq)
    }

    @Test(.needs(.kea)) func keaAcceptsBothHAPairs() throws {
        for mode in KeaHAPair.Mode.allCases {
            try Self.check("kea-dhcp4-\(mode.rawValue).conf", with: .kea, servers: ["boot1", "boot2"])
        }
    }

    @Test func theHAPairNamesBothPeersAndEachItself() throws {
        let files = try Self.files()
        for (mode, second) in [("hot-standby", "standby"), ("load-balancing", "secondary")] {
            for server in ["boot1", "boot2"] {
                let text = files["etc/servers/\(server)/kea-dhcp4-\(mode).conf"]!
                #expect(text.contains("\"this-server-name\": \"\(server)\""))
                #expect(text.contains("\"mode\": \"\(mode)\""))
                #expect(text.contains("{ \"name\": \"boot1\", \"url\": \"http://10.20.0.2:8000/\", \"role\": \"primary\", \"auto-failover\": true },"))
                #expect(text.contains("{ \"name\": \"boot2\", \"url\": \"http://10.20.0.3:8000/\", \"role\": \"\(second)\", \"auto-failover\": true }"))
                #expect(text.contains("/libdhcp_lease_cmds.so") && text.contains("/libdhcp_ha.so"))
            }
        }
        #expect(!(try Self.files()["etc/servers/boot1/kea-dhcp4.conf"]!.contains("libdhcp_ha")))
    }

    static func check(_ name: String, with tool: PeerTool, servers: [String] = ["boot1", "boot2", "boot3"]) throws {
        let scratch = try ScratchDirectory()
        let rendered = try BootConfiguration.render(farm(), with: TemplateDirectory.load(RepositoryTemplates.directory))
        try ConfigWriter.write(rendered, into: scratch.path)
        for server in servers {
            let result = try tool.check(scratch.path + "/etc/servers/\(server)/\(name)")
            #expect(result.status == 0, "\(tool.name) refused \(server)'s \(name):\n\(result.output)")
        }
    }
}

/// A node's iPXE script lists its HTTP servers in its own order, the one
/// that answers first, so a node whose server dies mid-way loads from the next.
@Suite struct MultiServerIPXEScriptTests {
    @Test func theScriptFallsBackThroughTheNodesServers() throws {
        let farm = try MultiServerFilesTests.farm()
        let templates = try TemplateDirectory.load(RepositoryTemplates.directory)
        let node = farm.nodes[0]
        let order = farm.bootServers(of: node).map(\.address.description)
        #expect(order.count == 3)
        let script = try #require(try IPXEScriptRenderer.script(for: node, in: farm, base: "http://\(order[1]):8067", with: templates))
        try GoldenFile.check(script, against: "multiserver/http/boot/" + IPXEScriptRenderer.path(of: node.mac).dropFirst("boot/".count))
        let kernels = script.split(separator: "\n").filter { $0.hasPrefix("kernel ") }.map { String($0.split(separator: " ")[1]) }
        #expect(kernels == [order[1], order[0], order[2]].map { "http://\($0):8067/X86PC/UNDI/linux-boot/linux.1" })
        #expect(script.contains("boot || goto server2") && script.contains("boot || goto server3"))
        #expect(script.components(separatedBy: "imgfree").count == 3)
    }

    @Test func portEightyHasNoPortOnAnyServer() throws {
        let farm = try MultiServerFilesTests.farm()
        let node = farm.nodes[0]
        let bases = IPXEScriptRenderer.fallbackBases(for: node, in: farm, base: "http://10.20.0.3")
        #expect(bases.count == 3)
        #expect(bases.allSatisfy { !$0.dropFirst("http://".count).contains(":") })
        #expect(bases.first == "http://10.20.0.3")
    }
}
