import FileIO
import Foundation
import Glibc

/// How the commands tell whether `pxefarm serve` is applying the boot state:
/// serve keeps `serve.pid` in the state directory, with its process id,
/// touched on every tick (once a second) and removed when it stops.
public struct ServeHeartbeat: Sendable {
    public static let fileName = "serve.pid"

    /// What the commands can say about serve.
    public enum Liveness: Hashable, Sendable {
        /// The process is there and ticked within `staleAfter` seconds.
        case running(pid: Int32, seenSecondsAgo: Double)
        /// A heartbeat was left behind (killed, or hung): when it was last seen.
        case stopped(lastSeen: Double)
        /// No heartbeat: serve never ran on this folder, or stopped cleanly.
        case notRunning
    }

    public static let staleAfter = 10.0

    public let path: String

    public init(directory: String) { path = directory + "/" + Self.fileName }

    /// Serve's side: writes the process id (once) and moves the file's time to now.
    public func beat(pid: Int32 = getpid()) {
        if Self.pid(in: path) != pid {
            // Best effort: a missed beat is caught up by the next tick.
            try? AtomicFile.write(Array("\(pid)\n".utf8), to: path, temporary: path + ".tmp")
        } else {
            utimes(path, nil)
        }
    }

    /// Serve's side, on a clean stop.
    public func clear(pid: Int32 = getpid()) {
        if Self.pid(in: path) == pid { unlink(path) }
    }

    /// The commands' side.
    public func liveness(now: Double) -> Liveness {
        guard let pid = Self.pid(in: path), let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970
        else { return .notRunning }
        let alive = kill(pid, 0) == 0 || errno == EPERM
        guard alive, now - modified <= Self.staleAfter else { return .stopped(lastSeen: modified) }
        return .running(pid: pid, seenSecondsAgo: max(0, now - modified))
    }

    static func pid(in path: String) -> Int32? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return Int32(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
