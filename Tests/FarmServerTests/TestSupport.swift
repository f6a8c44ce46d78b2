import Foundation
import Logging
import Testing
import TestSupport

/// A temporary TFTP root with files of given sizes; removed by `remove()`.
struct TemporaryTree {
    let root: String

    init(files: [String: Int] = [:]) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("pxefarm-tftp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        root = base.path
        for (name, size) in files { try write(name, Self.pattern(size: size, seed: name)) }
    }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        let url = URL(fileURLWithPath: root).appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    func path(_ name: String) -> String { root + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    /// Deterministic, position-dependent bytes so a misplaced block shows.
    static func pattern(size: Int, seed: String) -> [UInt8] {
        var state = UInt64(truncatingIfNeeded: seed.utf8.reduce(1469598103934665603) { ($0 ^ UInt64($1)) &* 1099511628211 })
        var out = [UInt8](repeating: 0, count: size)
        for i in 0..<size {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            out[i] = UInt8(truncatingIfNeeded: state >> 56)
        }
        return out
    }
}

/// A logger that keeps its messages for assertions.
final class CapturingLogHandler: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var _messages: [String] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .debug

    var messages: [String] { lock.withLock { _messages } }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let meta = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        lock.withLock { _messages.append("\(event.level) \(event.message) \(meta)") }
    }

    static func logger() -> (Logger, CapturingLogHandler) {
        let handler = CapturingLogHandler()
        return (Logger(label: "test") { _ in handler }, handler)
    }
}
