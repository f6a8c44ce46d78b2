/// What validation may ask of the file system: whether a path names a file
/// or a directory. The loader passes the real one; tests pass a dictionary.
public struct FileProbe: Sendable {
    public enum Kind: Sendable, Equatable { case file, directory }

    private let probe: @Sendable (String) -> Kind?

    public init(_ probe: @escaping @Sendable (String) -> Kind?) { self.probe = probe }

    /// A probe that knows exactly the given paths.
    public init(_ known: [String: Kind]) { self.probe = { known[$0] } }

    public func kind(of path: String) -> Kind? { probe(path) }
}
