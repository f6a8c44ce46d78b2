import FarmModel
import NetbootWire
import Yams

/// One YAML mapping of the farm file, read key by key. It reports unknown
/// keys (with "did you mean"), missing required keys and
/// values of the wrong shape, each at the place it was written; a getter
/// returns nil when the value is absent or unusable.
struct YAMLMapping {
    let path: FieldPath
    let node: YAMLNode
    private let entries: [String: (key: YAMLNode, value: YAMLNode)]
    private let context: LoadContext

    /// Reads `node` as a mapping with the given keys; nil (and an error) when
    /// it is not a mapping at all.
    init?(_ node: YAMLNode, at path: FieldPath, keys allowed: [String], context: LoadContext) {
        self.path = path
        self.node = node
        self.context = context
        context.record(path, at: node)
        guard case .mapping(let mapping) = node else {
            context.unusable(path, "expected a mapping of \(allowed.joined(separator: ", ")), found \(YAMLMapping.describe(node))")
            return nil
        }
        var entries: [String: (key: YAMLNode, value: YAMLNode)] = [:]
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                context.error(path, "keys must be plain words; found \(YAMLMapping.describe(key))")
                continue
            }
            let name = scalar.string
            let keyPath = path / name
            if !allowed.contains(name) {
                context.record(keyPath, at: key)
                context.error(keyPath, "unknown key '\(name)'" + Suggestion.didYouMean(name, among: allowed, otherwise: "; expected one of: \(allowed.joined(separator: ", "))"))
                continue
            }
            context.record(keyPath, at: value)
            entries[name] = (key, value)
        }
        self.entries = entries
    }

    func has(_ key: String) -> Bool { entries[key] != nil }

    /// The value node of `key`, or nil (with an error when `required`).
    func value(_ key: String, required: Bool = false) -> YAMLNode? {
        guard let entry = entries[key], !YAMLMapping.isNull(entry.value) else {
            if required { context.unusable(path / key, "missing required key '\(key)'") }
            return nil
        }
        return entry.value
    }

    func keyNode(_ key: String) -> YAMLNode? { entries[key]?.key }

    func string(_ key: String, required: Bool = false) -> String? {
        guard let node = value(key, required: required) else { return nil }
        return scalar(node, at: path / key)
    }

    /// A scalar's text, or nil with an error when the node is a list or mapping.
    func scalar(_ node: YAMLNode, at path: FieldPath) -> String? {
        guard case .scalar(let scalar) = node else {
            context.unusable(path, "expected a single value, found \(YAMLMapping.describe(node))")
            return nil
        }
        return scalar.string
    }

    func int(_ key: String, in range: ClosedRange<Int>, required: Bool = false) -> Int? {
        guard let text = string(key, required: required) else { return nil }
        guard let number = Int(text), range.contains(number) else {
            context.unusable(path / key, "expected a whole number \(range.lowerBound)-\(range.upperBound), found \"\(text)\"")
            return nil
        }
        return number
    }

    func bool(_ key: String) -> Bool? {
        guard let text = string(key) else { return nil }
        if let flag = YAMLMapping.parseBool(text) { return flag }
        context.unusable(path / key, "expected true or false, found \"\(text)\"")
        return nil
    }

    func ip(_ key: String, required: Bool = false) -> IPv4Address? {
        guard let node = value(key, required: required) else { return nil }
        return ip(node, at: path / key)
    }

    func ip(_ node: YAMLNode, at path: FieldPath) -> IPv4Address? {
        guard let text = scalar(node, at: path) else { return nil }
        guard let address = IPv4Address(text) else {
            context.unusable(path, "\"\(text)\" is not an IPv4 address (four numbers 0-255, such as 192.168.197.11)")
            return nil
        }
        return address
    }

    func mac(_ key: String, required: Bool = false) -> MACAddress? {
        guard let text = string(key, required: required) else { return nil }
        guard let mac = MACAddress(text) else {
            context.unusable(path / key, "\"\(text)\" is not a MAC address (six hex pairs, such as 00:D0:B7:1B:12:ED)")
            return nil
        }
        return mac
    }

    /// A list of addresses; a single address is taken as a list of one.
    func ipList(_ key: String) -> [IPv4Address] {
        list(key).compactMap { ip($0.node, at: $0.path) }
    }

    /// The items of a list (a single scalar counts as a list of one), each
    /// with its path, recorded in the source map.
    func list(_ key: String) -> [(node: YAMLNode, path: FieldPath)] {
        guard let node = value(key) else { return [] }
        let base = path / key
        switch node {
        case .sequence(let sequence):
            return sequence.enumerated().map { index, item in
                context.record(base[index], at: item)
                return (item, base[index])
            }
        case .scalar:
            context.record(base[0], at: node)
            return [(node, base[0])]
        default:
            context.unusable(base, "expected a list, found \(YAMLMapping.describe(node))")
            return []
        }
    }

    /// A text that may be written as one string or as a list of words
    /// (kernel arguments): the list is joined with spaces.
    func words(_ key: String) -> String? {
        guard let node = value(key) else { return nil }
        if case .scalar(let scalar) = node { return scalar.string }
        let parts = list(key).compactMap { scalar($0.node, at: $0.path) }
        return parts.joined(separator: " ")
    }

    func mapping(_ key: String, keys: [String], required: Bool = false) -> YAMLMapping? {
        guard let node = value(key, required: required) else { return nil }
        return YAMLMapping(node, at: path / key, keys: keys, context: context)
    }

    /// A path to a file, made absolute against the farm file's folder.
    func filePath(_ key: String, required: Bool = false) -> String? {
        guard let text = string(key, required: required) else { return nil }
        guard !text.isEmpty else {
            context.unusable(path / key, "the path is empty")
            return nil
        }
        return context.resolve(text)
    }

    /// A value that must be one of a fixed set of words.
    func choice<T: RawRepresentable & CaseIterable>(_ key: String, of type: T.Type) -> T? where T.RawValue == String {
        guard let text = string(key) else { return nil }
        if let value = T(rawValue: text) { return value }
        let words = T.allCases.map(\.rawValue)
        context.unusable(path / key, "\"\(text)\" is not one of \(words.joined(separator: ", "))" + Suggestion.didYouMean(text, among: words))
        return nil
    }

    static func parseBool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on": true
        case "false", "no", "off": false
        default: nil
        }
    }

    static func isNull(_ node: YAMLNode) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    static func describe(_ node: YAMLNode) -> String {
        switch node {
        case .scalar(let scalar): "the value \"\(scalar.string)\""
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}
