import BootConfig
import FarmModel
import Foundation
import Logging
import NetbootWire
import NIOConcurrencyHelpers
import Rollout
import Testing
import TestSupport
@testable import FarmServer

/// The daemon's side of rollouts and one-shot boots, without sockets: the
/// state a command writes reaches the DHCP context and the TFTP overlay;
/// installers get their kickstart file only from their own address and
/// flip to local boot only with their token; a fetched kernel uses up
/// one-shot arguments. The clock moves only when the test says so.
@Suite struct BootStateControllerTests {
    static let key = String(repeating: "k", count: 40)

    final class Harness: Sendable {
        let folder: String
        let store: BootStateStore
        let box: DHCPContextBox
        let overlay = TFTPOverlay()
        let controller: BootStateController
        let clock = NIOLockedValueBox(1000.0)
        let reloads = NIOLockedValueBox(0)
        let farm: Farm

        init(secrets: FarmSecrets? = FarmSecrets(rootPasswordHash: "$6$salt$hash", callbackKey: BootStateControllerTests.key),
             tftpRoot: String? = nil) throws {
            folder = NSTemporaryDirectory() + "pxefarm-controller-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data("install {{node.name}} at {{node.ip}} via {{node.service}}\n%post\ncurl {{callback.url}}\n".utf8)
                .write(to: URL(fileURLWithPath: folder + "/ks.cfg.mustache"))
            var farm = DHCPTestFarm.farm()
            farm.services[0].kickstart = folder + "/ks.cfg.mustache"
            farm.services[0].root = .ram
            self.farm = farm
            store = BootStateStore(directory: folder + "/state")
            let makeContext: @Sendable (Farm) -> DHCPContext = { farm in
                let catalog = tftpRoot.map { BootFileCatalog.scan(tftpRoot: $0, services: farm.services) }
                return DHCPTestFarm.context(farm, files: catalog?.files ?? [])
            }
            box = DHCPContextBox(makeContext(farm))
            let templates = try TemplateDirectory.load(GoldenFile.repository() + "/templates")
            let sources = BootFileSources(templates: templates, kickstarts: try KickstartTemplates.load(farm, allServices: true), secrets: secrets,
                                          secretsProblem: secrets == nil ? "farm.secrets is not set" : nil)
            let clock = self.clock, reloads = self.reloads
            controller = BootStateController(store: store, farm: farm, sources: sources, dhcp: box, makeContext: makeContext,
                                             overlay: overlay, stages: nil, logger: Logger(label: "test"), clock: { clock.withLockedValue { $0 } },
                                             tftpRoot: tftpRoot,
                                             reloadFarm: { [farm] in
                                                 reloads.withLockedValue { $0 += 1 }
                                                 return (farm, sources)
                                             })
        }

        deinit { try? FileManager.default.removeItem(atPath: folder) }

        func served(_ node: String) -> String? { box.current.farm.node(named: node)?.service }

        func overlaidGRUB(_ node: MACAddress) -> String? {
            overlay.contents(of: GRUBRenderer.nodeFile(of: node), netascii: false).map { String(buffer: $0) }
        }

        func overlaid(_ node: MACAddress, service: String) -> String? {
            overlay.contents(of: "X86PC/UNDI/\(service)/pxelinux.cfg/\(node.pxelinuxConfigName)", netascii: false)
                .map { String(buffer: $0) }
        }
    }

    @Test func aRolloutWrittenByTheCommandReachesDHCPAndTFTP() throws {
        let harness = try Harness()
        harness.controller.tick()
        #expect(harness.served("n011") == "linux-boot")
        #expect(harness.overlay.names.isEmpty)
        let rollout = try RolloutRequest(service: "linux-install", nodes: "n011", waveSize: 1).rollout(for: harness.farm, now: 1000)
        try harness.store.update { _ = try $0.start(rollout, now: 1000) }
        harness.controller.tick()
        #expect(harness.served("n011") == "linux-install")
        let file = try #require(harness.overlaid(DHCPTestFarm.n011, service: "linux-install"))
        #expect(file.contains("APPEND ip=dhcp inst.ks=http://192.168.197.11:8067/ks/n011.cfg\n"))
        // A UEFI node reads its GRUB file, which serve renders for the same boot.
        let grub = try #require(harness.overlaidGRUB(DHCPTestFarm.n011))
        #expect(grub.contains("linux /EFI/X64/linux-install/linux.1 ip=dhcp inst.ks=http://192.168.197.11:8067/ks/n011.cfg\n"))
        #expect(Set(harness.overlay.names) == ["X86PC/UNDI/linux-install/pxelinux.cfg/01-00-d0-b7-1b-12-ed", "grub/grub.cfg-01-00-d0-b7-1b-12-ed"])
    }

