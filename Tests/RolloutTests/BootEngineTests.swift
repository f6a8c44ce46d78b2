import FarmModel
import NetbootWire
import Testing
@testable import Rollout

/// The boot engine without I/O: event sequences in, effects out. `Daemon`
/// plays the adapter's part with a state "file" in memory: a `.persist` is
/// run on the file and handed back as `.changed`, as BootStateController
/// does with the store.
@Suite struct BootEngineTests {
    static let farm = RolloutFarm.farm(nodes: 4)

    struct Daemon {
        var engine = BootEngine(farm: BootEngineTests.farm)
        var file = BootState()
        var generation = 0

        /// Feeds `event` and every change it persists; returns all effects, each as a line.
        mutating func feed(_ event: BootEngine.Event) -> [String] {
            var lines: [String] = []
            for effect in engine.handle(event) {
                lines.append(BootEngineTests.line(effect))
                if case .persist(let change) = effect { lines += persist(change) }
            }
            return lines
        }

        /// Runs `change` on the file and feeds back what it did.
        mutating func persist(_ change: BootChange) -> [String] {
            do {
                let outcome = try change.apply(to: &file)
                generation += 1
                return feed(.changed(change, outcome, state: file, generation: generation))
            } catch {
                return feed(.changeFailed(change, reason: "\(error)", refused: true))
            }
        }

        /// A command writes the file; the daemon reads it.
        mutating func command(_ change: (inout BootState) throws -> Void) rethrows -> [String] {
            try change(&file)
            return feed(.read(file))
        }
    }

