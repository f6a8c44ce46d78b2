import Glibc
import Synchronization

/// The paths a computation read or looked at (files read, folders listed,
/// paths whose kind was asked, absent ones included), and when it began.
/// A later run that finds every one of them with the signature it has now
/// knows it would read the same: `pxefarm build` keeps the farm file's, its
/// node lists', the secrets', the templates' and the kickstart templates'
/// paths this way, to skip loading them when nothing changed.
public final class ReadLog: Sendable {
    private let paths = Mutex<[String]>([])
    /// CLOCK_REALTIME_COARSE, nanoseconds, at creation: the clock the kernel
    /// stamps files with, so a file changed after this has a time at or
    /// after it.
    public let started: Int64

    public init() {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME_COARSE, &now)
        started = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    /// A log that began at `started` (nanoseconds since the epoch).
    public init(started: Int64) { self.started = started }

    public func record(_ path: String) { paths.withLock { $0.append(path) } }

    /// Every path recorded, each once, in the order first recorded.
    public var recorded: [String] {
        paths.withLock { all in
            var seen = Set<String>()
            return all.filter { seen.insert($0).inserted }
        }
    }

    /// Whether a file stamped `modified`/`changed` may have changed after
    /// the computation read it: then its signature does not vouch for what
    /// was read.
    public func isRacy(modified: Int64, changed: Int64) -> Bool {
        max(modified, changed) >= started
    }
}
