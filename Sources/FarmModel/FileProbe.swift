/// What validation may ask of the file system: whether a path names a file
/// or a directory, and whether a PE image (kernel, EFI binary) is signed.
/// The loader passes the real one; tests pass a dictionary.
public struct FileProbe: Sendable {
    public enum Kind: Sendable, Equatable { case file, directory }

    private let probe: @Sendable (String) -> Kind?
    private let signature: @Sendable (String) -> Bool?

    public init(_ probe: @escaping @Sendable (String) -> Kind?, signed: @escaping @Sendable (String) -> Bool? = { _ in nil }) {
        self.probe = probe
        self.signature = signed
    }

    /// A probe that knows exactly the given paths (and, for `signed`, which PE images carry a signature).
    public init(_ known: [String: Kind], signed: [String: Bool] = [:]) {
        self.probe = { known[$0] }
        self.signature = { signed[$0] }
    }

    public func kind(of path: String) -> Kind? { probe(path) }

    /// Whether the PE image at `path` carries an Authenticode signature
    /// (`PECertificateTable`); nil when it is not a PE image or cannot be read.
    public func isSigned(_ path: String) -> Bool? { signature(path) }
}