    static func line(_ effect: BootEffect) -> String {
        switch effect {
        case .persist(let change): "persist \(change)"
        case .serve(let farm, let overridden):
            "serve " + farm.nodes.map { "\($0.name)=\($0.service)\($0.kernelArguments.isEmpty ? "" : "[\($0.kernelArguments)]")" }.joined(separator: " ")
                + " overlay " + overridden.sorted().joined(separator: ",")
        case .powerCycle(let node, let command): "power-cycle \(node): \(command)"
        case .log(let line):
            "\(line.level) \(line.message) " + line.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
    }

    static func rollout(nodes: String = "n[040-043]", wave: Int = 2, timeout: String = "10m", powerCycle: String? = nil) throws -> Rollout {
        try RolloutRequest(service: "linux-install", nodes: nodes, waveSize: wave, timeout: timeout, powerCycle: powerCycle).rollout(for: farm, now: 1000)
    }

    static let plain = "serve n040=linux-boot[quiet] n041=linux-boot n042=linux-boot n043=linux-boot overlay "

    @Test func theFirstReadServesAndTheSameStateAgainChangesNothing() {
        var daemon = Daemon()
        #expect(daemon.feed(.read(BootState())) == [Self.plain, "info boot state applied differing-nodes=0 rollout=none"])
        #expect(daemon.feed(.read(BootState())) == [])
        #expect(daemon.feed(.tick(now: 2000)) == [], "no rollout: nothing to advance")
    }

    @Test func aRolloutGoesWaveByWaveThroughTicksAndCallbacks() throws {
        var daemon = Daemon()
        _ = daemon.feed(.read(BootState()))
        let rollout = try Self.rollout()
        #expect(try daemon.command { _ = try $0.start(rollout, now: 1000) } == [
            "serve n040=linux-install[quiet] n041=linux-install n042=linux-boot n043=linux-boot overlay n040,n041",
            "info boot state applied differing-nodes=2 rollout=linux-install running",
        ])
        #expect(daemon.feed(.tick(now: 1599)) == [], "within the timeout")
        let done = daemon.engine.done(node: Self.farm.nodes[0], now: 1100, from: "192.168.197.40")
        #expect(daemon.persist(done) == [
            "notice rollout event=n040 reported done; it boots locally from now on from=192.168.197.40",
            "serve n040=local[quiet] n041=linux-install n042=linux-boot n043=linux-boot overlay n040,n041",
            "info boot state applied differing-nodes=2 rollout=linux-install running",
        ])
        #expect(daemon.feed(.tick(now: 1700)) == [
            "persist advance(now: 1700.0)",
            "notice rollout event=n041 timed out without reporting done; it is back on its farm service",
            "notice rollout event=wave 2 started: 2 nodes boot the install service (n042 n043)",
            "serve n040=local[quiet] n041=linux-boot n042=linux-install n043=linux-install overlay n040,n042,n043",
            "info boot state applied differing-nodes=3 rollout=linux-install running",
        ])
        #expect(daemon.feed(.tick(now: 1701)) == [], "the file's state was taken: nothing left to advance")
    }

    @Test func eachStartedNodeIsPowerCycledOnceWithItsValuesQuoted() throws {
        var daemon = Daemon()
        _ = daemon.feed(.read(BootState()))
        // A rollout started by the command: its first wave installs, not yet power-cycled.
        _ = try daemon.command { _ = try $0.start(try Self.rollout(powerCycle: "ipmitool -H {node}-bmc power cycle # {ip}"), now: 1000) }
        #expect(daemon.feed(.tick(now: 1001)) == [
            "persist advance(now: 1001.0)",
            "power-cycle n040: ipmitool -H 'n040'-bmc power cycle # '192.168.197.40'",
            "power-cycle n041: ipmitool -H 'n041'-bmc power cycle # '192.168.197.41'",
        ])
        #expect(daemon.file.rollout?.nodes.prefix(2).map(\.powerCycled) == [1001, 1001])
        #expect(daemon.feed(.tick(now: 1002)) == [])
    }

    /// A write that comes back after a later one was taken is not taken
    /// (the served farm never goes backwards); one whose file has moved on
    /// (`state: nil`) is logged, and its power cycles run, but not served.
    @Test func anOlderOrSupersededWriteIsNotServed() throws {
        var engine = BootEngine(farm: Self.farm)
        _ = engine.handle(.read(BootState()))
        var older = BootState(), newer = BootState()
        older.bootOnce(node: "n041", arguments: "single", now: 1000)
        newer.bootOnce(node: "n042", arguments: "debug", now: 1001)
        let change = BootChange.kernelFetched(node: "n043")
        #expect(engine.handle(.changed(change, BootChange.Outcome(), state: newer, generation: 2)).map(Self.line) == [
            "serve n040=linux-boot[quiet] n041=linux-boot n042=linux-boot[debug] n043=linux-boot overlay n042",
            "info boot state applied differing-nodes=1 rollout=none",
        ])
        #expect(engine.handle(.changed(change, BootChange.Outcome(), state: older, generation: 1)).isEmpty)
        #expect(engine.boot == newer)
        let cycled = BootChange.Outcome(powerCycle: ["n040", "n999"], powerCycleCommand: "reboot {node}")
        #expect(engine.handle(.changed(.advance(now: 1002), cycled, state: nil, generation: 3)).map(Self.line) == ["power-cycle n040: reboot 'n040'"],
                "a node the farm no longer has is not power-cycled")
        #expect(engine.boot == newer)
        #expect(engine.generation == 2)
    }

    @Test func onlyTheWholeKernelOfTheServedServiceUsesUpAOneShot() throws {
        var daemon = Daemon()
        _ = daemon.command { $0.bootOnce(node: "n041", arguments: "single", now: 1000) }
        let n041 = IPv4Address(192, 168, 197, 41)
        let table: [(IPv4Address, String, [String])] = [
            (n041, "X86PC/UNDI/linux-boot/linux.0", []),
            (n041, "X86PC/UNDI/linux-install/linux.1", []),
            (IPv4Address(192, 168, 197, 42), "X86PC/UNDI/linux-boot/linux.1", []),
            (IPv4Address(10, 0, 0, 41), "X86PC/UNDI/linux-boot/linux.1", []),
            (n041, "/EFI/X64/linux-boot/linux.1", [
                "persist kernelFetched(node: \"n041\")",
                "notice one-shot boot used arguments=single node=n041",
                Self.plain,
                "info boot state applied differing-nodes=0 rollout=none",
            ]),
            (n041, "/X86PC/UNDI/linux-boot/linux.1", []),
        ]
        for (client, file, effects) in table {
            #expect(daemon.feed(.fetched(client: client, file: file)) == effects, "\(client) \(file)")
        }
        #expect(daemon.file.oneShots.isEmpty)
    }

    @Test func anUnreadableFileIsLoggedOnceAndTheLastStateStaysServed() {
        var daemon = Daemon()
        #expect(daemon.feed(.unreadable(reason: "bad json")) == [
            "error boot state unreadable; serving the last one read reason=bad json",
            Self.plain, "info boot state applied differing-nodes=0 rollout=none",
        ])
        #expect(daemon.feed(.unreadable(reason: "bad json")) == [])
        #expect(daemon.feed(.unreadable(reason: "gone")) == ["error boot state unreadable; serving the last one read reason=gone"])
        #expect(daemon.feed(.read(BootState())) == [])
        #expect(daemon.engine.readProblem == nil)
        #expect(daemon.feed(.unreadable(reason: "gone")) == ["error boot state unreadable; serving the last one read reason=gone"], "logged again after a good read")
    }

    @Test func aReloadServesAgainWhetherTheFarmLoadedOrNot() {
        var daemon = Daemon()
        _ = daemon.feed(.read(BootState()))
        #expect(daemon.feed(.farmKept) == [Self.plain, "info boot state applied differing-nodes=0 rollout=none"])
        var smaller = Self.farm
        smaller.nodes.removeLast(2)
        #expect(daemon.feed(.farmLoaded(smaller)) == [
            "serve n040=linux-boot[quiet] n041=linux-boot overlay ", "info boot state applied differing-nodes=0 rollout=none",
        ])
        #expect(daemon.engine.farm == smaller)
    }

    @Test func aCallbackOutsideARolloutCountsOnlyOnAnInstallService() throws {
        var farm = Self.farm
        farm.nodes[2].service = "linux-install"
        var daemon = Daemon(engine: BootEngine(farm: farm))
        _ = daemon.feed(.read(BootState()))
        #expect(daemon.engine.done(node: farm.nodes[2], now: 5, from: "a") == .reportDone(node: "n042", now: 5, outsideRollout: true, from: "a"))
        let refused = daemon.engine.done(node: farm.nodes[1], now: 5, from: "192.168.197.41")
        #expect(throws: RolloutError.notInRollout(node: "n041")) {
            var file = BootState()
            _ = try refused.apply(to: &file)
        }
        #expect(daemon.feed(.changeFailed(refused, reason: "n041 is not being installed", refused: true)) == [
            "warning install callback refused from=192.168.197.41 node=n041 reason=n041 is not being installed",
        ])
        #expect(daemon.feed(.changeFailed(refused, reason: "disk full", refused: false)) == ["error install callback not recorded node=n041 reason=disk full"])
        #expect(daemon.feed(.changeFailed(.advance(now: 1), reason: "disk full", refused: false)) == ["error boot state not advanced reason=disk full"])
        #expect(daemon.feed(.changeFailed(.kernelFetched(node: "n040"), reason: "disk full", refused: false)) == [
            "error one-shot arguments not cleared node=n040 reason=disk full",
        ])
    }
}
