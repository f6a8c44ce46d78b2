import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Process {
    /// Stops a process a test started: SIGTERM, then SIGKILL if it is still
    /// running after `grace` seconds, then reaps it. Bounded, because a child
    /// started from a test worker thread may inherit a mask that blocks
    /// SIGTERM (kea-dhcp4 does: it then never exits on SIGTERM).
    public func stop(grace: Double = 3) {
        guard isRunning else { return }
        kill(processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(grace)
        while isRunning, Date() < deadline { usleep(20_000) }
        if isRunning { kill(processIdentifier, SIGKILL) }
        waitUntilExit()
    }
}
