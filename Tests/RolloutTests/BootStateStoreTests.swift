import Foundation
import Testing
@testable import Rollout

/// The boot state on disk: round trip, refusal of foreign files, and
/// updates from many threads at once that lose nothing.
@Suite struct BootStateStoreTests {
    func scratch() throws -> String {
        let path = NSTemporaryDirectory() + "pxefarm-state-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func emptyUntilWrittenThenRoundTrips() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
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
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = BootStateStore(directory: directory)
        try Data("{\"rollout\": 3}".utf8).write(to: URL(fileURLWithPath: store.path))
        #expect {
            try store.read()
        } throws: { error in
            "\(error)".hasPrefix("\(store.path) is not a pxefarm boot state (")
        }
        try Data("{\"version\": 9, \"installed\": {}, \"oneShots\": {}}".utf8).write(to: URL(fileURLWithPath: store.path))
        #expect(throws: BootStateError.unknownVersion(path: store.path, version: 9)) { try store.read() }
        #expect(throws: BootStateError.self) { try store.update { $0.bootOnce(node: "n1", arguments: "x", now: 0) } }
        #expect(try String(contentsOfFile: store.path, encoding: .utf8).contains("\"version\": 9"), "a refused file is left as it was")
    }

    @Test func concurrentUpdatesAreSerialised() async throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
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
