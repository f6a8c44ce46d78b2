import FarmModel

/// The nodes a command names: a comma-separated list of node names and
/// ranges such as `n011,n[040-103]`, each checked against the farm, in the
/// order written, without repeats.
public enum NodeSelection {
    public static func nodes(_ text: String, in farm: Farm) throws(RolloutError) -> [Node] {
        var names: [String] = []
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            if part.contains("[") {
                do {
                    names += try NodeNamePattern(part).names
                } catch {
                    throw .badNodes(text, reason: "\(error)")
                }
            } else {
                names.append(part)
            }
        }
        var seen: Set<String> = []
        var nodes: [Node] = []
        for name in names where seen.insert(name).inserted {
            guard let node = farm.node(named: name) else { throw .unknownNode(name) }
            nodes.append(node)
        }
        guard !nodes.isEmpty else { throw .noNodes }
        return nodes
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}

extension Set where Element == Character {
    fileprivate static let whitespaces: Set<Character> = [" ", "\t"]
}