    /// A build publishing a new generation moves the served tree: the next
    /// tick reads the farm again and looks up the boot programs the new tree
    /// has; a tick with the tree where it was does neither.
    @Test func aNewGenerationIsPickedUpAtTheNextTick() throws {
        let out = NSTemporaryDirectory() + "pxefarm-generations-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let fm = FileManager.default
        try fm.createDirectory(atPath: out + "/generations/1/tftpboot", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: out + "/generations/2/tftpboot/EFI/X64/linux-boot", withIntermediateDirectories: true)
        try Data("efi".utf8).write(to: URL(fileURLWithPath: out + "/generations/2/tftpboot/EFI/X64/linux-boot/linux.0"))
        try fm.createSymbolicLink(atPath: out + "/current", withDestinationPath: "generations/1")
        try fm.createSymbolicLink(atPath: out + "/tftpboot", withDestinationPath: "current/tftpboot")
        let harness = try Harness(tftpRoot: out + "/tftpboot")
        harness.controller.tick()
        harness.controller.tick()
        #expect(harness.reloads.withLockedValue { $0 } == 0)
        #expect(harness.box.current.bootFiles.files.isEmpty)

        try fm.createSymbolicLink(atPath: out + "/current.2", withDestinationPath: "generations/2")
        #expect(rename(out + "/current.2", out + "/current") == 0)
        harness.controller.tick()
        #expect(harness.reloads.withLockedValue { $0 } == 1)
        #expect(harness.box.current.bootFiles.files == ["EFI/X64/linux-boot/linux.0"])
        harness.controller.tick()
        #expect(harness.reloads.withLockedValue { $0 } == 1)
    }

    /// The iPXE script follows the boot state as the pxelinux overlay does:
    /// the node's service now, with the rollout's kickstart argument.
    @Test func theBootScriptFollowsTheRollout() throws {
        let harness = try Harness()
        let address = IPv4Address(192, 168, 197, 31)
        let before = harness.controller.bootScript(mac: DHCPTestFarm.n011, base: "http://192.168.197.11:8067", from: address)
        #expect(before.status == 200)
        #expect(String(buffer: before.body).contains("kernel http://192.168.197.11:8067/X86PC/UNDI/linux-boot/linux.1 initrd=linux.2 root=/dev/nfs"))
        let rollout = try RolloutRequest(service: "linux-install", nodes: "n011", waveSize: 1).rollout(for: harness.farm, now: 1000)
        try harness.store.update { _ = try $0.start(rollout, now: 1000) }
        let during = String(buffer: harness.controller.bootScript(mac: DHCPTestFarm.n011, base: "http://192.168.197.11:8067", from: address).body)
        #expect(during.contains("kernel http://192.168.197.11:8067/X86PC/UNDI/linux-install/linux.1 initrd=linux.2 ip=dhcp inst.ks=http://192.168.197.11:8067/ks/n011.cfg"))
        #expect(during.contains("initrd http://192.168.197.11:8067/X86PC/UNDI/linux-install/linux.2\nboot\n"))
        let stranger = harness.controller.bootScript(mac: MACAddress("52:54:00:00:00:99")!, base: "http://x", from: address)
        #expect(stranger.status == 404)
    }

    @Test func kickstartOnlyToTheNodesOwnAddressAndOnlyWhileInstalling() throws {
        let harness = try Harness()
        let n011 = IPv4Address(192, 168, 197, 31)
        #expect(harness.controller.kickstart(node: "n011", from: n011).status == 404, "n011 boots linux-boot: nothing to install")
        let rollout = try RolloutRequest(service: "linux-install", nodes: "n011", waveSize: 1).rollout(for: harness.farm, now: 1000)
        try harness.store.update { _ = try $0.start(rollout, now: 1000) }
        let stranger = harness.controller.kickstart(node: "n011", from: IPv4Address(192, 168, 197, 32))
        #expect(stranger.status == 403)
        #expect(String(buffer: stranger.body) == "only n011 (192.168.197.31) may fetch its kickstart file\n")
        let answer = harness.controller.kickstart(node: "n011", from: n011)
        #expect(answer.status == 200)
        let token = CallbackToken.token(for: "n011", key: Self.key)
        #expect(String(buffer: answer.body) == "install n011 at 192.168.197.31 via linux-install\n%post\ncurl http://192.168.197.11:8067/done/n011?token=\(token)\n")
        #expect(harness.controller.kickstart(node: "n999", from: n011).status == 404)
    }

