/// Rendezvous (highest random weight) hashing: each (key, server) pair gets a
/// weight from a fixed hash, and a key's servers rank by weight. Adding a
/// server moves only the keys for which the new server weighs most, about
/// 1/n of them; removing one moves only its own keys. Pure and the same on
/// every machine and run (FNV-1a with a 64-bit finalizer, not Swift's seeded
/// Hasher), so several servers reading one farm file agree.
public enum Rendezvous {
    /// The weight of `server` for `key`.
    public static func weight(key: String, server: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        hash = (hash ^ 0xff) &* 0x0000_0100_0000_01b3
        for byte in server.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        // splitmix64's finalizer spreads FNV's weak low bits over the word.
        hash = (hash ^ (hash >> 30)) &* 0xbf58_476d_1ce4_e5b9
        hash = (hash ^ (hash >> 27)) &* 0x94d0_49bb_1331_11eb
        return hash ^ (hash >> 31)
    }

    /// `servers` from heaviest to lightest for `key`; ties (never seen in
    /// practice) by name, so the order is total.
    public static func rank(key: String, servers: [String]) -> [String] {
        servers.map { (name: $0, weight: weight(key: key, server: $0)) }
            .sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.name < $1.name }
            .map(\.name)
    }

    /// The heaviest server for `key`, nil when there is none.
    public static func pick(key: String, servers: [String]) -> String? {
        var best: (name: String, weight: UInt64)?
        for name in servers {
            let weight = weight(key: key, server: name)
            if let current = best, current.weight > weight || (current.weight == weight && current.name < name) { continue }
            best = (name, weight)
        }
        return best?.name
    }
}
