import Foundation
import Logging
import NIOConcurrencyHelpers

/// Runs a rollout's power-cycle command for one node with `/bin/sh -c`, in
/// the background, and logs how it ended with the first of its output.
final class PowerCycleRunner: Sendable {
    private let running = NIOLockedValueBox<[ObjectIdentifier: Process]>([:])

    func run(_ command: String, node: String, logger: Logger) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        let key = ObjectIdentifier(process)
        process.terminationHandler = { [running] finished in
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile().prefix(512), as: UTF8.self)
            let meta: Logger.Metadata = ["node": "\(node)", "status": "\(finished.terminationStatus)", "output": "\(text.trimmingCharacters(in: .whitespacesAndNewlines))"]
            if finished.terminationStatus == 0 {
                logger.notice("power cycle done", metadata: meta)
            } else {
                logger.error("power cycle failed; the node will time out unless rebooted by hand", metadata: meta)
            }
            running.withLockedValue { $0[key] = nil }
        }
        do {
            running.withLockedValue { $0[key] = process }
            try process.run()
            logger.notice("power cycle", metadata: ["node": "\(node)", "command": "\(command)"])
        } catch {
            running.withLockedValue { $0[key] = nil }
            logger.error("power cycle not started", metadata: ["node": "\(node)", "reason": "\(error)"])
        }
    }
}
