/// Whether a listener is at its cap, and how many it turned away since it
/// reached it: the first refusal at the cap is the one to log, and leaving
/// the cap says how many were turned away meanwhile. A value, kept under the
/// owner's lock (`CappedTable`: `TransferRegistry`, the HTTP connections).
struct CapLatch {
    private(set) var atCap = false
    /// Refusals since the cap was reached; 0 below it.
    private(set) var turnedAway = 0

    /// One more turned away at the cap; true when it is the first (log it).
    mutating func turnAway() -> Bool {
        turnedAway += 1
        defer { atCap = true }
        return !atCap
    }

    /// A place came free: how many were turned away when this leaves the cap
    /// (log it), nil when it was not at the cap.
    mutating func freed() -> Int? {
        guard atCap else { return nil }
        atCap = false
        defer { turnedAway = 0 }
        return turnedAway
    }
}
