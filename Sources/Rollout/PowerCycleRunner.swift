import Foundation

/// Runs a rollout's power-cycle command for one node with `/bin/sh -c`, in
/// the background, and tells the caller once how it went: started (or not)
/// and then how it ended, with the first 512 bytes of its output.
public final class PowerCycleRunner: @unchecked Sendable {
    public enum Outcome: Sendable, Equatable {
        case started(command: String)
        case notStarted(reason: String)
        case finished(status: Int32, output: String)
    }

    /// The processes still running, so they are not released while they run.
    private var running: [ObjectIdentifier: Process] = [:]
    private let lock = NSLock()

    public init() {}

    /// Starts `command`; `report` is called with `.started` or `.notStarted`
    /// before this returns, and with `.finished` from another thread later.
    public func run(_ command: String, report: @escaping @Sendable (Outcome) -> Void) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        let key = ObjectIdentifier(process)
        // `.finished` never comes before `.started`, however fast the command.
        let reported = DispatchSemaphore(value: 0)
        process.terminationHandler = { [weak self] finished in
            reported.wait()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile().prefix(512), as: UTF8.self)
            report(.finished(status: finished.terminationStatus, output: text.trimmingCharacters(in: .whitespacesAndNewlines)))
            self?.forget(key)
        }
        lock.withLock { running[key] = process }
        do {
            try process.run()
            report(.started(command: command))
            reported.signal()
        } catch {
            forget(key)
            report(.notStarted(reason: "\(error)"))
        }
    }

    private func forget(_ key: ObjectIdentifier) {
        _ = lock.withLock { running.removeValue(forKey: key) }
    }
}
