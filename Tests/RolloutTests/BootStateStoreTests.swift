import Foundation
import Testing
import TestSupport
@testable import Rollout

/// The boot state on disk: round trip, refusal of foreign files, and
/// updates from many threads at once that lose nothing.
@Suite struct BootStateStoreTests {
    @Test func emptyUntilWrittenThenRoundTrips() throws {
        let directoryScratch = try ScratchDirectory("state")
        defer { directoryScratch.remove() }
        let directory = directoryScratch.path
        let store = BootStateStore(directory: directory + "/state")
        #expect(try store.read() == BootState())
        let farm = RolloutFarm.farm()
        let rollout = try RolloutRequest(service: "linux-install", nodes: "n[040-047]", waveSize: 4).rollout(for: farm, now: 7)
        let (events, written) = try store.update { try $0.start(rollout, now: 7) }
        #expect(events.count == 1)
        #expect(try store.read() == written)
        let attributes = try FileManager.default.attributesOfItem(atPath: store.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(!FileManager.default.fileExists(atPath: store.path + ".tmp"))
    }

    @Test func aFileThatIsNotABootStateIsRefusedByName() throws {
        let directoryScratch = try ScratchDirectory("state")
        defer { directoryScratch.remove() }
        let directory = directoryScratch.path
        let store = BootStateStore(directory: directory)
        try Data("{\"rollout\": 3}".utf8).write(to: URL(fileURLWithPath: store.path))
        #expect {
            try store.read()
        } throws: { error in
            "\(error)".hasPrefix("\(store.path) is not a pxefarm boot state (")
        }
        try Data("{\"version\": 9, \"installed\": {}, \"oneShots\": {}}".utf8).write(to: URL(fileURLWithPath: store.path))
        #expect(throws: RolloutError.stateUnknownVersion(path: store.path, version: 9)) { try store.read() }
        #expect(throws: RolloutError.self) { try store.update { $0.bootOnce(node: "n1", arguments: "x", now: 0) } }
        #expect(try String(contentsOfFile: store.path, encoding: .utf8).contains("\"version\": 9"), "a refused file is left as it was")
    }

    @Test func concurrentUpdatesAreSerialised() async throws {
        let directoryScratch = try ScratchDirectory("state")
        defer { directoryScratch.remove() }
        let directory = directoryScratch.path
        let store = BootStateStore(directory: directory)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for step in 0..<25 {
                        try store.update { state in
                            state.installed["n\(worker)-\(step)"] = Double(state.installed.count)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let state = try store.read()
        #expect(state.installed.count == 200)
        #expect(Set(state.installed.values) == Set((0..<200).map(Double.init)), "each update saw every earlier one")
    }
}

/// serve's heartbeat as the commands read it.
@Suite struct ServeHeartbeatTests {
    @Test func runningThenStoppedCleanlyThenLeftBehind() throws {
        let directory = NSTemporaryDirectory() + "pxefarm-heartbeat-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let heartbeat = ServeHeartbeat(directory: directory)
        let now = Date().timeIntervalSince1970
        #expect(heartbeat.liveness(now: now) == .notRunning)
        heartbeat.beat()
        guard case .running(let pid, _) = heartbeat.liveness(now: now + 1) else { Issue.record("not running after a beat"); return }
        #expect(pid == getpid())
        guard case .stopped = heartbeat.liveness(now: now + ServeHeartbeat.staleAfter + 5) else { Issue.record("a silent serve still counts as running"); return }
        heartbeat.clear()
        #expect(heartbeat.liveness(now: now) == .notRunning)
        // A pid file left by a serve that was killed: that process is gone.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        try Data("\(gone.processIdentifier)\n".utf8).write(to: URL(fileURLWithPath: heartbeat.path))
        guard case .stopped = heartbeat.liveness(now: Date().timeIntervalSince1970) else { Issue.record("a dead serve counts as running"); return }
    }
}
