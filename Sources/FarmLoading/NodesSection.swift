import FarmModel
import NetbootWire

/// Reads `nodes:`: single entries and ranges such as `n[040-167]`, expanded
/// in place and in order, with the defaults applied.
enum NodesSection {
    static let singleKeys = ["name", "mac", "ip", "service", "kernel-args", "files", "nfs-server"]
    static let rangeKeys = ["range", "ip", "mac", "macs", "service", "kernel-args", "files", "nfs-server"]

    static func read(_ node: YAMLNode?, defaults: NodeDefaults, context: LoadContext) -> [FarmModel.Node] {
        guard let node else { return [] }
        let path: FieldPath = "nodes"
        context.record(path, at: node)
        guard case .sequence(let sequence) = node else {
            context.unusable(path, "expected a list of nodes, found \(YAMLMapping.describe(node))")
            return []
        }
        var nodes: [FarmModel.Node] = []
        for (index, item) in sequence.enumerated() {
            let entry = path[index]
            let isRange: Bool
            if case .mapping(let mapping) = item { isRange = mapping["range"] != nil } else { isRange = false }
            guard let map = YAMLMapping(item, at: entry, keys: isRange ? rangeKeys : singleKeys, context: context) else { continue }
            nodes += isRange ? readRange(map, defaults: defaults, context: context) : readSingle(map, defaults: defaults, context: context).map { [$0] } ?? []
        }
        return nodes
    }

    static func readSingle(_ map: YAMLMapping, defaults: NodeDefaults, context: LoadContext) -> FarmModel.Node? {
        let name = map.string("name", required: true)
        let mac = map.mac("mac", required: true)
        let ip = map.ip("ip", required: true)
        let service = readService(map, defaults: defaults, context: context)
        guard let name, let mac, let ip, let service else { return nil }
        return FarmModel.Node(
            name: name, mac: mac, ip: ip, service: service,
            kernelArguments: joined(defaults.kernelArguments, map.words("kernel-args")),
            files: ExtraFiles.read(map, key: "files", context: context), nfsServer: map.string("nfs-server"), origin: .single(map.path))
    }

    static func readRange(_ map: YAMLMapping, defaults: NodeDefaults, context: LoadContext) -> [FarmModel.Node] {
        let entry = map.path
        guard let patternText = map.string("range", required: true) else { return [] }
        let pattern: NodeNamePattern
        do {
            pattern = try NodeNamePattern(patternText)
        } catch {
            context.unusable(entry / "range", error.description)
            return []
        }
        let firstIP = map.ip("ip", required: true)
        let service = readService(map, defaults: defaults, context: context)
        let macs = readRangeMACs(map, pattern: pattern, context: context)
        guard let firstIP, let service, let macs else { return [] }
        guard firstIP.advanced(by: pattern.count - 1) != nil else {
            context.unusable(entry / "ip", "\(pattern.count) consecutive addresses from \(firstIP) run past 255.255.255.255")
            return []
        }
        let kernelArguments = joined(defaults.kernelArguments, map.words("kernel-args"))
        let files = ExtraFiles.read(map, key: "files", context: context)
        let nfsServer = map.string("nfs-server")
        return pattern.names.enumerated().compactMap { offset, name in
            guard let (mac, macPath) = macs[offset], let ip = firstIP.advanced(by: offset) else { return nil }
            let origin = NodeOrigin(entry: entry, name: entry / "range", mac: macPath, ip: entry / "ip", service: entry / "service", range: patternText)
            return FarmModel.Node(name: name, mac: mac, ip: ip, service: service, kernelArguments: kernelArguments, files: files, nfsServer: nfsServer, origin: origin)
        }
    }

    /// `macs: nodes.csv`, `macs: [..]`, or `mac: FIRST` for consecutive addresses.
    static func readRangeMACs(_ map: YAMLMapping, pattern: NodeNamePattern, context: LoadContext) -> [(mac: MACAddress, path: FieldPath)?]? {
        let entry = map.path
        switch (map.value("macs"), map.has("mac")) {
        case (.some, true):
            context.unusable(entry / "mac", "give either 'mac' (the first of consecutive addresses) or 'macs' (a list or CSV file), not both")
            return nil
        case (nil, false):
            context.unusable(entry, "a range needs 'macs' (a list or a CSV file) or 'mac' (the first of consecutive addresses)")
            return nil
        case (nil, true):
            guard let first = map.mac("mac", required: true) else { return nil }
            guard first.advanced(by: pattern.count - 1) != nil else {
                context.unusable(entry / "mac", "\(pattern.count) consecutive MAC addresses from \(first) run past ff:ff:ff:ff:ff:ff")
                return nil
            }
            return (0..<pattern.count).map { (first.advanced(by: $0)!, entry / "mac") }
        case (.some(let node), false):
            let list: MACList?
            if case .scalar(let scalar) = node {
                list = MACList.fromCSV(context.resolve(scalar.string), at: entry / "macs", context: context)
            } else {
                list = MACList.fromList(map.list("macs"), map: map)
            }
            return list?.assign(to: pattern.names, range: pattern.description, at: entry / "macs", context: context)
        }
    }

    static func readService(_ map: YAMLMapping, defaults: NodeDefaults, context: LoadContext) -> String? {
        if let service = map.string("service") { return service }
        if let service = defaults.service { return service }
        context.unusable(map.path / "service", "no service: give 'service' here or in 'defaults'")
        return nil
    }

    static func joined(_ first: String, _ second: String?) -> String {
        [first, second ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
    }
}
