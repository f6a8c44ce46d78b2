import FarmModel

/// What loading a farm file gives: the farm (nil when the file could not be
/// read or parsed at all) and every diagnostic, placed at file:line:column.
public struct LoadResult: Sendable {
    public var farm: Farm?
    public var diagnostics: [Diagnostic]
    /// The text of every file the farm was loaded from: the farm file, then
    /// the node lists it names, in reading order (what a build's input
    /// digest is taken over).
    public var sources: [String]

    public init(farm: Farm?, diagnostics: [Diagnostic], sources: [String] = []) {
        self.farm = farm
        self.diagnostics = diagnostics
        self.sources = sources
    }

    public var hasErrors: Bool { diagnostics.hasErrors }

    /// The farm when there are no errors (warnings allowed).
    public var cleanFarm: Farm? { hasErrors ? nil : farm }
}
