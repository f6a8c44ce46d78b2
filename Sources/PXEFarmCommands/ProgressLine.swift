import FarmBuild
#if canImport(Glibc)
import Glibc
#endif

/// Build progress on standard error: on a terminal a bar redrawn in place per
/// phase (items done of total, rate, time left); otherwise, as in CI logs, one
/// line per phase when it ends.
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let terminal: Bool
    private var phaseStart = ContinuousClock.now
    private var phase: BuildProgress.Phase?
    private var drawn = false

    init(enabled: Bool, terminal: Bool = isatty(2) == 1) {
        self.enabled = enabled
        self.terminal = terminal
    }

    func show(_ progress: BuildProgress) {
        guard enabled, progress.total > 0 else { return }
        if progress.phase != phase {
            if drawn { emit("\n") }
            drawn = false
            phase = progress.phase
            phaseStart = ContinuousClock.now
        }
        if terminal {
            emit("\r" + Self.bar(progress, elapsed: seconds(ContinuousClock.now - phaseStart)) + "\u{1B}[K")
            drawn = true
        } else if let line = Self.line(progress) {
            emit(line)
        }
    }

    func finish() {
        if drawn { emit("\n") }
        drawn = false
    }

    /// The terminal bar: `node trees [#####.....] 32/65 nodes, 120/s, 0 s left`.
    static func bar(_ progress: BuildProgress, elapsed: Double, width: Int = 30) -> String {
        let rate = elapsed > 0 ? Double(progress.done) / elapsed : 0
        let left = rate > 0 ? Double(progress.total - progress.done) / rate : 0
        let filled = width * progress.done / progress.total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        return "\(progress.phase.rawValue) [\(bar)] \(progress.done)/\(progress.total) \(progress.phase.items), \(Int(rate))/s, \(Int(left.rounded())) s left"
    }

    /// Off a terminal: the one line of a phase, when it ends; nil before.
    static func line(_ progress: BuildProgress) -> String? {
        progress.done == progress.total ? "\(progress.phase.rawValue): \(progress.total) \(progress.phase.items)\n" : nil
    }

    /// Straight to file descriptor 2, so the bar is not held in a buffer.
    private func emit(_ text: String) {
        _ = Array(text.utf8).withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