    @Test func onlyTheRightTokenFlipsANodeToLocalBoot() throws {
        let harness = try Harness()
        let rollout = try RolloutRequest(service: "linux-install", nodes: "n011,n014", waveSize: 1).rollout(for: harness.farm, now: 1000)
        try harness.store.update { _ = try $0.start(rollout, now: 1000) }
        let from = IPv4Address(192, 168, 197, 31)
        let forged = CallbackToken.token(for: "n014", key: Self.key)
        #expect(harness.controller.done(node: "n011", token: forged, from: from).status == 403, "another node's token")
        #expect(harness.controller.done(node: "n011", token: String(repeating: "0", count: 64), from: from).status == 403)
        #expect(harness.served("n011") == "linux-install")
        let early = harness.controller.done(node: "n014", token: forged, from: from)
        #expect(early.status == 409, "n014's wave has not started: \(String(buffer: early.body))")
        let answer = harness.controller.done(node: "n011", token: CallbackToken.token(for: "n011", key: Self.key), from: from)
        #expect(answer.status == 200)
        #expect(harness.served("n011") == "local")
        #expect(harness.served("n014") == "linux-install", "the next wave started")
        #expect(try harness.store.read().installed.keys.sorted() == ["n011"])
        #expect(harness.overlaid(DHCPTestFarm.n011, service: "linux-install") == nil)
    }

    @Test func withoutSecretsInstallersAreToldWhy() throws {
        let harness = try Harness(secrets: nil)
        let answer = harness.controller.done(node: "n012", token: String(repeating: "a", count: 64), from: IPv4Address(192, 168, 197, 32))
        #expect(answer.status == 503)
        #expect(String(buffer: answer.body) == "callbacks need the farm's secrets: farm.secrets is not set\n")
    }

    @Test func timeoutsAreAppliedByTheTick() throws {
        let harness = try Harness()
        let rollout = try RolloutRequest(service: "linux-install", nodes: "n011,n014", waveSize: 1, timeout: "10m").rollout(for: harness.farm, now: 1000)
        try harness.store.update { _ = try $0.start(rollout, now: 1000) }
        harness.controller.tick()
        harness.clock.withLockedValue { $0 = 1000 + 600 }
        harness.controller.tick()
        #expect(try harness.store.read().rollout?.node(named: "n011")?.stage == .timedOut)
        #expect(harness.served("n011") == "linux-boot")
        #expect(harness.served("n014") == "linux-install")
    }

    /// The tick that starts a wave marks its nodes power-cycled in the state
    /// file and then runs the command (after the controller's lock); a later
    /// tick, or a restarted daemon reading that file, does not run it again.
    @Test func aStartedWaveIsPowerCycledOnce() async throws {
        let harness = try Harness()
        let marker = harness.folder + "/cycled"
        let rollout = try RolloutRequest(service: "linux-install", nodes: "n011", waveSize: 1,
                                         powerCycle: "echo {node} {ip} >> '\(marker)'").rollout(for: harness.farm, now: 1000)
        try harness.store.update { _ = try $0.start(rollout, now: 1000) }
        harness.controller.tick()
        #expect(try harness.store.read().rollout?.node(named: "n011")?.powerCycled == 1000)
        var waited = 0
        while (try? String(contentsOfFile: marker, encoding: .utf8)) == nil, waited < 500 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(try String(contentsOfFile: marker, encoding: .utf8) == "n011 192.168.197.31\n")
        harness.clock.withLockedValue { $0 = 1005 }
        harness.controller.tick()
        #expect(try harness.store.read().rollout?.node(named: "n011")?.powerCycled == 1000, "not asked for again")
        #expect(harness.served("n011") == "linux-install")
    }

