/// Where a value sits in the farm file, spelled as the file spells it:
/// `nodes[3].ip`, `images.base.kernel`, `discovery.prompt.text`.
///
/// Validation speaks in paths so that it needs no file positions; the loader
/// maps each path to the line and column it read it from.
public struct FieldPath: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    public var components: [Component]

    public init(_ components: [Component] = []) { self.components = components }

    /// A path of keys only, such as `"farm.subnet"` (dots separate keys).
    public init(stringLiteral value: String) {
        components = value.split(separator: ".").map { .key(String($0)) }
    }

    public static func / (path: FieldPath, key: String) -> FieldPath {
        FieldPath(path.components + [.key(key)])
    }

    public subscript(index: Int) -> FieldPath {
        FieldPath(components + [.index(index)])
    }

    /// The path one step up, or nil at the top.
    public var parent: FieldPath? {
        components.isEmpty ? nil : FieldPath(Array(components.dropLast()))
    }

    public var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key): text += text.isEmpty ? key : "." + key
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}
