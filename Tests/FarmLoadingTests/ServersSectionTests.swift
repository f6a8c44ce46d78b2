import Testing
import FarmModel
@testable import FarmLoading

/// `servers:` and `nfs-server:` in the farm file.
@Suite struct ServersSectionTests {
    static let farm = """
        farm: {name: lab, domain: lab.example, server: 10.0.0.2, subnet: 10.0.0.0/24}
        images:
          base: {root: root, kernel: vmlinuz}
        services:
          - {type: 20, name: boot, image: base}
        servers:
          - {name: boot1, address: 10.0.0.2, roles: [dhcp, tftp, http]}
          - {name: boot2, address: 10.0.0.3, roles: [dhcp, tftp, http]}
          - {name: nfs1, address: 10.0.0.4, roles: nfs}
          - {name: nfs2, address: 10.0.0.5, roles: [nfs]}
        nodes:
          - {name: a1, mac: "52:54:00:00:00:01", ip: 10.0.0.11, nfs-server: nfs2}
          - {range: "b[1-4]", ip: 10.0.0.20, mac: "52:54:00:00:01:01", nfs-server: nfs1}
          - {range: "c[1-40]", ip: 10.0.0.100, mac: "52:54:00:00:02:01"}

        """

    @Test func serversAndOverridesLoad() throws {
        let result = load(Self.farm)
        #expect(result.diagnostics.map(\.description) == [])
        let farm = try #require(result.farm)
        #expect(farm.servers.map(\.name) == ["boot1", "boot2", "nfs1", "nfs2"])
        #expect(farm.servers[0].roles == [.dhcp, .tftp, .http])
        #expect(farm.servers[2].roles == [.nfs])
        #expect(farm.servers[3].address.description == "10.0.0.5")
        #expect(farm.homeNFSServer(of: farm.nodes[0])?.name == "nfs2")
        #expect(farm.nodes[1...4].allSatisfy { farm.homeNFSServer(of: $0)?.name == "nfs1" })
        // Forty nodes without an override are spread over both NFS servers.
        let spread = Set(farm.nodes[5...].compactMap { farm.homeNFSServer(of: $0)?.name })
        #expect(spread == ["nfs1", "nfs2"])
        #expect(Set(farm.bootServers(of: farm.nodes[0]).map(\.name)) == ["boot1", "boot2"])
    }

    @Test func aFarmWithoutServersIsAsBefore() throws {
        let farm = try #require(load(minimalFarm).farm)
        #expect(farm.servers.isEmpty)
        #expect(farm.effectiveServers.map(\.address.description) == ["10.0.0.1"])
    }

    @Test func mistakesArePlacedAtTheirLineAndColumn() {
        let yaml = Self.farm
            .replacing("roles: [dhcp, tftp, http]}\n  - {name: boot2", with: "roles: [dhcp, tfpt, http]}\n  - {name: boot1")
            .replacing("address: 10.0.0.4", with: "address: 10.0.1.4")
            .replacing("address: 10.0.0.5, roles: [nfs]", with: "address: 10.0.0.3, roles: [nfs], ports: 1")
            .replacing("nfs-server: nfs2}", with: "nfs-server: boot1}")
        #expect(diagnostics(yaml) == [
            "farm.yaml:7:52: error: servers[0].roles[1]: unknown role \"tfpt\"; did you mean \"tftp\"?",
            "farm.yaml:8:12: error: servers[1].name: duplicate server name boot1; it is already defined at servers[0]",
            "farm.yaml:9:27: error: servers[2].address: address 10.0.1.4 is outside the subnet 10.0.0.0/24: the nodes reach their boot and NFS servers on their own segment",
            "farm.yaml:10:27: error: servers[3].address: address 10.0.0.3 is already used by server boot1",
            "farm.yaml:10:51: error: servers[3].ports: unknown key 'ports'; expected one of: name, address, roles",
            "farm.yaml:12:69: error: nodes[0].nfs-server: server boot1 does not have the nfs role; NFS servers are: nfs1, nfs2",
        ])
    }

    @Test func noNFSServerAndMissingRolesAreRefused() {
        let yaml = Self.farm
            .replacing("roles: nfs}", with: "roles: [dhcp]}")
            .replacing("roles: [nfs]}", with: "}")
            .replacing("nfs-server: nfs2", with: "service: boot")
            .replacing("nfs-server: nfs1", with: "service: boot")
        #expect(diagnostics(yaml) == [
            "farm.yaml:7:3: error: servers: no server has the nfs role, but nodes have NFS roots; add nfs to the roles of at least one server",
            "farm.yaml:10:5: error: servers[3].roles: missing required key 'roles' (some of dhcp, tftp, http, nfs)",
        ])
    }
}