    @Test func oneShotArgumentsLastUntilTheKernelIsFetched() async throws {
        let harness = try Harness()
        try harness.store.update { $0.bootOnce(node: "n011", arguments: "single", now: 1000) }
        harness.controller.tick()
        let file = try #require(harness.overlaid(DHCPTestFarm.n011, service: "linux-boot"))
        #expect(file.contains(" single\n"))
        // linux.0 and an unfinished kernel do not count; the whole kernel does.
        harness.controller.consumeOneShot(after: TFTPFetchReport(client: "192.168.197.31", file: "X86PC/UNDI/linux-boot/linux.0", bytes: 10, completed: true, outcome: "completed"))
        harness.controller.consumeOneShot(after: TFTPFetchReport(client: "192.168.197.31", file: "X86PC/UNDI/linux-boot/linux.1", bytes: 10, completed: false, outcome: "timed out"))
        harness.controller.consumeOneShot(after: TFTPFetchReport(client: "192.168.197.32", file: "/X86PC/UNDI/linux-boot/linux.1", bytes: 10, completed: true, outcome: "completed"))
        // Those ran to their end on this thread, so the one-shot is there because they left it.
        #expect(try harness.store.read().oneShots["n011"] != nil)
        harness.controller.transferEnded(TFTPFetchReport(client: "192.168.197.31", file: "/X86PC/UNDI/linux-boot/linux.1", bytes: 10, completed: true, outcome: "completed"))
        var waited = 0
        // The store is written before the overlay is replaced: wait for both.
        while try harness.store.read().oneShots["n011"] != nil || !harness.overlay.names.isEmpty, waited < 500 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(try harness.store.read().oneShots.isEmpty)
        #expect(harness.overlay.names.isEmpty)
    }

    /// GRUB fetches the kernel from the UEFI folder: that uses up the arguments too.
    @Test func aUEFINodesOneShotIsInItsGRUBFileUntilGRUBFetchesTheKernel() async throws {
        let harness = try Harness()
        try harness.store.update { $0.bootOnce(node: "n011", arguments: "pxefarm.once=7", now: 1000) }
        harness.controller.tick()
        let grub = try #require(harness.overlaidGRUB(DHCPTestFarm.n011))
        #expect(grub.contains("linux /EFI/X64/linux-boot/linux.1 root=/dev/nfs nfsroot=192.168.197.11:/nfsroot/n011 ip=dhcp rw pxefarm.once=7\n"))
        harness.controller.consumeOneShot(after: TFTPFetchReport(client: "192.168.197.31", file: "/EFI/X64/linux-boot/linux.0", bytes: 10, completed: true, outcome: "completed"))
        // Those ran to their end on this thread, so the one-shot is there because they left it.
        #expect(try harness.store.read().oneShots["n011"] != nil)
        harness.controller.transferEnded(TFTPFetchReport(client: "192.168.197.31", file: "/EFI/X64/linux-boot/linux.1", bytes: 10, completed: true, outcome: "completed"))
        var waited = 0
        while try harness.store.read().oneShots["n011"] != nil || !harness.overlay.names.isEmpty, waited < 500 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(try harness.store.read().oneShots.isEmpty)
        #expect(harness.overlay.names.isEmpty)
    }

    /// Over UEFI HTTP Boot the GRUB file and the kernel come from the HTTP
    /// listener, which reports the kernel's whole GET as a fetch: the GRUB file
    /// it serves from the overlay has the one-shot argument, and the kernel of
    /// the EFI folder uses it up as the BIOS one does.
    @Test func aKernelFetchedOverHTTPUsesUpTheOneShot() async throws {
        let harness = try Harness()
        try harness.store.update { $0.bootOnce(node: "n011", arguments: "pxefarm.once=8", now: 1000) }
        harness.controller.tick()
        let grub = try #require(harness.overlay.contents(of: GRUBRenderer.nodeFile(of: DHCPTestFarm.n011), netascii: false))
        #expect(String(buffer: grub).contains(" pxefarm.once=8\n"))
        harness.controller.consumeOneShot(after: TFTPFetchReport(client: "192.168.197.31", file: "EFI/X64/linux-boot/linux.1", bytes: 6, completed: false,
                                                                 outcome: "failed over HTTP"))
        // Those ran to their end on this thread, so the one-shot is there because they left it.
        #expect(try harness.store.read().oneShots["n011"] != nil)
        harness.controller.transferEnded(TFTPFetchReport(client: "192.168.197.31", file: "EFI/X64/linux-boot/linux.1", bytes: 6, completed: true,
                                                         outcome: "completed over HTTP"))
        var waited = 0
        while try harness.store.read().oneShots["n011"] != nil || !harness.overlay.names.isEmpty, waited < 500 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(try harness.store.read().oneShots.isEmpty)
    }
}
