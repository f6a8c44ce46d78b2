import FileIO
import Foundation
import Glibc

/// The boot state on disk: `boot-state.json` in the output folder's state
/// directory, shared by `pxefarm serve` and the `rollout` and `boot`
/// commands. Every change is read-modify-write under an exclusive `flock`
/// on `boot-state.lock`, and the file is replaced whole (write a temporary,
/// fsync, rename), so a reader sees the old state or the new one, never
/// half of either, and a crash loses at most the change being made.
public struct BootStateStore: Sendable {
    public static let fileName = "boot-state.json"
    public static let lockName = "boot-state.lock"

    public let directory: String
    public var path: String { directory + "/" + Self.fileName }
    var lockPath: String { directory + "/" + Self.lockName }

    public init(directory: String) { self.directory = directory }

    /// The state as last written; empty when nothing was ever written.
    public func read() throws(RolloutError) -> BootState {
        guard let data = FileManager.default.contents(atPath: path) else {
            if access(path, F_OK) == 0 { throw .stateUnreadable(path: path, reason: String(cString: strerror(EACCES))) }
            return BootState()
        }
        return try Self.decode(data, path: path)
    }

    /// Runs `change` on the current state under the lock and writes the
    /// result when it differs. Returns what `change` returned and the state after it.
    @discardableResult
    public func update<T>(_ change: (inout BootState) throws -> T) throws -> (result: T, state: BootState) {
        let written = try signedUpdate(change)
        return (written.result, written.state)
    }

    /// As `update`, with the file's signature taken after the write and
    /// before the lock is let go: a reader holding the same signature later
    /// knows the file still holds `state`, and no other writer came between.
    public func signedUpdate<T>(_ change: (inout BootState) throws -> T) throws -> (result: T, state: BootState, signature: FileSignature?) {
        let lock = try acquireLock()
        defer { close(lock) }
        let before = try read()
        var state = before
        let result = try change(&state)
        if state != before { try write(state) }
        return (result, state, FileSignature(path: path))
    }

    static func decode(_ data: Data, path: String) throws(RolloutError) -> BootState {
        let state: BootState
        do {
            state = try JSONDecoder().decode(BootState.self, from: data)
        } catch {
            throw .stateMalformed(path: path, reason: "\(error)")
        }
        guard state.version == BootState.currentVersion else {
            throw .stateUnknownVersion(path: path, version: state.version)
        }
        return state
    }

    private func acquireLock() throws(RolloutError) -> Int32 {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .stateUnwritable(path: directory, reason: "\(error.localizedDescription)")
        }
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .stateUnwritable(path: lockPath, reason: String(cString: strerror(errno))) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw .stateUnwritable(path: lockPath, reason: reason)
            }
        }
        return descriptor
    }

    private func write(_ state: BootState) throws(RolloutError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do {
            data = try encoder.encode(state) + Data("\n".utf8)
        } catch {
            throw .stateUnwritable(path: path, reason: "\(error)")
        }
        do {
            try AtomicFile.write(data, to: path, temporary: path + ".tmp", mode: 0o600, durable: true)
        } catch {
            // A temporary that cannot be made is named; any later step names the state file.
            throw .stateUnwritable(path: error.call == .open ? error.path : path, reason: error.reason)
        }
    }
}
