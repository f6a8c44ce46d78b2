import FileIO

/// What a build records of how its farm was loaded, so that the next build
/// of the same command over the same files need not load it: the digest of
/// the command (`BuildCache.invocation`), the farm's node count and every
/// file loading read. With no invocation, or a file that may have changed
/// while it was read, nothing is recorded and the next build loads the farm.
struct LoadRecord: Equatable {
    var invocation: String?
    var nodes: Int
    var loaded: [BuildCache.Watched]

    init(invocation: String?, log: ReadLog?, nodes: Int) {
        guard let invocation, let log, let loaded = InputCache.loaded(log) else {
            self.init(invocation: nil, nodes: 0, loaded: [])
            return
        }
        self.init(invocation: invocation, nodes: nodes, loaded: loaded)
    }

    init(invocation: String?, nodes: Int, loaded: [BuildCache.Watched]) {
        self.invocation = invocation
        self.nodes = nodes
        self.loaded = loaded
    }

    /// What `cache` holds.
    init(of cache: BuildCache) {
        self.init(invocation: cache.invocation, nodes: cache.nodes, loaded: cache.loaded)
    }

    /// `cache` with this record in place of its own.
    func applied(to cache: BuildCache) -> BuildCache {
        var updated = cache
        updated.invocation = invocation
        updated.nodes = nodes
        updated.loaded = loaded
        return updated
    }
}
