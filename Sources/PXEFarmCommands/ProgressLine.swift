import FarmBuild
#if canImport(Glibc)
import Glibc
#endif

/// Build progress: a bar redrawn in place on a terminal (nodes done of total,
/// rate, time left), a plain line per tenth otherwise.
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let terminal: Bool
    private let start = ContinuousClock.now
    private var lastTenth = -1
    private var drawn = false

    init(enabled: Bool, terminal: Bool) {
        self.enabled = enabled
        self.terminal = terminal
    }

    func show(_ progress: BuildProgress) {
        guard enabled, progress.nodesTotal > 0 else { return }
        let elapsed = seconds(ContinuousClock.now - start)
        let rate = elapsed > 0 ? Double(progress.nodesDone) / elapsed : 0
        let left = rate > 0 ? Double(progress.nodesTotal - progress.nodesDone) / rate : 0
        let status = "\(progress.nodesDone)/\(progress.nodesTotal) nodes, \(Int(rate)) nodes/s, \(Int(left.rounded())) s left"
        if terminal {
            let width = 30
            let filled = width * progress.nodesDone / progress.nodesTotal
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            emit("\r[\(bar)] \(status)\u{1B}[K")
            drawn = true
        } else {
            let tenth = 10 * progress.nodesDone / progress.nodesTotal
            if tenth != lastTenth {
                lastTenth = tenth
                emit("node trees: \(status)\n")
            }
        }
    }

    func finish() {
        if drawn { emit("\n") }
        drawn = false
    }

    /// Straight to file descriptor 1, so the bar is not held in a buffer.
    private func emit(_ text: String) {
        _ = Array(text.utf8).withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
