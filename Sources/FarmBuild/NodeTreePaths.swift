/// Plan paths of node trees: `nfsroot/<node>/<path inside the node>`.
enum NodeTreePaths {
    static func node(of path: String) -> String {
        let parts = path.split(separator: "/", maxSplits: 2)
        return parts.count > 1 ? String(parts[1]) : path
    }

    static func insideNode(_ path: String) -> String {
        let parts = path.split(separator: "/", maxSplits: 2)
        return parts.count > 2 ? String(parts[2]) : ""
    }
}
