import Testing
import NetbootWire
@testable import FarmModel

/// Rendezvous hashing and what it gives each node: a home NFS server that
/// barely moves when servers come and go, and boot servers in an order of
/// the node's own.
@Suite struct ServerAssignmentTests {
    static let nodeNames = (0..<2000).map { "n\($0)" }

    static func homes(_ servers: [String]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: nodeNames.map { ($0, Rendezvous.pick(key: $0, servers: servers)!) })
    }

    @Test func addingAServerMovesOnlyTheNodesItWins() {
        let before = Self.homes(["nfs1", "nfs2", "nfs3"])
        let after = Self.homes(["nfs1", "nfs2", "nfs3", "nfs4"])
        let moved = Self.nodeNames.filter { before[$0] != after[$0] }
        // Every node that moved went to the new server; none moved between old ones.
        #expect(moved.allSatisfy { after[$0] == "nfs4" })
        // About a quarter of 2000 moved: far from none and far from most.
        #expect((350...650).contains(moved.count), "\(moved.count) of 2000 moved")
    }

    @Test func removingAServerMovesOnlyItsOwnNodes() {
        let before = Self.homes(["nfs1", "nfs2", "nfs3"])
        let after = Self.homes(["nfs1", "nfs3"])
        for name in Self.nodeNames where before[name] != "nfs2" {
            #expect(after[name] == before[name])
        }
    }

    @Test func theOrderOfTheListDoesNotMatter() {
        #expect(Self.homes(["a", "b", "c"]) == Self.homes(["c", "a", "b"]))
        #expect(Rendezvous.rank(key: "n7", servers: ["a", "b", "c"]) == Rendezvous.rank(key: "n7", servers: ["b", "c", "a"]))
    }

    @Test func weightsAreFixedAcrossRunsAndMachines() {
        // Pinned values: a change of hash would move every node of every farm.
        #expect(String(Rendezvous.weight(key: "n001", server: "nfs1"), radix: 16) == "67162c4c40062348")
        #expect(String(Rendezvous.weight(key: "n001", server: "nfs2"), radix: 16) == "e6be18c0f896d43e")
        // The separator keeps ("ab", "c") and ("a", "bc") apart.
        #expect(Rendezvous.weight(key: "ab", server: "c") != Rendezvous.weight(key: "a", server: "bc"))
    }

    @Test func firstChoicesSpreadOverTheBootServers() {
        var first: [String: Int] = [:]
        for name in Self.nodeNames { first[Rendezvous.rank(key: name, servers: ["b1", "b2", "b3"])[0], default: 0] += 1 }
        #expect(first.count == 3)
        #expect(first.values.allSatisfy { (500...833).contains($0) }, "\(first)")
    }

    static func multiServerFarm() -> Farm {
        var farm = SampleFarm.farm()
        farm.servers = [
            Server(name: "boot1", address: SampleFarm.ip("192.168.197.2"), roles: [.dhcp, .tftp, .http], origin: FieldPath("servers")[0]),
            Server(name: "boot2", address: SampleFarm.ip("192.168.197.3"), roles: [.dhcp, .tftp, .http], origin: FieldPath("servers")[1]),
            Server(name: "nfs1", address: SampleFarm.ip("192.168.197.4"), roles: [.nfs], origin: FieldPath("servers")[2]),
            Server(name: "nfs2", address: SampleFarm.ip("192.168.197.5"), roles: [.nfs, .tftp], origin: FieldPath("servers")[3]),
        ]
        return farm
    }

    @Test func aNodeGetsAHomeNFSServerAndItsBootServersInItsOwnOrder() throws {
        var farm = Self.multiServerFarm()
        let node = farm.nodes[0]
        let home = try #require(farm.homeNFSServer(of: node))
        #expect(home.name == Rendezvous.pick(key: node.name, servers: ["nfs1", "nfs2"]))
        #expect(farm.nfsServerAddress(of: node) == home.address)
        let boot = farm.bootServers(of: node).map(\.name)
        #expect(boot == Rendezvous.rank(key: node.name, servers: ["boot1", "boot2", "nfs2"]))
        let other = home.name == "nfs1" ? "nfs2" : "nfs1"
        farm.nodes[0].nfsServer = other
        #expect(farm.homeNFSServer(of: farm.nodes[0])?.name == other)
    }

    @Test func withoutServersFarmServerDoesEverything() {
        let farm = SampleFarm.farm()
        #expect(farm.effectiveServers == [Server(name: "server", address: farm.settings.server, roles: Set(ServerRole.allCases))])
        #expect(farm.homeNFSServer(of: farm.nodes[0])?.address == farm.settings.server)
        #expect(farm.bootServers(of: farm.nodes[0]).map(\.name) == ["server"])
    }

    @Test func aCleanMultiServerFarmValidates() {
        #expect(SampleFarm.diagnostics(Self.multiServerFarm()) == [])
    }

    @Test func serverMistakesAreEachNamed() {
        var farm = Self.multiServerFarm()
        farm.servers[1].name = "boot1"
        farm.servers[2].address = farm.servers[0].address
        farm.servers[3].address = SampleFarm.ip("10.1.1.1")
        farm.nodes[0].nfsServer = "boot1"
        farm.nodes[1].nfsServer = "nfs3"
        farm.nodes[1].ip = SampleFarm.ip("192.168.197.2")
        #expect(SampleFarm.diagnostics(farm) == [
            "error: servers[1].name: duplicate server name boot1; it is already defined at servers[0]",
            "error: servers[2].address: address 192.168.197.2 is already used by server boot1",
            "error: servers[3].address: address 10.1.1.1 is outside the subnet 192.168.197.0/24: the nodes reach their boot and NFS servers on their own segment",
            "error: nodes[0].nfs-server: server boot1 does not have the nfs role; NFS servers are: nfs1, nfs2",
            "error: nodes[1].nfs-server: unknown server \"nfs3\"; did you mean \"nfs1\"?",
            "error: nodes[1].ip: address 192.168.197.2 is the address of server boot1 (servers[0])",
        ])
    }

    @Test func aFarmWithoutAnNFSServerOrABootServerIsRefused() {
        var farm = Self.multiServerFarm()
        farm.servers = farm.servers.map { server in
            var changed = server
            changed.roles = [.dhcp]
            return changed
        }
        #expect(SampleFarm.diagnostics(farm) == [
            "error: servers: no server has the nfs role, but nodes have NFS roots; add nfs to the roles of at least one server",
            "error: servers: no server has the tftp role, so no node has a boot server; add tftp to the roles of at least one server",
        ])
    }
}
