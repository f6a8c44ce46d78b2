/// One-shot arguments and resets.
extension BootState {
    /// `arguments` for the node's next boot only.
    public mutating func bootOnce(node: String, arguments: String, now: Double) {
        oneShots[node] = OneShotBoot(arguments: arguments, requested: now)
    }

    /// The node fetched its kernel: its one-shot arguments have been used.
    /// Returns them, or nil when it had none.
    public mutating func kernelFetched(node: String) -> OneShotBoot? {
        oneShots.removeValue(forKey: node)
    }

    /// Back to the farm file: forgets the node's install (local boot) and its
    /// one-shot arguments. A node installing in an active rollout stays in it
    /// (abort the rollout for that). Returns what was dropped.
    public mutating func reset(node: String) -> [String] {
        var dropped: [String] = []
        if installed.removeValue(forKey: node) != nil { dropped.append("local boot after its install") }
        if let once = oneShots.removeValue(forKey: node) { dropped.append("one-shot arguments \"\(once.arguments)\"") }
        return dropped
    }
}
